"""Where in a notice an element is said: markup blanked, sentences and form answers found as verbatim spans.

Every finder here runs in linear time on adversarial input (long lines, long runs of one character): no pattern
starts an unbounded run at every position (`benchmarks/notice_adversarial.py` measures it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

Span = tuple[int, int]
Finder = Callable[[str], list[Span]]
EM = "\u2002"
_I = re.IGNORECASE


def blank_lines_with(det: str, pattern: re.Pattern[str]) -> str:
    """Blank every line holding a match (linear: the match is found first, then its line's bounds)."""
    out = list(det)
    for m in pattern.finditer(det):
        start = det.rfind("\n", 0, m.start()) + 1
        end = det.find("\n", m.end())
        end = len(det) if end < 0 else end
        out[start:end] = " " * (end - start)
    return "".join(out)


def mask(text: str) -> str:
    """Same-length copy with markup blanked, so patterns see words across Markdown/HTML and offsets stay verbatim."""
    out = re.sub(r"<[^<>\n]{0,200}>", lambda m: " " * len(m.group()), text)
    out = re.sub(r"\*+|_{2,}", lambda m: EM * len(m.group()), out)  # EM is whitespace to patterns, a marker to forms
    out = re.sub(r"\\(?=['\"])|^>+|&nbsp;", lambda m: " " * len(m.group()), out, flags=re.MULTILINE)
    return out


def mask_questions(text: str) -> str:
    """Blank form prompts that quote a statement (on the raw text, where the bold markers still show the prompt)."""
    prompt = re.compile(r"(?:^|\n)[ \t]*(?:\d+\.\s*)?(?P<m>\*{1,2}|_{2})(?:(?!\*\*|__|\n\n).){0,60}?"
                        r"(?:copy and paste\)|include the following statement).*?(?P=m)", re.DOTALL | _I)
    return prompt.sub(lambda m: " " * len(m.group()), text)


@lru_cache(maxsize=64)
def detection_text(text: str, statements: bool = False) -> str:
    """The text finders read: markup blanked, and for statements also the prompts that quote them."""
    return mask(mask_questions(text) if statements else text)


_BOUNDARY = re.compile(r"[.!?;]['\"”’*_)]*\s|\n[ \t]*\n|:[ \t]*[\"“]|(?:https?://|www\.)\S+[ \t]*\n|"
                       r"\n(?=[ \t]*(?:[-*•·+]\s|\d+[.)]\s|\[\d+\]|[A-Z][^\n.]{0,60}[:?][ \t]*\n))")
_END = re.compile(r"[.;!?](?=['\"”’]?(?:\s|$))|\n[ \t]*\n|$")


def sentences(det: str, pattern: re.Pattern[str], *, within: str | None = None) -> list[Span]:
    """Spans of the sentences (or list items) that match, cut at terminal punctuation, a blank line or a list item."""
    spans: list[Span] = []
    # (where the last search began, where the sentence end it found starts, where it ends): reused by later matches
    # that begin before that end, so many matches in one long sentence search for its end once
    next_end: tuple[int, int, int] = (1, 0, 0)
    for m in pattern.finditer(det):
        lo = max(0, m.start() - 800)
        start = lo
        for b in _BOUNDARY.finditer(det, lo, m.start()):
            start = b.end()
        while start < m.start() and det[start] in " \t\n\"“":
            start += 1
        if not next_end[0] <= m.end() <= next_end[1]:
            end_m = _END.search(det, m.end())
            next_end = (m.end(), end_m.start(), end_m.end()) if end_m else (m.end(), len(det), len(det))
        end = next_end[2]
        if within is not None and not re.search(within, det[start:end], _I):
            continue
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return spans


def sentence_finder(*patterns: str, within: str | None = None) -> Finder:
    """A finder over whole sentences that match any of the patterns (optionally also `within`)."""
    compiled = [re.compile(p, _I | re.DOTALL) for p in patterns]
    return lambda det: [span for c in compiled for span in sentences(det, c, within=within)]


def form_answers(question: str, *, accept: str = r"\S") -> Finder:
    """A finder for web-form answers (the text after a question up to the next question) that are not blank."""
    q = re.compile(question, _I | re.MULTILINE)
    stop = re.compile(r"\n[ \t]*(?:\u2002+|(?:\d+\.[ \t]+)?[A-Z][^\n]{10,200}\?[ \t]*\n)|\n[ \t]*-{3,}|\n[ \t]*\n[ \t]*\n")

    def find(det: str) -> list[Span]:
        spans: list[Span] = []
        for m in q.finditer(det):
            tail = re.compile(r"[^\n]*?(?:\u2002+|\?|:)[ \t]*(?:\n|$)").match(det, m.end())
            start = tail.end() if tail else m.end()
            inline = det[m.end():tail.end()] if tail else ""
            if tail and re.search(r"[:?]\s*\S", inline) and not re.search(r"[:?]\s*$", inline):
                start = m.end()
            s = stop.search(det, start)
            end = s.start() if s else len(det)
            answer = det[start:end].strip(" \t\n\"*_:：答")
            if not answer or re.fullmatch(r"(?:n/?a|no|none|nope|-+|see above)\.?", answer, _I):
                continue
            if re.search(accept, answer, _I):
                lead = len(det[start:end]) - len(det[start:end].lstrip(" \t\n\"*_:：答"))
                spans.append((start + lead, start + lead + len(answer)))
        return spans
    return find


def line_spans(det: str) -> list[Span]:
    """Non-blank line spans (split by hand: a pattern for this backtracks over long blank lines)."""
    spans: list[Span] = []
    start = 0
    for line in det.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans
