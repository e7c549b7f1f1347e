"""Run one crawl in this process: register the sites, open a CrawlRun, crawl with Scrapy, close the run."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance import frontier
from compliance.db import open_db
from compliance.errors import CrawlError
from compliance.records import FrontierEntry, SiteSpec
from compliance.runs import (
    finish_run,
    mark_stale_runs,
    reopen_run,
    start_failures,
    start_run,
    unfinished_run,
)
from compliance.sites import register_all, resolve_name
from compliance.urls import host_key, origin_of

logger = logging.getLogger(__name__)


@dataclass
class CrawlTarget:
    """A site to crawl: its registration plus where to start."""

    site: SiteSpec
    start_urls: list[str]


@dataclass
class CrawlResult:
    run_id: int
    counts: dict[str, int]
    seconds: float
    start_failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    resumed: bool = False  # this call continued an unfinished run instead of starting one


def _start_entries(targets: list[CrawlTarget]) -> list[FrontierEntry]:
    from crawler.spiders.sites import SiteSpider

    return [FrontierEntry(url=u, key=SiteSpider.key(u), site=t.site.name, is_start=True)
            for t in targets for u in t.start_urls]


def validate_url(url: str) -> str:
    """Start URLs must be absolute http(s) URLs: anything else is a user error, said plainly."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CrawlError(f"'{url}' is not an http(s) URL.", "pass absolute URLs such as https://example.com/news/.")
    return url.strip()


def run_crawl(
    targets: list[CrawlTarget],
    db: str | None = None,
    warc_dir: str | None = "warc",
    max_pages: int = 200,
    depth: int = 3,
    settings: dict[str, Any] | None = None,
    register_origins: bool = True,
    update: bool = False,
    resume: str = "auto",
    on_resume: Callable[[int, str], None] | None = None,
) -> CrawlResult:
    """Crawl the targets with real Scrapy in this process (Twisted allows one such call per process).

    `resume`: "auto" continues the newest run of the same targets that a crash left unfinished, "always" also
    one that failed (e.g. its database writes failed), "never" starts a new run; `on_resume(run_id, why)` is
    told when a run is continued, so the user sees it.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler import settings as default_settings
    from crawler.spiders.sites import SiteSpider

    engine = open_db(db)
    db_url = engine.url.render_as_string(hide_password=False)
    crawl_origins: dict[str, list[str]] = {}
    for target in targets:
        target.start_urls = [validate_url(u) for u in target.start_urls]
        if not target.site.name:  # no name given: the name the registry knows the site by, else its host
            target.site.name = resolve_name(engine, target.start_urls) or host_key(target.start_urls[0])
        crawl_origins[target.site.name] = target.site.origins or sorted({origin_of(u) for u in target.start_urls})
        if register_origins and not target.site.origins:
            # The start URLs' origins become the site's (intake captures opt out: they own no origin).
            target.site.origins = crawl_origins[target.site.name]
    register_all(engine, [t.site for t in targets], update=update)
    overrides = {
        "PROVENANCE_DB": db_url,
        "PROVENANCE_WARC_DIR": warc_dir,
        "PROVENANCE_MAX_PAGES": max_pages,
        "PROVENANCE_DEPTH": depth,
        "LOG_INSTALL_ROOT_HANDLER": False,
        **(settings or {}),
    }
    request = {
        "targets": [
            {"site": t.site.name, "role": t.site.role, "aliases": t.site.aliases, "start_urls": t.start_urls}
            for t in targets
        ]
    }
    previous = unfinished_run(engine, request, include_failed=resume == "always") if resume != "never" else None
    if previous is not None:
        run_id = previous.id
        reopen_run(engine, run_id)
        if on_resume is not None:
            on_resume(run_id, previous.error or "its crawl process stopped without closing it")
    else:
        run_id = start_run(engine, request, {k: v for k, v in overrides.items() if k != "PROVENANCE_DB"})
        frontier.queue_start(engine, run_id, _start_entries(targets))
    mark_stale_runs(engine)  # other crashed runs: closed as interrupted, continued when their targets come back
    overrides["PROVENANCE_RUN_ID"] = run_id
    overrides.setdefault("PROVENANCE_OWN_ORIGINS", sorted({o for t in targets for o in crawl_origins[t.site.name]}))
    queued = frontier.counts(engine, run_id)
    pending = frontier.pending(engine, run_id)
    seen = frontier.known_keys(engine, run_id)
    scrapy_settings = Settings()
    scrapy_settings.setmodule(default_settings, priority="project")
    scrapy_settings.setdict(overrides, priority="cmdline")
    # Scrapy's pending requests in a disk queue, so memory does not grow with the site's frontier. Emptied at the
    # start of every process: a resume reads the database's frontier, never this queue (it would fetch twice).
    if warc_dir:  # beside the run's evidence, so a killed crawl's queue is found and emptied by its resume
        queue_dir = Path(warc_dir).resolve() / f".scrapy-queue-run-{run_id}"
        shutil.rmtree(queue_dir, ignore_errors=True)
        queue_dir.mkdir(parents=True, exist_ok=True)
    else:
        queue_dir = Path(tempfile.mkdtemp(prefix="provenance-queue-"))
    if not scrapy_settings.get("JOBDIR"):
        scrapy_settings.set("JOBDIR", str(queue_dir), priority="cmdline")
    began = time.perf_counter()
    status, error = "finished", None
    try:
        process = CrawlerProcess(scrapy_settings)
        spider_targets = [
            {"site": t.site.name, "start_urls": t.start_urls, "origins": crawl_origins[t.site.name]} for t in targets
        ]
        crawler = process.create_crawler(SiteSpider)
        process.crawl(crawler, targets=spider_targets, pending=pending, seen=seen,
                      pages_queued=queued["pages_queued"])
        process.start()
        store_failed = crawler.stats.get_value("provenance/store_failed") if crawler.stats else None
        if store_failed:
            status, error = "failed", str(store_failed)
        elif left := frontier.counts(engine, run_id)["pending"]:
            status, error = "failed", f"{left} queued requests were not stored (the crawl stopped early)"
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        logger.error("crawl run %s failed: %s", run_id, error)
    finally:
        counts = finish_run(engine, run_id, status, error)
        shutil.rmtree(queue_dir, ignore_errors=True)
    seconds = time.perf_counter() - began
    failures = start_failures(engine, run_id, [u for t in targets for u in t.start_urls])
    engine.dispose()
    if status == "failed":
        raise CrawlError(f"crawl run {run_id} stopped: {error}",
                         "fix the cause, then run the same crawl command with --resume to continue it.")
    return CrawlResult(run_id=run_id, counts=counts, seconds=seconds, start_failures=failures,
                       resumed=previous is not None)
