"""Shared fixtures: paths to the shared real-data folder and fresh databases."""

from __future__ import annotations

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
    from tests.services import json_line_server

    with json_line_server("-m", "tests.mockserver") as urls:
        yield {str(k): str(v) for k, v in urls.items()}
