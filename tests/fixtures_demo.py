"""Session fixture: one real `provenance demo` run (servers, Scrapy, SQLite, reports) shared by the e2e tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cli_helpers import run_cli


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run the demo once as a user would; yields paths, output and the parsed JSON report."""
    work = tmp_path_factory.mktemp("demo")
    db = work / "provenance.db"
    proc = run_cli("demo", "--out", str(work / "out"), "--db", str(db), cwd=work, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((work / "out" / "attribution.json").read_text(encoding="utf-8"))
    yield {"db": db, "out": work / "out", "work": work, "stdout": proc.stdout, "stderr": proc.stderr, "report": report}
