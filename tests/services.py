"""Test plumbing shared by several modules: a throwaway PostgreSQL database, a subprocess server's URL line."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cli_helpers import REPO

PG_URL = os.environ.get("PROVENANCE_TEST_POSTGRES_URL")
PG_SKIP = "PROVENANCE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped"


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A fresh database on the test server (its URL), dropped afterwards; skips when no server is configured."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    base = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def json_line_server(*args: str, timeout: float = 20) -> Iterator[dict[str, Any]]:
    """`python ARGS...` (cwd: the repo) printing one JSON line of URLs, then serving until its stdin closes."""
    proc = subprocess.Popen([sys.executable, *args], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stdout = proc.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"{' '.join(args)} printed no URLs within {timeout:g} s") from None
        if not line:
            raise RuntimeError(f"{' '.join(args)} exited (code {proc.wait()}) before printing its URLs")
        yield dict(json.loads(line))
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
