"""HammingIndex returns exactly what brute force returns, at 64 and 256 bits."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.fingerprints.index import HammingIndex, brute_force


def _near(rng: random.Random, fp: int, bits: int, n: int) -> int:
    for b in rng.sample(range(bits), n):
        fp ^= 1 << b
    return fp


@st.composite
def clustered(draw: st.DrawFn, bits: int, max_flip: int) -> tuple[dict[int, int], list[int]]:
    rng = random.Random(draw(st.integers(0, 2**32)))
    centres = [rng.getrandbits(bits) for _ in range(draw(st.integers(1, 8)))]
    fps = {}
    for key in range(draw(st.integers(0, 120))):
        c = rng.choice(centres)
        fps[key] = _near(rng, c, bits, rng.randint(0, max_flip)) if rng.random() < 0.8 else rng.getrandbits(bits)
    queries = [_near(rng, rng.choice(centres), bits, rng.randint(0, max_flip)) for _ in range(5)]
    return fps, queries + [rng.getrandbits(bits)]


@settings(max_examples=150, deadline=None)
@given(clustered(64, 8), st.integers(0, 6), st.sampled_from(["auto", "blocks", "scan"]))
def test_64_bit_equals_brute_force(data: tuple[dict[int, int], list[int]], radius: int, strategy: str) -> None:
    fps, queries = data
    index = HammingIndex(bits=64, radius=radius, strategy=strategy)  # type: ignore[arg-type]
    index.add_many(fps)
    assert len(index) == len(fps)
    for q in queries:
        assert index.query(q) == brute_force(fps, q, radius)
        assert index.query(q, radius + 3) == brute_force(fps, q, radius + 3)  # past the built radius: scans
        assert index.query(q, max(0, radius - 1)) == brute_force(fps, q, max(0, radius - 1))


@settings(max_examples=60, deadline=None)
@given(clustered(256, 40), st.sampled_from([0, 15, 31]), st.sampled_from(["auto", "blocks"]))
def test_256_bit_equals_brute_force(data: tuple[dict[int, int], list[int]], radius: int, strategy: str) -> None:
    fps, queries = data
    index = HammingIndex(bits=256, radius=radius, strategy=strategy)  # type: ignore[arg-type]
    index.add_many(fps.items())
    for q in queries:
        assert index.query(q) == brute_force(fps, q, radius)


def test_auto_strategy_and_replacement() -> None:
    assert HammingIndex(64, 3).strategy == "blocks"
    assert HammingIndex(256, 31).strategy == "scan"
    index = HammingIndex(64, 3)
    index.add(1, 0b1111)
    index.add(1, 0)  # re-adding a key replaces its fingerprint
    assert index.query(0) == [(1, 0)] and len(index) == 1
    assert index.query(0b1111) == []


def test_rejects_oversized_fingerprint() -> None:
    with pytest.raises(ValueError):
        HammingIndex(64, 3).add(1, 1 << 64)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=0, max_size=60),
       st.lists(st.tuples(st.integers(0, 59), st.lists(st.integers(0, 63), max_size=10)), max_size=30),
       st.integers(min_value=0, max_value=10))
def test_all_pairs_within_the_radius_equal_brute_force(base: list[int], near: list[tuple[int, list[int]]],
                                                        radius: int) -> None:
    import numpy as np

    from compliance.fingerprints.index import pairs_within

    fps = list(base)
    for i, flips in near:  # copies of stored prints with a few bits flipped: the pairs that matter
        if i < len(base):
            x = base[i]
            for b in flips:
                x ^= 1 << b
            fps.append(x)
    keys = np.arange(len(fps), dtype=np.int64) * 3 + 7
    got = pairs_within(keys, np.array(fps, dtype=np.uint64), radius)
    want = {(int(keys[a]), int(keys[b])) for a in range(len(fps)) for b in range(a + 1, len(fps))
            if (fps[a] ^ fps[b]).bit_count() <= radius}
    assert got == want


def _with_near_copies(base: list[int], near: list[tuple[int, list[int]]]) -> list[int]:
    """The prints, three of them again (crowded buckets), and copies with the given bits flipped."""
    fps = list(base) + base[:3]
    for i, flips in near:
        x = base[i % len(base)]
        for b in flips:
            x ^= 1 << b
        fps.append(x)
    return fps


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 39), st.lists(st.integers(0, 63), max_size=10)), max_size=30),
       st.integers(min_value=0, max_value=10), st.integers(min_value=3, max_value=11))
def test_all_pairs_equal_brute_force_whatever_the_blocks(base: list[int], near: list[tuple[int, list[int]]],
                                                         radius: int, blocks: int) -> None:
    """The plan picks few wide blocks with a ball of masks for big inputs: every block count gives the same pairs,
    also with identical fingerprints (crowded buckets)."""
    import numpy as np

    from compliance.fingerprints.index import pairs_within

    fps = _with_near_copies(base, near)
    keys = np.arange(len(fps), dtype=np.int64) * 5 + 1
    want = {(int(keys[a]), int(keys[b])) for a in range(len(fps)) for b in range(a + 1, len(fps))
            if (fps[a] ^ fps[b]).bit_count() <= radius}
    assert pairs_within(keys, np.array(fps, dtype=np.uint64), radius, blocks=blocks) == want


def test_plan_prefers_few_wide_blocks_as_the_corpus_grows() -> None:
    from compliance.fingerprints.index import plan_blocks

    assert plan_blocks(1_000, 8) == 9  # narrow exact blocks: buckets stay small
    assert plan_blocks(1_000_000, 8) == 3  # a ball of masks over 21-bit blocks
    assert plan_blocks(0, 0) == 3  # one 64-bit table would not fit: three exact blocks


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 39), st.lists(st.integers(0, 63), max_size=10)), max_size=30),
       st.integers(min_value=0, max_value=10), st.integers(min_value=3, max_value=11),
       st.sets(st.integers(0, 80)))
def test_pairs_among_some_equal_brute_force(base: list[int], near: list[tuple[int, list[int]]], radius: int,
                                            blocks: int, chosen: set[int]) -> None:
    """An incremental link asks only for the pairs that involve its new fingerprints."""
    import numpy as np

    from compliance.fingerprints.index import pairs_within

    fps = _with_near_copies(base, near)
    among = sorted(c for c in chosen if c < len(fps))
    keys = np.arange(len(fps), dtype=np.int64) * 5 + 1
    want = {(int(keys[a]), int(keys[b])) for a in range(len(fps)) for b in range(a + 1, len(fps))
            if (a in among or b in among) and (fps[a] ^ fps[b]).bit_count() <= radius}
    got = pairs_within(keys, np.array(fps, dtype=np.uint64), radius, blocks=blocks,
                       among=np.array(among, dtype=np.intp))
    assert got == want
