"""Text copies: candidates from the simhash index and the winnowed-fingerprint postings, confirmed by reading the
two texts of each candidate pair (shingle containment, or passage alignment for rewrites and excerpts)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from compliance.attribution.candidates import (
    ELIGIBLE,
    current_prints,
    posting_pairs,
    simhash_pairs,
    take_pending,
)
from compliance.attribution.direction import DocFacts, Refs, direction
from compliance.fingerprints.text import containment, shingles, words
from compliance.models import Document, Site
from compliance.store import write_postings

__all__ = ["ELIGIBLE", "Progress", "link_documents"]


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


def _load_facts(session: Session, ids: Collection[int]) -> dict[int, DocFacts]:
    """The facts direction needs, for the documents of candidate pairs only (a few hundred ids per query)."""
    wanted = sorted(ids)
    facts: dict[int, DocFacts] = {}
    for at in range(0, len(wanted), 500):
        rows = session.execute(
            select(Document.id, Document.site_id, Site.role, Document.url, Document.simhash, Document.published_at,
                   Document.first_seen).join(Site, Site.id == Document.site_id)
            .where(*ELIGIBLE, Document.id.in_(wanted[at:at + 500]))
        ).all()
        facts.update((r[0], DocFacts(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5], r[6])) for r in rows)
    return facts


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
                   progress: Progress | None = None) -> tuple[list[dict[str, Any]], set[int]]:
    """Match rows for documents (with `only`, for the pairs that involve one of those documents), and the ids of
    the current documents they were chosen from.

    Candidates come from two indexes over fingerprints, never from the texts (`candidates.py`): the 64-bit simhash
    within the policy radius (near-identical copies) and the winnowed-fingerprint postings (rewritten and excerpted
    copies); only the candidates' facts are loaded. Each candidate pair's two texts are then read and confirmed: by 5-shingle containment (the simhash path's rule) or by
    passage alignment (`passages.confirm`: rewrites and excerpts, shared quotations alone never suffice). The
    matched passages (character offsets in both texts) are kept as evidence.
    """
    from compliance.fingerprints.passages import confirm

    _backfill_postings(session)
    keys, prints = current_prints(session)
    radius = int(pol["simhash_radius"])
    probing = only is not None and len(only) * 4 < len(keys)  # else one pass over the index costs less
    own = take_pending(session, only if probing and only is not None else ())
    if probing:
        pairs = posting_pairs(session, keys, only, own)
    else:
        pairs = posting_pairs(session, keys)
        if only is not None:
            new = set(only)
            pairs = {p for p in pairs if p[0] in new or p[1] in new}
    pairs |= simhash_pairs(keys, prints, radius, only)
    facts = _load_facts(session, {d for pair in pairs for d in pair})
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
    return rows, {int(k) for k in keys}


MAX_PASSAGES = 200  # evidence kept per match; a report marks them
