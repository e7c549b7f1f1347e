"""WARC evidence files: WARC/1.1 throughout, revisits for unchanged payloads, failed fetches, torn tails cut on reopen."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from compliance.evidence import PriorRecord
from crawler.warc import WarcFile, complete_length, payload_digest

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 4, 12, 0, 0, 123456, tzinfo=timezone.utc)
PAGE = b"<html><body><p>An unchanged article.</p></body></html>"


def warcio_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """`warcio check`: every record readable to the end and every digest right."""
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
                          check=False, capture_output=True, text=True, timeout=120)


def records(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    """(WARC version, type, headers) of every record, read to the end with warcio."""
    out = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            out.append((record.rec_headers.protocol, record.rec_type, dict(record.rec_headers.headers)))
    return out


def write_page(warc: WarcFile, url: str, body: bytes = PAGE, status: int = 200) -> str:
    return warc.write(url, "GET", [("Host", "example.test")], status, "OK", [("Content-Type", "text/html")], body,
                      NOW).record_id


def test_every_record_is_warc_1_1_with_request_and_response(tmp_path: Path) -> None:
    warc = WarcFile(tmp_path / "run.warc.gz")
    response_id = write_page(warc, "https://example.test/a")
    warc.close()
    found = records(tmp_path / "run.warc.gz")
    assert [t for _, t, _ in found] == ["warcinfo", "response", "request"]
    assert {v for v, _, _ in found} == {"WARC/1.1"}
    assert found[2][2]["WARC-Concurrent-To"] == response_id
    assert found[1][2]["WARC-Date"] == "2026-03-04T12:00:00.123456Z"  # WARC/1.1 keeps sub-second precision
    assert warcio_check(tmp_path / "run.warc.gz").returncode == 0


def test_an_unchanged_payload_is_a_revisit_of_the_earlier_response(tmp_path: Path) -> None:
    first = WarcFile(tmp_path / "run-1.warc.gz")
    original = write_page(first, "https://example.test/a")
    first.close()
    known = PriorRecord(original, "https://example.test/a", "2026-03-04T12:00:00.123456Z", payload_digest(PAGE))
    second = WarcFile(tmp_path / "run-2.warc.gz", prior=lambda url: known if url.endswith("/a") else None)
    write_page(second, "https://example.test/a")
    write_page(second, "https://example.test/a", body=PAGE + b"<!-- changed -->")  # new bytes: a full response
    second.close()
    kinds = [(t, h) for _, t, h in records(tmp_path / "run-2.warc.gz")]
    revisit = next(h for t, h in kinds if t == "revisit")
    assert revisit["WARC-Refers-To"] == original
    assert revisit["WARC-Refers-To-Target-URI"] == "https://example.test/a"
    assert revisit["WARC-Refers-To-Date"] == "2026-03-04T12:00:00.123456Z"
    assert revisit["WARC-Profile"].endswith("/warc/1.1/revisit/identical-payload-digest")
    assert revisit["WARC-Payload-Digest"] == payload_digest(PAGE)
    assert [t for t, _ in kinds].count("response") == 1
    assert warcio_check(tmp_path / "run-1.warc.gz", tmp_path / "run-2.warc.gz").returncode == 0


def test_a_failing_lookup_costs_bytes_not_evidence(tmp_path: Path) -> None:
    def broken(url: str) -> PriorRecord | None:
        raise OSError("database is locked")

    warc = WarcFile(tmp_path / "run.warc.gz", prior=broken)
    write_page(warc, "https://example.test/a")
    warc.close()
    assert [t for _, t, _ in records(tmp_path / "run.warc.gz")] == ["warcinfo", "response", "request"]


def test_a_prior_whose_digest_differs_gives_a_full_response(tmp_path: Path) -> None:
    stale = PriorRecord("<urn:uuid:x>", "https://example.test/a", "2026-01-01T00:00:00Z", payload_digest(b"old"))
    warc = WarcFile(tmp_path / "run.warc.gz", prior=lambda url: stale)
    write_page(warc, "https://example.test/a")
    warc.close()
    assert [t for _, t, _ in records(tmp_path / "run.warc.gz")] == ["warcinfo", "response", "request"]


def test_failed_fetches_leave_what_was_asked_and_why(tmp_path: Path) -> None:
    warc = WarcFile(tmp_path / "run.warc.gz")
    sent = warc.write_failure("https://example.test/hang", "GET", [("Host", "example.test")], True,
                              {"error": "did not answer within 2 s (timed out)"}, NOW)
    refused = warc.write_failure("https://example.test/private", "GET", [], False,
                                 {"error": "forbidden by robots.txt"}, NOW)
    warc.close()
    found = []
    with open(tmp_path / "run.warc.gz", "rb") as fh:
        for record in ArchiveIterator(fh):
            found.append((record.rec_type, dict(record.rec_headers.headers), record.content_stream().read()))
    assert [t for t, _, _ in found] == ["warcinfo", "request", "metadata", "metadata"]
    assert sent.rec_type == "request" and refused.rec_type == "metadata"
    assert found[2][1]["WARC-Concurrent-To"] == sent.record_id
    why = json.loads(found[2][2])
    assert why["error"] == "did not answer within 2 s (timed out)" and why["request"]["sent"] is True
    assert json.loads(found[3][2])["request"]["sent"] is False
    assert found[3][1]["Content-Type"] == "application/json"
    assert warcio_check(tmp_path / "run.warc.gz").returncode == 0


def test_metadata_refers_to_its_record(tmp_path: Path) -> None:
    warc = WarcFile(tmp_path / "run.warc.gz")
    response = write_page(warc, "https://example.test/a")
    warc.write_metadata("https://example.test/a", response, {"article": {"title": "Héllo"}}, NOW)
    warc.close()
    _, kind, headers = records(tmp_path / "run.warc.gz")[-1]
    assert kind == "metadata" and headers["WARC-Refers-To"] == response


def _three_records(path: Path) -> list[int]:
    """A file of warcinfo + two exchanges; the offsets where each record starts, and the end."""
    warc = WarcFile(path)
    write_page(warc, "https://example.test/a")
    write_page(warc, "https://example.test/b", body=os.urandom(5000))
    warc.close()
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        starts = [it.get_record_offset() for _ in it]
    return [*starts, path.stat().st_size]


def test_a_torn_last_record_is_cut_on_reopen_and_new_records_append(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    bounds = _three_records(whole)
    data = whole.read_bytes()
    # Inside the warcinfo, one byte into a record, mid-body, inside the gzip trailer, on exact boundaries.
    cuts = sorted({1, 9, bounds[1] - 3, bounds[3] + 1, (bounds[3] + bounds[4]) // 2, bounds[4] - 2,
                   bounds[4] - 8, bounds[2], bounds[4] - 1})
    for cut in cuts:
        path = tmp_path / f"cut-{cut}.warc.gz"
        path.write_bytes(data[:cut])
        good = max(b for b in bounds if b <= cut)
        assert complete_length(path) == good, cut
        warc = WarcFile(path)
        assert warc.cut == cut - good
        write_page(warc, "https://example.test/after-the-crash")
        warc.close()
        check = warcio_check(path)
        assert check.returncode == 0, (cut, check.stdout)
        found = records(path)
        assert found[-2][2]["WARC-Target-URI"] == "https://example.test/after-the-crash", cut
        assert found[0][1] == "warcinfo"  # a file torn inside its warcinfo starts again with one
        if cut != good:
            assert (tmp_path / f"{path.name}.torn-{good}").read_bytes() == data[good:cut]  # kept, not lost


def test_garbage_after_the_last_record_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    bounds = _three_records(path)
    with open(path, "ab") as fh:
        fh.write(b"\x00" * 4096)  # what a lost write-back can leave
    WarcFile(path).close()
    assert path.stat().st_size == bounds[-1]
    assert warcio_check(path).returncode == 0


WRITER = """
import os, sys
from datetime import datetime, timezone
from pathlib import Path
from crawler.warc import WarcFile
warc = WarcFile(Path(sys.argv[1]))
n = 0
while True:
    n += 1
    warc.write(f"https://example.test/{n}", "GET", [], 200, "OK", [("Content-Type", "application/octet-stream")],
               os.urandom(3_000_000), datetime.now(timezone.utc))
    if n == 2:
        print("ready", flush=True)
"""


def test_sigkill_mid_write_leaves_a_file_that_reopens_valid(tmp_path: Path) -> None:
    """A real crash: a writer killed with SIGKILL while it writes 3 MB records; each file reopens valid."""
    torn = 0
    for n, delay in enumerate((0.0, 0.05, 0.13)):
        path = tmp_path / f"run-{n}.warc.gz"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        warc = WarcFile(path)
        torn += warc.cut > 0
        write_page(warc, "https://example.test/resumed")
        warc.close()
        check = warcio_check(path)
        assert check.returncode == 0, check.stdout
        found = records(path)
        assert found[-2][2]["WARC-Target-URI"] == "https://example.test/resumed"
        assert len([1 for _, t, _ in found if t == "response"]) >= 3
    assert torn, "no kill landed inside a record: the cut was not exercised"


def test_warcinfo_declares_the_version_it_uses(tmp_path: Path) -> None:
    WarcFile(tmp_path / "run.warc.gz").close()
    with gzip.open(tmp_path / "run.warc.gz", "rb") as fh:
        head = fh.read().decode("utf-8")
    assert head.startswith("WARC/1.1\r\n") and "WARC File Format 1.1" in head
