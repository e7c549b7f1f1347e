"""The WARC middleware inside real Scrapy crawls of the mock server: every hop, revisits on a recrawl, failed
fetches and extraction results, and every file `warcio check` clean.

Crawls run in a subprocess (Twisted's reactor cannot restart in pytest).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

REPO = Path(__file__).resolve().parents[2]

CRAWL_SCRIPT = """
import json, sys
from compliance.records import SiteSpec
from crawler.runner import CrawlTarget, run_crawl
a = json.loads(sys.argv[1])
target = CrawlTarget(SiteSpec(name=a["name"], role=a["role"]), a["urls"])
r = run_crawl([target], db=a["db"], warc_dir=a["warc_dir"], depth=a["depth"], settings=a["settings"])
print(json.dumps({"run_id": r.run_id}))
"""


def crawl(tmp: Path, name: str, urls: list[str], depth: int = 1) -> int:
    """One crawl run with a 2 s download timeout (the hanging endpoint fails fast); returns its run id."""
    args = {"db": str(tmp / "p.db"), "warc_dir": str(tmp / "warc"), "name": name, "role": "publisher", "urls": urls,
            "depth": depth, "settings": {"DOWNLOAD_TIMEOUT": 2}}
    proc = subprocess.run([sys.executable, "-c", CRAWL_SCRIPT, json.dumps(args)], cwd=REPO, capture_output=True,
                          text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert proc.returncode == 0, proc.stderr
    return int(json.loads(proc.stdout.strip().splitlines()[-1])["run_id"])


def read(path: Path) -> list[dict[str, Any]]:
    out = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            status = record.http_headers.get_statuscode() if record.http_headers is not None else None
            body = record.content_stream().read()
            out.append({"version": record.rec_headers.protocol, "type": record.rec_type, "status": status,
                        "headers": dict(record.rec_headers.headers), "body": body,
                        "uri": record.rec_headers.get_header("WARC-Target-URI"), "offset": it.get_record_offset()})
    return out


@pytest.fixture(scope="module")
def crawled(mockserver: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("warc-crawl")
    faults = mockserver["faults"]
    first = crawl(tmp, "Northgate", [mockserver["northgate"] + "/"])
    again = crawl(tmp, "Northgate", [mockserver["northgate"] + "/"])
    failing = crawl(tmp, "Faults", [f"{faults}/page", f"{faults}/drop", f"{faults}/hang-after-headers",
                                    f"{faults}/status?n=500", f"{faults}/redirect-chain?n=3"], depth=0)
    runs = {"first": first, "again": again, "failing": failing}
    return {"tmp": tmp, "faults": faults, "runs": runs,
            "files": {k: tmp / "warc" / f"provenance-run-{v}.warc.gz" for k, v in runs.items()}}


def test_every_file_the_crawls_wrote_passes_warcio_check(crawled: dict[str, Any]) -> None:
    files = sorted((crawled["tmp"] / "warc").glob("*.warc.gz"))
    assert files == sorted(crawled["files"].values())
    proc = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout
    for path in files:
        assert {r["version"] for r in read(path)} == {"WARC/1.1"}


def test_an_unchanged_recrawl_writes_revisits_not_payloads(crawled: dict[str, Any]) -> None:
    first, again = read(crawled["files"]["first"]), read(crawled["files"]["again"])
    originals = {r["headers"]["WARC-Record-ID"]: r for r in first if r["type"] == "response"}
    revisits = [r for r in again if r["type"] == "revisit"]
    pages_and_images = {r["uri"] for r in first if r["type"] == "response" and r["status"] == "200"
                        and not r["uri"].endswith("/robots.txt")}
    assert {r["uri"] for r in revisits} >= pages_and_images
    for revisit in revisits:
        original = originals[revisit["headers"]["WARC-Refers-To"]]
        assert original["uri"] == revisit["headers"]["WARC-Refers-To-Target-URI"] == revisit["uri"]
        assert original["headers"]["WARC-Payload-Digest"] == revisit["headers"]["WARC-Payload-Digest"]
        assert original["headers"]["WARC-Date"] == revisit["headers"]["WARC-Refers-To-Date"]
    size_first, size_again = crawled["files"]["first"].stat().st_size, crawled["files"]["again"].stat().st_size
    assert size_again * 4 < size_first, (size_first, size_again)


def test_captures_point_at_their_records(crawled: dict[str, Any]) -> None:
    con = sqlite3.connect(crawled["tmp"] / "p.db")
    rows = con.execute("select run_id, final_url, warc_file, warc_offset from capture where status = 200").fetchall()
    con.close()
    assert rows
    for run_id, url, warc_file, offset in rows:
        at = next(r for r in read(Path(warc_file)) if r["offset"] == offset)
        assert at["uri"] == url
        assert at["type"] == ("revisit" if run_id == crawled["runs"]["again"] else at["type"])


def test_failed_fetches_are_recorded_with_what_was_asked_and_why(crawled: dict[str, Any]) -> None:
    faults = crawled["faults"]
    found = read(crawled["files"]["failing"])
    why = {}
    for r in found:
        if r["type"] == "metadata" and b'"request"' in r["body"]:
            why.setdefault(r["uri"], []).append(json.loads(r["body"]))
    assert why[f"{faults}/drop"][0]["error"].startswith("closed the connection")
    assert why[f"{faults}/hang-after-headers"][0]["error"] == "did not answer within 2 s (timed out)"
    assert why[f"{faults}/hang-after-headers"][0]["request"]["sent"] is True
    asked = [r for r in found if r["type"] == "request" and r["uri"] == f"{faults}/hang-after-headers"]
    assert asked and all(r["headers"].get("WARC-Concurrent-To") is None for r in asked)
    server_errors = [r for r in found if r["type"] == "response" and r["uri"] == f"{faults}/status?n=500"]
    assert server_errors and {r["status"] for r in server_errors} == {"500"}


def test_each_capture_has_a_metadata_record_with_what_was_extracted(crawled: dict[str, Any]) -> None:
    con = sqlite3.connect(crawled["tmp"] / "p.db")
    docs = dict(con.execute("select d.fetched_url, d.title from document d").fetchall())
    con.close()
    for key in ("first", "again", "failing"):
        found = read(crawled["files"][key])
        by_id = {r["headers"]["WARC-Record-ID"]: r for r in found}
        metadata = [r for r in found if r["type"] == "metadata" and b'"capture"' in r["body"]]
        assert metadata
        for meta in metadata:
            fields = json.loads(meta["body"])
            target = by_id.get(meta["headers"].get("WARC-Refers-To", ""))
            if fields["capture"]["error"] is None:
                assert target is not None and target["type"] in ("response", "revisit")
                assert target["uri"] == fields["capture"]["final_url"]
            if fields.get("article") and meta["uri"] in docs:
                assert fields["article"]["title"] == docs[meta["uri"]]
    failing = read(crawled["files"]["failing"])
    errors = {json.loads(r["body"])["capture"]["error"] for r in failing
              if r["type"] == "metadata" and b'"capture"' in r["body"]}
    assert "answered HTTP 500" in errors and "did not answer within 2 s (timed out)" in errors
