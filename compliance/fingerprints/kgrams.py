"""Words and word k-gram hashes of a text, with numpy: the tokens and fingerprint values passages.py winnows.

One NFKC + casefold of the whole text, word boundaries found with numpy (ideographs and kana one word each, as
text.py's word pattern has them), each word hashed once by integer arithmetic and k consecutive word hashes chained
into a 63-bit k-gram hash: the same values in every process and on every platform, no per-k-gram cryptographic hash.
Texts whose folding changes their length (ligatures, an ellipsis, ß) fold chunk by chunk where needed, so every word
keeps the raw span it came from. `select_minima` is winnowing's selection (Schleimer, Wilkerson and Aiken, SIGMOD
2003): the rightmost minimum of every window of w hashes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

_U64 = npt.NDArray[np.uint64]
_Idx = npt.NDArray[np.intp]
# Ideographs and kana are one word each, as in text.py's word pattern, which tokens() reproduces char by char.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_WORD_CHAR = re.compile(r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")

# Word hash: a polynomial over code points mod 2**64 (numpy wraps), then splitmix64's finaliser (Steele, Lea and
# Flood, OOPSLA 2014); a k-gram chains its words' hashes by multiply-xor, finalised again and cut to 63 bits, so it
# fits a signed BIGINT. Pure integer arithmetic: the same values in every process and on every platform.
_BASE = 0x9E3779B97F4A7C15
_INVERSE = pow(_BASE, -1, 1 << 64)
_MIX1, _MIX2, _CHAIN = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93
_powers: tuple[_U64, _U64] = (np.ones(1, np.uint64), np.ones(1, np.uint64))


@dataclass(frozen=True)
class Token:
    """A normalised word and the raw characters it came from (offsets a report can mark)."""

    word: str
    start: int
    end: int


class Words(NamedTuple):
    """A text's words: the folded text, its code points, word spans in it and the raw spans they came from."""

    folded: str
    points: npt.NDArray[np.uint32]
    starts: _Idx
    ends: _Idx
    raw_starts: _Idx
    raw_ends: _Idx


def _fold(raw: str) -> str:
    return raw.lower() if raw.isascii() else unicodedata.normalize("NFKC", raw).casefold()


def _in_place(raw: str, folded: str) -> bool:
    """Folding kept every whitespace-separated chunk's length, so a folded offset is the raw offset.

    NFKC never composes across whitespace, whitespace folds to one whitespace character and casefold() goes
    char by char, so equal chunk lengths (or NFKC changing nothing) mean that every chunk folded in place.
    """
    return len(folded) == len(raw) and (raw.isascii() or unicodedata.is_normalized("NFKC", raw)
                                        or list(map(len, folded.split())) == list(map(len, raw.split())))


@lru_cache(maxsize=1 << 16)
def _char_class(point: int) -> int:
    """2 for an ideograph or kana (a word by itself), 1 for a word character, 3 for whitespace, else 0."""
    c = chr(point)
    return 2 if _CJK.match(c) else 1 if _WORD_CHAR.match(c) else 3 if c.isspace() else 0


@lru_cache(maxsize=1 << 16)
def _resizes(point: int) -> bool:
    return len(_fold(chr(point))) != 1


_ASCII_CLASS = np.array([_char_class(c) for c in range(128)], dtype=np.uint8)


def _points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _classes(points: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    cls = np.take(_ASCII_CLASS, points, mode="clip")  # clipped to DEL, class 0, until looked up below
    high = np.flatnonzero(points > 127)
    if high.size > 64:  # class each distinct character once
        distinct, inverse = np.unique(points[high], return_inverse=True)
        cls[high] = np.array([_char_class(c) for c in distinct.tolist()], dtype=np.uint8)[inverse]
    elif high.size:
        cls[high] = [_char_class(c) for c in points[high].tolist()]
    return cls


def _runs_of(member: npt.NDArray[np.bool_]) -> tuple[_Idx, _Idx]:
    """Start and end of every run of True."""
    edge = np.zeros(len(member) + 2, np.int8)
    edge[1:-1] = member
    step = edge[1:] - edge[:-1]
    return np.flatnonzero(step == 1), np.flatnonzero(step == -1)


def _spans(cls: npt.NDArray[np.uint8]) -> tuple[_Idx, _Idx]:
    """Word spans of folded text: runs of word characters, and each ideograph alone (text.py's pattern)."""
    begins, ends = _runs_of(cls == 1)
    ideographs = np.flatnonzero(cls == 2)
    if ideographs.size:  # a word each, merged in order (runs never hold one)
        return np.sort(np.r_[begins, ideographs]), np.sort(np.r_[ends, ideographs + 1])
    return begins, ends


def _fold_apart(text: str, cls: npt.NDArray[np.uint8], odd: npt.NDArray[np.bool_],
                ) -> tuple[list[str], list[tuple[int, int, bool]]] | None:
    """Fold each chunk holding an odd character on its own, and what lies between at once (None if it moved)."""
    begins, ends = _runs_of(cls != 3)
    which = np.unique(np.searchsorted(begins, np.flatnonzero(odd), side="right") - 1)
    parts: list[str] = []
    spans: list[tuple[int, int, bool]] = []  # raw span of each part, and whether it folded in place
    pos = 0
    for start, end in (*zip(begins[which].tolist(), ends[which].tolist()), (len(text), len(text))):
        between, chunk = _fold(text[pos:start]), _fold(text[start:end])
        if not _in_place(text[pos:start], between):
            return None
        parts += [between, chunk]
        spans += [(pos, start, True), (start, end, len(chunk) == end - start and " " not in chunk)]
        pos = end
    return parts, spans


def split_words(text: str) -> Words:
    """Fold the text once (NFKC, casefold) and find its words; a chunk that folding resizes maps to its own span."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):  # the common case: casefold() only
        folded = _fold(text)
        if len(folded) == len(text):
            points = _points(folded)
            starts, ends = _spans(_classes(points))
            return Words(folded, points, starts, ends, starts, ends)
    # Fold apart the chunks holding a character that folds to several (an ellipsis, a fraction), or if that is
    # not enough (a combining mark) every chunk with a non-ASCII character: what lies between is ASCII.
    raw = _points(text)
    cls = _classes(raw)
    high = np.flatnonzero(raw > 127)
    distinct, inverse = np.unique(raw[high], return_inverse=True)
    odd = np.zeros(len(raw), bool)
    odd[high] = np.array([_resizes(c) for c in distinct.tolist()], dtype=bool)[inverse]
    pieces = _fold_apart(text, cls, odd)
    if pieces is None:
        odd[high] = cls[high] != 3
        pieces = _fold_apart(text, cls, odd)
    assert pieces is not None  # ASCII and whitespace fold in place
    parts, spans = pieces
    folded = "".join(parts)
    points = _points(folded)
    starts, ends = _spans(_classes(points))
    # raw span of every folded character: itself where its part folded in place, else the part's whole span
    sizes = np.fromiter(map(len, parts), dtype=np.intp, count=len(parts))
    part = np.repeat(np.arange(len(parts)), sizes)
    first, end_raw, same = (np.asarray(x)[part] for x in zip(*spans))
    char_at = np.where(same, first + np.arange(len(folded)) - (np.cumsum(sizes) - sizes)[part], first)
    char_end = np.where(same, char_at + 1, end_raw)
    return Words(folded, points, starts, ends, char_at[starts], char_end[ends - 1])


def tokens(text: str) -> list[Token]:
    """Words as text.words() yields them, each with its raw span; offsets survive NFKC and case folding.

    A whitespace chunk whose normalised form keeps its length maps word by word; one that changes length
    (a ligature, German sharp s) gives all its words the chunk's span, so offsets stay inside the raw text.
    """
    ws = split_words(text)
    f = ws.folded
    return [Token(f[a:b], s, e) for a, b, s, e in
            zip(ws.starts.tolist(), ws.ends.tolist(), ws.raw_starts.tolist(), ws.raw_ends.tolist())]


def _mix(z: _U64) -> _U64:
    """splitmix64's finaliser, in place: every output bit depends on every input bit."""
    z ^= z >> 30
    z *= _MIX1
    z ^= z >> 27
    z *= _MIX2
    z ^= z >> 31
    return z


def _word_hashes(points: npt.NDArray[np.uint32], starts: _Idx, ends: _Idx) -> _U64:
    """Hash of each word span: sum of code point * BASE**-(offset in the word), from prefix sums, then mixed."""
    global _powers
    n, powers = len(points), _powers
    if len(powers[0]) <= n:  # BASE**j and BASE**-j mod 2**64, grown by doubling; kept up to 2**18 (4 MB)
        size = max(n + 1, 2 * len(powers[0]))
        forward, inverse = (np.multiply.accumulate(np.r_[np.uint64(1), np.full(size - 1, b, np.uint64)])
                            for b in (_BASE, _INVERSE))
        powers = (forward, inverse)
        if size <= 1 << 18:
            _powers = powers
    forward, inverse = powers
    prefix = np.zeros(n + 1, np.uint64)
    np.cumsum(points * inverse[:n], out=prefix[1:])
    return _mix((prefix[ends] - prefix[starts]) * forward[starts])


def _kgrams(word_hashes: _U64, k: int) -> _U64:
    """63-bit hash of every k-word window; a text shorter than k words is one window so it still has one."""
    if k < 1:
        raise ValueError("k must be at least 1")
    n = len(word_hashes)
    span = min(k, n)
    acc = word_hashes[: n - span + 1].copy()
    for j in range(1, span):
        acc *= _CHAIN
        acc ^= word_hashes[j : j + len(acc)]
    return _mix(acc) >> np.uint64(1)


def word_kgram_hashes(ws: Words, k: int) -> _U64:
    return _kgrams(_word_hashes(ws.points, ws.starts, ws.ends), k)


def kgram_hashes(toks: list[Token], k: int) -> list[int]:
    """Hash of every k-word window (the values winnow() selects from); a text shorter than k words is one window."""
    lengths = np.fromiter((len(t.word) for t in toks), dtype=np.intp, count=len(toks))
    starts = np.cumsum(lengths + 1) - lengths - 1  # the words joined by single spaces
    hashes: list[int] = _kgrams(_word_hashes(_points(" ".join(t.word for t in toks)), starts, starts + lengths),
                                k).tolist()
    return hashes


def select_minima(hashes: _U64, w: int) -> _Idx:
    """Robust winnowing: positions of the rightmost minimum hash of every w-window, vectorised.

    Ties keep the position already chosen while it stays in the window (the paper's robust variant), so a
    run of one repeated k-gram yields one fingerprint per window length rather than one per word.
    """
    if w < 1:
        raise ValueError("w must be at least 1")
    n = len(hashes)
    if n <= w:
        return np.array([n - 1 - int(np.argmin(hashes[::-1]))] if n else [], dtype=np.intp)
    count = n - w + 1
    low, offset = hashes[:count].copy(), np.zeros(count, np.intp)
    tied = np.zeros(count, bool)
    for d in range(1, w):  # sweep each window left to right; <= moves to the rightmost of equal minima
        step = hashes[d : d + count]
        tied |= step == low  # a later equal minimum: cannot happen unless a k-gram repeats within the window
        np.copyto(offset, d, where=step <= low)
        np.minimum(low, step, out=low)
    right = np.arange(count) + offset
    if not tied.any():
        # each window's minimum is unique, so the robust rule is the plain one: every change of rightmost minimum
        return right[np.r_[True, right[1:] != right[:-1]]]
    chosen: list[int] = []  # a repeated k-gram ties some window's minimum: the rule, window by window
    values, sel = hashes.tolist(), -1
    for i, (best, m) in enumerate(zip(right.tolist(), low.tolist())):
        if sel < i or values[sel] > m:
            sel = best
            chosen.append(sel)
    return np.array(chosen, dtype=np.intp)
