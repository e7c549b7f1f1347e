"""All of an item's fingerprints in one pure call, so a crawl can compute them in worker processes.

`compliance.store` uses what a worker computed, or calls these itself when an item arrives without them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from compliance.errors import ComplianceError
from compliance.fingerprints.imagehash import (
    ImageDecodeError,
    describe_bytes,
    fingerprint_image,
)
from compliance.fingerprints.imagematch import match_print
from compliance.fingerprints.imagemeta import read_c2pa, read_embedded
from compliance.fingerprints.passages import winnow
from compliance.fingerprints.simhash import simhash_text
from compliance.fingerprints.text import normalise
from compliance.records import TextPrints


def text_sha256(text: str) -> str:
    """The identity of a text version: SHA-256 of its normalised form (spacing and case do not make a version)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def text_prints(text: str) -> TextPrints:
    """The version hash, the 64-bit simhash and the winnowed passage fingerprints (each value once, sorted)."""
    return TextPrints(
        sha256=text_sha256(text),
        simhash=simhash_text(text),
        winnowed=sorted({fp.value for fp in winnow(text)}),
    )


def image_failure(exc: ComplianceError, body: bytes, content_type: str | None) -> str:
    """The one-line reason an image was not fingerprinted; bytes served as something else say what they were."""
    ctype = " ".join((content_type or "").split())
    kind = ctype.split(";")[0].strip().lower()
    if isinstance(exc, ImageDecodeError) and exc.message.startswith("is not an image") and ctype:
        told = f"Content-Type: {ctype}" if not kind.startswith("image/") else f"served as {kind}"
        return ComplianceError(
            f"is not an image ({told}; {describe_bytes(body)}).",
            "the page's image address serves something else (often a missing file answered with a page); "
            "check it in a browser.",
        ).one_line()
    if isinstance(exc, ImageDecodeError) and kind and not kind.startswith("image/"):
        return ComplianceError(f"is not an image (Content-Type: {ctype}): {exc.message}", exc.hint).one_line()
    return exc.one_line()


def analyse_image(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The image columns for these bytes: embedded credit, C2PA, hashes; undecodable bytes give `error`."""
    fields: dict[str, Any] = {
        "embedded": read_embedded(body),
        "c2pa": read_c2pa(body, content_type or "image/jpeg"),
    }
    try:
        fp = fingerprint_image(body)
    except ComplianceError as exc:
        fields["error"] = image_failure(exc, body, content_type)
        return fields
    window = match_print(body)
    fields.update(
        sha256=fp.sha256, width=fp.width, height=fp.height, format=fp.format, phash=fp.phash,
        phash_method=fp.method, error=None, window_print=window.to_hex(), low_information=window.low_information,
    )
    return fields
