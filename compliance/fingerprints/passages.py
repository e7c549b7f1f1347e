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

import hashlib
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field

from compliance.fingerprints.text import words

_HASH_BITS = 63  # fits a signed BIGINT column
_MASK = (1 << _HASH_BITS) - 1
_CHUNK_RE = re.compile(r"\S+")
# The word pattern of text.py, applied to normalised text whose length equals the raw chunk's.
_WORD_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
                      r"|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
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


@dataclass(frozen=True)
class Token:
    """A normalised word and the raw characters it came from (offsets a report can mark)."""

    word: str
    start: int
    end: int


@dataclass(frozen=True)
class Fingerprint:
    """A winnowed k-gram: its stable 63-bit hash, its first word's index and the k-gram's character span."""

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


def tokens(text: str) -> list[Token]:
    """Words as text.words() yields them, each with its raw span; offsets survive NFKC and case folding.

    A whitespace chunk whose normalised form keeps its length maps word by word; one that changes length
    (a ligature, German sharp s) gives all its words the chunk's span, so offsets stay inside the raw text.
    """
    out: list[Token] = []
    for chunk in _CHUNK_RE.finditer(text):
        raw = chunk.group()
        base = chunk.start()
        folded = raw.lower() if raw.isascii() else unicodedata.normalize("NFKC", raw).casefold()
        if len(folded) == len(raw) and " " not in folded:
            out.extend(Token(m.group(), base + m.start(), base + m.end()) for m in _WORD_RE.finditer(folded))
        else:
            out.extend(Token(word, base, chunk.end()) for word in words(raw))
    return out


def _hash(gram: str) -> int:
    """Stable across processes and machines (Python's hash() is salted), truncated to a signed BIGINT."""
    return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big") & _MASK


def kgram_hashes(toks: list[Token], k: int) -> list[int]:
    """Hash of every k-word window; a text shorter than k words is one window so it still has a fingerprint."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not toks:
        return []
    ws = [t.word for t in toks]
    if len(ws) < k:
        return [_hash(" ".join(ws))]
    return [_hash(" ".join(ws[i : i + k])) for i in range(len(ws) - k + 1)]


def _select(hashes: list[int], w: int) -> list[int]:
    """Robust winnowing: positions of the minimum hash of every w-window, in O(n) with a monotone deque.

    Ties keep the position already chosen while it stays in the window (the paper's robust variant), so a
    run of one repeated k-gram yields one fingerprint per window length rather than one per word.
    """
    if w < 1:
        raise ValueError("w must be at least 1")
    if len(hashes) <= w:
        return [min(range(len(hashes)), key=lambda i: (hashes[i], -i))] if hashes else []
    chosen: list[int] = []
    window: deque[int] = deque()  # positions with increasing hashes; the front is the rightmost minimum
    sel = -1
    for i, h in enumerate(hashes):
        while window and hashes[window[-1]] >= h:
            window.pop()
        window.append(i)
        if window[0] <= i - w:
            window.popleft()
        if i < w - 1:
            continue
        best = window[0]
        if sel <= i - w or hashes[best] < hashes[sel]:
            sel = best
            chosen.append(sel)
    return chosen


def winnow(text: str, params: Params = DEFAULT) -> list[Fingerprint]:
    """The text's winnowed fingerprints, what an inverted index stores: every shared run of w+k-1 words meets."""
    toks = tokens(text)
    hashes = kgram_hashes(toks, params.k)
    span = min(params.k, len(toks))
    return [Fingerprint(hashes[i], i, toks[i].start, toks[i + span - 1].end) for i in _select(hashes, params.w)]


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


def _quoted(text: str, toks: list[Token]) -> list[bool]:
    """Which words sit inside quotation marks: reporters quote the same speaker without copying each other."""
    spans = [m.span() for m in QUOTATIONS.finditer(text)]
    out, s = [], 0
    for t in toks:
        while s < len(spans) and spans[s][1] <= t.start:
            s += 1
        out.append(s < len(spans) and spans[s][0] <= t.start)
    return out


def _align(original: str, copy: str, p: Params) -> tuple[list[Token], list[Token], list[_Run]]:
    to, tc = tokens(original), tokens(copy)
    return to, tc, _runs(kgram_hashes(to, p.k), kgram_hashes(tc, p.k), len(to), len(tc), p)


def _passage(r: _Run, to: list[Token], tc: list[Token]) -> Passage:
    return Passage(to[r.o0].start, to[r.o1 - 1].end, tc[r.c0].start, tc[r.c1 - 1].end, r.c1 - r.c0)


def passages(original_text: str, copy_text: str, params: Params = DEFAULT) -> list[Passage]:
    """Stretches of the original reproduced in the copy, in copy order, with character offsets in both texts."""
    to, tc, runs = _align(original_text, copy_text, params)
    return [_passage(r, to, tc) for r in runs]


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
    to, tc, runs = _align(original, copy, params)
    found = [_passage(r, to, tc) for r in runs]
    if not to or not tc:
        return Overlap(0.0, 0.0, 0, 0, 0, found)
    shared = _covered([(r.c0, r.c1) for r in runs])
    quoted = _quoted(copy, tc)
    prose = _covered([(j, j + 1) for r in runs for j in range(r.c0, r.c1) if not quoted[j]])
    o_cov = _covered([(r.o0, r.o1) for r in runs]) / len(to)
    return Overlap(o_cov, shared / len(tc), shared, prose, min(len(to), len(tc)), found)


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
