"""The layout is the architecture: dependencies point one way, the two wings never meet, modules stay small.

Read from the code's own import statements (AST), so a new import that breaks a rule fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.cli_helpers import REPO

MAX_LINES = 400
PACKAGES = ("compliance", "crawler", "reports")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "versions" in path.parts:
                continue
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            out[name] = path
    return out


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = _modules()
WINGS = ("compliance.attribution", "compliance.takedown")
OUTER = ("compliance.cli", "compliance.demo", "compliance.__main__")


def _layer(module: str) -> str:
    if _under(module, *OUTER):
        return "outer"
    for wing in WINGS:
        if _under(module, wing):
            return wing
    if _under(module, "compliance"):
        return "core"
    return module.split(".")[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_dependencies_point_one_way(module: str) -> None:
    layer = _layer(module)
    imports = _imports(MODULES[module])
    bad = []
    for name in imports:
        if layer == "core" and _under(name, *WINGS, *OUTER, "crawler", "reports"):
            bad.append(f"the core imports {name}")
        if layer in WINGS and _under(name, *[w for w in WINGS if w != layer], *OUTER, "crawler", "reports"):
            bad.append(f"{layer} imports {name} (the wings share the core, never each other)")
        if layer in ("core", *WINGS) and _under(name, "click", "scrapy", "jinja2", "twisted"):
            bad.append(f"domain code imports {name} (only compliance/cli/ wires the edges)")
        if layer == "crawler" and _under(name, "sqlalchemy", "compliance.models", "compliance.queries",
                                         "compliance.attribution", "compliance.takedown", "reports", "click"):
            bad.append(f"the crawler imports {name} (it yields items and calls compliance.store)")
        if layer == "reports" and _under(name, "sqlalchemy", "compliance.models", "compliance.db",
                                         "compliance.store", "compliance.queries", "scrapy", "crawler"):
            bad.append(f"reports imports {name} (templates get plain data, never query)")
    assert not bad, bad


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_past_the_line_limit(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(REPO)} has {lines} lines (house style: ~{MAX_LINES})"


def test_tests_mirror_the_packages() -> None:
    """Every package of the product has its own test folder."""
    for package in ("compliance/fingerprints", "compliance/attribution", "compliance/takedown",
                    "compliance/takedown/notices", "compliance/cli", "compliance/demo", "crawler", "reports"):
        assert (REPO / "tests" / package).is_dir(), package
