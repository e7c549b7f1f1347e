"""Winnowed passages find excerpts and rewritten copies of real articles, point at the right text, and leave
independent reports of one event apart."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.fingerprints.kgrams import kgram_hashes, select_minima, tokens
from compliance.fingerprints.passages import DEFAULT, confirm, passages, winnow
from compliance.fingerprints.text import words
from tests.cli_helpers import REPO
from tests.compliance.fingerprints.copy_corpus import substitute

# AEB ids: a long Reuters piece on WeWork, and TechCrunch's own article on the same investigation.
REUTERS = "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85"
TECHCRUNCH = "1ace8c85aaee21b9d4505eca506d50c4721c29db62848b567a9703bfe0583892"
# Gizmodo and Live Science on the same "feather duvet lung" case report.
GIZMODO = "7bb1ca90354313840329d2f569ea9fb3a582df2aa0a5e3669f8fc567eb6ea61b"
LIVESCIENCE = "bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54"


@pytest.fixture(scope="module")
def bodies(shared_dir: Path) -> dict[str, str]:
    data = json.loads((shared_dir / "data/aeb/ground-truth.json").read_text(encoding="utf-8"))
    return {k: v["articleBody"] for k, v in data.items()}


def _substitute(text: str, share: float, seed: int) -> str:
    """Replace a share of the words with other words, as a light rewrite does."""
    return substitute(text, share, "zebra", random.Random(seed))


def test_excerpt_links_and_passages_point_at_it(bodies: dict[str, str]) -> None:
    original = bodies[GIZMODO]
    cut = [m.end() for m in re.finditer(r"\w+", original)]
    start = original.index("\n", len(original) // 3) + 1
    excerpt = "Read more below.\n\n" + original[start : cut[len(cut) * 3 // 4]]
    decision = confirm(original, excerpt)
    assert decision.is_copy, decision.reason
    assert decision.copy_covered > 0.9
    found = decision.passages
    assert found
    for p in found:  # an excerpt is verbatim: both offsets name the same characters
        assert original[p.original_start : p.original_end] == excerpt[p.copy_start : p.copy_end]
    first_word = re.compile(r"\w")  # passages run from the first shared word (an opening quote mark is not one)
    assert found[0].original_start == first_word.search(original, start).start()  # type: ignore[union-attr]
    assert found[0].copy_start == first_word.search(excerpt, len("Read more below.\n\n")).start()  # type: ignore[union-attr]


def test_ten_percent_substituted_copy_links_with_aligned_passages(bodies: dict[str, str]) -> None:
    original = bodies[REUTERS]
    copy = _substitute(original, 0.10, seed=7)
    decision = confirm(original, copy)
    assert decision.is_copy, decision.reason
    assert decision.original_covered > 0.8  # substituted words are bridged, not cut out
    for p in decision.passages:
        o, c = words(original[p.original_start : p.original_end]), words(copy[p.copy_start : p.copy_end])
        assert len(o) == len(c)  # substitution keeps the word count, so aligned passages agree word by word
        assert sum(x == y for x, y in zip(o, c)) >= 0.7 * len(o)
        assert o[0] == c[0] and o[-1] == c[-1]  # passages start and end on shared words


def test_passages_of_reordered_sentences_follow_the_copy(bodies: dict[str, str]) -> None:
    original = bodies[REUTERS]
    paras = [p for p in original.split("\n") if p.strip()]
    copy = "\n".join(reversed(paras))
    found = passages(original, copy)
    assert [p.copy_start for p in found] == sorted(p.copy_start for p in found)
    # each moved paragraph is found as (most of) one passage, the same words at both offsets
    for para in (p for p in paras if len(p.split()) > 15):
        at = original.index(para)  # a passage may run on by a word the next paragraph happens to share
        hits = [p for p in found if at <= p.original_start < at + len(para)]
        assert any(p.words >= 0.8 * len(words(para)) for p in hits), para
        for p in hits:
            assert words(original[p.original_start : p.original_end]) == words(copy[p.copy_start : p.copy_end])


@pytest.mark.parametrize(("a", "b"), [(REUTERS, TECHCRUNCH), (GIZMODO, LIVESCIENCE)])
def test_independent_reports_of_one_event_do_not_link(bodies: dict[str, str], a: str, b: str) -> None:
    for original, copy in ((bodies[a], bodies[b]), (bodies[b], bodies[a])):
        decision = confirm(original, copy)
        assert not decision.is_copy, decision.reason


def test_shared_quotes_alone_do_not_link(bodies: dict[str, str]) -> None:
    original = bodies[GIZMODO]
    said = [s for s in re.split(r"(?<=[.!?])\s+", original) if 12 <= len(s.split()) <= 40][:3]
    # a short piece of its own that quotes the same three sentences, as a second outlet quoting a source would
    own = " ".join(f"Item {i} on the ward round was reviewed by staff at the clinic." for i in range(8))
    copy = own + "\n\n" + "\n\n".join(f"“{s}” the report said." for s in said)
    decision = confirm(original, copy)
    assert not decision.is_copy, decision.reason
    assert decision.passages  # the quotes are found, and reported as evidence, yet do not make a copy
    bare = own + "\n\n" + "\n\n".join(said + said)  # the same sentences unquoted and doubled: copied prose
    assert confirm(original, bare).is_copy


def test_winnow_is_stable_across_processes() -> None:
    text = "The quick brown fox jumps over the lazy dog while the cat, unimpressed, sleeps on the mat. " * 3
    here = [(f.value, f.position, f.start, f.end) for f in winnow(text)]
    code = ("import json,sys; from compliance.fingerprints.passages import winnow; "
            "print(json.dumps([(f.value, f.position, f.start, f.end) for f in winnow(sys.argv[1])]))")
    out = subprocess.run([sys.executable, "-c", code, text], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert [tuple(x) for x in json.loads(out.stdout)] == here
    assert all(0 <= f.value < 2**63 for f in winnow(text))  # fits a signed BIGINT


word = st.text(alphabet="abcdeé", min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(word, min_size=0, max_size=60), st.lists(word, min_size=0, max_size=30),
       st.lists(word, min_size=20, max_size=30))
def test_winnowing_guarantee(before: list[str], after: list[str], shared: list[str]) -> None:
    # any run of w + k - 1 shared words yields a shared fingerprint, whatever surrounds it (Schleimer et al. 2003)
    n = DEFAULT.w + DEFAULT.k - 1
    a = " ".join(before + shared[:n])
    b = " ".join(shared[:n] + after)
    assert {f.value for f in winnow(a)} & {f.value for f in winnow(b)}


def _robust_winnowing(hashes: list[int], w: int) -> list[int]:
    """The rule spelled out window by window: keep the chosen minimum while it is in the window and still least."""
    if len(hashes) <= w:
        return [max(range(len(hashes)), key=lambda i: (-hashes[i], i))] if hashes else []
    chosen, sel = [], -1
    for i in range(len(hashes) - w + 1):
        window = hashes[i : i + w]
        best = i + max(range(w), key=lambda j: (-window[j], j))  # the rightmost minimum
        if sel < i or hashes[best] < hashes[sel]:
            sel = best
            chosen.append(sel)
    return chosen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=60), st.integers(1, 10))
def test_vectorised_selection_is_robust_winnowing(hashes: list[int], w: int) -> None:
    # few distinct values, so most windows tie: the vectorised sweep and its fallback both meet the rule
    assert select_minima(np.array(hashes, dtype=np.uint64), w).tolist() == _robust_winnowing(hashes, w)


@pytest.mark.parametrize("text", ["Plain ASCII text, with more than five words in it.",
                                  "Straße … ﬁne ½ cup of café’s “quoted” words, and more words after them",
                                  "e\u0301 combining marks, ¨umlaut and 日本語のテキスト among ordinary words here"])
def test_fingerprints_are_kgram_hashes_of_tokens_with_their_spans(text: str) -> None:
    toks = tokens(text)
    hashes = kgram_hashes(toks, DEFAULT.k)
    for f in winnow(text):
        assert f.value == hashes[f.position]
        assert (f.start, f.end) == (toks[f.position].start, toks[min(f.position + DEFAULT.k, len(toks)) - 1].end)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_tokens_are_text_words_with_spans_inside_the_text(text: str) -> None:
    toks = tokens(text)
    assert [t.word for t in toks] == words(text)
    for t in toks:
        assert 0 <= t.start < t.end <= len(text)
        assert t.word in " ".join(words(text[t.start : t.end]))


def test_degenerate_inputs_finish() -> None:
    # linear time is measured in benchmarks/text_copies.py --speed; here only that they return sensibly
    assert len(winnow("a" * 200_000)) == 1
    repeated = "word " * 40_000
    assert len(winnow(repeated)) <= 40_000 // 5
    assert confirm("", "").is_copy is False
