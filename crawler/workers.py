"""Extraction and fingerprinting off the reactor's thread: a process pool the spider awaits.

Parsing a page, its fingerprints and an image's hashes are pure CPU work; in the reactor's thread they cap a
crawl at one core. The spider awaits `WorkerPool.page` / `WorkerPool.image`, which run in worker processes once
the crawl has shown it is big enough to pay for starting them (`PROVENANCE_WORKERS_AFTER` pages), and in this
thread before that or when `PROVENANCE_WORKERS` is 0. Back-pressure is Scrapy's own: an awaiting callback keeps
its response in the scraper's slot, which stops new downloads once the slot is full.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from compliance.records import ExtractedArticle, TextPrints

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class PageWork:
    """What a worker returns for one HTML page: the article, the page's links, the text's fingerprints."""

    article: ExtractedArticle
    hrefs: list[str]
    prints: TextPrints | None


def page_work(body: bytes, url: str) -> PageWork:
    """Parse a page once: article, metadata, credits, images and every <a href>, plus the text's fingerprints."""
    from compliance.fingerprints.prints import text_prints
    from crawler.extract import extract_page

    article, hrefs = extract_page(body, url)
    prints = text_prints(article.text) if article.text.strip() else None
    return PageWork(article=article, hrefs=hrefs, prints=prints)


def image_work(body: bytes, content_type: str | None) -> dict[str, Any]:
    """An image's stored columns: embedded credit, C2PA state, exact and perceptual hashes."""
    from compliance.fingerprints.prints import analyse_image

    return analyse_image(body, content_type)


def watch_parent(pid: int) -> None:
    """In each worker: exit when the crawl process is gone, so a killed crawl leaves no workers behind."""
    def loop() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive (another user's process cannot be ours, but do not guess)
                continue

    threading.Thread(target=loop, name="provenance-parent-watch", daemon=True).start()


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


class WorkerPool:
    """Runs page and image work in worker processes (started lazily), or inline when there is no pool."""

    def __init__(self, workers: int, after_pages: int) -> None:
        self.workers = workers
        self.after_pages = after_pages
        self.pages_seen = 0
        self._pool: Executor | None = None
        self._broken = False

    def _executor(self) -> Executor | None:
        if self.workers <= 0 or self._broken or self.pages_seen < self.after_pages:
            return None
        if self._pool is None:
            # forkserver: workers are forked from a clean process, never from the reactor's threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawler.workers", "crawler.extract", "compliance.fingerprints.prints"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=watch_parent, initargs=(os.getpid(),))
            logger.info("started %d extraction workers", self.workers)
        return self._pool

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        pool = self._executor()
        if pool is None:
            return fn(*args)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
        except BrokenProcessPool:  # a worker died (killed, out of memory): go on in this thread
            logger.warning("extraction workers stopped; continuing in the crawl's own process")
            self._broken = True
            return fn(*args)

    async def page(self, body: bytes, url: str) -> PageWork:
        self.pages_seen += 1
        return await self._run(page_work, body, url)

    async def image(self, body: bytes, content_type: str | None) -> dict[str, Any]:
        return await self._run(image_work, body, content_type)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
