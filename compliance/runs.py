"""Crawl runs: opening and closing one, its counts, and what each requested URL gave (read from the evidence).

The crawler asks these questions through here instead of querying tables: `crawler/` knows no database.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.dates import utcnow
from compliance.db import session_scope
from compliance.models import Capture, CrawlRun, Document
from compliance.urls import normalise_or_keep

# A running run that has not written for this long, on another machine, is stale (on this machine: its pid is gone).
STALE_AFTER = timedelta(minutes=10)
INTERRUPTED = "interrupted"


def start_run(engine: Engine, request: dict[str, Any], settings: dict[str, Any]) -> int:
    """Open a run (status `running`) recording what was asked and with which settings; returns its id."""
    with session_scope(engine) as session:
        run = CrawlRun(request=request, settings=settings, status="running", host=socket.gethostname(),
                       pid=os.getpid(), heartbeat_at=utcnow())
        session.add(run)
        session.flush()
        return run.id


def heartbeat(session: Session, run_id: int) -> None:
    """The run is alive: written with every batch the crawl stores."""
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(heartbeat_at=utcnow()))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def is_stale(run: CrawlRun, now: datetime | None = None) -> bool:
    """A `running` run whose process is gone (same machine) or that stopped writing (elsewhere)."""
    if run.status != "running":
        return False
    if run.host == socket.gethostname() and run.pid is not None:
        return run.pid != os.getpid() and not _pid_alive(run.pid)
    last = run.heartbeat_at or run.started_at
    return (now or utcnow()) - last > STALE_AFTER


def unfinished_run(engine: Engine, request: dict[str, Any], include_failed: bool = False) -> CrawlRun | None:
    """The newest run of exactly these targets that a crash (or, with include_failed, any error) left unfinished."""
    with session_scope(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.status.in_(["running", "failed"]))
                               .order_by(CrawlRun.id.desc()).limit(50))
        for run in runs:
            if run.request != request:
                continue
            interrupted = run.status == "failed" and (run.error or "").startswith(INTERRUPTED)
            if is_stale(run) or interrupted or (include_failed and run.status == "failed"):
                return run
        return None


def reopen_run(engine: Engine, run_id: int) -> None:
    """Continue a run in this process: running again, one more attempt, its earlier error kept in the history."""
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        history = list((run.counts or {}).get("interrupted", []))
        reason = run.error or f"{INTERRUPTED}: the crawl process stopped without closing the run (killed?)"
        history.append({"last_write": (run.heartbeat_at or run.started_at).isoformat(), "reason": reason})
        run.counts = {**(run.counts or {}), "interrupted": history}
        run.status, run.error, run.finished_at = "running", None, None
        run.host, run.pid, run.heartbeat_at = socket.gethostname(), os.getpid(), utcnow()
        run.attempts = (run.attempts or 1) + 1


def mark_stale_runs(engine: Engine) -> list[int]:
    """Close every stale `running` run as failed (what `crawl` does before it starts); their ids."""
    closed: list[int] = []
    with session_scope(engine) as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
            if is_stale(run):
                run.status = "failed"
                run.error = f"{INTERRUPTED}: the crawl process stopped without closing the run (killed?)"
                closed.append(run.id)
    return closed


def run_counts(session: Session, run_id: int) -> dict[str, int]:
    """Counts of what a run captured, read back from the evidence itself."""

    def count(*conds: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(Capture).where(Capture.run_id == run_id, *conds)) or 0)

    articles = session.scalar(select(func.count(func.distinct(Document.id))).join(Capture, Document.capture_id == Capture.id)
                              .where(Capture.run_id == run_id))
    return {
        "pages": count(Capture.kind == "page", Capture.error.is_(None)),
        "articles": int(articles or 0),  # pages that gave an article document (the rest are pages of links)
        "images": count(Capture.kind == "image", Capture.error.is_(None)),
        "errors": count(Capture.error.is_not(None)),
        "captures": count(),
    }


def finish_run(engine: Engine, run_id: int, status: str, error: str | None = None) -> dict[str, int]:
    """Close a run with its status and the counts read back from its captures."""
    with session_scope(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        counts = run_counts(session, run_id)
        run.counts = {**counts, **{k: v for k, v in (run.counts or {}).items() if k == "interrupted"}}
        run.status = status
        run.error = error
        run.finished_at = utcnow()
        return counts


def _page_captures(session: Session, run_id: int) -> dict[str, Capture]:
    """The run's page captures by requested URL in the stored spelling (Scrapy's encoding and the user's agree)."""
    out: dict[str, Capture] = {}
    for cap in session.scalars(select(Capture).where(Capture.run_id == run_id, Capture.kind == "page")
                               .order_by(Capture.id)):
        out.setdefault(normalise_or_keep(cap.requested_url), cap)
    return out


def start_failures(engine: Engine, run_id: int, start_urls: Iterable[str]) -> list[tuple[str, str]]:
    """Start URLs that gave no document in this run, with the recorded reason."""
    out: list[tuple[str, str]] = []
    with session_scope(engine) as session:
        captures = _page_captures(session, run_id)
        for url in start_urls:
            cap = captures.get(normalise_or_keep(url))
            if cap is None:
                out.append((url, "was not fetched (filtered by the crawl policy?)"))
            elif cap.error:
                out.append((url, cap.error))
            elif session.scalar(select(Document.id).where(Document.capture_id == cap.id)) is None and not (
                cap.status is not None and cap.status < 400
            ):
                # A start page captured without error and without a document is a page of links the crawl went on from.
                out.append((url, "gave no article document"))
    return out


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


def capture_outcomes(engine: Engine, run_id: int, urls: Iterable[str]) -> list[CaptureOutcome]:
    """One outcome per URL, in the order given, from the run's page captures."""
    out: list[CaptureOutcome] = []
    with session_scope(engine) as session:
        captures = _page_captures(session, run_id)
        for url in urls:
            cap = captures.get(normalise_or_keep(url))
            if cap is None:
                out.append(CaptureOutcome(url=url, run_id=run_id, error="was not fetched (no capture recorded)"))
                continue
            out.append(CaptureOutcome(
                url=url, run_id=run_id, capture_id=cap.id, final_url=cap.final_url, status=cap.status,
                sha256=cap.body_sha256 if cap.status is not None else None, size=cap.size, warc_file=cap.warc_file,
                warc_offset=cap.warc_offset, redirect_chain=list(cap.redirect_chain or []), error=cap.error,
                refused=bool(cap.error and cap.error.startswith("refused ")),
            ))
    return out


__all__ = [
    "CaptureOutcome", "capture_outcomes", "finish_run", "heartbeat", "is_stale", "mark_stale_runs", "reopen_run",
    "run_counts", "start_failures", "start_run", "unfinished_run",
]
