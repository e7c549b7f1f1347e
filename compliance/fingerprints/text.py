"""Text normalisation, tokens and features for document fingerprints and containment.

Features for the 64-bit simhash are **word 3-shingles** weighted by count, chosen by measurement
(`benchmarks/bench_simhash.py --features`, numbers in `benchmarks/RESULTS.md`) against the `simhash` package's
default (character 4-grams of the letters-only text). On the 140 AEB article bodies cut to their first 500 words:

* word 3-shingles: 3 words replaced -> median Hamming distance 3 (p95 7); 5 words -> median 4 (p95 8); one
  sentence in 10 dropped -> median 5 (p95 10); unrelated article pairs -> min 17, 1st percentile 22, median 32
  (0 of 4,851 pairs at <= 15).
* char 4-grams: 3 words -> median 2 (p95 5); 5 words -> median 2 (p95 5); one sentence dropped -> median 4 (p95 8);
  unrelated pairs -> min 12, 1st percentile 18, median 28 (8 pairs at <= 15).

Character 4-grams are shared by every English text ("tion", "ther"), so unrelated articles drift towards each
other (down to 12 bits); word 3-shingles keep every unrelated pair above 15 while light edits stay at a median of
3-5 bits, so they are the features hashed (word unigrams: unrelated min 6; word 2-shingles: like 3-shingles but a
longer tail for dropped sentences). The simhash stage only proposes candidates; shingle containment confirms them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

# Ideographs and kana carry a word's worth of meaning per character and are written without spaces,
# so each one is its own token (Hangul is spaced, so Korean words stay whole).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")

SIMHASH_SHINGLE = 3


def normalise(text: str) -> str:
    """Fold what two copies of one text may differ in without changing the words (Unicode form, case, spacing)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def words(text: str) -> list[str]:
    """Word tokens of the normalised text, punctuation dropped, so copies that re-punctuate still agree."""
    return _WORD_RE.findall(normalise(text))


def _shingle_strings(tokens: list[str], k: int) -> list[str]:
    """Space-joined k-word windows; a text shorter than k words is one window so it still has a feature."""
    if not tokens:
        return []
    if len(tokens) < k:
        return [" ".join(tokens)]
    return [" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]


def simhash_feature_counts(text: str) -> Counter[str]:
    """Word 3-shingles with their counts, unordered: what the simhash sums (order does not change it)."""
    return Counter(_shingle_strings(words(text), SIMHASH_SHINGLE))


def simhash_features(text: str) -> list[tuple[str, int]]:
    """Weighted word 3-shingles: the measured best features for the document simhash (see module docstring)."""
    return sorted(simhash_feature_counts(text).items())


def _hash64(s: str) -> int:
    """A stable 64-bit hash (Python's hash() is salted per process, so it cannot be stored)."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str, k: int = 5) -> set[int]:
    """Hashed word k-shingles of the normalised text, the unit of containment between a copy and an original."""
    if k < 1:
        raise ValueError("k must be at least 1")
    return {_hash64(s) for s in _shingle_strings(words(text), k)}


def containment(part: set[int], whole: set[int]) -> float:
    """Share of `part`'s shingles found in `whole`: how much of a copy comes from one original (0.0 when empty)."""
    if not part:
        return 0.0
    return len(part & whole) / len(part)
