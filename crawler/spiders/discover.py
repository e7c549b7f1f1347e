"""The spider's discovery: a site's robots.txt `Sitemap:` lines, its sitemaps and its feeds, within caps.

Pages a site lists itself are crawled as if linked from the start page (depth 1), and `--since` skips those
dated before it. A sitemap or feed the site declares is evidence like any fetch: it gets a capture, and a cap
that bit or an unreadable document is its one recorded reason. The guessed `/sitemap.xml` of a site that
declares none is tried quietly: a site without sitemaps is not at fault.

Each origin's robots.txt is fetched once: when robots.txt is obeyed, the RFC 9309 middleware fetches it
(`crawler.robots`: asked with `robots_wanted`, handed over with `robots_fetched`) and the walk starts from that
response, so the site sees one request and the WARC holds one pair; otherwise the spider requests it itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from compliance.records import CaptureRecord, FrontierEntry, PageItem
from compliance.urls import origin_of, same_site
from crawler.discovery import (
    SitemapLimits,
    SitemapWalk,
    default_sitemap_url,
    feed_links,
    is_recent,
    parse_feed,
    sitemaps_from_robots,
)
from crawler.robots import robots_fetched, robots_wanted


class DiscoveryMixin:
    """Sitemaps and feeds for `SiteSpider`, which supplies the methods declared below and `pages_scheduled`."""

    walks: dict[str, SitemapWalk]
    pages_scheduled: int
    crawler: Crawler
    # Per host, the robots.txt answer the middleware will hand over, and the (site, origin) pairs waiting on it.
    robots_answers: dict[str, Deferred[Response | None]]
    robots_waiting: dict[str, list[tuple[str, str]]]

    # Provided by SiteSpider: the contract, declared (never implemented) here.
    since_date: Callable[[], datetime | None]
    entry: Callable[..., FrontierEntry]
    request: Callable[[FrontierEntry], scrapy.Request]
    first_time: Callable[[str], bool]
    in_scope: Callable[[str, str], bool]
    room: Callable[[], bool]
    _capture: Callable[[Response, str], CaptureRecord]
    on_error: Callable[[Failure], Iterator[Any]]

    def discovery_requests(self, site: str, origins: Iterable[str]) -> Iterator[scrapy.Request]:
        """Each origin's robots.txt starts the walk: the middleware's fetch when it obeys robots.txt, else our own."""
        self.walks.setdefault(site, SitemapWalk(limits=SitemapLimits(), since=self.since_date()))
        for origin in dict.fromkeys(origin_of(o) for o in origins):
            if self._robots_from_middleware(site, origin):
                continue
            yield scrapy.Request(
                f"{origin}/robots.txt", callback=self.parse_robots, errback=self._discovery_failed, priority=5,
                dont_filter=True, meta={"site": site, "origin": origin, "kind": "robots", "dont_obey_robotstxt": True,
                                        "handle_httpstatus_all": True},
            )

    def _sitemap_request(self, url: str, site: str, depth: int, declared: bool) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_sitemap, errback=self._discovery_failed if not declared else self.on_error,
            priority=4, dont_filter=True,
            meta={"site": site, "kind": "sitemap", "sitemap_depth": depth, "declared": declared,
                  "download_maxsize": SitemapLimits().max_bytes},
        )

    def _robots_from_middleware(self, site: str, origin: str) -> bool:
        """Ask the robots.txt middleware for the origin's file; False when none answers (robots.txt not obeyed)."""
        netloc = urlsplit(origin).netloc
        if netloc not in self.robots_answers:
            self.crawler.signals.connect(self._robots_fetched, signal=robots_fetched)  # again: a no-op
            self.robots_answers[netloc] = Deferred()  # before asking: the answer may come at any time after
            replies = self.crawler.signals.send_catch_log(signal=robots_wanted, origin=origin)
            if not any(reply is True for _, reply in replies):
                del self.robots_answers[netloc]
                return False
        self.robots_waiting.setdefault(netloc, []).append((site, origin))
        return True

    def _robots_fetched(self, robots_url: str, response: Response | None) -> None:
        answer = self.robots_answers.get(urlsplit(robots_url).netloc)
        if answer is not None and not answer.called:
            answer.callback(response)

    async def robots_discovery(self) -> AsyncIterator[scrapy.Request]:
        """The walks that start from robots.txt files the middleware fetched, as their answers come in."""
        while self.robots_waiting:
            netloc, waiting = next(iter(self.robots_waiting.items()))
            response = await maybe_deferred_to_future(self.robots_answers[netloc])
            del self.robots_waiting[netloc]
            for site, origin in waiting:
                for request in self._walk_from_robots(site, origin, response):
                    yield request

    def parse_robots(self, response: Response) -> Iterator[Any]:
        yield from self._walk_from_robots(response.meta["site"], response.meta["origin"], response)

    def _walk_from_robots(self, site: str, origin: str, response: Response | None) -> Iterator[scrapy.Request]:
        """Its `Sitemap:` lines, else (no lines, not 200) the guessed /sitemap.xml; no answer at all: nothing."""
        if response is None:
            return
        declared = sitemaps_from_robots(response.body, response.url) if response.status == 200 else []
        urls = declared or [default_sitemap_url(origin)]
        for url, depth in self.walks[site].start(urls):
            yield self._sitemap_request(url, site, depth, declared=bool(declared))

    def _discovery_failed(self, failure: Failure) -> Iterator[Any]:
        """A guessed sitemap or a robots.txt that could not be fetched: nothing to record, nothing found."""
        return iter(())

    def _entries_item(self, response: Response, kind: str, problem: str | None,
                      found: list[FrontierEntry]) -> PageItem:
        capture = self._capture(response, kind)
        capture.error = problem
        return PageItem(site=response.meta["site"], capture=capture, discovered=found)

    def _queue_listed(self, urls: Iterable[str], site: str) -> list[FrontierEntry]:
        found: list[FrontierEntry] = []
        for url in urls:
            if not self.in_scope(url, site) or not self.room() or not self.first_time(url):
                continue
            self.pages_scheduled += 1
            found.append(self.entry(url, site, depth=1))
        return found

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        site = meta["site"]
        if response.status >= 400:
            if meta.get("declared"):  # a sitemap the site names is evidence, its absence a fault
                yield self._entries_item(response, "sitemap", f"answered HTTP {response.status}", [])
            return
        step = self.walks[site].read(response.body, response.url, meta.get("sitemap_depth", 0))
        found = self._queue_listed((e.url for e in step.entries), site)
        if meta.get("declared") or step.entries or step.sitemaps:
            yield self._entries_item(response, "sitemap", step.problem, found)
        for url, depth in step.sitemaps:
            if same_site(url, [origin_of(response.url)]) or self.in_scope(url, site):
                yield self._sitemap_request(url, site, depth, declared=True)
        for entry in found:
            yield self.request(entry)

    def feed_requests(self, body: bytes, page_url: str, site: str) -> Iterator[scrapy.Request]:
        """The feeds a start page announces."""
        for url in feed_links(body, page_url):
            if self.in_scope(url, site) and self.first_time(url):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, priority=4,
                                     dont_filter=True, meta={"site": site, "kind": "feed"})

    async def parse_feed(self, response: Response) -> AsyncIterator[Any]:
        site = response.meta["site"]
        if response.status >= 400:
            yield self._entries_item(response, "feed", f"answered HTTP {response.status}", [])
            return
        feed = parse_feed(response.body, response.url)
        recent = [e.url for e in feed.entries if is_recent(e.dates, self.since_date())]
        found = self._queue_listed(recent, site)
        yield self._entries_item(response, "feed", feed.problem, found)
        for entry in found:
            yield self.request(entry)
