"""Retry-After read as RFC 9110 writes it: delta-seconds or an HTTP-date."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.politeness import retry_after_seconds

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def test_delta_seconds_and_http_dates() -> None:
    assert retry_after_seconds("3600", NOW) == 3600.0
    assert retry_after_seconds(" 0 ", NOW) == 0.0
    assert retry_after_seconds("Sat, 28 Nov 2026 12:00:30 GMT", NOW) == 30.0
    assert retry_after_seconds("Sat, 28 Nov 2026 11:00:00 GMT", NOW) == 0.0  # in the past: no wait


def test_absent_or_unreadable_values_give_none() -> None:
    assert retry_after_seconds(None, NOW) is None
    assert retry_after_seconds("", NOW) is None
    assert retry_after_seconds("soon", NOW) is None
    assert retry_after_seconds("-5", NOW) is None
