"""What a notice is (takedown, counter-notice, retraction, reversal) and which law it invokes, from its text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from compliance.takedown.notices.service import NO_SERVICE, Service

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
    (r"has been reinstated|we (?:have )?reinstated", 3),
    (r"we ha(?:s|ve) reconsidered|decided to reject (?:this|these)", 3),
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


def strip_annotations(text: str, service: Service = NO_SERVICE) -> str:
    """The text without the service's own notes on its published copies (which are not the sender's words)."""
    for note in service.notes:
        text = re.sub(note, "\n", text)
    return text


def _reversal_rules(service: Service) -> tuple[tuple[str, int], ...]:
    """The generic reversal phrases, plus the service reconsidering in its own name ("GitHub has reinstated")."""
    named = tuple((rf"\b{re.escape(name)} (?:has )?(?:reinstated|reconsidered)", 3) for name in service.names)
    return _REVERSAL + named


def detect_kind(text: str, hints: Mapping[str, str | None] | None = None, service: Service = NO_SERVICE) -> str:
    """Classify by what the letter says; `hints` (`name`, `type`) only decide when the text is undecided."""
    hints = hints or {}
    text = strip_annotations(text, service)
    reversal = _reversal_rules(service)
    hinted = next((k for k in (hint_kind(hints.get(key) or "") for key in ("type", "name")) if k), None)
    head = text[:20000]
    scores = {
        "counter_notice": _score(head, _COUNTER),
        "retraction": _score(head, _RETRACTION),
        "reversal": _score(head, reversal),
    }
    # A retraction or reversal quotes the takedown/counter-notice language it withdraws; its own words come first.
    opening = text[:600]
    if _score(opening, _RETRACTION) >= 3 and scores["retraction"] >= scores["counter_notice"] - 3:
        return "retraction"
    if _score(opening, reversal) >= 3:
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


def detect_regime(text: str, service: Service = NO_SERVICE) -> str:
    """`dsa` when the notice invokes the EU Digital Services Act, `dmca` for the US statute, else `other`."""
    text = strip_annotations(text, service)
    if _DSA.search(text):
        return "dsa"
    if _DMCA.search(text) or (_GOOD_FAITH.search(text) and _PERJURY.search(text)):
        return "dmca"
    return "other"
