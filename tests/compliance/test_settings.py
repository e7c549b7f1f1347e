"""The settings registry: one home for every PROVENANCE_* variable, documented in the README, read nowhere else."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from compliance.errors import InputError
from compliance.settings import SETTINGS, effective, policy, resolve, value
from tests.cli_helpers import REPO


def _readme_table() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `(PROVENANCE_[A-Z_]+)` \| (.+?) \|", readme, flags=re.M))


def _as_documented(default: object) -> str:
    if default is None or default == "":
        return "(unset)"
    if isinstance(default, bool):
        return f"`{int(default)}`"
    return f"`{default}`"


def test_readme_table_is_the_registry() -> None:
    table = _readme_table()
    assert set(table) == {s.env for s in SETTINGS}, "README's settings table and compliance.settings differ"
    for s in SETTINGS:
        assert table[s.env] == _as_documented(s.default), s.env


def test_no_module_reads_the_environment_itself() -> None:
    offenders = []
    for package in ("compliance", "crawler", "reports"):
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.relative_to(REPO).as_posix() == "compliance/settings.py":
                continue
            if re.search(r"os\.environ|os\.getenv|getenv\(", text):
                offenders.append(path.relative_to(REPO).as_posix())
    assert offenders == []


def test_sources_default_environment_flag() -> None:
    env = {"PROVENANCE_DB": "/tmp/env.db", "PROVENANCE_MIN_WORDS": "12"}
    assert resolve("db", environ={}).source == "default"
    assert resolve("db", environ=env).source == "environment"
    assert resolve("db", {"db": "/tmp/flag.db"}, env).value == "/tmp/flag.db"
    assert resolve("db", {"db": "/tmp/flag.db"}, env).source == "flag"
    assert resolve("db", {"db": None}, env).value == "/tmp/env.db"  # a flag not given does not count
    assert resolve("min_words", environ=env).value == 12
    assert resolve("min_words", environ={"PROVENANCE_MIN_WORDS": " "}).source == "default"


def test_typed_values_and_one_line_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_NOW", "2026-03-04T08:30:00+05:00")
    assert value("now") == datetime(2026, 3, 4, 3, 30, tzinfo=timezone.utc)
    monkeypatch.setenv("PROVENANCE_DEBUG", "yes")
    assert value("debug") is True
    monkeypatch.setenv("PROVENANCE_SIMHASH_RADIUS", "eight")
    with pytest.raises(InputError) as info:
        policy()
    assert "PROVENANCE_SIMHASH_RADIUS='eight' is not a whole number" in info.value.one_line()
    monkeypatch.setenv("PROVENANCE_SIMHASH_RADIUS", "6")
    assert policy()["simhash_radius"] == 6.0
    assert {r.setting.name for r in effective()} == {s.name for s in SETTINGS}
