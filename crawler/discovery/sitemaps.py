"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes and URL sets (gzip, news and image extensions), bounded.

A sitemap is the site's own list of its articles, often with dates (`lastmod`, news `publication_date`), so it
finds articles that links from the start page never reach and lets `--since` skip old ones unfetched. It is also
hostile input: a gzip bomb, millions of URLs, indexes nesting indexes, an index listing itself. Every document is
read within `SitemapLimits` (sitemaps.org's own limits per file: 50,000 URLs and 50 MB uncompressed), and a walk
through one site's sitemaps within caps on depth, documents and total URLs; each cap that bites is one sentence
in `problems`, and the crawl goes on with what was read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from lxml import etree

from compliance.dates import parse_machine
from compliance.urls import absolute, normalise
from crawler.discovery.safexml import (
    DocumentProblem,
    inflate,
    iterparse,
    localname,
    release,
    text_of,
)
from crawler.discovery.since import is_recent

MAX_ROBOTS_SITEMAPS = 50  # Sitemap: lines read from one robots.txt


@dataclass(frozen=True)
class SitemapLimits:
    """Caps for reading sitemaps; the per-document ones are the sitemaps.org protocol's own limits."""

    max_bytes: int = 50 * 1024 * 1024  # per document, once inflated (sitemaps.org: 50 MB uncompressed)
    max_urls: int = 50_000  # <url> or <sitemap> entries read per document (sitemaps.org: 50,000)
    max_depth: int = 3  # robots.txt's sitemaps are depth 0; an index's children one deeper
    max_documents: int = 500  # sitemap documents fetched per site
    max_total_urls: int = 200_000  # page URLs taken from one site's sitemaps


@dataclass(frozen=True)
class SitemapEntry:
    """One page a sitemap lists, with the dates and images it gives for it."""

    url: str
    lastmod: datetime | None = None
    news_published: datetime | None = None
    news_title: str | None = None
    images: tuple[str, ...] = ()

    @property
    def dates(self) -> tuple[datetime, ...]:
        """Every date the sitemap gives for the page (for `--since`)."""
        return tuple(d for d in (self.news_published, self.lastmod) if d is not None)


@dataclass(frozen=True)
class Sitemap:
    """One sitemap document read: an index (child sitemaps) or a URL set (entries), and what went wrong."""

    url: str
    kind: Literal["index", "urlset", "unreadable"]
    sitemaps: tuple[str, ...] = ()
    entries: tuple[SitemapEntry, ...] = ()
    problem: str | None = None


def sitemaps_from_robots(robots: bytes | str, robots_url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt (RFC 9309 2.4: any line, outside groups), absolute and deduplicated."""
    text = robots.decode("utf-8", "replace") if isinstance(robots, bytes) else robots
    found: list[str] = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() != "sitemap":
            continue
        url = absolute(value.split("#", 1)[0].strip(), robots_url)
        if url is not None and url not in found:
            found.append(url)
            if len(found) >= MAX_ROBOTS_SITEMAPS:
                break
    return found


def default_sitemap_url(origin: str) -> str:
    """Where a site without `Sitemap:` lines usually keeps its sitemap (sitemaps.org: the site root)."""
    return origin.rstrip("/") + "/sitemap.xml"


def _entry(element: etree._Element) -> SitemapEntry | None:
    url: str | None = None
    lastmod = news_published = None
    news_title: str | None = None
    images: list[str] = []
    for child in element.iter():
        name = localname(child)
        parent = child.getparent()
        parent_name = localname(parent) if parent is not None else ""
        if name == "loc" and parent_name == "url" and url is None:
            url = normalise(text_of(child))  # sitemaps.org: fully qualified URLs only
        elif name == "loc" and parent_name == "image":  # image:image/image:loc
            image = normalise(text_of(child))
            if image is not None and image not in images and len(images) < 1000:
                images.append(image)
        elif name == "lastmod" and parent_name == "url":
            lastmod = parse_machine(text_of(child))
        elif name == "publication_date":  # news:news/news:publication_date
            news_published = parse_machine(text_of(child))
        elif name == "title" and parent_name == "news":
            news_title = text_of(child)[:500] or None
    if url is None:
        return None
    return SitemapEntry(url, lastmod, news_published, news_title, tuple(images))


def _plain_text(data: bytes, url: str, limits: SitemapLimits) -> Sitemap:
    """sitemaps.org also allows a text file of one URL per line."""
    entries: list[SitemapEntry] = []
    problem = None
    for line in data.decode("utf-8", "replace").splitlines():
        page = normalise(line.strip())
        if page is None:
            continue
        if len(entries) >= limits.max_urls:
            problem = f"lists more than {limits.max_urls:,} URLs: the rest were not read"
            break
        entries.append(SitemapEntry(page))
    if not entries:
        return Sitemap(url, "unreadable", problem="is not a sitemap (no XML root and no URL lines)")
    return Sitemap(url, "urlset", entries=tuple(entries), problem=problem)


def parse_sitemap(body: bytes, url: str, limits: SitemapLimits = SitemapLimits()) -> Sitemap:
    """Read one sitemap document (maybe gzip) within `limits`: an index's child sitemaps or a URL set's entries."""
    try:
        data = inflate(body, limits.max_bytes)
    except DocumentProblem as exc:
        return Sitemap(url, "unreadable", problem=str(exc))
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _plain_text(data, url, limits)
    children: list[str] = []
    entries: list[SitemapEntry] = []
    kind: Literal["index", "urlset", "unreadable"] = "unreadable"
    problem = None
    errors: list[str] = []
    try:
        for event, element in iterparse(data, frozenset(("url", "sitemap")), errors):
            if event == "start":
                root = localname(element)
                if root not in ("urlset", "sitemapindex"):
                    return Sitemap(url, "unreadable", problem=f"is not a sitemap (root element <{root}>)")
                kind = "index" if root == "sitemapindex" else "urlset"
                continue
            if len(children) + len(entries) >= limits.max_urls:
                problem = f"lists more than {limits.max_urls:,} entries: the rest were not read"
                break
            if kind == "index" and localname(element) == "sitemap":
                loc = next((c for c in element if localname(c) == "loc"), None)
                child = normalise(text_of(loc)) if loc is not None else None
                if child is not None and child not in children:
                    children.append(child)
            elif kind == "urlset" and localname(element) == "url":
                entry = _entry(element)
                if entry is not None:
                    entries.append(entry)
            release(element)
    except DocumentProblem as exc:
        return Sitemap(url, "unreadable", problem=str(exc))
    if errors and problem is None:
        problem = errors[0]
        entries = entries[:-1]  # recovered at a cut: the last entry read may be cut short
    return Sitemap(url, kind, tuple(children), tuple(entries), problem)


@dataclass
class WalkStep:
    """What one sitemap document gives the crawl: child sitemaps to fetch next and the entries to crawl."""

    sitemaps: list[tuple[str, int]] = field(default_factory=list)  # (URL, depth)
    entries: list[SitemapEntry] = field(default_factory=list)
    skipped_old: int = 0
    problem: str | None = None  # the one sentence to record with this sitemap's capture


@dataclass
class SitemapWalk:
    """One site's walk through its sitemaps, within the caps of `limits`; `since` skips entries dated before it.

    Pure bookkeeping: the spider fetches what `start` and each `read` return and crawls the entries.
    """

    limits: SitemapLimits = field(default_factory=SitemapLimits)
    since: datetime | None = None
    documents: int = 0
    total_urls: int = 0
    skipped_old: int = 0
    problems: list[str] = field(default_factory=list)
    _queued: set[str] = field(default_factory=set)
    _urls: set[str] = field(default_factory=set)

    def _note(self, problem: str) -> str:
        if problem not in self.problems:
            self.problems.append(problem)
        return problem

    def _queue(self, urls: Iterable[str], depth: int, step: WalkStep) -> None:
        for url in urls:
            if url in self._queued:
                continue  # an index listing itself or a sibling twice
            if depth > self.limits.max_depth:
                step.problem = self._note(f"sitemap indexes nest deeper than {self.limits.max_depth} levels: "
                                          "the deeper ones were not fetched")
                return
            if len(self._queued) >= self.limits.max_documents:
                step.problem = self._note(f"more than {self.limits.max_documents:,} sitemaps: "
                                          "the rest were not fetched")
                return
            self._queued.add(url)
            step.sitemaps.append((url, depth))

    def start(self, urls: Iterable[str]) -> list[tuple[str, int]]:
        """The first sitemaps to fetch (robots.txt's, or the default one), at depth 0."""
        step = WalkStep()
        self._queue(urls, 0, step)
        return step.sitemaps

    def read(self, body: bytes, url: str, depth: int) -> WalkStep:
        """Read a fetched sitemap at `depth`: its children to fetch, its entries to crawl, and any cap that bit."""
        self.documents += 1
        sitemap = parse_sitemap(body, url, self.limits)
        step = WalkStep(problem=sitemap.problem and f"sitemap {url} {sitemap.problem}")
        if step.problem:
            self._note(step.problem)
        if self.total_urls >= self.limits.max_total_urls:
            return step  # the cap's sentence was recorded when it first bit
        self._queue(sitemap.sitemaps, depth + 1, step)
        for entry in sitemap.entries:
            if entry.url in self._urls:
                continue
            if self.total_urls >= self.limits.max_total_urls:
                step.problem = self._note(f"sitemaps list more than {self.limits.max_total_urls:,} URLs: "
                                          "the rest were not crawled")
                break
            self._urls.add(entry.url)
            self.total_urls += 1
            if not is_recent(entry.dates, self.since):
                step.skipped_old += 1
                continue
            step.entries.append(entry)
        self.skipped_old += step.skipped_old
        return step


__all__ = [
    "MAX_ROBOTS_SITEMAPS", "Sitemap", "SitemapEntry", "SitemapLimits", "SitemapWalk", "WalkStep",
    "default_sitemap_url", "parse_sitemap", "sitemaps_from_robots",
]
