"""The database layer on real SQLite files: migrations, WAL, a second writer, URL handling, fingerprints."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from compliance.db import insert_ignore, make_engine, open_db, session_scope, table_names
from compliance.errors import DatabaseError
from compliance.models import CrawlRun, Document, Site, UInt64


def test_migration_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = open_db(url)
    assert {"site", "capture", "document", "image", "match", "finding", "alembic_version"} <= set(table_names(engine))
    open_db(url)  # second upgrade is a no-op
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from alembic_version")).scalar() == 1


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    open_db(str(tmp_path / "w.db"))
    con = sqlite3.connect(tmp_path / "w.db")
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def _writer(url: str, n: int, tag: str) -> None:
    engine = make_engine(url)
    for i in range(n):
        with session_scope(engine) as session:
            session.add(CrawlRun(request={"writer": tag, "i": i}))


def test_two_writers_at_once_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    open_db(url)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(url, 60, tag)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with session_scope(make_engine(url)) as session:
        assert len(session.scalars(select(CrawlRun)).all()) == 120


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as info:
        make_engine(str(tmp_path / "nope" / "x.db"))
    assert "does not exist" in info.value.one_line() and "Fix:" in info.value.one_line()


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError):
        make_engine("nosuchdialect://x")


def test_insert_ignore_stores_a_row_once(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "u.db"))
    with session_scope(engine) as session:
        for _ in range(3):
            insert_ignore(session, Site, [{"name": "BBC", "role": "publisher", "aliases": []}], ["name"])
    with session_scope(engine) as session:
        assert session.scalars(select(Site)).all()[0].name == "BBC"
        assert len(session.scalars(select(Site)).all()) == 1


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_uint64_round_trips_through_signed_bigint(value: int) -> None:
    t = UInt64()
    stored = t.process_bind_param(value, None)  # type: ignore[arg-type]
    assert stored is not None and -(2**63) <= stored < 2**63
    assert t.process_result_value(stored, None) == value  # type: ignore[arg-type]


def test_simhash_with_high_bit_survives_the_database(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "h.db"))
    with session_scope(engine) as session:
        session.add(Site(id=1, name="S", role="publisher", aliases=[]))
        session.add(Document(site_id=1, url="http://x/", fetched_url="http://x/", text="t", text_sha256="0" * 64,
                             simhash=2**64 - 1))
    with session_scope(engine) as session:
        assert session.scalars(select(Document.simhash)).one() == 2**64 - 1


def test_migration_0003_parses_stored_dates(tmp_path: Path) -> None:
    """Documents stored before 0003 keep their date as written and gain the parsed instant."""
    from alembic import command

    from compliance.db import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    command.upgrade(_alembic_config(engine), "0002")
    with engine.begin() as conn:
        conn.execute(text("insert into site (id, name, role, aliases) values (1, 'S', 'publisher', '[]')"))
        for i, written in enumerate(["March 4, 2026", "2026-03-04T08:30+05:00", "9999-12-31", None], 1):
            conn.execute(text(
                "insert into document (id, site_id, url, fetched_url, text, text_sha256, published, credits, "
                "outbound_links, disclaimers, alternates, extra, is_current, first_seen, last_seen) values "
                "(:id, 1, :url, :url, 't', :sha, :published, '[]', '[]', '[]', '[]', '{}', 1, :now, :now)"),
                {"id": i, "url": f"http://x/{i}", "sha": str(i) * 64, "published": written,
                 "now": "2026-03-05 00:00:00.000000"})
    open_db(url)
    with session_scope(engine) as session:
        docs = {d.id: d for d in session.scalars(select(Document))}
    assert docs[1].published == "March 4, 2026" and docs[1].published_at is not None
    assert docs[1].published_at.isoformat() == "2026-03-04T00:00:00+00:00"
    assert docs[2].published_at is not None and docs[2].published_at.isoformat() == "2026-03-04T03:30:00+00:00"
    assert docs[3].published_at is None and docs[4].published_at is None
