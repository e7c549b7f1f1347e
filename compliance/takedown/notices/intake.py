"""Turn notice files (e-mail, letters, web-form dumps, JSON, CSV) into ParsedNotice records, within fixed bounds."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import io
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from email import errors
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from compliance.errors import InputError
from compliance.takedown.notices.kinds import detect_kind, detect_regime
from compliance.takedown.notices.model import NoticeURL, ParsedNotice
from compliance.takedown.notices.parties import extract_parties, extract_works
from compliance.takedown.notices.urls import (
    REDACTION,
    classify_urls,
    is_redacted,
    normalise_url,
    written_key,
)

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
MAX_RECORDS = 10_000
_TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_EMAIL_SUFFIXES = {".eml", ".msg", ".mbox", ".email"}
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_FORM_MARK = re.compile(r"\*\*\s*Are you the copyright owner", re.IGNORECASE)
_REF = re.compile(r"(?i)github\.com/github/dmca/|lumendatabase\.org/notices/|chillingeffects\.org/notices/")
_SPLIT = re.compile(r"[\s;,]+")
_REDACTED_CELL = re.compile(rf"(?i)^{REDACTION}$")
_HINT = "Pass an e-mail (.eml), a letter (.txt, .md), a JSON notice or list, or a CSV with one notice per row."


def parse_file(path: Path) -> list[ParsedNotice]:
    """Read one notice file within the size bound and parse it; unusable files raise InputError naming them."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path.name} cannot be read ({exc.strerror or exc}).", "Check the path and permissions.")
    if not path.is_file():
        raise InputError(f"{path.name} is not a file.", "Pass notice files, not folders.")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name} is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit.",
                         "Split bulk CSV/JSON files, or strip large attachments from the e-mail.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path.name} cannot be read ({exc.strerror or exc}).", "Check the path and permissions.")
    return parse_bytes(data, path.name)


def parse_bytes(data: bytes, name: str) -> list[ParsedNotice]:
    """Parse in-memory notice bytes; `name` gives the suffix used for dispatch and appears in errors."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name} is over the {MAX_FILE_BYTES // 1048576} MB limit.",
                         "Split bulk CSV/JSON files, or strip large attachments from the e-mail.")
    if not data.strip():
        raise InputError(f"{name} is empty.", _HINT)
    suffix = Path(name).suffix.lower()
    if suffix in _EMAIL_SUFFIXES or (suffix not in _TEXT_SUFFIXES and suffix not in (".json", ".csv")
                                     and _looks_like_email(data)):
        if not _looks_like_email(data):
            raise InputError(f"{name} is not an RFC 822 e-mail (Outlook .msg binaries are not supported).",
                             "Save the message as .eml (File > Save As) and ingest that.")
        return [_parse_email(data, name)]
    text = _decode(data, name)
    if suffix == ".json" or (suffix not in _TEXT_SUFFIXES and suffix != ".csv" and text.lstrip()[:1] in "{["):
        return _parse_json(text, name)
    if suffix == ".csv":
        return _parse_csv(text, name)
    if suffix not in _TEXT_SUFFIXES and suffix not in ("", ".letter"):
        logger.info("%s: unknown suffix %r, read as a plain-text letter", name, suffix)
    fmt = "form" if _FORM_MARK.search(text) else _TEXT_SUFFIXES.get(suffix, "txt")
    return [_build(name, fmt, text, data, hints={"name": name})]


def _looks_like_email(data: bytes) -> bool:
    """RFC 822 sniffing: the first lines are headers and one of them is From, To, Subject or Received."""
    head = data[:4096].lstrip().splitlines()[:12]
    keys = [line.split(b":", 1)[0].lower() for line in head if _HEADER_LINE.match(line)]
    return len(keys) >= 2 and bool(set(keys) & {b"from", b"to", b"subject", b"received", b"message-id"})


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), then UTF-16 by BOM, then Latin-1 for legacy letters; binary is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(f"{name} looks binary, not a text notice.", _HINT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def html_to_text(markup: str) -> str:
    """Text of an untrusted HTML body: scripts, styles, comments dropped; links kept as `text <href>`; nothing fetched."""
    try:
        root = lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(no_network=True, recover=True))
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", markup)
    for bad in root.xpath("//script|//style|//noscript|//template|//head|//iframe|//object|//embed"):
        bad.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    for link in root.xpath("//a[@href]"):
        href = str(link.get("href") or "")
        if href.lower().startswith(("http://", "https://")) and href not in (link.text_content() or ""):
            link.tail = f" <{href}>" + (link.tail or "")
    for block in root.xpath("//br|//p|//div|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//blockquote|//pre"):
        block.tail = "\n" + (block.tail or "")
    text = str(root.text_content())
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def _parse_email(data: bytes, name: str) -> ParsedNotice:
    """An RFC 822 message: plain body preferred, HTML converted, attachments recorded and capped."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    defects = [f"{type(d).__name__}: {d}" for d in msg.defects]
    if any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in msg.defects):
        repaired = _drop_stray_header_lines(data)
        if repaired != data:
            msg = email.message_from_bytes(repaired, policy=email.policy.default)
            defects.append("stray non-header line(s) in the header block dropped to read the MIME structure")
    bodies: list[str] = []
    html_bodies: list[str] = []
    attached: list[str] = []  # text of kept text/* attachments, after the body
    attachments: list[dict[str, Any]] = []
    for part in msg.walk():  # message/rfc822 attachments are walked into: forwarded notices are common
        defects.extend(f"{type(d).__name__}: {d}" for d in getattr(part, "defects", []) if part is not msg)
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename()
        if part.is_multipart():
            continue
        is_attachment = disposition == "attachment" or bool(filename) or not ctype.startswith("text/")
        if not is_attachment:
            (html_bodies if ctype == "text/html" else bodies).append(_part_text(part, defects))
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        record: dict[str, Any] = {"name": filename or "", "content_type": ctype, "size": size, "kept": False}
        if len(attachments) >= MAX_ATTACHMENTS + 200:
            continue  # beyond the cap only a bounded number of records is kept
        if len(attachments) >= MAX_ATTACHMENTS:
            defects.append(f"attachment {len(attachments) + 1} ({filename or ctype}) over the "
                           f"{MAX_ATTACHMENTS}-attachment cap: skipped")
        elif size > MAX_ATTACHMENT_BYTES:
            defects.append(f"attachment {filename or ctype} is {size} bytes, over the "
                           f"{MAX_ATTACHMENT_BYTES}-byte cap: not read")
        elif ctype.startswith("text/"):
            text = _part_text(part, defects)
            attached.append(html_to_text(text) if ctype == "text/html" else text)
            record["kept"] = True
        attachments.append(record)
    text = "\n\n".join(b for b in bodies if b.strip()) or "\n\n".join(html_to_text(h) for h in html_bodies)
    text = "\n\n".join(t for t in [text, *attached] if t.strip())
    sender = _address(msg, "From")
    received: datetime | None = None
    date_header = msg.get("Date")
    if date_header:
        try:
            received = parsedate_to_datetime(str(date_header))
        except (TypeError, ValueError):
            defects.append(f"unparseable Date header: {str(date_header)[:80]}")
    subject = str(msg.get("Subject") or "") or None
    notice = _build(name, "eml", text, data, hints={"name": name, "type": subject}, sender=sender, subject=subject,
                    received_at=received, fields={"sender_name": _display_name(msg, "From")})
    notice.defects = defects + notice.defects
    notice.attachments = attachments
    return notice


def _drop_stray_header_lines(data: bytes) -> bytes:
    """Remove lines without a colon from the header block (before the first blank line): a common mailer bug."""
    lines = data.split(b"\n")
    out: list[bytes] = []
    in_headers = True
    for line in lines:
        bare = line.rstrip(b"\r")
        if in_headers and not bare:
            in_headers = False
        elif in_headers and not _HEADER_LINE.match(bare) and not bare[:1] in (b" ", b"\t"):
            continue
        out.append(line)
    return b"\n".join(out)


def _part_text(part: Message, defects: list[str]) -> str:
    """A text part's content; a wrong or unknown charset degrades to replacement characters and a recorded defect."""
    try:
        if isinstance(part, EmailMessage):
            content = part.get_content()
            if isinstance(content, str):
                return content
    except (LookupError, UnicodeError, KeyError, AssertionError) as exc:
        defects.append(f"part {part.get_content_type()} undecodable ({exc}): decoded leniently")
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload or "")


def _address(msg: Message, header: str) -> str | None:
    """The first address of a header, or its raw text when it does not parse."""
    value = msg.get(header)
    addresses = getattr(value, "addresses", None)
    if addresses:
        return str(addresses[0].addr_spec) or str(value)
    return (str(value).strip() or None) if value is not None else None


def _display_name(msg: Message, header: str) -> str | None:
    """The From: display name ("Rights Team" in `Rights Team <rights@x>`): who sent the notice, as they name themselves."""
    addresses = getattr(msg.get(header), "addresses", None)
    if addresses and str(addresses[0].display_name).strip():
        return " ".join(str(addresses[0].display_name).split())[:200]
    return None


def _canonical(record: Any) -> bytes:
    """One byte spelling per record, so re-ingesting the same row or object yields the same identity."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _parse_json(text: str, name: str) -> list[ParsedNotice]:
    """One notice object, a list of them, or Lumen's `{"notice": {...}}` / `{"notices": [...]}` wrappers."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                         "Fix the JSON or export the notices again.") from None
    if isinstance(data, dict) and isinstance(data.get("notices"), list):
        data = data["notices"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise InputError(f"{name} holds an empty list: no notices.", _HINT)
    if len(items) > MAX_RECORDS:
        raise InputError(f"{name} holds {len(items)} notices, over the {MAX_RECORDS} limit.", "Split the file.")
    out: list[ParsedNotice] = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("notice"), dict):
            item = item["notice"]
        if not isinstance(item, dict):
            raise InputError(f"{name}: item {index + 1} is a {type(item).__name__}, not a notice object.", _HINT)
        out.append(_from_record(name, "json", item, index))
    return out


def _parse_csv(text: str, name: str) -> list[ParsedNotice]:
    """Bulk notices, one per row, under Lumen-like column names; a ragged or badly quoted row is named."""
    csv.field_size_limit(MAX_FILE_BYTES)
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
            out.append(_from_record(name, "csv", dict(zip(columns, row)), len(out)))
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV at line {reader.line_num} ({exc}).",
                         "Check the quoting on that line.") from None
    if not out:
        raise InputError(f"{name} has a header but no rows.", _HINT)
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


def _from_record(name: str, fmt: str, record: Mapping[str, Any], index: int) -> ParsedNotice:
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
    received = _date(_field(record, "date_received", "date_sent", "date"))
    hints = {"name": name, "type": _field(record, "type", "kind")}
    notice = _build(name, fmt, text, _canonical(record), hints=hints, sender=_field(record, "email", "sender_email"),
                    subject=title, received_at=received, record_index=index,
                    fields={k: _field(record, k) for k in ("sender_name", "principal_name", "recipient_name",
                                                           "email", "agent")})
    structured = ([_url(u, "infringing") for u in infringing] + [_url(u, "original_work") for u in originals])
    if structured:
        keys = {(u.role, written_key(u.as_written) or u.as_written) for u in structured}
        extra = [u for u in notice.urls if (u.role, written_key(u.as_written) or u.as_written) not in keys
                 and (written_key(u.as_written) or u.as_written) not in {k for _, k in keys}]
        notice.urls = _dedupe(structured) + extra
    if works:
        notice.works = works + [w for w in notice.works if w not in works]
    regime = _field(record, "jurisdiction", "regime")
    if regime:
        lowered = regime.lower()
        notice.regime = ("dsa" if re.search(r"dsa|eu|digital services", lowered)
                         else "dmca" if re.search(r"dmca|us\b|united states", lowered) else notice.regime)
    return notice


def _url(url: str, role: str) -> NoticeURL:
    """A URL from a structured field, whose role the field names."""
    return NoticeURL(url, normalise_url(url), role, is_redacted(url))


def _dedupe(urls: list[NoticeURL]) -> list[NoticeURL]:
    """One entry per (role, match key), first occurrence kept."""
    first: dict[tuple[str, str], NoticeURL] = {}
    for item in urls:
        first.setdefault((item.role, written_key(item.as_written) or item.as_written), item)
    return list(first.values())


def _date(value: str | None) -> datetime | None:
    """ISO 8601 (Lumen) or RFC 2822 (mail) dates; anything else is no date."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")) if value else None
    except ValueError:
        try:
            return parsedate_to_datetime(str(value))
        except (TypeError, ValueError):
            return None


def _build(name: str, fmt: str, text: str, content: bytes, *, hints: Mapping[str, str | None],
           sender: str | None = None, subject: str | None = None, received_at: datetime | None = None,
           record_index: int = 0, fields: Mapping[str, str | None] | None = None) -> ParsedNotice:
    """The common analysis every format ends in: kind, regime, URLs and their roles, parties, works."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    urls = classify_urls(text)
    scope = f"{subject}\n{text}" if subject else text
    kind = detect_kind(scope, hints)
    references = [u.as_written for u in urls if _REF.search(u.as_written)]
    defects: list[str] = []
    if not text.strip():
        defects.append("no body text")
    return ParsedNotice(
        source_file=name, source_format=fmt, kind=kind, regime=detect_regime(scope), text=text, subject=subject,
        sender=sender, received_at=received_at, parties=extract_parties(text, sender, fields),
        works=extract_works(text), urls=urls, references=references, defects=defects, record_index=record_index,
        content_sha256=hashlib.sha256(content).hexdigest(),
    )
