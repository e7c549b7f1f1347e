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
from twisted.python.failure import Failure

from compliance.records import CaptureRecord, ImageItem, PageItem
from compliance.urls import absolute, origin_of
from crawler.extract.article import extract_article

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
    from twisted.internet.error import (
        ConnectionLost,
        ConnectionRefusedError,
        DNSLookupError,
        TCPTimedOutError,
        TimeoutError,
    )
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    from crawler.guard import RefusedAddress

    exc = failure.value
    if isinstance(exc, RefusedAddress):  # the guard's own sentence, before the generic IgnoreRequest mapping
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


class SiteSpider(scrapy.Spider):
    """Crawls registered sites; `targets` is a list of {site, start_urls, origins}."""

    name = "sites"

    def __init__(self, targets: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = targets
        self.site_of_origin: dict[str, str] = {}
        for target in targets:
            for origin in target["origins"]:
                self.site_of_origin[origin_of(origin)] = target["site"]
        self.pages_scheduled = 0
        # Our own duplicate filter: requests carry dont_filter so that a redirect loop back to a seen URL
        # ends in RedirectMiddleware's "max redirections" (recorded) instead of being dropped silently.
        self.seen: set[str] = set()

    def first_time(self, url: str) -> bool:
        from w3lib.url import canonicalize_url

        key = canonicalize_url(url)
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

    async def start(self) -> AsyncIterator[Any]:
        for target in self.targets:
            for url in target["start_urls"]:
                if not self.first_time(url):
                    continue
                self.pages_scheduled += 1
                yield self._page_request(url, target["site"], depth=0, is_start=True)

    def _page_request(self, url: str, site: str, depth: int, is_start: bool = False) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            meta={"site": site, "depth_level": depth, "is_start": is_start, "kind": "page"},
            dont_filter=True,
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

    def parse_page(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        site = meta["site"]
        capture = self._capture(response, "page")
        if response.status >= 400:
            capture.error = f"answered HTTP {response.status}"
            yield PageItem(site=site, capture=capture, is_start=meta.get("is_start", False))
            return
        ctype = (capture.content_type or "").split(";")[0].strip().lower()
        if ctype not in HTML_TYPES:
            capture.error = f"is not an HTML page (Content-Type: {ctype or 'missing'})"
            yield PageItem(site=site, capture=capture, is_start=meta.get("is_start", False))
            return
        if b"\x00" in response.body:
            capture.error = "is malformed (binary NUL bytes in an HTML page); nothing extracted"
            yield PageItem(site=site, capture=capture, is_start=meta.get("is_start", False))
            return
        try:
            article = extract_article(response.body, response.url)
        except Exception as exc:  # extraction is pure and should not raise; never lose the capture if it does
            logger.warning("extraction failed for %s: %s", response.url, exc)
            capture.error = f"could not be parsed as an article ({type(exc).__name__})"
            yield PageItem(site=site, capture=capture, is_start=meta.get("is_start", False))
            return
        # Links first: a start URL with no article text whose links the crawl follows is a page of links (a
        # home, section or index page), fetched and used as intended; as a dead end it is a failure.
        follow = list(self._follow(response, site, meta.get("depth_level", 0)))
        if not article.text.strip() and not (follow and meta.get("is_start")):
            capture.error = "has no article text (empty or malformed page)"
        yield PageItem(site=site, capture=capture, article=article, is_start=meta.get("is_start", False))
        for ref in article.images:
            if ref.src.startswith(("http://", "https://")) and self.first_time(ref.src):
                yield scrapy.Request(
                    ref.src,
                    callback=self.parse_image,
                    errback=self.on_error,
                    meta={"site": site, "kind": "image", "page_url": response.url},
                    priority=-1,
                    dont_filter=True,
                )
        yield from follow

    def _follow(self, response: Response, site: str, depth: int) -> Iterator[scrapy.Request]:
        if depth >= self.max_depth:
            return
        for href in response.css("a::attr(href)").getall():
            url = absolute(href, response.url)
            if url is None:
                continue
            parts = urlsplit(url)
            if self.site_of_origin.get(origin_of(url)) != site:
                continue
            if parts.path.lower().endswith(SKIP_EXTENSIONS):
                continue
            if self.pages_scheduled >= self.max_pages:
                return
            if not self.first_time(url):
                continue
            self.pages_scheduled += 1
            yield self._page_request(url, site, depth + 1)

    def parse_image(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        capture = self._capture(response, "image")
        body: bytes | None = response.body
        if response.status >= 400:
            capture.error = f"answered HTTP {response.status}"
            body = None
        yield ImageItem(site=meta["site"], capture=capture, body=body, page_urls=[meta.get("page_url", "")])

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = getattr(failure, "request", None)
        if request is None:
            return
        meta = request.meta
        chain = [*meta.get("redirect_urls", [])]
        capture = CaptureRecord(
            requested_url=chain[0] if chain else request.url,
            final_url=None,
            redirect_chain=chain + [request.url] if chain else [],
            fetched_at=datetime.now(timezone.utc),
            error=describe_failure(failure, self.settings.getfloat("DOWNLOAD_TIMEOUT")),
            kind=meta.get("kind", "page"),
        )
        if meta.get("kind") == "image":
            yield ImageItem(site=meta["site"], capture=capture, body=None, page_urls=[meta.get("page_url", "")])
        else:
            yield PageItem(site=meta["site"], capture=capture, is_start=meta.get("is_start", False))
