"""Shared fixtures: paths to the shared real-data folder and fresh databases."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder that sits beside the repository (present in CI)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found beside the repository ({SHARED.name}/)")
    return SHARED
