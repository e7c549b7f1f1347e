"""Image copies: exact bytes, or the pHashes of 11 windows and the mirror (flips, crops, credit bands); images too
plain to fingerprint link by their bytes only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from compliance.fingerprints.imagematch import ImageMatchPrint
from compliance.fingerprints.index import HammingIndex
from compliance.models import Document, Image, ImageAppearance
from compliance.queries import current_appearances


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
