"""RSS and Atom feeds: the newest articles of a site with their dates, and where a page says its feeds are.

A news site's feed lists what it published last, dated, so it is the cheapest way to reach new articles and to
apply `--since`. Feeds are read like sitemaps (`safexml`: bounded, nothing expanded): RSS 2.0 (`item/link`, else a
permalink `guid`; `pubDate` or `dc:date`), RSS 1.0/RDF (`item/link`, `dc:date`) and Atom (`entry/link` with
rel="alternate" or none, else an http(s) `id`; `published`, `updated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

from compliance.dates import parse_lenient, parse_machine
from compliance.urls import absolute
from crawler.discovery.safexml import (
    DocumentProblem,
    inflate,
    iterparse,
    localname,
    release,
    text_of,
)

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_FEED_ENTRIES = 10_000
MAX_FEED_LINKS = 20
_PUBLISHED = ("pubdate", "published", "issued", "date", "created")  # date: dc:date
_UPDATED = ("updated", "modified")


@dataclass(frozen=True)
class FeedEntry:
    """One article a feed lists, with its dates."""

    url: str
    published: datetime | None = None
    updated: datetime | None = None
    title: str | None = None

    @property
    def dates(self) -> tuple[datetime, ...]:
        """Every date the feed gives for the article (for `--since`)."""
        return tuple(d for d in (self.published, self.updated) if d is not None)


@dataclass(frozen=True)
class Feed:
    """One feed document read, and what went wrong."""

    url: str
    kind: Literal["rss", "atom", "unreadable"]
    entries: tuple[FeedEntry, ...] = ()
    problem: str | None = None


def _date(text: str) -> datetime | None:
    return parse_machine(text) or parse_lenient(text)


def _atom_link(element: etree._Element, base: str) -> str | None:
    for child in element:
        if localname(child) != "link":
            continue
        rel = (child.get("rel") or "alternate").strip().lower()
        if rel == "alternate" and child.get("href"):
            return absolute(child.get("href"), base)
    return None


def _entry(element: etree._Element, base: str) -> FeedEntry | None:
    url: str | None = None
    published = updated = None
    guid: str | None = None
    title: str | None = None
    for child in element:
        name = localname(child)
        if name == "link" and url is None and child.get("href") is None:
            url = absolute(text_of(child), base)  # RSS: the link is the element's text
        elif name == "guid" and (child.get("isPermaLink") or "true").strip().lower() != "false":
            guid = text_of(child)
        elif name == "id":
            guid = text_of(child)  # Atom: an IRI, often the article's URL
        elif name in _PUBLISHED and published is None:
            published = _date(text_of(child))
        elif name in _UPDATED and updated is None:
            updated = _date(text_of(child))
        elif name == "title" and title is None:
            title = text_of(child)[:500] or None
    url = url or _atom_link(element, base)
    if url is None and guid and guid.lower().startswith(("http://", "https://")):
        url = absolute(guid, base)
    if url is None:
        return None
    return FeedEntry(url, published, updated, title)


def parse_feed(body: bytes, url: str, max_entries: int = MAX_FEED_ENTRIES) -> Feed:
    """Read one RSS or Atom document (maybe gzip): its entries with their dates, at most `max_entries`."""
    try:
        data = inflate(body, MAX_FEED_BYTES)
        entries: list[FeedEntry] = []
        seen: set[str] = set()
        kind: Literal["rss", "atom", "unreadable"] = "unreadable"
        problem = None
        errors: list[str] = []
        for event, element in iterparse(data, frozenset(("item", "entry")), errors):
            if event == "start":
                root = localname(element)
                if root not in ("rss", "rdf", "feed"):
                    return Feed(url, "unreadable", problem=f"is not an RSS or Atom feed (root element <{root}>)")
                kind = "atom" if root == "feed" else "rss"
                continue
            if len(entries) >= max_entries:
                problem = f"lists more than {max_entries:,} entries: the rest were not read"
                break
            entry = _entry(element, url)
            if entry is not None and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
            release(element)
    except DocumentProblem as exc:
        return Feed(url, "unreadable", problem=str(exc))
    return Feed(url, kind, tuple(entries), problem or next(iter(errors), None))


def feed_links(page: bytes | str, base_url: str) -> list[str]:
    """The RSS and Atom feeds an HTML page announces (`<link rel="alternate" type="application/rss+xml">`)."""
    if not page or not page.strip():
        return []
    try:
        parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, default_doctype=False)
        tree = lxml_html.document_fromstring(page, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = absolute(link.get("href"), base_url)
        if url is not None and url not in found:
            found.append(url)
            if len(found) >= MAX_FEED_LINKS:
                break
    return found


__all__ = ["FEED_TYPES", "Feed", "FeedEntry", "feed_links", "parse_feed"]
