"""The same path against the machine's PostgreSQL (PROVENANCE_TEST_POSTGRES_URL), in a throwaway database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli_helpers import run_cli
from tests.services import PG_SKIP, PG_URL, throwaway_postgres

pytestmark = pytest.mark.skipif(not PG_URL, reason=PG_SKIP)


@pytest.fixture()
def pg_db() -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    with throwaway_postgres() as url:
        yield url


def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"select count(*) from {table}")).scalar_one())
    finally:
        engine.dispose()


def test_crawl_link_audit_report_on_postgresql(pg_db: str, mockserver: dict[str, str], tmp_path: Path) -> None:
    publisher = ("crawl", mockserver["northgate"] + "/", "--role", "publisher", "--name", "Northgate Herald",
                 "--alias", "The Northgate Herald", "--warc-dir", str(tmp_path / "warc"))
    aggregator = ("crawl", mockserver["digest"] + "/", "--role", "aggregator", "--name", "DailyDigest",
                  "--warc-dir", str(tmp_path / "warc"))
    for args in (publisher, aggregator):
        proc = run_cli("--db", pg_db, *args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    docs = _count(pg_db, "document")
    assert docs >= 8
    # The batched store's driver-level postings insert and the frontier work on PostgreSQL too; postings wait in
    # the pending table until a link run indexes them.
    assert _count(pg_db, "(select distinct document_id from text_posting_pending) as posted") == docs
    assert _count(pg_db, "crawl_request") >= docs and _count(pg_db, "crawl_request where not done") == 0
    proc = run_cli("--db", pg_db, *publisher, cwd=tmp_path)  # again: a new run, nothing stored twice
    assert proc.returncode == 0, proc.stderr
    assert _count(pg_db, "document") == docs and _count(pg_db, "crawl_run") == 3
    for command in (["link"], ["audit"]):
        proc = run_cli("--db", pg_db, *command, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert _count(pg_db, "(select distinct document_id from text_posting) as posted") == docs
    assert _count(pg_db, "text_posting_pending") == 0
    proc = run_cli("report", "attribution", "--format", "json", "--db", pg_db, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    seed = [d for d in report["documents"] if d["url"].endswith("/articles/valdoria-summit-doubts.html")][0]
    assert {"missing_credit", "disclaimer_only"} <= {f["code"] for f in seed["findings"]}
    simhashes = [d for d in report["documents"] if d["originals"]]
    assert simhashes, "no copy was linked on PostgreSQL"
