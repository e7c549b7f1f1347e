"""Crash safety: a crawl killed with SIGKILL resumes from the database to what an uninterrupted crawl stores."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.cli_helpers import REPO, assert_one_clear_error, count, run_cli
from tests.services import json_line_server
from tests.sitegen import write_site


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("PROVENANCE_DB", None)
    return env


def _crawl_args(url: str, db: Path, warc: Path) -> list[str]:
    return [sys.executable, "-m", "compliance.cli", "crawl", url, "--role", "publisher", "--name", "Generated",
            "--max-pages", "500", "--depth", "3", "--db", str(db), "--warc-dir", str(warc)]


def _documents(db: Path) -> set[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute("select url, text_sha256 from document").fetchall())
    finally:
        con.close()


def _kill_when(proc: subprocess.Popen[str], db: Path, captures: int, timeout: float = 120) -> int:
    """SIGKILL the crawl once the database holds at least `captures` captures; how many it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the crawl ended before it could be killed: {proc.stdout.read() if proc.stdout else ''}")
        try:
            held = count(db, "capture")
        except sqlite3.OperationalError:  # not created yet
            held = 0
        if held >= captures:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return held
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the crawl did not get far enough in time")


def _no_workers_left(tmp_path: Path, timeout: float = 10) -> None:
    """The killed crawl's worker processes (their command lines name its folder) exit on their own."""
    deadline = time.monotonic() + timeout
    left: list[str] = []
    while time.monotonic() < deadline:
        left = []
        for proc in Path("/proc").iterdir():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "forkserver" in cmdline and str(tmp_path) in cmdline:
                left.append(proc.name)
        if not left:
            return
        time.sleep(0.2)
    pytest.fail(f"worker processes outlived the killed crawl: {left}")


def _warc_records(folder: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    total = 0
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
                total += 1
    return total


def test_a_killed_crawl_resumes_to_what_an_uninterrupted_crawl_stores(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = write_site(site, sections=8, per_section=25)
    with json_line_server("-m", "tests.staticserver", f"site={site}") as urls:
        start = f"{urls['site']}/index.html"
        whole = tmp_path / "whole.db"
        proc = subprocess.run(_crawl_args(start, whole, tmp_path / "warc-whole"), cwd=tmp_path, env=_env(),
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        assert count(whole, "document") == pages - 1 - 8  # articles only: home and sections are link pages

        db, warc = tmp_path / "killed.db", tmp_path / "warc"
        for at in (40, 140):
            crawl = subprocess.Popen(_crawl_args(start, db, warc), cwd=tmp_path, env=_env(), text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _kill_when(crawl, db, at)
            assert count(db, "crawl_run", "status = 'running'") == 1  # left running by the kill...
            _no_workers_left(tmp_path)
        proc = subprocess.run(_crawl_args(start, db, warc), cwd=tmp_path, env=_env(), capture_output=True,
                              text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "resuming crawl run 1" in proc.stdout  # ...and recognised as stale, continued, said on screen

    assert _documents(db) == _documents(whole)
    assert count(db, "crawl_run") == 1
    assert count(db, "crawl_run", "status = 'finished' and attempts = 3") == 1
    assert count(db, "crawl_request", "done = 0") == 0
    assert count(db, "capture") == count(whole, "capture") == pages  # every page once, none twice
    con = sqlite3.connect(db)
    try:
        counts = con.execute("select counts from crawl_run").fetchone()[0]
    finally:
        con.close()
    assert f'"pages": {pages}' in counts and f'"articles": {pages - 9}' in counts and '"errors": 0' in counts
    assert counts.count("interrupted: the crawl process stopped") == 2
    # Every WARC file reads to its end: a record torn by the kill was cut before the resumed run appended.
    assert _warc_records(warc) >= 2 * pages
    assert not list(warc.glob(".scrapy-queue-*"))  # Scrapy's disk queue is gone with the finished run


WRITE_LOCKED = textwrap.dedent("""
    import sys
    from compliance.records import SiteSpec
    from crawler.runner import CrawlTarget, run_crawl
    from compliance.errors import CrawlError
    target = CrawlTarget(SiteSpec(name="Generated", role="publisher"), [sys.argv[1]])
    try:
        run_crawl([target], db=sys.argv[2], warc_dir=None, max_pages=100, depth=3, resume="never",
                  settings={"PROVENANCE_STORE_BUSY_TIMEOUT": 0.3, "PROVENANCE_STORE_RETRIES": 1,
                            "PROVENANCE_BATCH_SIZE": 3, "PROVENANCE_WORKERS": 0})
    except CrawlError as exc:
        print("error: " + exc.one_line(), file=sys.stderr)
        sys.exit(1)
""")


def test_a_write_that_cannot_be_made_fails_the_run_and_resume_picks_the_pages_up(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = write_site(site, sections=4, per_section=20)
    db = tmp_path / "locked.db"
    with json_line_server("-m", "tests.staticserver", f"site={site}") as urls:
        start = f"{urls['site']}/index.html"
        crawl = subprocess.Popen([sys.executable, "-c", WRITE_LOCKED, start, f"sqlite:///{db}"], cwd=tmp_path,
                                 env=_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Another process takes the write lock once the crawl has stored something, and keeps it for 4 s.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if count(db, "capture"):
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.005)
        holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        threading.Timer(4.0, lambda: holder.execute("ROLLBACK")).start()
        out, err = crawl.communicate(timeout=120)
        holder.close()
        assert crawl.returncode == 1, (out, err)
        assert "Traceback" not in err
        lines = [line for line in err.splitlines() if line.startswith("error: ")]
        assert len(lines) == 1 and "could not store" in lines[0] and "--resume" in lines[0], err
        assert count(db, "crawl_run", "status = 'failed'") == 1
        assert count(db, "crawl_request", "done = 0") > 0  # what was not stored is still to do

        proc = run_cli("crawl", start, "--role", "publisher", "--name", "Generated", "--max-pages", "100",
                       "--db", str(db), "--warc-dir", str(tmp_path / "warc"), "--resume", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "resuming crawl run 1" in proc.stdout
    assert count(db, "crawl_run", "status = 'finished'") == 1
    assert count(db, "capture") == pages
    assert count(db, "document") == pages - 1 - 4
    assert count(db, "crawl_request", "done = 0") == 0


def test_resume_says_so_when_there_is_nothing_to_resume_and_starts_fresh(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, sections=1, per_section=2)
    db = tmp_path / "p.db"
    with json_line_server("-m", "tests.staticserver", f"site={site}") as urls:
        args = ["crawl", f"{urls['site']}/index.html", "--role", "publisher", "--db", str(db),
                "--warc-dir", str(tmp_path / "warc")]
        first = run_cli(*args, cwd=tmp_path)
        second = run_cli(*args, "--resume", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "resuming" not in second.stdout  # a finished run is never continued: a recrawl is a new run
    assert count(db, "crawl_run", "status = 'finished'") == 2


def test_a_bad_start_url_is_one_error_line(tmp_path: Path) -> None:
    proc = run_cli("crawl", "ftp://example.invalid/", "--role", "publisher", "--db", str(tmp_path / "p.db"),
                   cwd=tmp_path)
    assert_one_clear_error(proc, "is not an http(s) URL")


def test_a_running_run_whose_process_is_gone_is_stale_and_one_alive_is_not(tmp_path: Path) -> None:
    from compliance.db import open_db, session_scope
    from compliance.models import CrawlRun
    from compliance.runs import is_stale, mark_stale_runs, start_run

    engine = open_db(f"sqlite:///{tmp_path / 'p.db'}")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    alive, dead = start_run(engine, {"targets": []}, {}), start_run(engine, {"targets": []}, {})
    with session_scope(engine) as session:
        session.get(CrawlRun, dead).pid = int(gone.stdout)  # type: ignore[union-attr]
    with session_scope(engine) as session:
        assert not is_stale(session.get(CrawlRun, alive))  # type: ignore[arg-type]
        assert is_stale(session.get(CrawlRun, dead))  # type: ignore[arg-type]
    assert mark_stale_runs(engine) == [dead]
    engine.dispose()
