"""Exact Hamming-radius search over fingerprints: permuted block tables, or a numpy scan where blocks degenerate.

Block tables follow Manku, Jain and Das Sarma (WWW 2007): cut the fingerprint into radius+1 blocks; two
fingerprints within the radius agree exactly on at least one block (pigeonhole), so a dict per block yields every
candidate and a popcount verifies it. This pays off while blocks are wide: 64-bit simhash at radius 3 gives four
16-bit blocks. A 256-bit PDQ hash at radius 31 gives 32 blocks of 8 bits, whose buckets hold n/256 entries each, so
a query touches ~n/8 candidates through Python dicts; measured (`benchmarks/bench_index.py`, RESULTS.md) the numpy
scan is far faster there, so "auto" picks the scan whenever blocks would be narrower than 16 bits.
Both paths return exactly what `brute_force` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt

Strategy = Literal["auto", "blocks", "scan"]
MIN_BLOCK_BITS = 16
_WORD = 64
_MASK64 = (1 << _WORD) - 1
_POPCOUNT8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
_BITWISE_COUNT = getattr(np, "bitwise_count", None)  # numpy >= 2


def brute_force(fps: Mapping[int, int], fp: int, radius: int) -> list[tuple[int, int]]:
    """The reference answer: every (key, distance) within radius, by distance then key."""
    hits = [(key, (other ^ fp).bit_count()) for key, other in fps.items()]
    return sorted((h for h in hits if h[1] <= radius), key=lambda h: (h[1], h[0]))


def _popcount_rows(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Bits set per row of a (n, words) uint64 array (np.bitwise_count needs numpy 2; a byte table otherwise)."""
    bitwise_count = getattr(np, "bitwise_count", None)
    if bitwise_count is not None:
        counts: npt.NDArray[np.int64] = bitwise_count(x).sum(axis=1, dtype=np.int64)
        return counts
    as_bytes = x.view(np.uint8).reshape(x.shape[0], -1)
    table_counts: npt.NDArray[np.int64] = _POPCOUNT8[as_bytes].sum(axis=1, dtype=np.int64)
    return table_counts


class HammingIndex:
    """Maps keys to fingerprints and finds every key within a Hamming radius of a query, exactly."""

    def __init__(self, bits: int = 64, radius: int = 3, strategy: Strategy = "auto") -> None:
        if bits < 1:
            raise ValueError("bits must be positive")
        if not 0 <= radius < bits:
            raise ValueError("radius must be in [0, bits)")
        self.bits = bits
        self.radius = radius
        if strategy == "auto":
            strategy = "blocks" if bits // (radius + 1) >= MIN_BLOCK_BITS else "scan"
        self.strategy: Strategy = strategy
        n_blocks = radius + 1
        edges = [bits * i // n_blocks for i in range(n_blocks + 1)]
        self._blocks = [(lo, (1 << (hi - lo)) - 1) for lo, hi in zip(edges, edges[1:])]
        self._tables: list[dict[int, set[int]]] = [{} for _ in self._blocks] if strategy == "blocks" else []
        self._fps: dict[int, int] = {}
        self._words = (bits + _WORD - 1) // _WORD
        self._matrix: npt.NDArray[np.uint64] | None = None
        self._keys: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self._fps)

    def _check(self, fp: int) -> None:
        if fp < 0 or fp >> self.bits:
            raise ValueError(f"fingerprint does not fit in {self.bits} unsigned bits: {fp:#x}")

    def add(self, key: int, fp: int) -> None:
        """Index fp under key (re-adding a key replaces its fingerprint)."""
        self._check(fp)
        old = self._fps.get(key)
        if old is not None:
            self._unlink(key, old)
        self._fps[key] = fp
        for table, (lo, mask) in zip(self._tables, self._blocks):
            table.setdefault((fp >> lo) & mask, set()).add(key)
        self._matrix = None

    def add_many(self, items: Iterable[tuple[int, int]] | Mapping[int, int]) -> None:
        """Index many (key, fingerprint) pairs."""
        pairs = items.items() if isinstance(items, Mapping) else items
        for key, fp in pairs:
            self.add(key, fp)

    def _unlink(self, key: int, fp: int) -> None:
        for table, (lo, mask) in zip(self._tables, self._blocks):
            bucket = table.get((fp >> lo) & mask)
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del table[(fp >> lo) & mask]

    def query(self, fp: int, radius: int | None = None) -> list[tuple[int, int]]:
        """(key, distance) of every fingerprint within radius (default: the index's), by distance then key."""
        self._check(fp)
        r = self.radius if radius is None else radius
        if r < 0:
            return []
        if self.strategy == "scan" or r > self.radius:  # pigeonhole only holds up to the built radius
            return self._scan(fp, r)
        seen: set[int] = set()
        hits: list[tuple[int, int]] = []
        for table, (lo, mask) in zip(self._tables, self._blocks):
            for key in table.get((fp >> lo) & mask, ()):
                if key in seen:
                    continue
                seen.add(key)
                d = (self._fps[key] ^ fp).bit_count()
                if d <= r:
                    hits.append((key, d))
        hits.sort(key=lambda h: (h[1], h[0]))
        return hits

    def _to_words(self, fp: int) -> list[int]:
        return [(fp >> (_WORD * i)) & _MASK64 for i in range(self._words)]

    def _scan(self, fp: int, radius: int) -> list[tuple[int, int]]:
        """Vectorised brute force: XOR every stored fingerprint with the query and count bits."""
        if not self._fps:
            return []
        if self._matrix is None or self._keys is None:
            self._keys = np.fromiter(self._fps.keys(), dtype=np.int64, count=len(self._fps))
            self._matrix = np.array([self._to_words(v) for v in self._fps.values()], dtype=np.uint64).reshape(
                len(self._fps), self._words
            )
        q = np.array(self._to_words(fp), dtype=np.uint64)
        dist = _popcount_rows(np.bitwise_xor(self._matrix, q))
        idx = np.flatnonzero(dist <= radius)
        order = np.lexsort((self._keys[idx], dist[idx]))
        return [(int(self._keys[i]), int(dist[i])) for i in idx[order]]


def pairs_within(keys: npt.NDArray[np.int64], fps: npt.NDArray[np.uint64], radius: int,
                 bits: int = 64) -> set[tuple[int, int]]:
    """Every pair of keys (smaller first) whose 64-bit fingerprints are within `radius`, exactly.

    All pairs at once, for a full link: the pigeonhole of the block tables (radius+1 blocks; two fingerprints within
    the radius agree on one block), but each block's buckets are compared whole with numpy instead of one query per
    fingerprint, so n fingerprints cost about (radius+1) * n^2 / 2^(bits/(radius+1)) popcounts instead of n^2.
    """
    if len(keys) != len(fps):
        raise ValueError("keys and fingerprints differ in length")
    n_blocks = radius + 1
    edges = [bits * i // n_blocks for i in range(n_blocks + 1)]
    out: set[tuple[int, int]] = set()
    for lo, hi in zip(edges, edges[1:]):
        block = (fps >> np.uint64(lo)) & np.uint64((1 << (hi - lo)) - 1)
        order = np.argsort(block, kind="stable")
        sorted_block = block[order]
        starts = np.flatnonzero(np.r_[True, sorted_block[1:] != sorted_block[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for s, e in zip(starts, ends):
            if e - s < 2:
                continue
            members = order[s:e]
            group = fps[members]
            for i in range(0, len(members), 2048):  # bounded memory for a crowded bucket
                part = group[i:i + 2048]
                dist = _popcount_rows(np.bitwise_xor(part[:, None], group[None, :]).reshape(-1, 1)).reshape(
                    len(part), len(group)) if _BITWISE_COUNT is None else _BITWISE_COUNT(
                    np.bitwise_xor(part[:, None], group[None, :]))
                a_idx, b_idx = np.nonzero(dist <= radius)
                for a, b in zip(members[i + a_idx], members[b_idx]):
                    ka, kb = int(keys[a]), int(keys[b])
                    if ka < kb:
                        out.add((ka, kb))
    return out
