"""Transparency report: every format, zeros stated, hostile values inert, CSV formula-safe."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from markdown_it import MarkdownIt

from reports.transparency import CSV_HEADER, FORMATS, render_transparency
from tests.reports.takedown_data import TRANSPARENCY


def _data(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(TRANSPARENCY))
    data.update(changes)
    return data


def test_json_is_the_data() -> None:
    assert json.loads(render_transparency(_data(), "json")) == TRANSPARENCY


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_documents_state_the_figures(fmt: str) -> None:
    out = render_transparency(_data(), fmt)
    for needle in ("Harbour Digest", "1 July 2025", "31 December 2025", "Intellectual property infringements",
                   "20.5 h", "47.0 h", "71.5 h", "trusted flaggers", "automated means", "Article 23",
                   "manifestly unfounded notices", "512(c)(3)(B)(ii)", "nearest rank", "credit_fixed"):
        assert needle in out, needle
    assert "further copies were found beyond them" in out


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_zeros_are_stated_when_figures_are_missing(fmt: str) -> None:
    out = render_transparency({"period": {"from": "2025-01-01", "to": "2025-06-30"}}, fmt)
    assert "Article 16 notices in this period" in out and "n/a" in out
    assert "manifestly illegal content" in out
    if fmt == "md":
        assert "(Art. 21): 0;" in out and "manifestly unfounded complaints: 0" in out
    else:
        assert "0 disputes were submitted" in out


def test_csv_is_long_format_with_zeros() -> None:
    rows = list(csv.reader(io.StringIO(render_transparency(_data(), "csv"))))
    assert tuple(rows[0]) == CSV_HEADER
    table = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert table[("notices", "by_kind", "reversal")] == "0"  # absent from the data, stated as 0
    assert table[("dsa_art24_1_a", "disputes_submitted", "")] == "0"
    assert table[("timing", "to_action", "p90_hours")] == "47.0"
    assert table[("dsa_art15_1_b", "notices_by_category",
                  "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS")] == "4"


HOSTILE = "=cmd|' /C calc'!A0\n<script>alert(1)</script>[x](javascript:alert(1)) {{ 7*7 }}\x1b"


def _hostile() -> dict[str, Any]:
    data = _data(provider={"name": HOSTILE, "contact": HOSTILE}, calendar=HOSTILE, method=[HOSTILE],
                 period={"from": HOSTILE, "to": "2025-12-31"})
    data["notices"]["by_outcome"][HOSTILE] = 1
    data["copies"]["by_method"] = {HOSTILE: 2}
    data["dsa"]["art15_1_b"]["notices_by_category"] = {HOSTILE: 1}
    return data


def test_hostile_values_in_csv_are_not_formulas() -> None:
    rows = list(csv.reader(io.StringIO(render_transparency(_hostile(), "csv"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.lstrip()[:1] in "=+-@" for cell in cells if cell)
    assert any(cell.startswith("'=cmd") for cell in cells)


def test_hostile_values_in_html_are_escaped() -> None:
    html = render_transparency(_hostile(), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html and "\x1b" not in html
    assert 'href="javascript' not in html


def test_hostile_values_in_markdown_make_no_links_or_html() -> None:
    md = render_transparency(_hostile(), "md")
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and 'href="javascript' not in rendered and "<a " not in rendered


def test_html_is_self_contained() -> None:
    html = render_transparency(_data(), "html")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<link" not in html and "<script" not in html


def test_unknown_format() -> None:
    assert FORMATS == ("html", "json", "csv", "md")
    with pytest.raises(ValueError):
        render_transparency(_data(), "pdf")
