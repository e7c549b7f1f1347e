"""CSV output that a spreadsheet cannot turn into code (OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# OWASP CSV Injection: a cell that starts with one of these is read as a formula by Excel,
# LibreOffice or Google Sheets; the full-width forms are folded to ASCII by some of them.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def _text(value: object) -> str:
    """Spell one value as cell text: None is empty, booleans and numbers as Python writes them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)


def safe_cell(value: object) -> str:
    """Return `value` as cell text, prefixed with `'` when a spreadsheet would evaluate it."""
    text = _text(value)
    if isinstance(value, (int, float)):
        # A number we hold ourselves ("-3", "1e-05") is data, not a formula.
        return text
    stripped = text.lstrip(" \u00a0\u3000")  # "  =1+1" is still a formula to most spreadsheets
    if stripped and stripped[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def write_rows(rows: Iterable[Sequence[object]]) -> str:
    """Write rows as CSV text (QUOTE_MINIMAL, CRLF line ends), every cell through `safe_cell`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
