"""One format dispatch for the reports: JSON is the data itself, CSV and the templates work from a view.

Each report module (`reports.attribution`, `reports.transparency`) provides `view(data)`, the template context,
and `csv(data, view)`, its rows; HTML and Markdown are its `<report>.<fmt>.j2` templates in the one environment.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

FORMATS = ("html", "json", "csv", "md")
REPORTS = {"attribution": "reports.attribution", "transparency": "reports.transparency"}


def render(report: str, data: dict[str, Any], fmt: str) -> str:
    """The report `report` over plain `data` in format `fmt` (one of FORMATS)."""
    if report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; choose one of {', '.join(REPORTS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    from reports.environment import environment

    module = importlib.import_module(REPORTS[report])
    view: dict[str, Any] = module.view(data)
    if fmt == "csv":
        rows: str = module.csv(data, view)
        return rows
    return environment().get_template(f"{report}.{fmt}.j2").render(**view)


__all__ = ["FORMATS", "REPORTS", "render"]
