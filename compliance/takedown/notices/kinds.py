"""What a notice is (takedown, counter-notice, retraction, reversal) and which law it invokes, from its text."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Each kind's phrases with a weight; the text decides, a file-name or form-field hint only breaks ties.
_COUNTER = (
    (r"counter[- ]?notice|counter[- ]?notification", 3),
    (r"512\s*\(g\)", 3),
    (r"consent to the jurisdiction|consent to (?:the )?(?:federal )?(?:district )?court", 3),
    (r"mistake or misidentification", 4),
    (r"removed or disabled (?:as a result of|in error|by mistake)", 2),
    (r"accept service of process", 2),
    (r"(?:re-?enable|restore|reinstate) (?:my|our|the) (?:repo|repositor|project|account|content|code)", 1),
)
_RETRACTION = (
    (r"\bretract(?:ion|ing|s|ed)?\b", 3),
    ((r"withdraw(?:ing|n|s)? (?:my|our|the|this|that)(?: previous| prior| earlier)? (?:dmca |takedown |counter[- ]?)?"
     r"(?:notice|notification|request|claim|complaint|takedown)"), 4),
    ((r"(?:rescind|cancel)(?:ing|s|led)? (?:my|our|the|this)(?: previous| prior)? (?:dmca |takedown )?"
     r"(?:notice|request|claim)"), 3),
    (r"no longer (?:wish|want|seek) (?:to|the)", 2),
    (r"(?:takedown|notice|dmca|request) (?:is|was) (?:not|no longer) (?:needed|necessary|required)", 3),
    (r"(?:have|has|get) the (?:dmca|notice|takedown)(?: notice)? (?:revoked|lifted|withdrawn)|\brevok", 3),
    (r"(?:please )?(?:disregard|ignore) (?:my|our|the)(?: previous| prior)? (?:dmca |takedown )?(?:notice|request|email)", 3),
)
_REVERSAL = (
    (r"\breversal\b|\breversed\b", 3),
    (r"github (?:has )?reinstated|has been reinstated|we (?:have )?reinstated", 3),
    (r"(?:github|we) ha(?:s|ve) reconsidered|decided to reject (?:this|these)", 3),
    (r"(?:notice|takedown) (?:was|has been) (?:reversed|processed in error)", 3),
)
_HINTS = (
    (r"counter[-_ ]?retraction|counter[-_ ]?notice[-_ ]?retraction", "retraction"),
    (r"counter[-_ ]?notice", "counter_notice"),
    (r"retraction|withdraw", "retraction"),
    (r"reversal", "reversal"),
)
_DSA = re.compile(r"(?i)digital services act|\bDSA\b|regulation \(eu\) 2022/2065|2022/2065|article 16\b|art\.? 16\b")
_DMCA = re.compile(r"(?i)\bDMCA\b|digital millennium|512\s*\(\s*[cg]\s*\)|17\s*U\.?\s*S\.?\s*C|section 512\b")
# The platform's own processing notes (github/dmca, from March 2021) are not the sender's words: GitHub heads
# processed takedowns with "Before disabling any content ... GitHub - contacted the owners ... - provided information
# on how to submit a DMCA Counter Notice", and adds bracketed "[Note: ... fork network ...]" lines.
_ANNOTATION = re.compile(
    r"(?im)^[ \t>]*before disabling any content in relation to this (?:takedown )?notice,?\s+github\b[^\n]*\n"
    r"(?:[ \t>]*(?:[-*\u2022+][^\n]*)?\n)*"
    r"|^[ \t>]*\[note:[^\]\n]*(?:\[[^\]\n]*\][^\]\n]*)*\]")
# 512(c)(3)(A)(v) and (vi): a letter that makes both sworn statements is a DMCA notice even if it never says so.
_GOOD_FAITH = re.compile(r"(?i)good[- ]faith belief")
_PERJURY = re.compile(r"(?i)penalty of perjury")


def _score(text: str, rules: tuple[tuple[str, int], ...]) -> int:
    return sum(weight for pattern, weight in rules if re.search(pattern, text, re.IGNORECASE))


def hint_kind(name: str) -> str | None:
    """The kind a file name or form field suggests (`-counternotice`, `-retraction`): a tiebreak, never required."""
    for pattern, kind in _HINTS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return None


def strip_annotations(text: str) -> str:
    """The text without the platform's processing notes (which mention counter notices in every annotated takedown)."""
    return _ANNOTATION.sub("\n", text)


def detect_kind(text: str, hints: Mapping[str, str | None] | None = None) -> str:
    """Classify by what the letter says; `hints` (`name`, `type`) only decide when the text is undecided."""
    hints = hints or {}
    text = strip_annotations(text)
    hinted = next((k for k in (hint_kind(hints.get(key) or "") for key in ("type", "name")) if k), None)
    head = text[:20000]
    scores = {
        "counter_notice": _score(head, _COUNTER),
        "retraction": _score(head, _RETRACTION),
        "reversal": _score(head, _REVERSAL),
    }
    # A retraction or reversal quotes the takedown/counter-notice language it withdraws; its own words come first.
    opening = text[:600]
    if _score(opening, _RETRACTION) >= 3 and scores["retraction"] >= scores["counter_notice"] - 3:
        return "retraction"
    if _score(opening, _REVERSAL) >= 3:
        return "reversal"
    best = max(scores.values())
    if best >= 3:
        leaders = [kind for kind, score in scores.items() if score == best]
        if hinted in leaders:
            return hinted
        for kind in ("counter_notice", "retraction", "reversal"):
            if kind in leaders:
                return kind
    if hinted is not None and hinted != "notice" and best >= 1:
        return hinted
    if hinted is not None and best == 0 and not _looks_like_notice(text):
        return hinted
    if _looks_like_notice(text) or hinted is None:
        return "notice" if text.strip() else "other"
    return hinted


def _looks_like_notice(text: str) -> bool:
    """A takedown asks for removal of something it says infringes."""
    return bool(re.search(r"(?i)infring|take ?down|remov|disable access|copyright|unauthori[sz]ed|pirat", text))


def detect_regime(text: str) -> str:
    """`dsa` when the notice invokes the EU Digital Services Act, `dmca` for the US statute, else `other`."""
    text = strip_annotations(text)
    if _DSA.search(text):
        return "dsa"
    if _DMCA.search(text) or (_GOOD_FAITH.search(text) and _PERJURY.search(text)):
        return "dmca"
    return "other"
