"""Generic aggregator disclaimers ("aggregated from public sources ... contact us for removal"), in any page's text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.extract.markup import fold_space, norm_space, screen_key, screen_keys

_DISCLAIMER_SOURCES = (
    r"\b(?:aggregated|collected|compiled|gathered|sourced|curated|reproduced|reposted)\s+from\s+"
    r"(?:various\s+|other\s+|third[- ]party\s+)?(?:public(?:ly available)?|online|the internet|internet|"
    r"open|various|third[- ]party|multiple)\b",
    r"\b(?:we|this (?:site|website))\s+(?:do(?:es)?\s+not|don't|doesn't)\s+(?:own|claim\s+(?:ownership|"
    r"any\s+rights|copyright))",
    r"\bcontact\s+us\s+(?:for|to\s+(?:request|have\s+it)|and\s+we\s+will)\s*(?:its\s+)?(?:removal|remove|"
    r"delet|take\s*down|takedown)",
    r"\b(?:will\s+be|be)\s+(?:promptly\s+)?(?:removed|deleted|taken\s+down)\s+(?:upon|on|after)\s+(?:request|"
    r"notice|notification)",
    r"\ball\s+(?:rights|copyrights?)\s+(?:belong|belongs|remain|reserved)\s+(?:to|with)\s+(?:their|the)\s+"
    r"(?:respective|original)\s+(?:owners?|authors?|holders?|creators?)",
    r"\bcopyright\s+(?:belongs|remains)\s+(?:to|with)\s+(?:the\s+)?original\s+(?:author|owner|publisher)",
    r"\bif\s+you\s+(?:believe|think|feel)\s+(?:that\s+)?(?:your|any)\s+(?:rights|copyright|content|work)"
    r"[^.]{0,40}\b(?:infring|violat)",
    r"\bno\s+copyright\s+infringement\s+intended\b",
    r"本文(?:来源|來源|转载|轉載)(?:于|於|自)?(?:网络|網絡|互联网|互聯網)",
    r"(?:来源|來源)(?:于|於)?(?:网络|網絡|互联网|互聯網)",
    r"(?:汇集|彙集|收集|整理|转载|轉載)(?:自|于|於)(?:网络|網絡|互联网|互聯網)",
    r"版权归(?:原作者|原作者及原出处|原出处|原出處|原作者所有)|版權歸原作者",
    r"如(?:有|涉及|涉)?侵权|如(?:有|涉及)?侵權",
    r"(?:请|請)?联系(?:我们|我們|本站)?(?:删除|刪除)|聯繫(?:我們|本站)?刪除",
)
_DISCLAIMER = re.compile("|".join(f"(?:{p})" for p in _DISCLAIMER_SOURCES), re.IGNORECASE)  # one scan a line
# Every disclaimer pattern needs one of these words (case-folded): a line with none of them is not one.
_DISCLAIMER_WORDS = (
    "aggregated", "collected", "compiled", "gathered", "sourced", "curated", "reproduced", "reposted", "not own",
    "n't own", "not claim", "n't claim", "contact us", "removed", "deleted", "taken", "respective", "original",
    "infring", "violat", "网络", "網絡", "互联网", "互聯網", "版权归", "版權歸", "侵权", "侵權", "删除", "刪除",
)


def disclaimer_words(text: str) -> tuple[str, ...]:
    """The screening words present in a whole page's text: lines need only be tested for these."""
    key = screen_key(text)
    return tuple(w for w in _DISCLAIMER_WORDS if w in key)


def is_disclaimer(text: str, words: tuple[str, ...] = _DISCLAIMER_WORDS) -> bool:
    """True for a generic "aggregated from public sources / contact us for removal" disclaimer.

    words: the screening words that can occur (disclaimer_words of the page); the default is all of them.
    """
    key = screen_key(fold_space(text))
    if not any(w in key for w in words):
        return False
    line = norm_space(text)
    if not line or len(line) > 1200:
        return False
    return _DISCLAIMER.search(line) is not None


def find_disclaimers(text_blocks: Iterable[str], *, keys: list[str] | None = None) -> list[str]:
    """The generic aggregator disclaimers among the page's text blocks, as written, in order, deduplicated.

    keys: the blocks' screen_keys when the caller has them (markup.screen_keys of blocks already folded).
    """
    found: dict[str, None] = {}
    lines = list(text_blocks) if keys is not None else [fold_space(block) for block in text_blocks]
    if keys is None:
        keys = screen_keys(lines)  # one case-fold for the page, split back into its lines
    page = "\n".join(keys)
    words = tuple(w for w in _DISCLAIMER_WORDS if w in page)
    if not words:
        return []
    for line, key in zip(lines, keys):
        if any(w in key for w in words) and is_disclaimer(line, words):
            found.setdefault(line, None)
    return list(found)
