"""A crawl's frontier in the database: every URL a run decided to fetch, and whether its capture is stored.

Requests are written in the same transaction as the page that discovered them and marked done with their own
capture (`compliance.store.store_items`), so after a SIGKILL the pending rows are exactly what is left to fetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.db import insert_ignore, session_scope
from compliance.models import CrawlRequest
from compliance.records import FrontierEntry

_CHUNK = 500  # rows per INSERT: SQLite caps the variables of one statement


def _row(run_id: int, entry: FrontierEntry, done: bool = False) -> dict[str, object]:
    return {
        "run_id": run_id, "url": entry.url, "url_key": entry.key, "kind": entry.kind, "site": entry.site,
        "depth": entry.depth, "is_start": entry.is_start, "page_url": entry.page_url, "done": done,
    }


def add_requests(session: Session, run_id: int, entries: Sequence[FrontierEntry]) -> None:
    """Queue requests once per (run, key); a request already known keeps its state."""
    rows = [_row(run_id, e) for e in {e.key: e for e in entries}.values()]
    for at in range(0, len(rows), _CHUNK):
        insert_ignore(session, CrawlRequest, rows[at:at + _CHUNK], ["run_id", "url_key"])


def mark_done(session: Session, run_id: int, entries: Sequence[FrontierEntry]) -> None:
    """These requests' captures are stored (inserted as done when their discoverer's batch is not stored yet)."""
    unique = list({e.key: e for e in entries}.values())
    for at in range(0, len(unique), _CHUNK):
        chunk = unique[at:at + _CHUNK]
        insert_ignore(session, CrawlRequest, [_row(run_id, e, done=True) for e in chunk], ["run_id", "url_key"])
        session.execute(update(CrawlRequest).where(CrawlRequest.run_id == run_id,
                                                   CrawlRequest.url_key.in_([e.key for e in chunk]))
                        .values(done=True))


def queue_start(engine: Engine, run_id: int, entries: Iterable[FrontierEntry]) -> None:
    with session_scope(engine) as session:
        add_requests(session, run_id, list(entries))


def pending(engine: Engine, run_id: int) -> list[FrontierEntry]:
    """Requests of the run whose capture is not stored yet, in the order they were queued."""
    with session_scope(engine) as session:
        rows = session.scalars(select(CrawlRequest).where(CrawlRequest.run_id == run_id,
                                                          CrawlRequest.done.is_(False)).order_by(CrawlRequest.id))
        return [FrontierEntry(url=r.url, key=r.url_key, site=r.site, kind=r.kind, depth=r.depth,
                              is_start=r.is_start, page_url=r.page_url) for r in rows]


def known_keys(engine: Engine, run_id: int) -> set[str]:
    """Every key the run has queued (done or not): the crawler's duplicate filter after a resume."""
    with session_scope(engine) as session:
        return set(session.scalars(select(CrawlRequest.url_key).where(CrawlRequest.run_id == run_id)))


def counts(engine: Engine, run_id: int) -> dict[str, int]:
    """Queued pages (what PROVENANCE_MAX_PAGES limits) and requests still pending."""
    with session_scope(engine) as session:
        def count(*conds: Any) -> int:
            stmt = select(func.count()).select_from(CrawlRequest).where(CrawlRequest.run_id == run_id, *conds)
            return int(session.scalar(stmt) or 0)

        return {"pages_queued": count(CrawlRequest.kind == "page"), "pending": count(CrawlRequest.done.is_(False))}


__all__ = ["add_requests", "counts", "known_keys", "mark_done", "pending", "queue_start"]
