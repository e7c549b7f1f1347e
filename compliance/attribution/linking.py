"""Linking copies to originals: simhash candidates confirmed by shingle containment; images by perceptual hash."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.db import session_scope
from compliance.fingerprints.imagematch import ImageMatchPrint
from compliance.fingerprints.index import HammingIndex
from compliance.fingerprints.text import containment, shingles, words
from compliance.models import Document, Image, ImageAppearance, Match, Site, TextPosting
from compliance.queries import current_appearances
from compliance.store import write_postings

logger = logging.getLogger(__name__)

ROLE_RANK = {"publisher": 0, "unknown": 1, "aggregator": 2}


@dataclass
class DocFacts:
    """What linking needs to know about one current document: its fingerprints and facts, never its text."""

    id: int
    site_id: int
    role: str
    url: str
    simhash: int
    published_at: datetime | None  # parsed UTC (compliance.dates); None when the page gave no usable date
    first_seen: datetime


@dataclass
class LinkResult:
    document_matches: int
    image_matches: int
    documents_indexed: int
    images_indexed: int
    by_method: dict[str, int] = field(default_factory=dict)  # "document:winnow" -> matches stored
    new: int = 0  # matches that were not there before this run


def order_pair(a: DocFacts, b: DocFacts) -> tuple[DocFacts, DocFacts] | None:
    """(original, copy) by role, then publication date, then first-seen; None when neither can be an original.

    Aggregators are never originals: an item's originals list only originals, never another copy.
    """

    def key(d: DocFacts) -> tuple[int, bool, datetime, datetime, int]:
        # an undated document sorts after every dated one of the same role: it cannot claim to be earlier
        return (ROLE_RANK.get(d.role, 1), d.published_at is None, d.published_at or d.first_seen, d.first_seen, d.id)

    original, copy = sorted((a, b), key=key)
    if original.role == "aggregator":
        return None
    return original, copy


_ELIGIBLE = (Document.is_current.is_(True), Document.taken_down_at.is_(None), Document.simhash.is_not(None))
# A fingerprint shared by more current documents than this is boilerplate (a footer, a wire-service sign-off): it
# proposes no candidates. Copies share many fingerprints, so losing one costs nothing.
POSTING_CAP = 50


def _backfill_postings(session: Session) -> int:
    """Write the postings of current versions stored before the inverted index existed, in small batches."""
    done = 0
    while True:
        batch = session.execute(select(Document.id, Document.text).where(*_ELIGIBLE, Document.winnowed.is_(False))
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
               Document.first_seen).join(Site, Site.id == Document.site_id).where(*_ELIGIBLE)
    ).all()
    return {r[0]: DocFacts(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5], r[6]) for r in rows}


def _posting_candidates(session: Session, eligible: dict[int, DocFacts]) -> set[tuple[int, int]]:
    """Pairs of current documents sharing a winnowed fingerprint that fewer than POSTING_CAP documents share.

    One pass over the shared fingerprints' postings in fingerprint order (the index's order), streamed: only the
    pairs are held, never the postings or the texts."""
    shared = (select(TextPosting.fingerprint).group_by(TextPosting.fingerprint)
              .having(func.count() > 1, func.count() <= POSTING_CAP).subquery())
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
    """Texts fetched by id when a candidate pair is confirmed, a few hundred kept: never the whole corpus."""

    def __init__(self, session: Session, keep: int = 256) -> None:
        self.session, self.keep, self.cache = session, keep, dict[int, str]()

    def __getitem__(self, doc_id: int) -> str:
        if doc_id not in self.cache:
            if len(self.cache) >= self.keep:
                self.cache.pop(next(iter(self.cache)))
            self.cache[doc_id] = self.session.scalars(select(Document.text).where(Document.id == doc_id)).one()
        return self.cache[doc_id]


def link_documents(session: Session, pol: dict[str, float]) -> tuple[list[dict[str, Any]], int]:
    """Match rows for documents.

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
    index = HammingIndex(bits=64, radius=radius)
    for d in facts.values():
        index.add(d.id, d.simhash)
    pairs = _posting_candidates(session, facts)
    for fact in facts.values():
        pairs.update((min(fact.id, o), max(fact.id, o)) for o, _ in index.query(fact.simhash) if o != fact.id)
    texts = _Texts(session)
    min_words = int(pol["min_words"])
    rows: list[dict[str, Any]] = []
    for x, y in sorted(pairs):
        first, other = facts.get(x), facts.get(y)
        if first is None or other is None or first.site_id == other.site_id:
            continue
        ordered = order_pair(first, other)
        if ordered is None:
            continue
        original, copy = ordered
        o_text, c_text = texts[original.id], texts[copy.id]
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
                "passages": [[p.original_start, p.original_end, p.copy_start, p.copy_end]
                             for p in decision.passages[:MAX_PASSAGES]],
            },
        })
    return rows, len(facts)


MAX_PASSAGES = 200  # evidence kept per match; a report marks them


@dataclass
class _ImageFacts:
    image: Image
    window: ImageMatchPrint | None  # None: stored before window prints, compared by its single pHash


def _image_candidates(facts: dict[int, _ImageFacts], pol: dict[str, float]) -> dict[tuple[int, int], tuple[int, str]]:
    """(image, other image) -> (distance, method) for every pair that matches, found through Hamming indexes.

    Exact bytes always match. Images too plain to fingerprint (solid colours, banners, gradients) match nothing
    else. Two window prints match by `imagematch.match_distance` (whole image against any window of the other,
    window against the same window); a row stored before window prints is compared by its single pHash.
    """
    from compliance.fingerprints.imagematch import N_HASHES, WINDOWS, match_distance

    found: dict[tuple[int, int], tuple[int, str]] = {}
    by_sha: dict[str, list[int]] = defaultdict(list)
    for image_id, f in facts.items():
        if f.image.sha256:
            by_sha[f.image.sha256].append(image_id)
    for ids in by_sha.values():
        for a in ids:
            for b in ids:
                if a != b:
                    found[(a, b)] = (0, "sha256")
    fuzzy = {i: f for i, f in facts.items() if not f.image.low_information}
    window_radius = int(pol.get("image_window_threshold", pol["image_threshold"]))
    windowed = {i: f.window for i, f in fuzzy.items() if f.window is not None}
    slots = [HammingIndex(bits=64, radius=window_radius) for _ in range(N_HASHES)]
    for image_id, w in windowed.items():
        for slot, h in enumerate(w.hashes):
            slots[slot].add(image_id, int(h))
    for image_id, w in windowed.items():
        near: set[int] = set()
        for slot in range(N_HASHES):  # this whole image against every slot, and every slot against whole images
            near.update(k for k, _ in slots[slot].query(int(w.hashes[0])))
            near.update(k for k, _ in slots[0].query(int(w.hashes[slot])))
        for slot in range(len(WINDOWS)):  # window against the same window
            near.update(k for k, _ in slots[slot].query(int(w.hashes[slot])))
        for other in near - {image_id}:
            distance = match_distance(w, windowed[other])
            if distance <= window_radius and (image_id, other) not in found:
                found[(image_id, other)] = (distance, "phash-windows")
    single = {i: f for i, f in fuzzy.items() if f.image.phash and (f.window is None)}
    if single:  # rows from before window prints: their pHash against every pHash
        threshold = int(pol["image_threshold"])
        index = HammingIndex(bits=64, radius=threshold)
        for image_id, f in fuzzy.items():
            if f.image.phash and len(f.image.phash) == 16:
                index.add(image_id, int(f.image.phash, 16))
        for image_id, f in single.items():
            assert f.image.phash is not None
            if len(f.image.phash) != 16:
                continue
            for other, distance in index.query(int(f.image.phash, 16)):
                if other != image_id:
                    found.setdefault((image_id, other), (distance, f.image.phash_method or "phash"))
                    found.setdefault((other, image_id), (distance, f.image.phash_method or "phash"))
    return found


def link_images(session: Session, pol: dict[str, float]) -> tuple[list[dict[str, Any]], int]:
    """Match rows for image appearances on non-publisher pages to appearances on publisher pages."""
    rows = current_appearances(session, hashed_only=True)
    apps_by_image: dict[int, list[tuple[ImageAppearance, Document, str]]] = defaultdict(list)
    facts: dict[int, _ImageFacts] = {}
    for app, image, doc, role in rows:
        apps_by_image[image.id].append((app, doc, role))
        if image.id not in facts:
            window = ImageMatchPrint.from_hex(image.window_print) if image.window_print else None
            facts[image.id] = _ImageFacts(image, window)
    pairs = _image_candidates(facts, pol)
    for image_id in facts:  # one image shown on a copy and on an original
        pairs[(image_id, image_id)] = (0, "same_url")
    best: dict[tuple[int, int], dict[str, Any]] = {}
    for (image_id, other_id), (distance, method) in pairs.items():
        copies = [(a, d, r) for a, d, r in apps_by_image[image_id] if r != "publisher"]
        image, other = facts[image_id].image, facts[other_id].image
        for app, doc, _role in copies:
            for o_app, o_doc, o_role in apps_by_image[other_id]:
                if o_role != "publisher" or o_doc.site_id == doc.site_id:
                    continue
                key = (app.id, other_id)
                row = {
                    "kind": "image",
                    "copy_id": app.id,
                    "original_id": o_app.id,
                    "method": method,
                    "distance": distance,
                    "score": round(1 - distance / 64, 4),
                    "evidence": {"copy_image": image.url, "original_image": other.url, "bits": 64},
                    "_rank": (-len(o_doc.text), o_doc.first_seen, o_app.id),
                }
                if key not in best or row["_rank"] < best[key]["_rank"]:
                    best[key] = row
    out = []
    for row in best.values():
        row.pop("_rank")
        out.append(row)
    return out, len(facts)


def link(engine: Engine, pol: dict[str, float]) -> LinkResult:
    """Recompute all matches in one unit of work (matches are derived data; evidence is untouched), and say how
    many of each method were stored and how many were not there before."""
    with session_scope(engine) as session:
        doc_rows, n_docs = link_documents(session, pol)
        img_rows, n_imgs = link_images(session, pol)
        before = set(session.execute(select(Match.kind, Match.copy_id, Match.original_id)).tuples())
        session.execute(delete(Match))
        if doc_rows or img_rows:
            session.execute(insert(Match), doc_rows + img_rows)
    by_method: dict[str, int] = defaultdict(int)
    for row in doc_rows + img_rows:
        by_method[f"{row['kind']}:{row['method']}"] += 1
    new = sum((row["kind"], row["copy_id"], row["original_id"]) not in before for row in doc_rows + img_rows)
    logger.info("linked %d document and %d image matches", len(doc_rows), len(img_rows))
    return LinkResult(len(doc_rows), len(img_rows), n_docs, n_imgs, dict(sorted(by_method.items())), new)
