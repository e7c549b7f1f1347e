"""The one Jinja2 environment every report, letter and statement is rendered in.

PackageLoader("reports", "templates"), autoescape on for every template (plain-text ones get Markup only from
the cleaning filters, so an unfiltered value shows up HTML-escaped, a visible slip, rather than raw),
StrictUndefined so a missing field fails loudly.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from reports import filters


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment, with every filter of `reports.filters`."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clean=filters.clean, link=filters.link, md=filters.md, md_code=filters.md_code, md_url=filters.md_url,
        pct=filters.pct, num=filters.num, label=filters.label, t=filters.text, block=filters.block,
        day=filters.day, moment=filters.moment, hours=filters.hours, count=filters.count,
    )
    env.globals.update(web_url=filters.web_url)
    return env


__all__ = ["environment"]
