"""Who signed a letter: an explicit signature, a name under a closing, a form's signature answer, a sign-off line.

512(c)(3)(A)(i) and 512(g)(3)(A) ask for "a physical or electronic signature"; a typed name closing the letter is
one. Letters to an operator close in many languages and shapes ("Med vänliga hälsningar", "... removed. Thank you!",
a name alone under the last sentence, a date under the name), and publishers redact names (`[private]`): each of
those is a signature here, a closing without a name is not.
"""

from __future__ import annotations

import re

from compliance.takedown.notices.patterns import RED
from compliance.takedown.notices.spans import (
    Span,
    form_answers,
    line_spans,
    sentence_finder,
)

_I = re.IGNORECASE
_RED = re.compile(RED, _I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", _I)

_CLOSING = re.compile(r"^\W*(?:(?:very\s+)?(?:truly|sincerely|faithfully|respectfully)(?:\s+yours)?|yours\s+(?:truly|"
                      r"sincerely|faithfully)|(?:best|kind|warm)?\s*regards|thanks?(?:\s+you)?(?:\s+very\s+much)?"
                      r"(?:\s+for[^\n]{0,40})?|cheers|truthfully|signed|best|"
                      # the same closings in the languages of European letters
                      r"(?:med\s+)?vänliga\s+hälsningar|hälsningar|mit\s+freundlichen\s+grüßen|(?:freundliche|viele)\s+grüße|"
                      r"(?:met\s+)?vriendelijke\s+groet(?:en)?|(?:bien\s+)?cordialement|salutations\s+distinguées|"
                      r"(?:distinti|cordiali)\s+saluti|atentamente|saludos(?:\s+cordiales)?|(?:med\s+)?ven(?:n)?lig\s+hilsen|"
                      r"ystävällisin\s+terveisin|z\s+poważaniem)\W*(?:$|(?=\[))", _I)
_LABEL = re.compile(r"^\W*[\w .-]{1,25}[:：]\s")
_NAME_LINE = re.compile(rf"^\W{{0,6}}(?:{RED}|/s/\s*\S|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){{0,4}}\s*,?)", _I)
_CLOSING_AND_NAME = re.compile(
    r"[ \t]*(?:thanks?(?:\s+you)?|(?:best|kind|warm)?\s*regards|best|cheers|sincerely|yours\s+(?:truly|sincerely))"
    r"\s*[,;–—-]\s*(?-i:[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*", _I)
_SIGN_OFF = re.compile(rf"^\W{{0,6}}(?:\d+\.\s*)?(?:答.)?{RED}(?!\s*:)(?:(?!:\s*{RED}).)*$", _I)


_SENTENCE_END = re.compile(r"[.!?][ \t]+(?=\S[^.!?\n]{0,40}[.!?,]?[ \t]*$)", re.MULTILINE)
_DATE_LINE = re.compile(r"[ \t]*(?:(?:\d{1,2}[ \t]+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+"
                        r"\d{1,2}(?:st|nd|rd|th)?,?[ \t]+\d{4}|\d{1,2}[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
                        r"dec)[a-z]*\.?[ \t]+\d{4}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})[^\n]{0,20}", _I)


def _is_name(line: str) -> bool:
    """A line that can be the name under a closing: not another closing, a field label or a link."""
    return bool(_NAME_LINE.match(line) and not _CLOSING.match(line) and not _LABEL.match(line)
                and len(line.strip()) <= 80 and not _URL.match(line))


def signature(det: str) -> list[Span]:
    """512(c)(3)(A)(i), 512(g)(3)(A): an explicit signature, a name under a closing, or a redacted sign-off line."""
    spans = sentence_finder(rf"(?:^|\s)/?s/\s*(?:{RED}|\w)", r"//\s*signed\s*//", rf"\bsignature\s*[:：]\s*(?:{RED}|\w)",
                   r"electronic signature\s*(?::|is below|follows)", rf"\bsigned\s*[,:]\s*(?:{RED}|\w)",
                   r"\b(?:message|letter|e-?mail|notice)\s+(?:is\s+)?signed\s+by\s+[A-Z]")(det)
    spans += form_answers(r"type your full legal name below to sign this request|^[ \t]*signature[ \t]*:?[ \t]*$|"
                          r"^[ \t]*(?:your\s+)?(?:physical\s+or\s+electronic\s+|electronic\s+|digital\s+)?signature\b"
                          r"[^\n]{0,100}\*?[ \t]*$")(det)
    lines = line_spans(det)
    for i, (s, e) in enumerate(lines):  # a closing ("Sincerely,", or "... removed. Thank you!") and the name under it
        tail = _SENTENCE_END.search(det, s, e)
        closing = _CLOSING.match(det[s:e]) or (_CLOSING.match(det[tail.end():e]) if tail else None)
        if not closing or len(det[s:e].strip()) >= 60:
            continue
        if _RED.search(det[s:e][closing.end():]):
            spans.append((s, e))
            continue
        name = next(((ns, ne) for ns, ne in lines[i + 1:i + 3] if not re.fullmatch(r"[\s_\-]+", det[ns:ne])), None)
        if name and _is_name(det[name[0]:name[1]]):
            spans.append((s, name[1]))
    for s, e in lines[-3:]:  # a closing and a name on one line at the end ("Thanks, WL", "Best regards, Anna Berg")
        if _CLOSING_AND_NAME.fullmatch(det[s:e]):
            spans.append((s, e))
    for s, e in lines[-3:]:  # a dashed sign-off at the end ("-Tom Avery", "— Jane Doe")
        if re.fullmatch(r"[ \t]*[-–—]{1,2}[ \t]*[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3}[ \t]*", det[s:e]):
            spans.append((s, e))
    body = [(s, e) for s, e in lines if det[s:e].strip()]
    while len(body) > 2 and _DATE_LINE.fullmatch(det[body[-1][0]:body[-1][1]]):
        body.pop()  # the date under a name ("John Q Public / February 11, 2010")
    # a name alone after the letter's last sentence ("License Compliance Team"), perhaps with up to two lines of
    # title and organisation under it ("Timothy Jucovy / Associate Counsel / The Washington Post")
    titled = r"[ \t]*[A-Z][\w.'’&-]+(?:[ \t]+[A-Z&][\w.'’&-]*){1,4}[ \t]*"
    for under in range(3):
        if len(body) < 2 + under:
            break
        (ps, pe), (s, e) = body[-2 - under], body[-1 - under]
        below = body[len(body) - under:]
        if (det[ps:pe].rstrip().endswith((".", "!")) and not _CLOSING.match(det[s:e])
                and re.fullmatch(titled, det[s:e])
                and all(re.fullmatch(r"[ \t]*[A-Z][\w.'’&,-]*(?:[ \t]+[\w.'’&,-]+){0,6}[ \t]*", det[ts:te])
                        and len(det[ts:te].strip()) <= 60 for ts, te in below)):
            spans.append((s, e))
            break
    for s, e in reversed(lines[-6:]):  # the last redacted sign-off line, under which only names/dates/links follow
        line, sign_off = det[s:e].strip(), _SIGN_OFF.match(det[s:e])
        if len(line) > 80 or re.search(r"[?:]\W*$", line) or (line.endswith(".") and len(line) > 25) or (
                _RED.search(line) and not sign_off):
            break
        if sign_off:
            spans.append((s, e))
            break
    return sorted(set(spans))


def closing_block(det: str) -> list[Span]:
    """Redacted lines after the last statement: two or more are a redacted signature block with contact details."""
    last = 0
    for m in re.finditer(r"perjury|good[\s-]*faith|accurate", det, _I):
        nl = det.find("\n", m.end())
        last = nl if nl >= 0 else len(det)
    red = [(s, e) for s, e in line_spans(det) if s >= last and _RED.search(det[s:e])]
    bare = re.compile(rf"\W{{0,6}}(?:\d+\.\s*)?{RED}\W*", _I)  # a stand-alone redacted field in the body
    body = [(s, e) for s, e in line_spans(det) if e <= last and bare.fullmatch(det[s:e])]
    return body + (red if len(red) >= 2 else [])
