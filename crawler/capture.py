"""Evidence capture at intake: fetch the URLs a notice names (WARC record + SHA-256), never an internal address.

Each URL is checked with `compliance.netguard.AddressGuard` before Scrapy starts, so a refused URL is recorded
without any network attempt; the accepted ones are crawled at depth 0 (the page and the images on it, no link
following) with `PublicAddressGuardMiddleware` on, which re-checks every redirect hop, image and robots.txt.

The crawl runs in this process through `crawler.runner.run_crawl`; Twisted's reactor starts once per process,
so call `capture_urls` at most once per process (the CLI calls it once per command).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from compliance.db import open_db
from compliance.netguard import AddressGuard, BlockedAddressError
from compliance.records import CaptureRecord, PageItem, SiteSpec
from compliance.runs import CaptureOutcome, capture_outcomes, finish_run, start_run
from compliance.sites import register_all
from compliance.store import store_page

logger = logging.getLogger(__name__)


class CaptureOutcomes(list[CaptureOutcome]):
    """One outcome per URL, plus the crawl run they were recorded in (what a ticket's evidence points at)."""

    def __init__(self, run_id: int, outcomes: Iterable[CaptureOutcome] = ()) -> None:
        super().__init__(outcomes)
        self.run_id = run_id


def _refused_capture(url: str, reason: str) -> CaptureRecord:
    return CaptureRecord(
        requested_url=url,
        final_url=None,
        redirect_chain=[],
        fetched_at=datetime.now(timezone.utc),
        error=reason,
        kind="page",
    )


def capture_urls(
    urls: list[str],
    db: str | None,
    warc_dir: str,
    site_name: str = "notice evidence",
    allow: Iterable[str] = (),
) -> CaptureOutcomes:
    """Capture each URL once (guarded): one outcome per distinct URL in the order given, and the run's id.

    `allow` lists exact "host:port" origins let through the guard: for tests and the demo only.
    """
    from crawler.runner import CrawlTarget, run_crawl

    allow = list(allow)
    guard = AddressGuard(allow=allow)
    wanted = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    refused: dict[str, str] = {}
    accepted: list[str] = []
    for url in wanted:
        try:
            guard.check_url(url)
        except BlockedAddressError as exc:
            logger.warning("address guard: %s", exc.message)
            refused[url] = exc.message
        else:
            accepted.append(url)
    spec = SiteSpec(name=site_name, role="unknown")
    engine = open_db(db)
    try:
        if accepted:
            settings: dict[str, Any] = {"PROVENANCE_GUARD": True, "PROVENANCE_GUARD_ALLOW": allow}
            result = run_crawl(
                [CrawlTarget(spec, accepted)], db=db, warc_dir=warc_dir,
                max_pages=len(accepted), depth=0, settings=settings, register_origins=False, resume="never",
            )
            run_id = result.run_id
        else:
            register_all(engine, [spec])
            request = {"targets": [{"site": site_name, "role": spec.role, "aliases": [], "start_urls": wanted}]}
            run_id = start_run(engine, request, {"PROVENANCE_GUARD": True, "PROVENANCE_DEPTH": 0})
        for url, reason in refused.items():
            store_page(engine, run_id, PageItem(site=site_name, capture=_refused_capture(url, reason), is_start=True))
        if refused or not accepted:
            finish_run(engine, run_id, "finished")  # counts recomputed with the refused captures
        return CaptureOutcomes(run_id, capture_outcomes(engine, run_id, wanted))
    finally:
        engine.dispose()
