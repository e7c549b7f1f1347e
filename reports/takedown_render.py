"""Shared Jinja2 environment and text filters for takedown letters, statements of reasons and transparency reports.

Same conventions as `reports.render`: PackageLoader("reports", "templates"), autoescape on for every
template, StrictUndefined. Plain-text templates mark values safe only after `t`/`block` have cleaned
them, so an unfiltered value shows up HTML-escaped (a visible slip) rather than raw. `t` and `block`
are for text templates only; HTML and Markdown templates use `clean`/`md` as `reports.render` does.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from reports.render import _visible, clean, link, md, md_code, md_url, num, pct, web_url

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
        line = _visible(line.replace("\t", "    ")).rstrip()
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


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment for takedown documents (text and HTML alike)."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,  # every template; text templates get Markup only from the cleaning filters
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(t=text, block=block, day=day, moment=moment, hours=hours, count=count, clean=clean,
                       link=link, md=md, md_code=md_code, md_url=md_url, num=num, pct=pct)
    env.globals.update(web_url=web_url)
    return env


__all__ = ["as_dict", "as_list", "block", "count", "day", "environment", "hours", "iso_day", "moment", "text",
           "to_date", "to_instant"]
