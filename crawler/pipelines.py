"""Thin pipeline: items go to `compliance.store.store_items` in batches, one transaction each, off the reactor.

Batches are written by one writer thread (SQLite has one writer anyway), when `PROVENANCE_BATCH_SIZE` items wait
or every `PROVENANCE_BATCH_SECONDS`. The item that fills a batch waits for its write, so a slow database slows
the crawl instead of growing memory. A batch that cannot be written (a lock held too long, a dropped
connection) is retried; if it still fails the crawl stops, the run ends `failed` with one line, and the items'
requests stay pending in the frontier for `provenance crawl --resume`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy.crawler import Crawler

from compliance.db import make_engine, session_scope
from compliance.records import ImageItem, PageItem
from compliance.runs import heartbeat
from compliance.store import store_items

logger = logging.getLogger(__name__)


class StorePipeline:
    """Hands pages and images to compliance.store within the crawl's run, many per transaction."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.run_id = settings.getint("PROVENANCE_RUN_ID")
        self.batch_size = max(1, settings.getint("PROVENANCE_BATCH_SIZE"))
        self.batch_seconds = settings.getfloat("PROVENANCE_BATCH_SECONDS")
        self.retries = settings.getint("PROVENANCE_STORE_RETRIES")
        busy_ms = int(settings.getfloat("PROVENANCE_STORE_BUSY_TIMEOUT") * 1000)
        self.engine = make_engine(settings.get("PROVENANCE_DB"), busy_timeout_ms=busy_ms)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="provenance-store")
        # One batch in the writer at a time: while it is written, items wait here with their responses, so a store
        # slower than the crawl holds Scrapy back instead of queueing batches without bound (benchmarks/RESULTS.md).
        self._writing = asyncio.Lock()
        self.buffer: list[PageItem | ImageItem] = []
        self.failure: str | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self._loop = asyncio.get_event_loop()
        self._ticker = asyncio.ensure_future(self._tick())

    async def _tick(self) -> None:
        """Items that arrive slowly are still stored within a second or so (evidence, progress, resume)."""
        while True:
            await asyncio.sleep(self.batch_seconds)
            if self.buffer:
                await self.flush()

    async def process_item(self, item: Any) -> Any:
        if self.failure is not None:
            return item  # the crawl is stopping; its request stays pending for --resume
        if isinstance(item, (PageItem, ImageItem)):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                await self.flush()
        return item

    async def flush(self) -> None:
        async with self._writing:
            if not self.buffer or self.failure is not None:
                return
            batch, self.buffer = self.buffer, []
            # Shielded: cancelling the timer task at close must not cancel a batch being written.
            await asyncio.shield(asyncio.get_running_loop().run_in_executor(self.writer, self._write, batch))

    def _write(self, batch: list[PageItem | ImageItem]) -> None:
        """Runs in the writer thread: one transaction for the batch, retried; a final failure stops the crawl."""
        reason = "unknown error"
        for attempt in range(self.retries + 1):
            try:
                with session_scope(self.engine) as session:
                    store_items(session, self.run_id, batch)
                    heartbeat(session, self.run_id)
                stats = self.crawler.stats
                if stats is not None:
                    for item in batch:
                        kind = "pages" if isinstance(item, PageItem) else "images"
                        stats.inc_value("provenance/errors" if item.capture.error else f"provenance/{kind}")
                return
            except Exception as exc:  # a lock held too long, a dropped connection, a bug: never lost silently
                reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300] or type(exc).__name__
                logger.warning("storing %d items failed (attempt %d): %s", len(batch), attempt + 1, reason)
                if attempt < self.retries:
                    time.sleep(min(2.0 ** attempt, 10.0))
        self.failure = f"could not store {len(batch)} crawled items in the database ({reason})"
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("provenance/store_failed", self.failure)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop)

    def _stop(self) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            asyncio.ensure_future(engine.close_spider_async(reason="store_failed"))

    async def close_spider(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        await self.flush()
        self.writer.shutdown(wait=True)
        self.engine.dispose()
