"""The audit spider: crawls each registered site from its start URLs, page and image evidence alike."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from compliance.dates import parse_machine
from compliance.records import CaptureRecord, FrontierEntry, ImageItem, PageItem
from compliance.urls import absolute, origin_of, same_site
from crawler.discovery import SitemapWalk
from crawler.spiders.discover import DiscoveryMixin
from crawler.workers import WorkerPool, default_workers

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip", ".gz", ".mp4", ".mp3",
    ".css", ".js", ".xml", ".json", ".woff", ".woff2", ".avi", ".mov", ".doc", ".docx", ".xls", ".xlsx",
)
KEPT_HEADERS = (
    "content-type", "content-length", "content-encoding", "last-modified", "etag", "date", "server",
    "location", "link", "x-robots-tag", "cache-control",
)


def _scrapy_exception(name: str) -> type[BaseException]:
    """Scrapy >= 2.14 wraps Twisted errors in its own classes; older releases lack them."""
    import scrapy.exceptions

    found = getattr(scrapy.exceptions, name, None)
    return found if isinstance(found, type) else type(f"_Missing{name}", (Exception,), {})


def describe_failure(failure: Failure, timeout: float) -> str:
    """One plain sentence for why a fetch failed (what a compliance officer can act on)."""
    from scrapy.exceptions import IgnoreRequest
    from twisted.internet.defer import CancelledError
    from twisted.internet.error import (
        ConnectionLost,
        ConnectionRefusedError,
        DNSLookupError,
        TCPTimedOutError,
        TimeoutError,
    )
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    from crawler.guard import RefusedAddress
    from crawler.robots import RobotsRefusal

    exc = failure.value
    if isinstance(exc, (RefusedAddress, RobotsRefusal)):  # their own sentence, not the generic IgnoreRequest one
        return str(exc)
    if isinstance(exc, (ConnectionRefusedError, _scrapy_exception("DownloadConnectionRefusedError"))):
        return "did not answer (connection refused)"
    if isinstance(exc, (DNSLookupError, _scrapy_exception("CannotResolveHostError"))):
        return "host name could not be resolved"
    if isinstance(exc, (TimeoutError, TCPTimedOutError, _scrapy_exception("DownloadTimeoutError"))):
        return f"did not answer within {timeout:g} s (timed out)"
    if isinstance(exc, (ResponseNeverReceived, ConnectionLost)):
        return "closed the connection without a complete response"
    if isinstance(exc, (ResponseFailed, _scrapy_exception("DownloadFailedError"),
                        _scrapy_exception("ResponseDataLossError"))):
        return "closed the connection without a complete response (broken or truncated)"
    if isinstance(exc, (_scrapy_exception("DownloadCancelledError"), CancelledError)):
        # Scrapy cancels a download mid-stream when the body passes DOWNLOAD_MAXSIZE without a Content-Length.
        return "response larger than the download size limit (download stopped)"
    if isinstance(exc, _scrapy_exception("UnsupportedURLSchemeError")):
        return "uses a URL scheme the crawler does not fetch"
    if isinstance(exc, IgnoreRequest):
        text = str(exc) or "request refused by crawl policy"
        if "robots.txt" in text:
            return "forbidden by robots.txt"
        if "redirect" in text.lower():
            return "too many redirects (redirect loop?)"
        if "size" in text.lower():
            return "response larger than the download size limit"
        return text
    name = type(exc).__name__
    return f"fetch failed ({name}: {' '.join(str(exc).split())[:200]})"


def answered(response: Response) -> str:
    """The reason for an error status, with the wait a 429/503 asked for when it was too long to honour."""
    waited = response.meta.get("retry_after_refused")
    if waited is None:
        return f"answered HTTP {response.status}"
    return (f"answered HTTP {response.status} and asked to retry after {waited:,.0f} s (Retry-After), longer "
            "than the crawl waits (PROVENANCE_RETRY_AFTER_MAX): not retried")


class SiteSpider(DiscoveryMixin, scrapy.Spider):
    """Crawls registered sites; `targets` is a list of {site, start_urls, origins}.

    `pending` and `seen` come from the run's frontier in the database (`compliance.frontier`): a fresh run's
    pending requests are its start URLs, a resumed run's are what the killed one had not stored.
    """

    name = "sites"

    def __init__(
        self,
        targets: list[dict[str, Any]],
        pending: list[FrontierEntry] | None = None,
        seen: set[str] | None = None,
        pages_queued: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.targets = targets
        self.site_of_origin: dict[str, str] = {}
        self.origins: dict[str, list[str]] = {}
        for target in targets:
            for origin in target["origins"]:
                self.site_of_origin[origin_of(origin)] = target["site"]
                self.origins.setdefault(target["site"], []).append(origin_of(origin))
        self.walks: dict[str, SitemapWalk] = {}
        self.robots_answers: dict[str, Deferred[Response | None]] = {}
        self.robots_waiting: dict[str, list[tuple[str, str]]] = {}
        if pending is None:
            pending = [self.entry(u, t["site"], is_start=True) for t in targets for u in t["start_urls"]]
            pending = list({e.key: e for e in pending}.values())
            seen = {e.key for e in pending}
            pages_queued = len(pending)
        self.pending = pending
        # Our own duplicate filter: requests carry dont_filter so that a redirect loop back to a seen URL
        # ends in RedirectMiddleware's "max redirections" (recorded) instead of being dropped silently.
        self.seen: set[str] = set(seen or ())
        self.pages_scheduled = pages_queued
        self.workers: WorkerPool | None = None

    @staticmethod
    def key(url: str) -> str:
        return canonicalize_url(url)

    def entry(self, url: str, site: str, kind: str = "page", depth: int = 0, is_start: bool = False,
              page_url: str | None = None) -> FrontierEntry:
        return FrontierEntry(url=url, key=self.key(url), site=site, kind=kind, depth=depth, is_start=is_start,
                             page_url=page_url)

    def first_time(self, url: str) -> bool:
        key = self.key(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    @property
    def max_pages(self) -> int:
        return self.settings.getint("PROVENANCE_MAX_PAGES")

    @property
    def max_depth(self) -> int:
        return self.settings.getint("PROVENANCE_DEPTH")

    def since_date(self) -> datetime | None:
        """`--since`: sitemap and feed entries dated before it are not crawled."""
        return parse_machine(self.settings.get("PROVENANCE_SINCE") or "")

    def room(self) -> bool:
        return self.pages_scheduled < self.max_pages

    def in_scope(self, url: str, site: str) -> bool:
        """Same registrable domain as one of the site's origins (or allow-listed), unless another site owns it."""
        owner = self.site_of_origin.get(origin_of(url))
        if owner is not None:
            return owner == site
        return same_site(url, self.origins.get(site, []), self.settings.getlist("PROVENANCE_SCOPE_ALLOW"))

    def _pool(self) -> WorkerPool:
        if self.workers is None:
            workers = self.settings.get("PROVENANCE_WORKERS")
            count = default_workers() if workers in (None, "", "auto") else int(workers)
            self.workers = WorkerPool(count, self.settings.getint("PROVENANCE_WORKERS_AFTER"))
        return self.workers

    def closed(self, reason: str) -> None:
        if self.workers is not None:
            self.workers.close()

    async def start(self) -> AsyncIterator[Any]:
        discover = self.max_depth > 0 and self.settings.getbool("PROVENANCE_DISCOVERY")
        if discover:
            for target in self.targets:
                for request in self.discovery_requests(target["site"], target["origins"]):
                    yield request
        for entry in self.pending:
            self.seen.add(entry.key)
            yield self.request(entry)
        self.pending = []
        if discover:  # the sitemaps of robots.txt files the robots.txt middleware fetched (one fetch per origin)
            async for request in self.robots_discovery():
                yield request

    def request(self, entry: FrontierEntry) -> scrapy.Request:
        """The Scrapy request for a frontier entry (every request the spider makes goes through here)."""
        if entry.kind == "image":
            return scrapy.Request(
                entry.url, callback=self.parse_image, errback=self.on_error, priority=-1, dont_filter=True,
                meta={"site": entry.site, "kind": "image", "page_url": entry.page_url or "", "entry": entry},
            )
        return scrapy.Request(
            entry.url, callback=self.parse_page, errback=self.on_error, dont_filter=True,
            meta={"site": entry.site, "depth_level": entry.depth, "is_start": entry.is_start, "kind": "page",
                  "entry": entry},
        )

    def _capture(self, response: Response, kind: str) -> CaptureRecord:
        meta = response.meta
        chain = [*meta.get("redirect_urls", [])]
        requested = chain[0] if chain else response.url
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
            if k.decode("latin-1").lower() in KEPT_HEADERS
        }
        if meta.get("wire_content_encoding") and "content-encoding" not in headers:
            headers["content-encoding"] = meta["wire_content_encoding"]  # as sent, before decompression
        warc = meta.get("warc") or {}
        return CaptureRecord(
            requested_url=requested,
            final_url=response.url,
            redirect_chain=chain + [response.url] if chain else [],
            status=response.status,
            headers=headers,
            fetched_at=meta.get("fetched_at") or datetime.now(timezone.utc),
            body_sha256=hashlib.sha256(response.body).hexdigest(),
            size=len(response.body),
            content_type=headers.get("content-type"),
            warc_file=warc.get("file"),
            warc_offset=warc.get("offset"),
            kind=kind,
        )

    def _page_item(self, response: Response, capture: CaptureRecord, **fields: Any) -> PageItem:
        meta = response.meta
        return PageItem(site=meta["site"], capture=capture, is_start=meta.get("is_start", False),
                        request=meta.get("entry"), **fields)

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        site = meta["site"]
        capture = self._capture(response, "page")
        if response.status >= 400:
            capture.error = answered(response)
            yield self._page_item(response, capture)
            return
        ctype = (capture.content_type or "").split(";")[0].strip().lower()
        if ctype not in HTML_TYPES:
            capture.error = f"is not an HTML page (Content-Type: {ctype or 'missing'})"
            yield self._page_item(response, capture)
            return
        if b"\x00" in response.body:
            capture.error = "is malformed (binary NUL bytes in an HTML page); nothing extracted"
            yield self._page_item(response, capture)
            return
        try:
            work = await self._pool().page(response.body, response.url)
        except Exception as exc:  # noqa: BLE001 - extraction is pure and should not raise; never lose the capture
            logger.warning("extraction failed for %s: %s", response.url, exc)
            capture.error = f"could not be parsed as an article ({type(exc).__name__})"
            yield self._page_item(response, capture)
            return
        article = work.article
        # A page with no article text but links within its site is a page of links (a home, section or index
        # page), fetched and used as intended; with neither it is a failure.
        follow = list(self._follow(work.hrefs, response.url, site, meta.get("depth_level", 0)))
        if not article.text.strip() and not self._links_within(work.hrefs, response.url, site):
            capture.error = "has no article text (empty or malformed page)"
        images = [self.entry(ref.src, site, kind="image", page_url=response.url) for ref in article.images
                  if ref.src.startswith(("http://", "https://")) and self.first_time(ref.src)]
        # The page and what it queued are stored in one transaction: the frontier a resume continues from.
        yield self._page_item(response, capture, article=article, prints=work.prints, discovered=follow + images)
        for entry in images:
            yield self.request(entry)
        for entry in follow:
            yield self.request(entry)
        if meta.get("is_start") and self.max_depth > 0 and self.settings.getbool("PROVENANCE_DISCOVERY"):
            for request in self.feed_requests(response.body, response.url, site):
                yield request

    def _links_within(self, hrefs: list[str], page_url: str, site: str) -> bool:
        """A page without article text that links within its site is a home, section or index page, not a fault."""
        return any(self.in_scope(url, site)
                   for href in hrefs if (url := absolute(href, page_url)) is not None and url != page_url)

    def _follow(self, hrefs: list[str], page_url: str, site: str, depth: int) -> Iterator[FrontierEntry]:
        if depth >= self.max_depth:
            return
        for href in hrefs:
            url = absolute(href, page_url)
            if url is None:
                continue
            parts = urlsplit(url)
            if not self.in_scope(url, site):
                continue
            if parts.path.lower().endswith(SKIP_EXTENSIONS):
                continue
            if not self.room():
                return
            if not self.first_time(url):
                continue
            self.pages_scheduled += 1
            yield self.entry(url, site, depth=depth + 1)

    async def parse_image(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        capture = self._capture(response, "image")
        body: bytes | None = response.body
        analysis: dict[str, object] | None = None
        if response.status >= 400:
            capture.error = answered(response)
            body = None
        else:
            analysis = await self._pool().image(response.body, capture.content_type)
        yield ImageItem(site=meta["site"], capture=capture, body=body, page_urls=[meta.get("page_url", "")],
                        request=meta.get("entry"), analysis=analysis)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = getattr(failure, "request", None)
        if request is None:
            return
        meta = request.meta
        chain = [*meta.get("redirect_urls", [])]
        warc = meta.get("warc") or {}  # the failure's own record (or a redirect loop's last hop)
        capture = CaptureRecord(
            requested_url=chain[0] if chain else request.url,
            final_url=None,
            redirect_chain=chain + [request.url] if chain else [],
            fetched_at=datetime.now(timezone.utc),
            error=describe_failure(failure, self.settings.getfloat("DOWNLOAD_TIMEOUT")),
            kind=meta.get("kind", "page"),
            warc_file=warc.get("file"),
            warc_offset=warc.get("offset"),
        )
        if meta.get("kind") == "image":
            yield ImageItem(site=meta["site"], capture=capture, body=None, page_urls=[meta.get("page_url", "")],
                            request=meta.get("entry"))
        else:
            yield PageItem(site=meta["site"], capture=capture, is_start=meta.get("is_start", False),
                           request=meta.get("entry"))
