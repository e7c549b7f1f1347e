"""Benchmark: HammingIndex vs brute force, side by side in one run.

Run from the repository root:
    python benchmarks/bench_index.py
64-bit: 100k random fingerprints plus planted near-duplicates, 1,000 queries at radius 3, block tables vs a numpy
brute-force scan (and pure-Python brute force on a sample). 256-bit (PDQ) at radius 31: block tables (32 blocks of
8 bits) vs the numpy scan, which is why HammingIndex(bits=256, radius=31) scans. Prints times; never asserts them.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compliance.fingerprints.index import HammingIndex, brute_force  # noqa: E402


def flip(rng: random.Random, fp: int, bits: int, n: int) -> int:
    for b in rng.sample(range(bits), n):
        fp ^= 1 << b
    return fp


def corpus(rng: random.Random, n: int, n_queries: int, bits: int, radius: int) -> tuple[dict[int, int], list[int]]:
    fps = {i: rng.getrandbits(bits) for i in range(n)}
    queries = []
    for q in range(n_queries):
        base = rng.getrandbits(bits)
        queries.append(base)
        for j in range(rng.randint(1, 4)):  # planted near-duplicates at distance 0..radius
            fps[n + q * 4 + j] = flip(rng, base, bits, rng.randint(0, radius))
    return fps, queries


def bench(bits: int, radius: int, n: int, n_queries: int, strategies: list[str]) -> None:
    rng = random.Random(2007)
    fps, queries = corpus(rng, n, n_queries, bits, radius)
    print(f"\n{bits}-bit, radius {radius}: {len(fps):,} fingerprints, {n_queries:,} queries")
    answers = {}
    times = {}
    for strategy in strategies:
        t0 = time.perf_counter()
        index = HammingIndex(bits=bits, radius=radius, strategy=strategy)  # type: ignore[arg-type]
        index.add_many(fps)
        index.query(queries[0])  # builds the scan matrix, counted in build time
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        answers[strategy] = [index.query(q) for q in queries]
        times[strategy] = time.perf_counter() - t0
        print(f"  {strategy:7s} build {t_build:6.2f} s | {n_queries} queries {times[strategy]:7.3f} s "
              f"({times[strategy] / n_queries * 1e6:8.1f} us/query)")
    # Standalone numpy brute force (no index object), same queries, same run.
    words = (bits + 63) // 64
    keys = np.fromiter(fps.keys(), dtype=np.int64)
    mat = np.array([[(v >> (64 * i)) & (2**64 - 1) for i in range(words)] for v in fps.values()], dtype=np.uint64)
    t0 = time.perf_counter()
    numpy_answers = []
    for q in queries:
        qw = np.array([(q >> (64 * i)) & (2**64 - 1) for i in range(words)], dtype=np.uint64)
        d = np.bitwise_count(mat ^ qw).sum(axis=1)
        idx = np.flatnonzero(d <= radius)
        numpy_answers.append(sorted((int(keys[i]), int(d[i])) for i in idx))
    t_np = time.perf_counter() - t0
    print(f"  numpy brute force: {n_queries} queries {t_np:7.3f} s ({t_np / n_queries * 1e6:8.1f} us/query)")
    for strategy in strategies:
        ratio = t_np / times[strategy]
        same = all(sorted(a) == b for a, b in zip(answers[strategy], numpy_answers))
        print(f"  {strategy}: {ratio:6.1f}x vs numpy brute force; identical answers: {same}")
    sample = queries[:20]
    t0 = time.perf_counter()
    py = [brute_force(fps, q, radius) for q in sample]
    t_py = time.perf_counter() - t0
    print(f"  pure-Python brute_force: {t_py / len(sample) * 1e6:8.1f} us/query "
          f"(on {len(sample)} queries; equal: {py == answers[strategies[0]][: len(sample)]})")
    hits = sum(len(a) for a in numpy_answers)
    print(f"  matches found: {hits:,} ({hits / n_queries:.1f} per query)")


if __name__ == "__main__":
    bench(64, 3, 100_000, 1_000, ["blocks", "scan"])
    bench(256, 31, 100_000, 200, ["blocks", "scan"])
    bench(256, 31, 10_000, 200, ["blocks", "scan"])
