"""Which of two matching documents is the original, and the reason stored with the match."""

from __future__ import annotations

from datetime import datetime, timezone

from compliance.attribution.direction import DocFacts, Refs, direction
from compliance.dates import parse_lenient

SEEN = datetime(2026, 3, 5, tzinfo=timezone.utc)
NAMES = {1: "Harbour Times", 2: "Northgate Herald", 3: "Digest"}
NONE = Refs.of([], [])


def _doc(doc_id: int, role: str, published: str | None, seen: datetime = SEEN) -> DocFacts:
    return DocFacts(doc_id, doc_id, role, f"https://s{doc_id}.example/story", 0, parse_lenient(published), seen)


def test_role_decides_first_and_aggregators_are_never_originals() -> None:
    pub, agg = _doc(1, "publisher", "2026-03-05"), _doc(3, "aggregator", "2026-03-01")
    original, copy, why = direction(agg, pub, NONE, NONE, NAMES) or (None, None, "")
    assert (original, copy) == (pub, agg) and "publisher" in why
    assert direction(agg, _doc(4, "aggregator", None), NONE, NONE, NAMES) is None


def test_a_page_that_links_to_or_credits_the_other_is_the_copy_whatever_the_dates() -> None:
    early, late = _doc(1, "publisher", "2026-03-01"), _doc(2, "publisher", "2026-03-04")
    links = Refs.of(["https://s2.example/story"], [])
    original, copy, why = direction(early, late, links, NONE, NAMES) or (None, None, "")
    assert (original, copy) == (late, early) and "links to the original" in why
    credits = Refs.of([], [{"text": "Source: Northgate Herald", "name": "Northgate Herald"}])
    assert direction(early, late, credits, NONE, NAMES)[:2] == (late, early)  # type: ignore[index]


def test_dates_then_first_seen_give_their_reason() -> None:
    early, late = _doc(1, "publisher", "2026-03-01T08:00Z"), _doc(2, "publisher", "2026-03-04")
    original, _copy, why = direction(late, early, NONE, NONE, NAMES) or (None, None, "")
    assert original == early and why.startswith("published 2026-03-01T08:00:00+00:00")
    a = _doc(1, "unknown", None, datetime(2026, 1, 1, tzinfo=timezone.utc))
    b = _doc(2, "unknown", None)
    original, _copy, why = direction(b, a, NONE, NONE, NAMES) or (None, None, "")
    assert original == a and why.startswith("first seen")
