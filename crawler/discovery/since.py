"""`--since DATE`: skip articles whose sitemap or feed dates are all older, keep every undated one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from compliance.dates import as_utc


def is_recent(dates: Iterable[datetime], since: datetime | None) -> bool:
    """Whether an entry is kept: no `since`, no date, or its newest date (published or modified) on or after it.

    The newest date decides, so an old article modified since is crawled again: it may have changed, and a page
    with no date at all is never skipped on a guess.
    """
    if since is None:
        return True
    known = [as_utc(d) for d in dates]
    return not known or max(known) >= as_utc(since)


__all__ = ["is_recent"]
