"""Politeness beyond robots.txt: a 429 or 503 is retried only after the wait the server asks for.

Scrapy's RetryMiddleware retries them at once; a server that says `Retry-After: 3600` (RFC 9110 10.2.3) is asking
the crawler to go away for an hour. This middleware sits just before it: it retries after the asked wait
(slowing the whole host's download slot, as AutoThrottle does), gives up when the wait is longer than
`PROVENANCE_RETRY_AFTER_MAX`, and notes the wait on the request so the capture's reason can say it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

from compliance.dates import parse_machine

logger = logging.getLogger(__name__)
RETRY_STATUSES = (429, 503)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date; None when absent or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(min(int(text), 10**9))
    when = parse_machine(text)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    """Retries 429/503 after the server's Retry-After (default backoff without one), within a ceiling."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("PROVENANCE_RETRY_AFTER_MAX")
        self.default_wait = crawler.settings.getfloat("PROVENANCE_RETRY_WAIT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in RETRY_STATUSES or request.meta.get("dont_retry"):
            return response
        header = response.headers.get("Retry-After")
        asked = retry_after_seconds(header.decode("latin-1") if header else None)
        wait = self.default_wait * 2 ** request.meta.get("retry_times", 0) if asked is None else asked
        if asked is not None and asked > self.max_wait:
            request.meta["retry_after_refused"] = asked
            request.meta["dont_retry"] = True  # RetryMiddleware would retry at once
            return response  # recorded as answered, with the wait it asked for: not retried
        spider = self.crawler.spider
        assert spider is not None
        retry = get_retry_request(request, spider=spider, reason=f"HTTP {response.status}")
        if retry is None:
            request.meta["dont_retry"] = True
            return response
        self._slow_down(request, wait)
        await asyncio.sleep(wait)  # the retry itself waits the full time; the slot's delay is randomised
        return retry

    def _slow_down(self, request: Request, wait: float) -> None:
        """The host's download slot waits at least `wait` between requests (AutoThrottle eases it later)."""
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay, wait)
            logger.info("%s asked to wait %.1f s: slowing down", request.url, wait)
