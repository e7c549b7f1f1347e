"""Which of two matching documents is the original, and why (the reason is stored with the match and shown).

In order: the site's role (publishers before unknown sites before aggregators; an aggregator is never an
original); then what the pages say of each other (a page that links to the other's URL or credits the other's site
is the copy); then the parsed publication instants (UTC; an undated page after every dated one); then first seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from compliance.urls import match_key

ROLE_RANK = {"publisher": 0, "unknown": 1, "aggregator": 2}


@dataclass
class DocFacts:
    """What linking needs to know about one current document: its fingerprints and facts, never its text."""

    id: int
    site_id: int
    role: str
    url: str
    simhash: int
    published_at: datetime | None  # parsed UTC (compliance.dates); None when the page gave no usable date
    first_seen: datetime


def order_pair(a: DocFacts, b: DocFacts) -> tuple[DocFacts, DocFacts] | None:
    """(original, copy) by role, then publication date, then first-seen; None when neither can be an original.

    Aggregators are never originals: an item's originals list only originals, never another copy.
    """

    def key(d: DocFacts) -> tuple[int, bool, datetime, datetime, int]:
        # an undated document sorts after every dated one of the same role: it cannot claim to be earlier
        return (ROLE_RANK.get(d.role, 1), d.published_at is None, d.published_at or d.first_seen, d.first_seen, d.id)

    original, copy = sorted((a, b), key=key)
    if original.role == "aggregator":
        return None
    return original, copy


@dataclass(frozen=True)
class Refs:
    """The pages a document links to (match keys) and the names its credit lines give (case-folded)."""

    links: frozenset[str]
    credits: frozenset[str]

    @classmethod
    def of(cls, links: Iterable[Any] | None, credits: Iterable[Any] | None) -> Refs:
        keys = {match_key(str(u)) for u in links or [] if isinstance(u, str)}
        for c in credits or []:
            if isinstance(c, Mapping) and isinstance(c.get("url"), str):
                keys.add(match_key(c["url"]))
        names = {str(c.get("name")).casefold() for c in credits or [] if isinstance(c, Mapping) and c.get("name")}
        return cls(frozenset(k for k in keys if k), frozenset(names))

    def points_at(self, doc: DocFacts, site_name: str | None) -> bool:
        """This page links to the document's URL or credits its site by name."""
        return match_key(doc.url) in self.links or bool(site_name and site_name.casefold() in self.credits)


def _when(d: DocFacts) -> str:
    return d.published_at.isoformat() if d.published_at else "undated"


def direction(a: DocFacts, b: DocFacts, a_refs: Refs, b_refs: Refs,
              site_names: Mapping[int, str]) -> tuple[DocFacts, DocFacts, str] | None:
    """(original, copy, why), or None when neither can be an original (both on aggregators)."""
    ra, rb = ROLE_RANK.get(a.role, 1), ROLE_RANK.get(b.role, 1)
    if ra != rb:
        original, copy = (a, b) if ra < rb else (b, a)
        if original.role == "aggregator":
            return None
        return original, copy, f"site roles: the {original.role}'s page is the original, the {copy.role}'s the copy"
    if a.role == "aggregator":
        return None
    a_to_b, b_to_a = a_refs.points_at(b, site_names.get(b.site_id)), b_refs.points_at(a, site_names.get(a.site_id))
    if a_to_b != b_to_a:
        original, copy = (b, a) if a_to_b else (a, b)
        return original, copy, "the copy links to the original or credits its site"
    ordered = order_pair(a, b)
    assert ordered is not None
    original, copy = ordered
    if original.published_at and (copy.published_at is None or original.published_at < copy.published_at):
        return original, copy, f"published {_when(original)}, the copy {_when(copy)}"
    if original.first_seen < copy.first_seen:
        return original, copy, f"first seen {original.first_seen.isoformat()}, the copy {copy.first_seen.isoformat()}"
    return original, copy, "no date tells them apart: the earlier stored is taken as the original"
