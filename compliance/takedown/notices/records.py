"""Bulk notices as records: one JSON object or list (Lumen-like fields), or one CSV row per notice."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from typing import Any

from compliance.dates import parse_lenient
from compliance.errors import InputError
from compliance.takedown.notices.build import build_notice, dedupe_urls, structured_url
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.notices.urls import REDACTION, written_key

MAX_RECORDS = 10_000
MAX_CELL_BYTES = 5 * 1024 * 1024
HINT = "Pass an e-mail (.eml), a letter (.txt, .md), a JSON notice or list, or a CSV with one notice per row."
_SPLIT = re.compile(r"[\s;,]+")
_REDACTED_CELL = re.compile(rf"(?i)^{REDACTION}$")


def _canonical(record: Any) -> bytes:
    """One byte spelling per record, so re-ingesting the same row or object yields the same identity."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def parse_json(text: str, name: str, service: Service = NO_SERVICE) -> list[ParsedNotice]:
    """One notice object, a list of them, or Lumen's `{"notice": {...}}` / `{"notices": [...]}` wrappers."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                         "Fix the JSON or export the notices again.") from None
    except RecursionError:
        raise InputError(f"{name} nests JSON too deeply to be a notice.", "Export the notices again as flat "
                         "objects (one per notice, or a list of them).") from None
    if isinstance(data, dict) and isinstance(data.get("notices"), list):
        data = data["notices"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise InputError(f"{name} holds an empty list: no notices.", HINT)
    if len(items) > MAX_RECORDS:
        raise InputError(f"{name} holds {len(items)} notices, over the {MAX_RECORDS} limit.", "Split the file.")
    out: list[ParsedNotice] = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("notice"), dict):
            item = item["notice"]
        if not isinstance(item, dict):
            raise InputError(f"{name}: item {index + 1} is a {type(item).__name__}, not a notice object.", HINT)
        out.append(_from_record(name, "json", item, index, service))
    return out


def parse_csv(text: str, name: str, service: Service = NO_SERVICE) -> list[ParsedNotice]:
    """Bulk notices, one per row, under Lumen-like column names; a ragged or badly quoted row is named."""
    csv.field_size_limit(MAX_CELL_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise InputError(f"{name} has no readable CSV header ({exc}).", "Put the column names on the first line.")
    columns = [h.strip().lower().replace(" ", "_") for h in header]
    if not any(c in columns for c in ("infringing_urls", "urls", "url", "body", "text", "works")):
        raise InputError(f"{name} header names none of infringing_urls, urls, body, text, works.",
                         "Use Lumen-like column names (see docs).")
    out: list[ParsedNotice] = []
    row_number = 1
    try:
        for row in reader:
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise InputError(f"{name}: row {row_number} (line {reader.line_num}) has {len(row)} fields, "
                                 f"the header has {len(columns)}.", "Quote cells that contain commas or newlines.")
            if len(out) >= MAX_RECORDS:
                raise InputError(f"{name} holds over {MAX_RECORDS} rows.", "Split the file.")
            out.append(_from_record(name, "csv", dict(zip(columns, row)), len(out), service))
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV at line {reader.line_num} ({exc}).",
                         "Check the quoting on that line.") from None
    if not out:
        raise InputError(f"{name} has a header but no rows.", HINT)
    return out


def _field(record: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", []):
            return str(value) if not isinstance(value, (list, dict)) else json.dumps(value, ensure_ascii=False)
    return None


def _url_values(value: Any) -> list[str]:
    """URLs from a string (newline/space/semicolon separated), a list of strings, or Lumen's `[{"url": ...}]`."""
    if isinstance(value, str):
        return [v.strip(" <>\"'") for v in _SPLIT.split(value) if "." in v or _REDACTED_CELL.match(v.strip())]
    if isinstance(value, dict):
        return _url_values(value.get("url"))
    return [url for item in value for url in _url_values(item)] if isinstance(value, list) else []


def _from_record(name: str, fmt: str, record: Mapping[str, Any], index: int,
                 service: Service = NO_SERVICE) -> ParsedNotice:
    """One JSON object or CSV row: structured URL fields are authoritative, the body adds what they lack."""
    works_field = record.get("works")
    infringing = _url_values(record.get("infringing_urls") or record.get("urls") or record.get("url"))
    originals = _url_values(record.get("original_urls") or record.get("copyrighted_urls"))
    works: list[str] = []
    if isinstance(works_field, list):
        for work in works_field:
            if isinstance(work, dict):
                infringing += _url_values(work.get("infringing_urls"))
                originals += _url_values(work.get("copyrighted_urls") or work.get("original_urls"))
                if work.get("description"):
                    works.append(str(work["description"]))
            elif isinstance(work, str):
                works.append(work)
    elif isinstance(works_field, str) and works_field.strip():
        works.append(works_field.strip())
    elif record.get("description"):
        works.append(str(record["description"]))
    body = _field(record, "body", "text", "body_original", "content") or ""
    title = _field(record, "title", "subject")
    text = body if body else "\n".join(filter(None, [title, *works]))
    received = parse_lenient(_field(record, "date_received", "date_sent", "date"))
    hints = {"name": name, "type": _field(record, "type", "kind")}
    notice = build_notice(name, fmt, text, _canonical(record), hints=hints, sender=_field(record, "email", "sender_email"),
                    subject=title, received_at=received, record_index=index,
                    fields={k: _field(record, k) for k in ("sender_name", "principal_name", "recipient_name",
                                                           "email", "agent")}, service=service)
    structured = ([structured_url(u, "infringing", service) for u in infringing] + [structured_url(u, "original_work", service) for u in originals])
    if structured:
        keys = {(u.role, written_key(u.as_written) or u.as_written) for u in structured}
        extra = [u for u in notice.urls if (u.role, written_key(u.as_written) or u.as_written) not in keys
                 and (written_key(u.as_written) or u.as_written) not in {k for _, k in keys}]
        notice.urls = dedupe_urls(structured) + extra
    if works:
        notice.works = works + [w for w in notice.works if w not in works]
    regime = _field(record, "jurisdiction", "regime")
    if regime:
        lowered = regime.lower()
        notice.regime = ("dsa" if re.search(r"dsa|eu|digital services", lowered)
                         else "dmca" if re.search(r"dmca|us\b|united states", lowered) else notice.regime)
    return notice
