"""Dates as pages and letters write them, parsed once into UTC; strict parsing for what the user types."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from compliance.dates import parse_day, parse_instant, parse_lenient, parse_machine
from compliance.errors import InputError

UTC = timezone.utc


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("March 4, 2026", None, datetime(2026, 3, 4, tzinfo=UTC)),
    ("04/03/2026", "en-US", datetime(2026, 4, 3, tzinfo=UTC)),  # US English writes the month first
    ("04/03/2026", "en-GB", datetime(2026, 3, 4, tzinfo=UTC)),
    ("04/03/2026", "fr", datetime(2026, 3, 4, tzinfo=UTC)),
    ("2026/03/04", None, datetime(2026, 3, 4, tzinfo=UTC)),
    ("Wed, 04 Mar 2026 08:30:00 GMT", None, datetime(2026, 3, 4, 8, 30, tzinfo=UTC)),  # RFC 1123
    ("Wed, 4 Mar 2026 08:30:00 +0100", None, datetime(2026, 3, 4, 7, 30, tzinfo=UTC)),  # RFC 5322
    ("2026-03-04T08:30+05:00", None, datetime(2026, 3, 4, 3, 30, tzinfo=UTC)),
    ("2026-03-04T05:00Z", None, datetime(2026, 3, 4, 5, 0, tzinfo=UTC)),
    ("2026-03-04T05:00:00.123Z", None, datetime(2026, 3, 4, 5, 0, 0, 123000, tzinfo=UTC)),
    ("2026-03-04", None, datetime(2026, 3, 4, tzinfo=UTC)),
    ("4. März 2026", "de", datetime(2026, 3, 4, tzinfo=UTC)),
    ("9999-12-31", None, None),  # a sentinel, not a date
    ("Fri, 31 Dec 9999 23:59:59 GMT", None, None),
    ("yesterday", None, None),  # relative dates would be read against the crawl time
    ("2 hours ago", None, None),
    ("not a date at all", None, None),
    ("", None, None),
    (None, None, None),
    ("x" * 5000, None, None),
])
def test_parse_lenient(text: str | None, language: str | None, expected: datetime | None) -> None:
    assert parse_lenient(text, language) == expected


def test_offsets_compare_as_instants_not_as_text() -> None:
    """As text "…08:30+05:00" sorts after "…05:00Z"; as instants it is the earlier one."""
    a, b = "2026-03-04T08:30+05:00", "2026-03-04T05:00Z"
    assert a > b
    first, second = parse_lenient(a), parse_lenient(b)
    assert first is not None and second is not None and first < second


def test_strict_parsers_refuse_with_one_line() -> None:
    assert parse_instant("2026-03-10T10:00:00Z") == datetime(2026, 3, 10, 10, tzinfo=UTC)
    with pytest.raises(InputError) as info:
        parse_instant("March 4", "PROVENANCE_NOW")
    assert "PROVENANCE_NOW" in info.value.one_line() and "Fix:" in info.value.one_line()
    with pytest.raises(InputError):
        parse_day("04/03/2026", "--from")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-04", datetime(2026, 3, 4, tzinfo=UTC)),  # sitemap lastmod, W3C Datetime
    ("2026-03-04T08:30+05:00", datetime(2026, 3, 4, 3, 30, tzinfo=UTC)),
    ("2026-03-04T08:30:15.5Z", datetime(2026, 3, 4, 8, 30, 15, 500000, tzinfo=UTC)),
    ("2026-03", datetime(2026, 3, 1, tzinfo=UTC)),  # W3C Datetime allows year-month and year alone
    ("2026", datetime(2026, 1, 1, tzinfo=UTC)),
    ("  Wed, 04 Mar 2026 08:30:00 GMT ", datetime(2026, 3, 4, 8, 30, tzinfo=UTC)),  # RSS pubDate
    ("2026-13", None),
    ("9999-12-31", None),
    ("March 4, 2026", None),  # prose dates are never guessed here: machines write exact formats
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_parse_machine(text: str | None, expected: datetime | None) -> None:
    assert parse_machine(text) == expected
