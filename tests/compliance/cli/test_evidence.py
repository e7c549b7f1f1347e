"""`provenance evidence export` end to end: crawl the mock server, export a document's, URL's or ticket's evidence,
and the WACZ passes `wacz validate`, its WARCs `warcio check`, every record byte for byte the crawl's."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.cli_helpers import assert_one_clear_error, run_cli


def wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(path)], capture_output=True,
                          text=True, timeout=180, check=False)


def unpack(wacz: Path, into: Path) -> dict[str, Any]:
    """Check the parts every WACZ must have and hand back its package, records and index lines."""
    with zipfile.ZipFile(wacz) as zf:
        names = zf.namelist()
        assert {"datapackage.json", "datapackage-digest.json", "indexes/index.cdxj", "pages/pages.jsonl"} <= set(names)
        for info in zf.infolist():
            if info.filename.startswith("archive/"):
                assert info.compress_type == zipfile.ZIP_STORED  # range requests reach each gzip member
        zf.extractall(into)
    package = json.loads((into / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        data = (into / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and res["bytes"] == len(data)
    records = []
    for warc in sorted((into / "archive").glob("*.warc.gz")):
        with open(warc, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                body = record.content_stream().read()
                records.append({"file": warc.name, "type": record.rec_type, "body": body,
                                "uri": record.rec_headers.get_header("WARC-Target-URI"),
                                "headers": dict(record.rec_headers.headers),
                                "slice": (it.get_record_offset(), it.get_record_length())})
    pages = [json.loads(line) for line in (into / "pages/pages.jsonl").read_text(encoding="utf-8").splitlines()]
    cdxj = (into / "indexes/index.cdxj").read_text(encoding="utf-8").splitlines()
    return {"package": package, "records": records, "pages": pages, "cdxj": cdxj, "dir": into}


def assert_byte_for_byte(exported: dict[str, Any], warc_dir: Path) -> None:
    """Every record in the WACZ is the very bytes the crawl wrote: a copy, not a re-serialisation."""
    for rec in exported["records"]:
        start, length = rec["slice"]
        member = (exported["dir"] / "archive" / rec["file"]).read_bytes()[start:start + length]
        assert member in (warc_dir / rec["file"]).read_bytes(), rec["uri"]


def warcio_check(paths: list[Path]) -> None:
    proc = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, paths)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout


@pytest.fixture(scope="module")
def recrawled(mockserver: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Northgate crawled twice (the second run all revisits), then the faults site with its failing links."""
    tmp = tmp_path_factory.mktemp("evidence")
    db, warc = tmp / "p.db", tmp / "warc"
    for _ in range(2):
        proc = run_cli("crawl", mockserver["northgate"] + "/", "--role", "publisher", "--name", "Northgate",
                       "--depth", "1", "--db", str(db), "--warc-dir", str(warc), cwd=tmp)
        assert proc.returncode == 0, proc.stderr
    proc = run_cli("crawl", mockserver["faults"] + "/", "--role", "aggregator", "--name", "Faults", "--depth", "1",
                   "--db", str(db), "--warc-dir", str(warc), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return {"tmp": tmp, "db": db, "warc": warc, "faults": mockserver["faults"]}


def test_a_documents_evidence_is_a_valid_wacz_with_the_revisited_originals(recrawled: dict[str, Any]) -> None:
    tmp, db = recrawled["tmp"], recrawled["db"]
    con = sqlite3.connect(db)
    doc_id, title, url = con.execute(
        "select d.id, d.title, d.fetched_url from document d where exists "
        "(select 1 from image_appearance a where a.document_id = d.id) order by d.id limit 1").fetchone()
    con.close()
    out = tmp / "out" / "document.wacz"
    proc = run_cli("evidence", "export", "--document", str(doc_id), "-o", str(out), "--db", str(db), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    check = wacz_validate(out)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout
    got = unpack(out, tmp / "document")
    assert_byte_for_byte(got, recrawled["warc"])
    warcio_check(sorted((tmp / "document" / "archive").glob("*.warc.gz")))
    kinds = [(r["type"], r["uri"]) for r in got["records"]]
    # The document's current capture is the recrawl's revisit; its original comes along from the first run.
    assert ("revisit", url) in kinds and ("response", url) in kinds and ("request", url) in kinds
    assert any(t == "metadata" and u == url for t, u in kinds)
    assert len({r["file"] for r in got["records"]}) == 2
    assert any(t in ("response", "revisit") and u.endswith(".jpg") for t, u in kinds)  # the page's images
    assert [p["url"] for p in got["pages"][1:]] == [url] and got["pages"][1]["title"] == title
    assert any(f'"url": "{url}"' in line for line in got["cdxj"])
    assert got["package"]["wacz_version"] == "1.1.1" and got["package"]["mainPageUrl"] == url


def test_a_url_that_failed_exports_what_was_asked_and_why(recrawled: dict[str, Any]) -> None:
    tmp = recrawled["tmp"]
    drop = f"{recrawled['faults']}/drop"
    out = tmp / "drop.wacz"
    proc = run_cli("evidence", "export", drop, "-o", str(out), "--db", str(recrawled["db"]), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert wacz_validate(out).returncode == 0
    got = unpack(out, tmp / "drop")
    assert_byte_for_byte(got, recrawled["warc"])
    asked = [r for r in got["records"] if r["type"] == "request" and r["uri"] == drop]
    why = [json.loads(r["body"]) for r in got["records"] if r["type"] == "metadata" and r["uri"] == drop]
    assert asked and any(w.get("error", "").startswith("closed the connection") for w in why)
    assert got["pages"][1:] == []  # nothing to replay, the evidence is the failure


def test_a_redirected_url_brings_every_hop(recrawled: dict[str, Any]) -> None:
    tmp = recrawled["tmp"]
    out = tmp / "chain.wacz"
    start = f"{recrawled['faults']}/redirect-chain?n=3"
    proc = run_cli("evidence", "export", start, "-o", str(out), "--db", str(recrawled["db"]), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert wacz_validate(out).returncode == 0
    got = unpack(out, tmp / "chain")
    hops = {r["uri"] for r in got["records"] if r["type"] in ("response", "revisit")}
    assert {start, start.replace("n=3", "n=2"), start.replace("n=3", "n=1"), f"{recrawled['faults']}/page"} <= hops


def test_a_tickets_evidence_names_the_refused_copy(mockserver: dict[str, str], tmp_path: Path) -> None:
    page = f"{mockserver['faults']}/page"
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "DMCA notice. Our copyrighted work is the article at https://publisher.example/story.\n"
        f"The infringing material is located at:\n{page}\nhttp://169.254.169.254/latest/meta-data/\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, its agent, "
        "or the law. The information in this notice is accurate, and under penalty of perjury, I am authorized "
        "to act on behalf of the owner.\nContact: rights@publisher.example, +1 555 0199, 1 Main St, Springfield\n"
        "Signed: /s/ Pat Rights\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    proc = run_cli("--db", str(db), "takedown", "ingest", str(notice), "--warc-dir", str(tmp_path / "warc"),
                   cwd=tmp_path, env={"PROVENANCE_ALLOW_HOSTS": page.split("/")[2]})
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "ticket.wacz"
    proc = run_cli("evidence", "export", "--ticket", "1", "-o", str(out), "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert wacz_validate(out).returncode == 0
    got = unpack(out, tmp_path / "ticket")
    assert ("response", page) in [(r["type"], r["uri"]) for r in got["records"]]
    # Refused before any fetch: no record exists, so the package says so instead of leaving it out silently.
    assert not [r for r in got["records"] if "169.254" in (r["uri"] or "")]
    assert "Never fetched" in got["package"]["description"] and "not public" in got["package"]["description"]


def test_export_errors_are_one_line_with_a_fix(recrawled: dict[str, Any]) -> None:
    tmp, db = recrawled["tmp"], str(recrawled["db"])
    assert_one_clear_error(run_cli("evidence", "export", "--document", "999999", "-o", "x.wacz", "--db", db, cwd=tmp),
                           "no document 999999", "Fix:")
    assert_one_clear_error(run_cli("evidence", "export", "-o", "x.wacz", "--db", db, cwd=tmp), "--document ID")
    assert_one_clear_error(run_cli("evidence", "export", "--ticket", "1", "https://a.example/", "-o", "x.wacz",
                                   "--db", db, cwd=tmp), "exactly one")
    assert_one_clear_error(run_cli("evidence", "export", "--document", "1", "-o", "x.zip", "--db", db, cwd=tmp),
                           ".wacz")
    assert_one_clear_error(run_cli("evidence", "export", "https://never.example/", "-o", "x.wacz", "--db", db,
                                   cwd=tmp), "no captures")
    assert not (tmp / "x.wacz").exists()


def test_a_tampered_wacz_fails_validation(recrawled: dict[str, Any]) -> None:
    """The validator really checks: one flipped byte in a WARC and `wacz validate` refuses it."""
    tmp = recrawled["tmp"]
    good = tmp / "good.wacz"
    proc = run_cli("evidence", "export", f"{recrawled['faults']}/page", "-o", str(good), "--db",
                   str(recrawled["db"]), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    bad = tmp / "bad.wacz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("archive/"):
                data = data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:]
            dst.writestr(info, data)
    assert wacz_validate(good).returncode == 0
    result = wacz_validate(bad)
    assert result.returncode != 0 or "Validation succeeded" not in result.stdout
