"""The command line as a user meets it: help texts, error lines, exit codes, nothing stored twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import assert_one_clear_error, count, run_cli

COMMANDS = [[], ["demo"], ["crawl"], ["link"], ["audit"], ["report"], ["report", "attribution"],
            ["report", "transparency"], ["takedown"]] + [
    ["takedown", c] for c in ("ingest", "list", "show", "match", "act", "counter", "court-action", "restore", "due")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "provenance")
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    proc = run_cli(*command, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: provenance" in proc.stdout
    assert len(proc.stdout.split("\n\n")[1].strip()) > 20  # a sentence that says what it does


def test_unknown_role_is_one_line_exit_1(tmp_path: Path) -> None:
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--role", "publsher", cwd=tmp_path)
    assert_one_clear_error(proc, "unknown role 'publsher'", "Fix:")


def test_database_in_a_missing_folder_is_one_line_exit_1(tmp_path: Path) -> None:
    proc = run_cli("--db", str(tmp_path / "missing" / "p.db"), "link", cwd=tmp_path)
    assert_one_clear_error(proc, "does not exist")
    proc = run_cli("link", "--db", str(tmp_path / "missing" / "p.db"), cwd=tmp_path)
    assert_one_clear_error(proc, "does not exist")


def test_not_a_url_is_one_line_exit_1(tmp_path: Path) -> None:
    proc = run_cli("crawl", "ftp://example.org/x", "--role", "publisher", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert_one_clear_error(proc, "is not an http(s) URL")


def test_report_before_any_audit_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("report", "attribution", "--format", "json", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert_one_clear_error(proc, "no audit")


def test_a_url_that_does_not_answer_is_recorded_and_reported(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    proc = run_cli("crawl", "http://127.0.0.1:9/", "--role", "aggregator", "--db", str(db), cwd=tmp_path)
    assert_one_clear_error(proc, "http://127.0.0.1:9/", "did not answer")
    assert count(db, "capture", "error is not null") == 1
    assert count(db, "crawl_run", "status = 'finished'") == 1


def test_fault_endpoints_each_give_one_clear_line_and_the_crawl_goes_on(mockserver: dict[str, str], tmp_path: Path) -> None:
    faults = mockserver["faults"]
    urls = {
        f"{faults}/binary.pdf": "not an HTML page",
        f"{faults}/malformed": "malformed",
        f"{faults}/empty": "no article text",
        f"{faults}/status?n=500": "HTTP 500",
        f"{faults}/drop": "without a complete response",
        f"{faults}/redirect-loop": "too many redirects",
        f"{faults}/gzip-bomb": "",
    }
    db = tmp_path / "p.db"
    proc = run_cli("crawl", *urls, f"{faults}/page", "--role", "aggregator", "--name", "Faults", "--depth", "0",
                   "--db", str(db), cwd=tmp_path)
    text = assert_one_clear_error(proc)
    for url, reason in urls.items():
        line = next((ln for ln in text.splitlines() if url in ln), None)
        assert line is not None, (url, text)
        assert reason in line, (reason, line)
    assert f"{faults}/page" not in text  # the good page was stored
    assert count(db, "document") == 1
    assert count(db, "capture", "error is not null") >= len(urls)


def test_a_200_kb_article_is_fingerprinted(mockserver: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    proc = run_cli("crawl", f"{mockserver['faults']}/long-article", "--role", "publisher", "--depth", "0",
                   "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert count(db, "document", "simhash is not null and length(text) > 150000") == 1


def test_crawling_twice_stores_no_duplicates_and_makes_two_runs(mockserver: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    args = ("crawl", mockserver["northgate"] + "/", "--role", "publisher", "--name", "Northgate Herald",
            "--db", str(db), "--warc-dir", str(tmp_path / "warc"))
    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    tables = ("site", "site_origin", "document", "image", "image_appearance")
    before = {t: count(db, t) for t in tables}
    captures = count(db, "capture")
    second = run_cli(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert {t: count(db, t) for t in tables} == before
    assert count(db, "crawl_run") == 2
    assert count(db, "capture") == 2 * captures  # evidence is append-only: one capture per URL per run
    assert before["document"] >= 4 and before["image"] >= 4


def test_report_json_to_stdout_is_json_only(demo_run: dict[str, object], tmp_path: Path) -> None:
    proc = run_cli("report", "attribution", "--format", "json", "--db", str(demo_run["db"]), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["documents"] >= 1


def test_report_formats_write_files(demo_run: dict[str, object], tmp_path: Path) -> None:
    for fmt in ("html", "json", "csv", "md"):
        out = tmp_path / f"r.{fmt}"
        proc = run_cli("--db", str(demo_run["db"]), "report", "attribution", "--format", fmt, "-o", str(out), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 200


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello, this is not SQLite\n" * 100, encoding="utf-8")
    proc = run_cli("--db", str(not_db), "link", cwd=tmp_path)
    assert_one_clear_error(proc, "cannot open or migrate the database", "not a database")


def test_a_recrawl_that_would_change_a_site_says_what_and_asks_for_update(mockserver: dict[str, str],
                                                                         tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    url = mockserver["northgate"] + "/"
    proc = run_cli("sites", "add", "Northgate Herald", "--role", "publisher", "--origin", url, "--db", db, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("crawl", url, "--role", "aggregator", "--depth", "0", "--db", db, cwd=tmp_path)
    assert_one_clear_error(proc, "change the role of 'Northgate Herald' from publisher to aggregator", "--update")
    proc = run_cli("crawl", url, "--role", "publisher", "--name", "Northgate", "--depth", "0", "--db", db,
                   cwd=tmp_path)
    assert_one_clear_error(proc, "rename site 'Northgate Herald'", "--update")
    assert count(tmp_path / "s.db", "capture") == 0  # refused before anything was fetched
    proc = run_cli("crawl", url, "--role", "publisher", "--depth", "0", "--db", db, cwd=tmp_path)
    assert proc.returncode == 0 and "(Northgate Herald, publisher)" in proc.stdout  # the registered name is used
    listed = run_cli("sites", "list", "--json", "--db", db, cwd=tmp_path)
    assert [s["name"] for s in json.loads(listed.stdout)] == ["Northgate Herald"]
