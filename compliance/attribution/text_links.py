"""Text copies: candidates from the simhash index and the winnowed-fingerprint postings, confirmed by reading the
two texts of each candidate pair (shingle containment, or passage alignment for rewrites and excerpts)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from compliance.attribution.direction import DocFacts, Refs, direction
from compliance.fingerprints.index import HammingIndex, pairs_within
from compliance.fingerprints.text import containment, shingles, words
from compliance.models import Document, Site, TextPosting
from compliance.store import write_postings

ELIGIBLE = (Document.is_current.is_(True), Document.taken_down_at.is_(None), Document.simhash.is_not(None))
# A fingerprint shared by more current documents than this is boilerplate (a footer, a wire-service sign-off): it
# proposes no candidates. Copies share many fingerprints, so losing one costs nothing.
POSTING_CAP = 50


def _backfill_postings(session: Session) -> int:
    """Write the postings of current versions stored before the inverted index existed, in small batches."""
    done = 0
    while True:
        batch = session.execute(select(Document.id, Document.text).where(*ELIGIBLE, Document.winnowed.is_(False))
                                .limit(200)).all()
        if not batch:
            return done
        for doc_id, text in batch:
            write_postings(session, doc_id, text)
        session.execute(update(Document).where(Document.id.in_([d for d, _ in batch])).values(winnowed=True))
        done += len(batch)


def _load_facts(session: Session) -> dict[int, DocFacts]:
    rows = session.execute(
        select(Document.id, Document.site_id, Site.role, Document.url, Document.simhash, Document.published_at,
               Document.first_seen).join(Site, Site.id == Document.site_id).where(*ELIGIBLE)
    ).all()
    return {r[0]: DocFacts(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5], r[6]) for r in rows}


def _posting_candidates(session: Session, eligible: dict[int, DocFacts],
                        only: Collection[int] | None = None) -> set[tuple[int, int]]:
    """Pairs of current documents sharing a winnowed fingerprint that fewer than POSTING_CAP documents share
    (with `only`, pairs that involve one of those documents, found through their own fingerprints).

    One pass over the shared fingerprints' postings in fingerprint order (the index's order), streamed: only the
    pairs are held, never the postings or the texts."""
    if only is not None:
        pairs: set[tuple[int, int]] = set()
        ids = sorted(only)
        for at in range(0, len(ids), 500):
            pairs |= _shared_pairs(session, eligible, ids[at:at + 500])
        keep = set(only)
        return {(a, b) for a, b in pairs if a in keep or b in keep}
    return _shared_pairs(session, eligible, None)


def _shared_pairs(session: Session, eligible: dict[int, DocFacts], ids: list[int] | None) -> set[tuple[int, int]]:
    base = select(TextPosting.fingerprint)
    if ids is not None:
        base = base.where(TextPosting.fingerprint.in_(
            select(TextPosting.fingerprint).where(TextPosting.document_id.in_(ids))))
    shared = base.group_by(TextPosting.fingerprint).having(func.count() > 1, func.count() <= POSTING_CAP).subquery()
    rows = session.execute(
        select(TextPosting.fingerprint, TextPosting.document_id)
        .join(shared, shared.c.fingerprint == TextPosting.fingerprint)
        .order_by(TextPosting.fingerprint, TextPosting.document_id)
        .execution_options(yield_per=10_000)
    )
    pairs: set[tuple[int, int]] = set()
    group: list[int] = []
    current: int | None = None
    for fingerprint, doc_id in rows:
        if fingerprint != current:
            pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1:])
            group, current = [], fingerprint
        if doc_id in eligible:
            group.append(doc_id)
    pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1:])
    return pairs


class _Texts:
    """Texts (and what each page links to and credits) fetched by id when a candidate pair is confirmed, a few
    hundred kept: never the whole corpus."""

    def __init__(self, session: Session, keep: int = 256) -> None:
        self.session, self.keep = session, keep
        self.cache: dict[int, tuple[str, Refs]] = {}

    def __getitem__(self, doc_id: int) -> tuple[str, Refs]:
        if doc_id not in self.cache:
            if len(self.cache) >= self.keep:
                self.cache.pop(next(iter(self.cache)))
            text, links, credits = self.session.execute(
                select(Document.text, Document.outbound_links, Document.credits).where(Document.id == doc_id)).one()
            self.cache[doc_id] = (text, Refs.of(links, credits))
        return self.cache[doc_id]


Progress = Callable[[int, int], None]  # (candidate pairs confirmed so far, all candidate pairs)


def link_documents(session: Session, pol: dict[str, float], only: Collection[int] | None = None,
                   progress: Progress | None = None) -> tuple[list[dict[str, Any]], dict[int, DocFacts]]:
    """Match rows for documents (with `only`, for the pairs that involve one of those documents), and the current
    documents they were chosen from.

    Candidates come from two indexes over fingerprints, never from the texts: the 64-bit simhash within the policy
    radius (near-identical copies) and the winnowed-fingerprint postings (rewritten and excerpted copies). Each
    candidate pair's two texts are then read and confirmed: by 5-shingle containment (the simhash path's rule) or by
    passage alignment (`passages.confirm`: rewrites and excerpts, shared quotations alone never suffice). The
    matched passages (character offsets in both texts) are kept as evidence.
    """
    from compliance.fingerprints.passages import confirm

    _backfill_postings(session)
    facts = _load_facts(session)
    radius = int(pol["simhash_radius"])
    pairs = _posting_candidates(session, facts, only)
    if only is None:  # every pair within the radius at once (bucketed by simhash block)
        keys = np.fromiter(facts, dtype=np.int64, count=len(facts))
        prints = np.fromiter((d.simhash for d in facts.values()), dtype=np.uint64, count=len(facts))
        pairs |= pairs_within(keys, prints, radius)
    else:  # the new documents' neighbours only
        index = HammingIndex(bits=64, radius=radius)
        for d in facts.values():
            index.add(d.id, d.simhash)
        for fact in (facts[i] for i in only if i in facts):
            pairs.update((min(fact.id, o), max(fact.id, o)) for o, _ in index.query(fact.simhash) if o != fact.id)
    texts = _Texts(session)
    site_names: dict[int, str] = {i: n for i, n in session.execute(select(Site.id, Site.name))}
    min_words = int(pol["min_words"])
    rows: list[dict[str, Any]] = []
    ordered_pairs = sorted(pairs)
    for done, (x, y) in enumerate(ordered_pairs):
        if progress is not None and done % 500 == 0:
            progress(done, len(ordered_pairs))
        first, other = facts.get(x), facts.get(y)
        if first is None or other is None or first.site_id == other.site_id:
            continue
        (first_text, first_refs), (other_text, other_refs) = texts[first.id], texts[other.id]
        ordered = direction(first, other, first_refs, other_refs, site_names)
        if ordered is None:
            continue
        original, copy, why = ordered
        o_text, c_text = (first_text, other_text) if original is first else (other_text, first_text)
        if len(words(o_text)) < min_words or len(words(c_text)) < min_words:
            continue
        distance = (original.simhash ^ copy.simhash).bit_count()
        o_sh, c_sh = shingles(o_text), shingles(c_text)
        reproduced, borrowed = containment(o_sh, c_sh), containment(c_sh, o_sh)
        near = distance <= radius and max(reproduced, borrowed) >= pol["confirm_containment"]
        decision = confirm(o_text, c_text)
        if not (near or decision.is_copy):
            continue
        rows.append({
            "kind": "document",
            "copy_id": copy.id,
            "original_id": original.id,
            "method": "simhash" if near else "winnow",
            "distance": distance,
            "score": round(max(reproduced, borrowed, decision.score), 4),
            "evidence": {
                "simhash_distance": distance,
                "containment": round(reproduced, 4),
                "copy_from_original": round(borrowed, 4),
                "original_covered": round(decision.original_covered, 4),
                "copy_covered": round(decision.copy_covered, 4),
                "reason": decision.reason,
                "direction": why,
                "passages": [[p.original_start, p.original_end, p.copy_start, p.copy_end]
                             for p in decision.passages[:MAX_PASSAGES]],
            },
        })
    if progress is not None:
        progress(len(ordered_pairs), len(ordered_pairs))
    return rows, facts


MAX_PASSAGES = 200  # evidence kept per match; a report marks them
