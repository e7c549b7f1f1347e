"""The docs are tested: the README's two commands, CI running the README's test command, every command documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click

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


def _commands(group: click.Group, prefix: str = "provenance") -> list[tuple[str, click.Command]]:
    """Every command under the group, groups included, with its full name."""
    out: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, full))
    return out


def test_every_command_has_help_and_appears_in_readme_and_architecture() -> None:
    """Walks the real command tree, so a new command without docs fails here."""
    from compliance.cli import cli

    arch = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    commands = _commands(cli)
    assert len(commands) > 10
    for full, command in commands:
        assert (command.help or "").strip(), f"{full} has no help text"
        assert re.search(rf"{re.escape(full)}(?![\w-])", README), f"{full} is not in the README"
        module = inspect.getmodule(command.callback)
        assert module is not None and module.__name__.startswith("compliance.cli."), full
        path = Path(str(module.__file__)).resolve().relative_to(REPO / "compliance").as_posix()
        name = path.removesuffix("__init__.py")  # cli/crawl.py, cli/takedown/intake.py; a package's group: cli/takedown/
        assert name in arch, f"{name} ({full}) is not in docs/architecture.md"
