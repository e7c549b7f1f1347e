"""TicketEvent is append-only in the database itself: UPDATE and DELETE are refused on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from compliance.db import open_db, session_scope
from compliance.models import Ticket, TicketEvent, utcnow
from tests.services import throwaway_postgres


def _sqlite(tmp_path: Path) -> Iterator[Engine]:
    yield open_db(str(tmp_path / "t.db"))


def _postgres() -> Iterator[Engine]:
    with throwaway_postgres() as url:
        engine = open_db(url)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from (_sqlite(tmp_path) if request.param == "sqlite" else _postgres())


def test_events_cannot_be_updated_or_deleted(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket = Ticket(content_sha256="a" * 64, kind="notice", regime="dmca", status="received",
                        received_at=utcnow(), source_file="n.txt", source_format="txt")
        session.add(ticket)
        session.flush()
        session.add(TicketEvent(ticket_id=ticket.id, at=utcnow(), actor="test", action="received",
                                from_status=None, to_status="received", reason="r"))
    for statement in ("UPDATE ticket_event SET reason = 'rewritten'", "DELETE FROM ticket_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT reason FROM ticket_event")).scalar_one() == "r"
