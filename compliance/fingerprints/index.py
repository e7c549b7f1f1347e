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

from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations, pairwise
from math import comb
from typing import Literal

import numpy as np
import numpy.typing as npt

Strategy = Literal["auto", "blocks", "scan"]
MIN_BLOCK_BITS = 16
_WORD = 64
_MASK64 = (1 << _WORD) - 1
_POPCOUNT8 = np.array([i.bit_count() for i in range(256)], dtype=np.uint8)
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
        self._blocks = [(lo, (1 << (hi - lo)) - 1) for lo, hi in pairwise(edges)]
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


MAX_TABLE_BITS = 24  # a block's bucket table has 2**bits counters: 24 bits is 128 MB of int64 at most


def _ball(width: int, radius: int) -> list[int]:
    """Every mask of `width` bits with at most `radius` bits set (0 first)."""
    return [sum(1 << b for b in bits) for r in range(radius + 1) for bits in combinations(range(width), r)]


def plan_blocks(n: int, radius: int, bits: int = 64, queries: int | None = None) -> int:
    """How many blocks make the all-pairs search cheapest for n fingerprints (a cost model, not a measurement).

    With m blocks, two fingerprints within `radius` are within radius // m on at least one block (pigeonhole).
    Each block then costs one table lookup per fingerprint and mask of that ball, plus the candidates those
    lookups return (n * n / 2**width per mask; `queries` instead of the first n when only some fingerprints look for
    their neighbours). Few wide blocks with a ball of masks beat many narrow exact blocks
    as n grows: a million 64-bit simhashes at radius 8 need 3 blocks and ~720 masks, not 9 blocks whose buckets
    hold ~7,800 fingerprints each."""
    most = max(radius + 1, -(-bits // MAX_TABLE_BITS))  # more blocks than radius + 1 never help, but fit tables
    best, best_cost = most, float("inf")
    for m in range(1, most + 1):
        widths = [bits * (i + 1) // m - bits * i // m for i in range(m)]
        if max(widths) > MAX_TABLE_BITS:
            continue
        masks = [sum(comb(w, r) for r in range(radius // m + 1)) for w in widths]
        q = n if queries is None else queries
        cost = sum(k * q + k * q * n / 2 ** w for k, w in zip(masks, widths, strict=True))
        if cost < best_cost:
            best, best_cost = m, cost
    return best


def pairs_within(keys: npt.NDArray[np.int64], fps: npt.NDArray[np.uint64], radius: int,
                 bits: int = 64, blocks: int | None = None,
                 among: npt.NDArray[np.intp] | None = None) -> set[tuple[int, int]]:
    """Every pair of keys (smaller first) whose fingerprints (up to 64 bits) are within `radius`, exactly.

    All pairs at once, for a full link, without one query per fingerprint: cut the fingerprints into `blocks`
    (default: `plan_blocks`); pairs within the radius are within radius // blocks on some block. For every block
    and every mask of that ball, each fingerprint whose block lacks the mask's highest bit (so every pair is met
    once per mask) looks its block XOR the mask up in a bucket table (counts and offsets of the sorted block
    values), and the candidates are verified by popcount, all in numpy, in slices of about a million. With `among`
    (positions), only pairs involving one of those fingerprints: an incremental link's new documents.
    """
    if len(keys) != len(fps):
        raise ValueError("keys and fingerprints differ in length")
    if not 0 < bits <= _WORD:
        raise ValueError("pairs_within handles fingerprints of 1 to 64 bits")
    n = len(fps)
    m = blocks or plan_blocks(n, radius, bits, None if among is None else len(among))
    if -(-bits // m) > MAX_TABLE_BITS:
        raise ValueError(f"{m} blocks of {bits} bits are wider than {MAX_TABLE_BITS} bits")
    found: list[npt.NDArray[np.int64]] = []
    for i in range(m):
        lo, hi = bits * i // m, bits * (i + 1) // m
        table = _Buckets(((fps >> np.uint64(lo)) & np.uint64((1 << (hi - lo)) - 1)).astype(np.int64), hi - lo)
        for mask in _ball(hi - lo, radius // m):
            found.extend(table.pairs(fps, mask, radius, among))
    if not found:
        return set()
    pairs = np.unique(np.concatenate(found))
    a, b = keys[pairs // n], keys[pairs % n]
    return {(int(x), int(y)) if x < y else (int(y), int(x)) for x, y in zip(a, b)}


class _Buckets:
    """One block's values as a bucket table: positions sorted by value, a count and an offset per value."""

    def __init__(self, block: npt.NDArray[np.int64], width: int) -> None:
        self.block = block
        self.order = np.argsort(block, kind="stable")
        self.counts = np.bincount(block, minlength=1 << width)
        self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1]))
        self.occupied = np.minimum(self.counts, 1).astype(np.uint8)  # small enough to stay in cache
        self.without: dict[int, npt.NDArray[np.intp]] = {}  # bit -> positions whose block lacks it

    def pairs(self, fps: npt.NDArray[np.uint64], mask: int, radius: int,
              among: npt.NDArray[np.intp] | None = None) -> Iterator[npt.NDArray[np.int64]]:
        """Pairs (as i * n + j) whose blocks differ by exactly `mask` and whose fingerprints are within radius
        (with `among`: i among those positions, j anywhere, each pair possibly in both orders)."""
        if among is not None:
            rows = among[self.occupied[self.block[among] ^ mask] > 0]
        elif mask == 0:
            rows = np.flatnonzero(self.counts[self.block] > 1)
        else:
            top = mask.bit_length() - 1
            if top not in self.without:
                self.without[top] = np.flatnonzero((self.block >> top) & 1 == 0)
            rows = self.without[top]
            rows = rows[self.occupied[self.block[rows] ^ mask] > 0]
        wanted = self.block[rows] ^ mask
        sizes = self.counts[wanted]
        ends = np.cumsum(sizes)
        at, n = 0, len(fps)
        while at < len(rows):
            stop = max(int(np.searchsorted(ends, (ends[at - 1] if at else 0) + 1_000_000, side="right")), at + 1)
            part, size = rows[at:stop], sizes[at:stop]
            if int(size.max()) == 1:
                i, j = part, self.order[self.starts[wanted[at:stop]]]
            else:
                i = np.repeat(part, size)
                offset = np.arange(len(i)) - np.repeat(np.cumsum(size) - size, size)
                j = self.order[np.repeat(self.starts[wanted[at:stop]], size) + offset]
            if mask == 0:  # a fingerprint's own bucket holds itself
                keep = i < j if among is None else i != j
                i, j = i[keep], j[keep]
            close = _count_bits(fps[i] ^ fps[j]) <= radius
            yield i[close].astype(np.int64) * n + j[close]
            at = stop


def _count_bits(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    if _BITWISE_COUNT is not None:
        counted: npt.NDArray[np.int64] = _BITWISE_COUNT(x).astype(np.int64)
        return counted
    return _popcount_rows(x.reshape(-1, 1))
