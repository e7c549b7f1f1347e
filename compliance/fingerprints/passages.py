"""Winnowed word k-gram fingerprints and passage alignment: finds rewritten and excerpted copies.

The 64-bit simhash (`simhash.py`) answers "is this the same whole text?"; it drifts past any useful radius
once a tenth of the words change or only a third of the article is reused. Here each text gets winnowed word
k-gram fingerprints (Schleimer, Wilkerson and Aiken, SIGMOD 2003) for an inverted index: any run of at least
``w + k - 1`` shared words yields at least one shared fingerprint, whatever surrounds it. A candidate pair is
then confirmed by aligning every shared k-gram into passages (runs along one diagonal, bridged over a few
substituted or inserted words) and scoring the share of either text the passages cover, so an excerpt (copy
covered by the original) and a lightly rewritten copy (gaps bridged) both score high, while independent reports
of one event, which share names, numbers and a quote or two but no running prose, do not.

Parameters were chosen by measurement on the AEB article bodies (`benchmarks/text_copies.py`, held-out by site;
88 tuning articles, 45 held out): k=5, w=8 (the largest window tried that lost no tuned copy, capped so that a
shared sentence of 12 words always meets), gaps of up to 4 words bridged, passages of 8+ words kept, a copy when the
passages cover >= 40% of either text with at least 20 shared words outside quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from compliance.fingerprints.kgrams import (
    select_minima,
    split_words,
    word_kgram_hashes,
)

# Quotation spans: straight and typographic double quotes, guillemets, low-high quotes, CJK corner brackets.
QUOTATIONS = re.compile(r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”|«[^»\n]{1,600}»|„[^“”\n]{1,600}[“”]|「[^」\n]{1,600}」")


@dataclass(frozen=True)
class Params:
    """Knobs of the method; the defaults are the measured choice (module docstring)."""

    k: int = 5  # words per k-gram
    w: int = 8  # winnowing window, in k-grams: any shared run of 12 words (a sentence) is guaranteed to meet
    gap: int = 4  # unmatched words bridged inside one passage
    min_passage: int = 8  # words; shorter shared runs are stock phrases, not reuse
    max_occurrences: int = 16  # a k-gram repeated more often in the original seeds nothing (keeps alignment linear)
    min_coverage: float = 0.4  # share of either text the passages must cover
    min_words: int = 20  # shared words outside quotation marks: independent reports quote the same people


DEFAULT = Params()


class Fingerprint(NamedTuple):
    """A winnowed k-gram: its stable 63-bit hash, its first word's index and the k-gram's character span.

    A NamedTuple rather than a frozen dataclass: winnow() builds one per ~4 words, and a tuple is 4x cheaper to make.
    """

    value: int
    position: int
    start: int
    end: int


@dataclass(frozen=True)
class Containment:
    """Share of each side's fingerprints found in the other (0.0 for an empty side)."""

    a_in_b: float
    b_in_a: float


@dataclass(frozen=True)
class Passage:
    """A stretch of the original found in the copy: character offsets in both texts, and its length in words."""

    original_start: int
    original_end: int
    copy_start: int
    copy_end: int
    words: int


@dataclass(frozen=True)
class Decision:
    """Copy or not, the score it rests on, a one-line reason and the passages as evidence."""

    is_copy: bool
    score: float
    reason: str
    original_covered: float
    copy_covered: float
    containment: Containment
    passages: list[Passage] = field(default_factory=list)


def winnow(text: str, params: Params = DEFAULT) -> list[Fingerprint]:
    """The text's winnowed fingerprints, what an inverted index stores: every shared run of w+k-1 words meets."""
    ws = split_words(text)
    hashes = word_kgram_hashes(ws, params.k)
    at = select_minima(hashes, params.w)
    last = at + min(params.k, len(ws.starts)) - 1
    return list(map(Fingerprint._make, zip(hashes[at].tolist(), at.tolist(), ws.raw_starts[at].tolist(),
                                           ws.raw_ends[last].tolist())))


def containment(a_fps: list[Fingerprint], b_fps: list[Fingerprint]) -> Containment:
    """How much of a is in b and of b in a, on fingerprint values (an estimate of k-gram containment)."""
    a = {f.value for f in a_fps}
    b = {f.value for f in b_fps}
    shared = len(a & b)
    return Containment(shared / len(a) if a else 0.0, shared / len(b) if b else 0.0)


@dataclass
class _Run:
    """A passage in word indices: [o0, o1) of the original aligned with [c0, c1) of the copy."""

    o0: int
    o1: int
    c0: int
    c1: int
    matched: int


def _seeds(ho: list[int], hc: list[int], cap: int) -> list[tuple[int, int]]:
    """(diagonal, copy position) of every shared k-gram, skipping k-grams repeated more than cap times."""
    where: dict[int, list[int]] = {}
    for i, h in enumerate(ho):
        where.setdefault(h, []).append(i)
    out: list[tuple[int, int]] = []
    for j, h in enumerate(hc):
        hits = where.get(h)
        if hits is not None and len(hits) <= cap:
            out.extend((i - j, j) for i in hits)
    out.sort()
    return out


def _runs(ho: list[int], hc: list[int], n_o: int, n_c: int, p: Params) -> list[_Run]:
    """Chain shared k-grams along each diagonal, then join runs that follow each other in both texts."""
    k_o, k_c = min(p.k, n_o), min(p.k, n_c)
    runs: list[_Run] = []
    for d, j in _seeds(ho, hc, p.max_occurrences):
        last = runs[-1] if runs else None
        if last is not None and last.o0 - last.c0 == d and j - last.c1 <= p.gap:
            last.c1 = max(last.c1, j + k_c)
            last.o1 = max(last.o1, j + d + k_o)
            last.matched += 1
        else:
            runs.append(_Run(j + d, j + d + k_o, j, j + k_c, 1))
    runs.sort(key=lambda r: (r.c0, r.o0))
    joined: list[_Run] = []
    for r in runs:
        last = joined[-1] if joined else None
        # an inserted or deleted word shifts the diagonal; a reordered sentence jumps and stays its own passage
        if last is not None and 0 <= r.c0 - last.c1 <= p.gap and -p.k < r.o0 - last.o1 <= p.gap:
            last.c1, last.o1 = max(last.c1, r.c1), max(last.o1, r.o1)
            last.matched += r.matched
        elif last is None or r.c1 > last.c1:
            joined.append(r)
    return [r for r in joined if min(r.c1 - r.c0, r.o1 - r.o0) >= min(p.min_passage, n_o, n_c)]


def _covered(intervals: list[tuple[int, int]]) -> int:
    """Words covered by the union of half-open word intervals."""
    total, end = 0, -1
    for a, b in sorted(intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _quoted(text: str, starts: list[int]) -> list[bool]:
    """Which words sit inside quotation marks: reporters quote the same speaker without copying each other."""
    spans = [m.span() for m in QUOTATIONS.finditer(text)]
    out, s = [], 0
    for start in starts:
        while s < len(spans) and spans[s][1] <= start:
            s += 1
        out.append(s < len(spans) and spans[s][0] <= start)
    return out


_Spans = tuple[list[int], list[int]]  # raw start and end offset of every word


def _align(original: str, copy: str, p: Params) -> tuple[_Spans, _Spans, list[_Run]]:
    wo, wc = split_words(original), split_words(copy)
    runs = _runs(word_kgram_hashes(wo, p.k).tolist(), word_kgram_hashes(wc, p.k).tolist(), len(wo.starts), len(wc.starts), p)
    return (wo.raw_starts.tolist(), wo.raw_ends.tolist()), (wc.raw_starts.tolist(), wc.raw_ends.tolist()), runs


def _passage(r: _Run, so: _Spans, sc: _Spans) -> Passage:
    return Passage(so[0][r.o0], so[1][r.o1 - 1], sc[0][r.c0], sc[1][r.c1 - 1], r.c1 - r.c0)


def passages(original_text: str, copy_text: str, params: Params = DEFAULT) -> list[Passage]:
    """Stretches of the original reproduced in the copy, in copy order, with character offsets in both texts."""
    so, sc, runs = _align(original_text, copy_text, params)
    return [_passage(r, so, sc) for r in runs]


@dataclass(frozen=True)
class Overlap:
    """What confirm() weighs, before any threshold: coverage both ways, shared and unquoted shared words."""

    original_covered: float
    copy_covered: float
    shared_words: int
    prose_words: int  # shared words outside quotation marks in the copy
    short_side: int  # words in the shorter text
    passages: list[Passage]


def overlap(original: str, copy: str, params: Params = DEFAULT) -> Overlap:
    """Align the two texts once; thresholds are applied by decide(), so they can be tuned without realigning."""
    so, sc, runs = _align(original, copy, params)
    found = [_passage(r, so, sc) for r in runs]
    n_o, n_c = len(so[0]), len(sc[0])
    if not n_o or not n_c:
        return Overlap(0.0, 0.0, 0, 0, 0, found)
    shared = _covered([(r.c0, r.c1) for r in runs])
    quoted = _quoted(copy, sc[0])
    prose = _covered([(j, j + 1) for r in runs for j in range(r.c0, r.c1) if not quoted[j]])
    o_cov = _covered([(r.o0, r.o1) for r in runs]) / n_o
    return Overlap(o_cov, shared / n_c, shared, prose, min(n_o, n_c), found)


def decide(ov: Overlap, contained: Containment, params: Params = DEFAULT) -> Decision:
    """Copy when passages cover enough of either text (a rewrite or an excerpt) and are not only shared quotes."""
    p = params
    o_cov, c_cov = ov.original_covered, ov.copy_covered
    score = max(o_cov, c_cov)

    def no(reason: str) -> Decision:
        return Decision(False, score, reason, o_cov, c_cov, contained, ov.passages)

    if ov.short_side == 0:
        return no("empty text")
    if score < p.min_coverage:
        return no(f"passages cover {o_cov:.0%} of the original and {c_cov:.0%} of the copy (< {p.min_coverage:.0%})")
    if ov.prose_words < min(p.min_words, ov.short_side):
        return no(f"{ov.shared_words} words shared but {ov.prose_words} outside quotations (< {p.min_words}): "
                  "common sources, not copied prose")
    what = "excerpt of the original" if o_cov < 0.8 <= c_cov else "copy of the original"
    reason = (f"{what}: {len(ov.passages)} passages, {ov.shared_words} words ({ov.prose_words} outside quotations), "
              f"cover {o_cov:.0%} of the original and {c_cov:.0%} of the copy")
    return Decision(True, score, reason, o_cov, c_cov, contained, ov.passages)


def confirm(original: str, copy: str, params: Params = DEFAULT) -> Decision:
    """Copy or not, with the score, the reason and the passages as evidence (overlap() then decide())."""
    contained = containment(winnow(original, params), winnow(copy, params))
    return decide(overlap(original, copy, params), contained, params)
