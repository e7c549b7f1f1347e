"""64-bit simhash, bit-for-bit equal to the `simhash` package's, but vectorised and overflow-free.

The package (2.1.x) multiplies numpy ``uint8`` bit arrays by the feature weight; under numpy 2 (NEP 50) any weight
above 255 raises ``OverflowError: Python integer ... out of bounds for uint8``, which long texts (200 KB+, where a
feature repeats hundreds of times) hit. Here bits are summed with int64 weights, so no realistic text overflows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from compliance.fingerprints.text import simhash_feature_counts

BITS = 64
_BYTES = BITS // 8
_EXACT_FLOAT = 1 << 53
_CHUNK = 1 << 16  # rows per matrix product: bounds memory at ~32 MB however long the text


def _weighted(
    features: Iterable[str] | Iterable[tuple[str, int]] | Mapping[str, int],
) -> tuple[list[str], list[int]]:
    """Split features into names and weights (a bare string weighs 1, as in the package)."""
    items: Iterable[str | tuple[str, int]] = features.items() if isinstance(features, Mapping) else features
    names: list[str] = []
    weights: list[int] = []
    for item in items:
        if isinstance(item, str):
            name, weight = item, 1
        else:
            name, weight = item
        if not isinstance(weight, int) or weight < 0:
            raise ValueError(f"feature weight must be a non-negative int, got {weight!r} for {name!r}")
        names.append(name)
        weights.append(weight)
    return names, weights


def simhash(features: Iterable[str] | Iterable[tuple[str, int]] | Mapping[str, int]) -> int:
    """Fingerprint weighted features so near-identical feature sets differ in few bits (Charikar 2002)."""
    names, weights = _weighted(features)
    return _simhash(names, weights)


def _simhash(names: list[str], weights: list[int]) -> int:
    """The sums behind `simhash`, for names and non-negative int weights already checked."""
    if not names:
        return 0
    # Same hash as the package: md5 of the UTF-8 feature, last 8 bytes, big-endian bit order.
    md5 = hashlib.md5
    digests = b"".join([md5(n.encode("utf-8")).digest()[-_BYTES:] for n in names])
    rows = np.frombuffer(digests, dtype=np.uint8).reshape(-1, _BYTES)
    total = sum(weights)
    # float64 products go through BLAS and are exact while every sum stays below 2**53; int64 beyond that.
    dtype: type[np.float64] | type[np.int64] = np.float64 if total < _EXACT_FLOAT else np.int64
    w: npt.NDArray[Any] = np.asarray(weights, dtype=dtype)
    sums: npt.NDArray[Any] = np.zeros(BITS, dtype=dtype)
    for start in range(0, len(names), _CHUNK):
        bits = np.unpackbits(rows[start : start + _CHUNK], axis=1).astype(dtype)
        sums += w[start : start + _CHUNK] @ bits
    # The package sets a bit when its weighted sum exceeds half the total weight: sums > total / 2.
    packed = np.packbits(2 * sums > total)
    return int.from_bytes(packed.tobytes(), "big")


def simhash_text(text: str) -> int:
    """The document fingerprint: simhash of the text's normalised word 3-shingles.

    Straight from the counts: the per-feature checks and the sort `simhash_features` adds for readers cost a
    crawl a third of this function, and the weighted bit sums do not depend on order.
    """
    counts = simhash_feature_counts(text)
    return _simhash(list(counts), list(counts.values()))


def hamming(a: int, b: int) -> int:
    """Number of differing bits, the distance near-duplicate search works in."""
    return (a ^ b).bit_count()
