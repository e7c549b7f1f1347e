"""Running the real `provenance` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`provenance ARGS...` through `python -m compliance.cli`, so no PATH assumptions."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PROVENANCE_DB", None)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "compliance.cli", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_one_clear_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1, no stack trace, and the message on lines starting with `error:`."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = error_lines(proc.stderr)
    assert lines and all(line.startswith("error: ") for line in lines), proc.stderr
    text = "\n".join(lines)
    for needle in needles:
        assert needle in text, (needle, text)
    return text


def count(db: Path, table: str, where: str = "1=1") -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"select count(*) from {table} where {where}").fetchone()[0])
    finally:
        con.close()


def crawl_and_link(tmp_path: Path, db: Path, folders: dict[str, tuple[str, Path, list[str]]]) -> None:
    """Serve each folder on 127.0.0.1 as a site (`name: (role, folder, pages)`), crawl the pages of each with
    `provenance crawl` (depth 0), then run `provenance link`: the path every linking end-to-end test takes."""
    from tests.services import json_line_server

    sites = [f"{name}={folder}" for name, (_role, folder, _pages) in folders.items()]
    with json_line_server("-m", "tests.staticserver", *sites) as urls:
        for name, (role, _folder, pages) in folders.items():
            proc = run_cli("crawl", *[f"{urls[name]}/{p}" for p in pages], "--role", role, "--name", name,
                           "--depth", "0", "--db", str(db), "--warc-dir", str(tmp_path / "warc"), cwd=tmp_path)
            assert proc.returncode == 0, proc.stderr
    proc = run_cli("link", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
