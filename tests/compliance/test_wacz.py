"""WACZ packing: what `wacz validate` accepts, records copied byte for byte, records read back by offset."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from compliance.wacz import Excerpt, Page, record_at, scan, write_wacz
from crawler.warc import WarcFile

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=timezone.utc)


def _warc(path: Path) -> Path:
    warc = WarcFile(path)
    for n in range(3):
        warc.write(f"https://example.test/{n}", "GET", [], 200, "OK", [("Content-Type", "text/html")],
                   f"<p>page {n}</p>".encode(), NOW)
    warc.close()
    return path


def test_a_packed_excerpt_validates_and_keeps_the_bytes(tmp_path: Path) -> None:
    source = _warc(tmp_path / "a" / "run.warc.gz")
    other = _warc(tmp_path / "b" / "run.warc.gz")  # the same name from another folder: both kept
    records = list(scan(source))
    excerpt = Excerpt(source)
    for info in (records[0], records[3], records[4], records[3]):  # warcinfo, page 1's response and request
        excerpt.add(info)
    out = tmp_path / "out.wacz"
    package = write_wacz(out, [excerpt, Excerpt(other, list(scan(other))[:2])],
                         [Page("https://example.test/1", records[3].date, "Page 1")], "t", "d")
    check = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(out)], capture_output=True,
                           text=True, timeout=180, check=False)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout
    assert [r["path"] for r in package["resources"]][:2] == ["archive/run.warc.gz", "archive/run-2.warc.gz"]
    with zipfile.ZipFile(out) as zf:
        copied = zf.read("archive/run.warc.gz")
        index = zf.read("indexes/index.cdxj").decode().splitlines()
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
    data = source.read_bytes()
    wanted = [records[0], records[3], records[4]]
    assert copied == b"".join(data[r.offset:r.offset + r.length] for r in wanted)
    assert len(index) == 2 and all("https://example.test/" in line for line in index)  # responses only
    assert json.loads(pages[0])["format"] == "json-pages-1.0" and json.loads(pages[1])["title"] == "Page 1"
    assert not list(tmp_path.glob(".wacz-*"))  # the work folder is gone


def test_record_at_reads_one_record_or_nothing(tmp_path: Path) -> None:
    source = _warc(tmp_path / "run.warc.gz")
    records = list(scan(source))
    assert record_at(source, records[1].offset) == records[1]
    assert record_at(source, records[1].offset + 7) is None
    assert record_at(tmp_path / "missing.warc.gz", 0) is None
