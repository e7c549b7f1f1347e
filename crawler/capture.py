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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from compliance.db import open_db, session_scope
from compliance.models import Capture
from compliance.netguard import AddressGuard, BlockedAddressError
from compliance.records import CaptureRecord, PageItem, SiteSpec
from compliance.store import ensure_sites, finish_run, start_run, store_page

logger = logging.getLogger(__name__)


@dataclass
class CaptureOutcome:
    """What happened to one requested URL, read back from the capture table (the stored evidence)."""

    url: str
    run_id: int
    capture_id: int | None = None
    final_url: str | None = None
    status: int | None = None
    sha256: str | None = None
    size: int = 0
    warc_file: str | None = None
    warc_offset: int | None = None
    redirect_chain: list[str] = field(default_factory=list)
    error: str | None = None
    refused: bool = False  # refused by the address guard (before the fetch or at a redirect hop)

    @property
    def ok(self) -> bool:
        """Evidence was captured: an HTTP answer with its bytes hashed (the status may still be 4xx/5xx)."""
        return self.status is not None and self.sha256 is not None


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


def _request_url(url: str) -> str:
    """The URL as Scrapy sends it (percent-encoded, IDNA host), which is what the capture row records."""
    from scrapy import Request

    try:
        return str(Request(url).url)
    except ValueError:
        return url


def _outcome(engine: Engine, run_id: int, url: str) -> CaptureOutcome:
    with session_scope(engine) as session:
        cap = None
        for key in dict.fromkeys([url, _request_url(url)]):
            cap = session.scalars(
                select(Capture).where(Capture.run_id == run_id, Capture.requested_url == key, Capture.kind == "page")
            ).first()
            if cap is not None:
                break
        if cap is None:
            return CaptureOutcome(url=url, run_id=run_id, error="was not fetched (no capture recorded)")
        error = cap.error
        return CaptureOutcome(
            url=url,
            run_id=run_id,
            capture_id=cap.id,
            final_url=cap.final_url,
            status=cap.status,
            sha256=cap.body_sha256 if cap.status is not None else None,
            size=cap.size,
            warc_file=cap.warc_file,
            warc_offset=cap.warc_offset,
            redirect_chain=list(cap.redirect_chain or []),
            error=error,
            refused=bool(error and error.startswith("refused ")),
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
                max_pages=len(accepted), depth=0, settings=settings, register_origins=False,
            )
            run_id = result.run_id
        else:
            ensure_sites(engine, [spec])
            request = {"targets": [{"site": site_name, "role": spec.role, "aliases": [], "start_urls": wanted}]}
            run_id = start_run(engine, request, {"PROVENANCE_GUARD": True, "PROVENANCE_DEPTH": 0})
        for url, reason in refused.items():
            store_page(engine, run_id, PageItem(site=site_name, capture=_refused_capture(url, reason), is_start=True))
        if refused or not accepted:
            finish_run(engine, run_id, "finished")  # counts recomputed with the refused captures
        return CaptureOutcomes(run_id, (_outcome(engine, run_id, url) for url in wanted))
    finally:
        engine.dispose()
