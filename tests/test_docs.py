"""The docs are tested: the README's two commands, CI running the README's test command, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_readme_has_the_demo_and_test_commands() -> None:
    blocks = [b.strip() for b in _shell_blocks(README)]
    assert any(b.endswith("provenance demo") and "pip install -e ." in b for b in blocks)
    assert any("pytest" in b and "'.[test]'" in b for b in blocks)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_cmd = next(b.strip() for b in _shell_blocks(README) if "pytest" in b and "'.[test]'" in b)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()
    assert "PROVENANCE_TEST_POSTGRES_URL" in ci and "PROVENANCE_TEST_REDIS_URL" in ci


def test_every_command_appears_in_readme_and_architecture() -> None:
    arch = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for command in ("provenance demo", "provenance crawl", "provenance link", "provenance audit",
                    "provenance report attribution", "provenance report transparency", "provenance takedown ingest",
                    "provenance takedown act", "provenance takedown counter", "provenance takedown restore",
                    "provenance takedown due"):
        assert command in README, command
    for module in ("demo.py", "crawl.py", "analyse.py", "report.py", "takedown.py"):
        assert module in arch, module
