"""Jinja2 filters and text helpers for every document: untrusted values made inert, numbers and dates worded.

Every string from a crawled page or a notice is untrusted. HTML templates autoescape; links are made only for
plain http(s) URLs; Markdown text is backslash-escaped; plain-text documents get `t`/`block`, which fold
controls and show invisible and bidi-override characters instead of letting them act (CVE-2021-42574).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from markupsafe import Markup

_EMBEDDED_LABELS = {
    "exif_artist": "EXIF Artist",
    "exif_copyright": "EXIF Copyright",
    "iptc_byline": "IPTC By-line",
    "iptc_credit": "IPTC Credit Line",
    "iptc_copyright": "IPTC Copyright Notice",
    "iptc_source": "IPTC Source",
    "xmp_creator": "XMP creator",
    "xmp_rights": "XMP rights",
    "xmp_credit": "XMP Credit",
}

# Bidi overrides/isolates, zero-width and other invisible format characters can make a crawled
# URL or credit read as something else (CVE-2021-42574, "Trojan Source"): show them instead.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE_RUN = re.compile(r"[\t\n\r\f\v\u2028\u2029]+")
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+\Z", re.IGNORECASE)
# Markdown-significant punctuation in inline text (CommonMark 2.4 backslash escapes): links and
# images need `[`, HTML needs `<`, entities `&`; values never start a line, so `-`, `+`, `.` are safe.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#])")


def visible(text: str) -> str:
    """Replace invisible and control characters by a visible marker such as `⟨U+202E⟩`."""
    text = _INVISIBLE.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)
    return _CONTROL.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)


def clean(value: object) -> str:
    """One-line display text for an untrusted value (newlines folded, invisibles shown)."""
    if value is None:
        return ""
    return visible(_WHITESPACE_RUN.sub(" ", str(value))).strip()


def web_url(value: object) -> str | None:
    """The URL if it is a plain http(s) URL safe to link or load, else None."""
    if not isinstance(value, str) or _INVISIBLE.search(value) or not _WEB_URL.match(value):
        return None
    return value


def link(url: object, text: object = None) -> Markup:
    """An `<a>` for http(s) URLs; anything else (javascript:, data:, relative) as inert text."""
    label = clean(url if text is None or text == "" else text) or clean(url)
    safe = web_url(url)
    if safe is None:
        return Markup('<span class="inert" title="not a web link">{}</span>').format(label)
    return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(safe, label)


def md(value: object) -> Markup:
    """Markdown text for an untrusted value: no links, emphasis or HTML can come through."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", clean(value)))


def md_code(value: object) -> Markup:
    """A Markdown code span; content is literal there, so only a backtick could break out."""
    text = clean(value).replace("`", "'").replace("|", "\\|")  # GFM splits table cells on |
    return Markup(f"`{text or ' '}`")


def md_url(value: object) -> Markup:
    """A Markdown autolink for an http(s) URL, escaped inert text for anything else."""
    safe = web_url(value)
    if safe is None:
        return md(value) if value else Markup("")
    return Markup(f"<{safe}>")


def pct(value: object) -> str:
    """0.91 -> "91%"; None -> "—"."""
    if not isinstance(value, (int, float)):
        return "—"
    return f"{value * 100:.0f}%"


def num(value: object) -> str:
    """A score or distance for display; None -> "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return clean(value)


def label(key: object) -> str:
    """A readable name for an embedded-credit field key."""
    text = clean(key)
    return _EMBEDDED_LABELS.get(text, text.replace("_", " "))


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\u2028\u2029\x85]")


def text(value: object) -> Markup:
    """One line of untrusted text for a plain-text document: newlines folded, controls made visible."""
    return Markup(clean(value))


def block(value: object, indent: str = "    ", width: int = 96) -> Markup:
    """Untrusted multi-line text, wrapped, every line indented so none can pass for the letter's own lines."""
    if value is None:
        return Markup("")
    lines = []
    for line in _LINE_BREAKS.split(str(value)):
        line = visible(line.replace("\t", "    ")).rstrip()
        lines.extend(textwrap.wrap(line, width - len(indent), break_long_words=False, break_on_hyphens=False,
                                   drop_whitespace=True) or [""])
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return Markup("\n".join(f"{indent}{line}" if line else indent.rstrip() for line in lines))


def to_date(value: object) -> date | None:
    """A date from a date, datetime or ISO 8601 string; None when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def to_instant(value: object) -> datetime | None:
    """An aware UTC datetime from a datetime or ISO string carrying a time; None otherwise."""
    if isinstance(value, str) and "T" in value.upper():
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return None


def day(value: object) -> str:
    """A date spelled out without ambiguity ("Monday 8 December 2025"); other values cleaned (not marked safe)."""
    d = to_date(value)
    if d is None:
        return clean(value) if value not in (None, "") else "(date not recorded)"
    return f"{d:%A} {d.day} {d:%B %Y}"


def moment(value: object) -> str:
    """An instant as "24 November 2025, 15:02 UTC"; a bare date as `day`."""
    instant = to_instant(value)
    if instant is None:
        return day(value)
    return f"{instant.day} {instant:%B %Y, %H:%M} UTC"


def iso_day(value: object) -> str | None:
    """YYYY-MM-DD, or None."""
    d = to_date(value)
    return d.isoformat() if d else None


def as_list(value: object) -> list[Any]:
    """The value if it is a list or tuple, else an empty list."""
    return list(value) if isinstance(value, (list, tuple)) else []


def as_dict(value: object) -> dict[str, Any]:
    """The value if it is a mapping, else an empty dict."""
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def hours(value: object) -> str:
    """Hours for display ("20.5 h"); None -> "n/a"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "n/a"
    return f"{value:.1f} h"


def count(value: object) -> str:
    """A count, stated as 0 when nothing was recorded (the transparency rules want zeros explicit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "0"
    return str(value) if isinstance(value, int) or not value.is_integer() else str(int(value))
