"""The pinned corpus of planted text copies (shared AEB article bodies): the linking quality gate and
`benchmarks/text_copies.py` build the same pairs from it.

Per article of >= 100 words, planted copies: verbatim; 5/10/20% of words replaced by words of the article nearest
in length (seeded); sentences shuffled within paragraphs; 10% replaced + shuffled; the first 30/50/70% of the words;
the middle quarter of the paragraphs. Negatives: every pair of distinct articles (unrelated), the real same-event
pairs AEB holds (different sites sharing >= 3 multi-word names), and synthetic same-topic pairs (one article given
another's names, numbers and one or two of its sentences as quotations, with and without the quotation marks).
Sites are split by a stable hash of the host: a third held out.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from compliance.fingerprints.passages import QUOTATIONS
from compliance.fingerprints.text import words

REPO = Path(__file__).resolve().parents[3]
GROUND_TRUTH = REPO.parent / "shared" / "data" / "aeb" / "ground-truth.json"
MIN_WORDS = 100
EDITS = ("verbatim", "sub5", "sub10", "sub20", "reorder", "sub10_reorder", "excerpt30", "excerpt50", "excerpt70",
         "middle")
NEGATIVES = ("unrelated", "same_event_real", "same_topic", "same_topic_bare")
WORD = re.compile(r"\w+")
TOKEN = re.compile(r"[^\W\d_][\w’'-]*")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass
class Article:
    id: str
    host: str
    text: str


@dataclass
class Pair:
    kind: str
    original: str
    copy: str
    label: bool


def load() -> list[Article]:
    data = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    out = [Article(k, urllib.parse.urlsplit(v["url"]).hostname or "", v["articleBody"]) for k, v in data.items()]
    return sorted((a for a in out if len(words(a.text)) >= MIN_WORDS), key=lambda a: a.id)


def held_out(host: str) -> bool:
    return hashlib.blake2b(host.encode(), digest_size=4).digest()[0] % 3 == 0


def _rng(*parts: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.blake2b("|".join(parts).encode(), digest_size=8).digest(), "big"))


def substitute(text: str, share: float, donor: str, rng: random.Random) -> str:
    spans = [m.span() for m in WORD.finditer(text)]
    pool = WORD.findall(donor)
    chosen = set(rng.sample(range(len(spans)), max(1, round(share * len(spans)))))
    out, last = [], 0
    for i, (a, b) in enumerate(spans):
        out.append(text[last:a])
        out.append(rng.choice(pool) if i in chosen else text[a:b])
        last = b
    return "".join(out) + text[last:]


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def reorder(text: str, rng: random.Random) -> str:
    out = []
    for para in paragraphs(text):
        sents = re.split(r"(?<=[.!?。])\s+", para.strip())
        if len(sents) > 1:
            order = list(range(len(sents)))
            while order == sorted(order):
                rng.shuffle(order)
            sents = [sents[i] for i in order]
        out.append(" ".join(sents))
    return "\n\n".join(out)


def excerpt(text: str, share: float) -> str:
    spans = [m.span() for m in WORD.finditer(text)]
    return text[: spans[max(0, round(share * len(spans)) - 1)][1]]


def middle(text: str) -> str:
    paras = paragraphs(text)
    if len(paras) >= 4:  # "three paragraphs of twelve": the middle quarter, at least one
        m = max(1, round(len(paras) / 4))
        s = (len(paras) - m) // 2
        return "\n\n".join(paras[s : s + m])
    spans = [m.span() for m in WORD.finditer(text)]
    n = len(spans)
    return text[spans[3 * n // 8][0] : spans[5 * n // 8][1]]


def sentences(text: str) -> list[str]:
    return [s.strip() for p in paragraphs(text) for s in re.split(r"(?<=[.!?。])\s+", p) if s.strip()]


def names(text: str) -> list[str]:
    """Runs of capitalised words not opening a sentence (what same-event articles share), first seen first."""
    found: list[str] = []
    run: list[re.Match[str]] = []
    for m in itertools.chain(TOKEN.finditer(text), [None]):
        if m is not None and m.group()[0].isupper() and (not run or text[run[-1].end() : m.start()] == " "):
            run.append(m)
            continue
        if run:
            opens = run[0].start() == 0 or re.search(r"[.!?\n]\W*$", text[max(0, run[0].start() - 4) : run[0].start()])
            name = text[run[0].start() : run[-1].end()]
            if not opens and name not in found and len(run) <= 4 and len(name) <= 40 and not _cjk(name):
                found.append(name)
        run = [m] if m is not None and m.group()[0].isupper() else []
    return found


def _cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))


@cache
def script(text: str) -> str:
    """The article's writing system (cached: `build` asks it for every pair of articles)."""
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _cjk(c))
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "cjk" if cjk > len(letters) / 5 else "cyrillic" if cyr > len(letters) / 2 else "latin"


def transplant(a: str, b: str, rng: random.Random, quoted: bool = True) -> str:
    """B rewritten to be about A's event: A's names and numbers replace B's, one or two A sentences quoted."""
    a_names, b_names = names(a), names(b)
    mapping = {n: a_names[i % len(a_names)] for i, n in enumerate(b_names)} if a_names else {}
    a_nums = NUMBER.findall(a)
    out = b
    if mapping:
        alternatives = "|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True))
        out = re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)",
                     lambda m: mapping[m.group()], out)
    if a_nums:
        out = re.sub(rf"(?<!\w)(?:{NUMBER.pattern})(?!\w)", lambda _m: rng.choice(a_nums), out)
    quotes = [s for s in sentences(a) if QUOTATIONS.search(s) and 6 <= len(s.split()) <= 45]
    plain = [s for s in sentences(a) if 8 <= len(s.split()) <= 40]
    picks = rng.sample(quotes, min(len(quotes), rng.choice((1, 2)))) or rng.sample(plain, min(len(plain), 2))
    speaker = rng.choice(a_names) if a_names else "a spokesperson"
    paras = paragraphs(out)
    for s in picks:
        if quoted and not QUOTATIONS.search(s):
            s = f"“{s.rstrip('.')},” said {speaker}."
        if not quoted:
            s = re.sub(r"[\"“”«»„「」]", "", s)
        paras.insert(rng.randrange(len(paras) + 1), s)
    return "\n\n".join(paras)


def real_same_event(arts: list[Article]) -> list[tuple[Article, Article]]:
    multi = {a.id: set(re.findall(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)+)", a.text)) for a in arts}
    return [(a, b) for a, b in itertools.combinations(arts, 2)
            if a.host != b.host and len(multi[a.id] & multi[b.id]) >= 3]


def build(arts: list[Article], everything: list[Article]) -> list[Pair]:
    pairs: list[Pair] = []
    by_len = sorted(arts, key=lambda a: len(a.text))
    for i, a in enumerate(by_len):
        donor = by_len[i - 1 if i else 1].text
        r = _rng(a.id)
        edits = {
            "verbatim": a.text,
            "sub5": substitute(a.text, 0.05, donor, r),
            "sub10": substitute(a.text, 0.10, donor, r),
            "sub20": substitute(a.text, 0.20, donor, r),
            "reorder": reorder(a.text, r),
            "sub10_reorder": reorder(substitute(a.text, 0.10, donor, r), r),
            "excerpt30": excerpt(a.text, 0.3),
            "excerpt50": excerpt(a.text, 0.5),
            "excerpt70": excerpt(a.text, 0.7),
            "middle": middle(a.text),
        }
        pairs += [Pair(kind, a.text, text, True) for kind, text in edits.items()]
        peers = [o for o in arts if o.id != a.id and script(o.text) == script(a.text)] or [o for o in arts if o is not a]
        b = r.choice(peers)  # same script, so the transplanted names read as names
        pairs.append(Pair("same_topic", a.text, transplant(a.text, b.text, _rng(a.id, b.id)), False))
        pairs.append(Pair("same_topic_bare", a.text, transplant(a.text, b.text, _rng(a.id, b.id), False), False))
    pairs += [Pair("unrelated", a.text, b.text, False) for a, b in itertools.combinations(arts, 2)]
    ids = {a.id for a in arts}
    tuning_side = not held_out(arts[0].host)
    for a, b in real_same_event(everything):
        both = a.id in ids and b.id in ids
        either = a.id in ids or b.id in ids
        if (tuning_side and both) or (not tuning_side and either):  # straddling pairs count as held out
            pairs.append(Pair("same_event_real", a.text, b.text, False))
    return pairs
