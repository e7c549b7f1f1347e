"""Which of two matching documents is the original: role, then the parsed publication instant, then first-seen."""

from __future__ import annotations

from datetime import datetime, timezone

from compliance.attribution.direction import DocFacts, order_pair
from compliance.dates import parse_lenient

SEEN = datetime(2026, 3, 5, tzinfo=timezone.utc)


def _doc(doc_id: int, role: str, published: str | None, seen: datetime = SEEN) -> DocFacts:
    return DocFacts(doc_id, doc_id, role, f"https://s{doc_id}.example/a", 0, parse_lenient(published), seen)


def test_the_earlier_instant_is_the_original_whatever_its_offset() -> None:
    # 08:30+05:00 is 03:30 UTC: earlier than 05:00Z, though later as text (the old comparison got this wrong)
    east, west = _doc(1, "publisher", "2026-03-04T08:30+05:00"), _doc(2, "publisher", "2026-03-04T05:00Z")
    assert order_pair(east, west) == (east, west)
    assert order_pair(west, east) == (east, west)


def test_dates_as_pages_write_them_are_compared_too() -> None:
    early, late = _doc(1, "unknown", "March 3, 2026"), _doc(2, "unknown", "Wed, 04 Mar 2026 08:30:00 GMT")
    assert order_pair(late, early) == (early, late)


def test_an_undated_document_cannot_claim_to_be_earlier() -> None:
    dated, undated = _doc(1, "publisher", "2026-03-04"), _doc(2, "publisher", None, datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert order_pair(undated, dated) == (dated, undated)


def test_role_comes_first_and_aggregators_are_never_originals() -> None:
    publisher, aggregator = _doc(1, "publisher", "2026-03-05"), _doc(2, "aggregator", "2026-03-01")
    assert order_pair(aggregator, publisher) == (publisher, aggregator)
    assert order_pair(aggregator, _doc(3, "aggregator", "2026-01-01")) is None
