"""Crawl -> store -> link -> audit on real news pages (the AEB benchmark subset in the shared folder).

Two instances of `tests.realpages_server` serve the same 140 pages: one crawled as the publisher "RealPages",
the other as the aggregator "Mirror". The pages' own images and relative links point nowhere (404 or, for
other hosts, refused by the server acting as the crawl's HTTP proxy): every such fetch is recorded, and no
request leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.cli_helpers import REPO, run_cli
from tests.services import json_line_server

SCHEMA = REPO / "reports" / "schemas" / "attribution.schema.json"
PAGES = 140
MIN_WORDS = 40


@contextmanager
def realpages_server(shared: Path) -> Iterator[str]:
    """`python -m tests.realpages_server SHARED` in a subprocess; yields its base URL; stops when stdin closes."""
    with json_line_server("-m", "tests.realpages_server", str(shared)) as urls:
        yield str(urls["site"])


def _query(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def real(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Both crawls, each followed by link + audit + JSON report, with every command's output kept."""
    if not (shared_dir / "data" / "aeb" / "html").is_dir():
        pytest.skip("AEB pages not found in the shared folder")
    tmp = tmp_path_factory.mktemp("realpages")
    db, warc = tmp / "r.db", tmp / "warc"
    out: dict[str, Any] = {"db": db, "procs": {}, "seconds": {}}

    def cli(key: str, *args: str) -> subprocess.CompletedProcess[str]:
        began = time.perf_counter()
        proc = run_cli(*args, "--db", str(db), cwd=tmp, env=env)
        out["seconds"][key] = time.perf_counter() - began
        out["procs"][key] = proc
        return proc

    with realpages_server(shared_dir) as site, realpages_server(shared_dir) as mirror:
        # The first server doubles as the HTTP(S) proxy for every other host: nothing leaves 127.0.0.1.
        env = {"http_proxy": site, "https_proxy": site, "HTTP_PROXY": site, "HTTPS_PROXY": site,
               "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}
        out["site"], out["mirror"] = site, mirror
        common = ("--depth", "1", "--max-pages", "200", "--warc-dir", str(warc))
        cli("crawl1", "crawl", f"{site}/index.html", "--role", "publisher", "--name", "RealPages", *common)
        cli("link1", "link")
        cli("audit1", "audit")
        report1 = cli("report1", "report", "attribution", "--format", "json")
        out["report1"] = json.loads(report1.stdout) if report1.returncode == 0 else None
        cli("crawl2", "crawl", f"{mirror}/index.html", "--role", "aggregator", "--name", "Mirror", *common)
        cli("link2", "link")
        cli("audit2", "audit")
        report2 = cli("report2", "report", "attribution", "--format", "json")
        out["report2"] = json.loads(report2.stdout) if report2.returncode == 0 else None
    print("\nreal pages timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in out["seconds"].items()))
    yield out


def test_every_command_exits_0_without_a_trace(real: dict[str, Any]) -> None:
    # The start URL is an index page (links only): the crawl goes on from it, so it is not a failure.
    for key, proc in real["procs"].items():
        assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, (key, proc.stderr[-2000:])
        assert proc.returncode == 0, (key, proc.returncode, proc.stderr[-2000:])
        assert not [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")], (key, proc.stderr)


def test_pages_become_documents_with_text_simhash_and_title(real: dict[str, Any]) -> None:
    rows = _query(real["db"], "select d.text, d.simhash, d.title from document d join site s on s.id = d.site_id "
                  "where s.name = 'RealPages' and d.url like ?", f"{real['site']}/p/%")
    usable = [r for r in rows if r[0] and r[0].strip() and r[1] is not None]
    titled = [r for r in rows if r[2] and r[2].strip()]
    print(f"\nreal pages: {len(usable)}/{PAGES} documents with text and simhash, {len(titled)} with a title")
    assert len(usable) >= 135
    assert len(titled) >= 0.95 * len(rows)


def test_one_capture_per_url_per_run_and_warc_payloads_match(real: dict[str, Any]) -> None:
    db = real["db"]
    dupes = _query(db, "select run_id, requested_url, count(*) from capture group by 1, 2 having count(*) > 1")
    assert dupes == []
    pages = _query(db, "select count(*) from capture where kind = 'page' and error is null and requested_url like ?",
                   f"{real['site']}/p/%")[0][0]
    assert pages == PAGES
    rows = _query(db, "select final_url, body_sha256, warc_file, warc_offset, headers from capture "
                  "where status is not null")
    assert rows
    checked = gzipped = 0
    handles: dict[str, Any] = {}
    try:
        for final_url, sha, warc_file, offset, headers in rows:
            assert sha and warc_file and offset is not None, final_url
            fh = handles.get(warc_file) or handles.setdefault(warc_file, open(warc_file, "rb"))
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == final_url
            raw = record.raw_stream.read()  # the body as received (still gzipped when the server gzipped it)
            encoding = record.http_headers.get_header("Content-Encoding") or ""
            assert (json.loads(headers).get("content-encoding") or "") == encoding, final_url  # kept in the capture
            if "gzip" in encoding:
                raw = gzip.decompress(raw)
                gzipped += 1
            assert hashlib.sha256(raw).hexdigest() == sha, final_url
            checked += 1
    finally:
        for fh in handles.values():
            fh.close()
    print(f"\nreal pages: {checked} WARC response records match their capture's SHA-256 ({gzipped} gzip-encoded)")
    assert gzipped == PAGES  # half of the pages go out gzip-encoded, in each of the two crawls


def test_one_publisher_alone_gives_no_copies_and_a_valid_report(real: dict[str, Any]) -> None:
    report = real["report1"]
    assert report is not None
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    # One publisher site: nothing is a copy (an original is never proposed as a copy of itself or a sibling).
    assert report["summary"]["copies"] == 0
    assert report["summary"]["by_code"] == {}
    assert all(not d["findings"] and not d["originals"] for d in report["documents"])


def test_mirror_pages_link_to_their_own_original(real: dict[str, Any]) -> None:
    report = real["report2"]
    assert report is not None
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    words = {url: len((text or "").split()) for url, text in _query(
        real["db"], "select d.url, d.text from document d join site s on s.id = d.site_id where s.name = 'Mirror'")}
    copies = [d for d in report["documents"] if d["site"] == "Mirror" and words.get(d["url"], 0) >= MIN_WORDS]
    assert len(copies) >= 135
    linked = wrong = flagged = 0
    for doc in copies:
        originals = doc["originals"]
        if not originals:
            continue
        best = originals[0]
        if urlsplit(best["url"]).path != urlsplit(doc["url"]).path or best["site"] != "RealPages":
            wrong += 1
            continue
        if best["method"] == "simhash" and best["distance"] == 0:
            linked += 1
        codes = {f["code"] for f in doc["findings"]}
        # Nobody credits "RealPages"; pages that credit their real outlet or agency (Reuters, AP, ...) get
        # misattributed instead of missing_credit, which is the rule for a credit naming someone else.
        if "substantial_copy" in codes and codes & {"missing_credit", "misattributed"} and "credited_ok" not in codes:
            flagged += 1
    wrong_any = sum(1 for d in report["documents"] if d["site"] == "Mirror" for o in d["originals"]
                    if urlsplit(o["url"]).path != urlsplit(d["url"]).path)
    publisher_flagged = [d["url"] for d in report["documents"] if d["site"] == "RealPages" and d["findings"]]
    by_code = report["summary"]["by_code"]
    print(f"\nnear-duplicates on real pages: {len(copies)} mirrored pages with >= {MIN_WORDS} words; "
          f"recall {linked / len(copies):.3f} ({linked} linked at simhash distance 0 to their own original); "
          f"wrong originals {wrong_any}; flagged {flagged / len(copies):.3f}; by_code {by_code}")
    assert wrong == 0 and wrong_any == 0  # precision: never another page's original
    assert linked >= 0.95 * len(copies)
    assert flagged >= 0.95 * len(copies)
    assert publisher_flagged == []
