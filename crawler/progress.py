"""A live progress line on a terminal: pages, errors, rate and queue, rewritten once a second.

On only when `PROVENANCE_PROGRESS` is set (the CLI sets it when stderr is a terminal and --quiet is not given),
so logs and pipes never receive carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def progress_line(stats: dict[str, Any], elapsed: float, queued: int) -> str:
    """One line of figures; pure so it can be tested."""
    pages = int(stats.get("provenance/pages", 0))
    images = int(stats.get("provenance/images", 0))
    errors = int(stats.get("provenance/errors", 0))
    rate = pages / elapsed if elapsed > 0 else 0.0
    return f"crawling: {pages} pages, {images} images, {errors} errors, {rate:.1f} pages/s, {queued} queued"


class ProgressLine:
    """Scrapy extension writing `progress_line` to stderr every second and a newline at the end."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.began = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("PROVENANCE_PROGRESS"):
            raise NotConfigured("no terminal")
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.began = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(1.0, now=False)

    def _queued(self) -> int:
        slot = getattr(self.crawler.engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        try:
            return len(scheduler) if scheduler is not None else 0
        except TypeError:
            return 0

    def tick(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        line = progress_line(stats, time.monotonic() - self.began, self._queued())
        sys.stderr.write("\r\x1b[K" + line)
        sys.stderr.flush()

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
            self.tick()
            sys.stderr.write("\n")
            sys.stderr.flush()
