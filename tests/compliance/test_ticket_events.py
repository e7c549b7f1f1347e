"""TicketEvent is append-only in the database itself: UPDATE and DELETE are refused on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from compliance.db import open_db, session_scope
from compliance.models import Ticket, TicketEvent, utcnow

PG_URL = os.environ.get("PROVENANCE_TEST_POSTGRES_URL")


def _sqlite(tmp_path: Path) -> Iterator[Engine]:
    yield open_db(str(tmp_path / "t.db"))


def _postgres() -> Iterator[Engine]:
    if not PG_URL:
        pytest.skip("PROVENANCE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    base = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = open_db(base.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
