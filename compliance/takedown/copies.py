"""Finding every copy of a claimed work in the crawled corpus: the listed URLs and their near-duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.fingerprints.index import HammingIndex
from compliance.models import Document, Image
from compliance.queries import current_appearances, current_documents
from compliance.urls import match_key
from compliance.fingerprints.text import containment, shingles


@dataclass
class FoundCopy:
    url: str
    found_by: str  # listed | simhash | image_hash
    distance: int = 0
    document_id: int | None = None
    image_id: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


def url_key(url: str) -> str:
    """The key a listed URL and a stored page are compared by (`compliance.urls.match_key`, the URL itself if none)."""
    return match_key(url) or url.strip()


def find_copies(session: Session, infringing: list[str], originals: list[str], pol: dict[str, float]) -> list[FoundCopy]:
    """Listed URLs first (found_by=listed), then near-duplicates of the claimed work on non-publisher sites.

    The seed is the original work when it was crawled, else the listed copies themselves.
    """
    docs = current_documents(session)
    by_key: dict[str, Document] = {}
    for doc, _role in docs:
        by_key.setdefault(url_key(doc.url), doc)
        by_key.setdefault(url_key(doc.fetched_url), doc)
    images = {url_key(i.url): i for i in session.scalars(select(Image))}
    found: dict[str, FoundCopy] = {}
    listed_docs: list[Document] = []
    listed_images: list[Image] = []
    for url in infringing:
        listed = by_key.get(url_key(url))
        image = images.get(url_key(url))
        if listed is not None:
            listed_docs.append(listed)
            found[listed.url] = FoundCopy(listed.url, "listed", 0, document_id=listed.id, evidence={"as_listed": url})
        elif image is not None:
            listed_images.append(image)
            found[image.url] = FoundCopy(image.url, "listed", 0, image_id=image.id, evidence={"as_listed": url})
        else:
            found.setdefault(url, FoundCopy(url, "listed", 0, evidence={"in_corpus": False}))
    original_docs = [d for u in originals if (d := by_key.get(url_key(u))) is not None]
    seeds = original_docs or listed_docs
    seed_ids = {d.id for d in original_docs}
    _text_copies(docs, seeds, seed_ids, pol, found)
    seed_images = list(listed_images)
    for seed in seeds:
        seed_images.extend(a.image for a in seed.appearances)
    _image_copies(session, seed_images, pol, found)
    return list(found.values())


def _text_copies(docs: list[tuple[Document, str]], seeds: list[Document], seed_ids: set[int],
                 pol: dict[str, float], found: dict[str, FoundCopy]) -> None:
    index = HammingIndex(bits=64, radius=int(pol["simhash_radius"]))
    candidates = {d.id: (d, role) for d, role in docs if d.simhash is not None}
    for d, _role in candidates.values():
        assert d.simhash is not None
        index.add(d.id, d.simhash)
    for seed in seeds:
        if seed.simhash is None:
            continue
        seed_shingles = shingles(seed.text)
        for doc_id, distance in index.query(seed.simhash):
            doc, role = candidates[doc_id]
            if doc.id in seed_ids or doc.id == seed.id or role == "publisher":
                continue
            shared = containment(seed_shingles, shingles(doc.text))
            if shared < pol["confirm_containment"]:
                continue
            current = found.get(doc.url)
            if current is None or (current.found_by != "listed" and distance < current.distance):
                found[doc.url] = FoundCopy(doc.url, "simhash", distance, document_id=doc.id,
                                           evidence={"seed": seed.url, "containment": round(shared, 4)})


def _image_copies(session: Session, seed_images: list[Image], pol: dict[str, float],
                  found: dict[str, FoundCopy]) -> None:
    from compliance.fingerprints.imagehash import image_distance

    seeds = [i for i in seed_images if i.phash]
    if not seeds:
        return
    rows = [(image, doc, role) for _app, image, doc, role in current_appearances(session, hashed_only=True)]
    threshold = int(pol["image_threshold"])
    seed_ids = {s.id for s in seeds}
    for image, doc, role in rows:
        if role == "publisher" or (image.id in seed_ids and image.url in found):
            continue
        assert image.phash is not None
        best = min(image_distance(s.phash or "", image.phash) for s in seeds)
        if best > threshold:
            continue
        current = found.get(image.url)
        if current is None or (current.found_by != "listed" and best < current.distance):
            found[image.url] = FoundCopy(image.url, "image_hash", best, image_id=image.id,
                                         evidence={"page_url": doc.url})
