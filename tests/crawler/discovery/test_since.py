"""`--since`: the newest known date decides; undated entries are always kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.discovery.since import is_recent

SINCE = datetime(2026, 3, 1, tzinfo=timezone.utc)


def test_is_recent() -> None:
    old, new = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert is_recent([new], SINCE) and not is_recent([old], SINCE)
    assert is_recent([old, new], SINCE)  # published long ago, modified since: crawled again
    assert is_recent([], SINCE)  # undated: never skipped on a guess
    assert is_recent([old], None)
    assert is_recent([SINCE], SINCE)  # on the day itself
    east = datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))  # 2026-02-28T23:30Z
    assert not is_recent([east], SINCE)
    assert is_recent([datetime(2026, 3, 1, 0, 30)], SINCE)  # naive: taken as UTC
