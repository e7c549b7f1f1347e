"""Shared fixtures: paths to the shared real-data folder and fresh databases."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_demo"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder that sits beside the repository (present in CI)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found beside the repository ({SHARED.name}/)")
    return SHARED


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--regen-golden` rewrites tests/golden/ from the current renderers (review the diff)."""
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite golden files under tests/golden/ instead of comparing with them")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files."""
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture(scope="session")
def mockserver() -> Iterator[dict[str, str]]:
    """`python -m tests.mockserver` in a subprocess: site key -> base URL (demo sites + faults)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.mockserver"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stdout = proc.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        try:
            line = lines.get(timeout=20)
        except queue.Empty:
            raise RuntimeError("mockserver printed no URLs within 20 s") from None
        if not line:
            raise RuntimeError(f"mockserver exited (code {proc.wait()}) before printing its URLs")
        urls: dict[str, str] = json.loads(line)
        yield urls
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
