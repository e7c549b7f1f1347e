"""The records behind captures, on a real SQLite file and real WARC files: revisit lookups and what an export takes."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from compliance.db import open_db, session_scope
from compliance.errors import InputError
from compliance.evidence import PriorPayloads, collect, export_wacz
from compliance.models import Capture, CrawlRun
from compliance.wacz import scan
from crawler.warc import WarcFile, payload_digest

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=timezone.utc)
PAGE = b"<html><body><p>The article.</p></body></html>"
URL = "https://example.test/story"


def _write(warc: WarcFile, url: str, body: bytes = PAGE, status: int = 200) -> Any:
    return warc.write(url, "GET", [], status, "OK", [("Content-Type", "text/html")], body, NOW)


def _capture(engine: Engine, run: int, **fields: Any) -> int:
    with session_scope(engine) as session:
        if session.get(CrawlRun, run) is None:
            session.add(CrawlRun(id=run, status="finished"))
            session.flush()
        cap = Capture(run_id=run, fetched_at=NOW, **fields)
        session.add(cap)
        session.flush()
        return cap.id


@pytest.fixture
def two_runs(tmp_path: Path) -> dict[str, Any]:
    """Run 1 archived the story after a redirect; run 2 found it unchanged (a revisit through PriorPayloads)."""
    engine = open_db(str(tmp_path / "p.db"))
    one = WarcFile(tmp_path / "warc" / "run-1.warc.gz")
    _write(one, "https://example.test/old", b"", status=301)
    first = _write(one, URL)
    one.close()
    _capture(engine, 1, requested_url="https://example.test/old", final_url=URL, status=200,
             redirect_chain=["https://example.test/old", URL], warc_file=str(one.path), warc_offset=first.offset)
    two = WarcFile(tmp_path / "warc" / "run-2.warc.gz", prior=PriorPayloads(engine))
    second = _write(two, URL)
    failed = two.write_failure("https://example.test/gone", "GET", [], True, {"error": "did not answer"}, NOW)
    two.close()
    cap2 = _capture(engine, 2, requested_url=URL, final_url=URL, status=200, warc_file=str(two.path),
                    warc_offset=second.offset)
    cap3 = _capture(engine, 2, requested_url="https://example.test/gone", error="did not answer")
    return {"engine": engine, "tmp": tmp_path, "first": first, "second": second, "failed": failed,
            "files": (one.path, two.path), "captures": (cap2, cap3)}


def test_prior_payloads_finds_the_last_archived_response_of_a_url(two_runs: dict[str, Any]) -> None:
    assert two_runs["second"].rec_type == "revisit"
    prior = PriorPayloads(two_runs["engine"])(URL)
    assert prior is not None
    # The capture of run 2 points at a revisit; what it stands for is still run 1's response.
    assert prior.record_id == two_runs["first"].record_id and prior.digest == payload_digest(PAGE)
    assert PriorPayloads(two_runs["engine"])("https://example.test/never") is None



def test_a_run_never_revisits_its_own_records(two_runs: dict[str, Any]) -> None:
    engine, new = two_runs["engine"], "https://example.test/new"
    three = WarcFile(two_runs["tmp"] / "warc" / "run-3.warc.gz")
    written = _write(three, new)
    three.close()
    _capture(engine, 3, requested_url=new, final_url=new, status=200, warc_file=str(three.path),
             warc_offset=written.offset)
    assert PriorPayloads(engine, run_id=3)(new) is None  # within a run every record is a full response
    found = PriorPayloads(engine, run_id=4)(new)
    assert found is not None and found.record_id == written.record_id


def test_a_moved_warc_file_means_no_revisit(two_runs: dict[str, Any]) -> None:
    for path in two_runs["files"]:
        path.rename(path.with_suffix(".moved"))
    assert PriorPayloads(two_runs["engine"])(URL) is None


def test_collect_brings_the_revisited_original_and_the_failure(two_runs: dict[str, Any]) -> None:
    from sqlalchemy.orm import Session

    with Session(two_runs["engine"]) as session:
        caps = [(session.get(Capture, i), None) for i in two_runs["captures"]]
        got = collect(session, [(c, t) for c, t in caps if c is not None])
    by_file = {e.source.name: [r.rec_type for r in sorted(e.records, key=lambda r: r.offset)] for e in got.excerpts}
    assert by_file["run-1.warc.gz"] == ["warcinfo", "response"]  # the original only, not run 1's other records
    assert by_file["run-2.warc.gz"] == ["warcinfo", "revisit", "request", "request", "metadata"]
    assert [p.url for p in got.pages] == [URL] and got.missing == [] and got.unfetched == []


def test_export_by_url_and_missing_files(two_runs: dict[str, Any]) -> None:
    engine, tmp = two_runs["engine"], two_runs["tmp"]
    summary = export_wacz(engine, tmp / "story.wacz", url=URL)
    assert summary.captures == 2 and summary.pages == 2 and summary.missing == []
    kinds = sorted(r.rec_type for r in scan(two_runs["files"][0]))
    assert kinds == ["request", "request", "response", "response", "warcinfo"]
    two_runs["files"][0].unlink()  # run 1's file deleted: the export says what it could not find
    summary = export_wacz(engine, tmp / "story-again.wacz", url=URL)
    assert any("original of revisit" in m for m in summary.missing)
    with pytest.raises(InputError, match="exactly one"):
        export_wacz(engine, tmp / "x.wacz", document_id=1, url=URL)
    with pytest.raises(InputError, match="no captures"):
        export_wacz(engine, tmp / "x.wacz", url="https://example.test/unknown")
    with pytest.raises(InputError, match="not an http"):
        export_wacz(engine, tmp / "x.wacz", url="ftp://example.test/")
