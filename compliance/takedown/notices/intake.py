"""Turn notice files (e-mail, letters, web-form dumps, JSON, CSV) into ParsedNotice records, within fixed bounds."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from compliance.errors import InputError
from compliance.takedown.notices.build import build_notice
from compliance.takedown.notices.mail import html_to_text, looks_like_email, parse_email, split_mbox
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.notices.records import HINT as _HINT
from compliance.takedown.notices.records import parse_csv, parse_json
from compliance.takedown.notices.service import NO_SERVICE, Service

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
_TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_EMAIL_SUFFIXES = {".eml", ".msg", ".mbox", ".email"}
_FORM_MARK = re.compile(r"\*\*\s*Are you the copyright owner", re.IGNORECASE)


def parse_file(path: Path, service: Service = NO_SERVICE) -> list[ParsedNotice]:
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
    return parse_bytes(data, path.name, service)


def parse_bytes(data: bytes, name: str, service: Service = NO_SERVICE) -> list[ParsedNotice]:
    """Parse in-memory notice bytes; `name` gives the suffix used for dispatch and appears in errors; the notice is
    read relative to the `service` it was sent to."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name} is over the {MAX_FILE_BYTES // 1048576} MB limit.",
                         "Split bulk CSV/JSON files, or strip large attachments from the e-mail.")
    if not data.strip():
        raise InputError(f"{name} is empty.", _HINT)
    suffix = Path(name).suffix.lower()
    if suffix == ".mbox" or data.startswith(b"From ") and not data.startswith(b"From:"):
        messages = split_mbox(data)
        if len(messages) > 1 or suffix == ".mbox":  # one notice per message, never one merged notice
            return [notice for i, message in enumerate(messages, 1)
                    for notice in parse_bytes(message, f"{name}#{i}.eml", service)]
    if suffix in _EMAIL_SUFFIXES or (suffix not in _TEXT_SUFFIXES and suffix not in (".json", ".csv")
                                     and looks_like_email(data)):
        if not looks_like_email(data):
            raise InputError(f"{name} is not an RFC 822 e-mail (Outlook .msg binaries are not supported).",
                             "Save the message as .eml (File > Save As) and ingest that.")
        return [parse_email(data, name, service)]
    text = _decode(data, name)
    if suffix == ".json" or (suffix not in _TEXT_SUFFIXES and suffix != ".csv" and text.lstrip()[:1] in "{["):
        return parse_json(text, name, service)
    if suffix == ".csv":
        return parse_csv(text, name, service)
    if suffix not in _TEXT_SUFFIXES and suffix not in ("", ".letter"):
        logger.info("%s: unknown suffix %r, read as a plain-text letter", name, suffix)
    fmt = "form" if _FORM_MARK.search(text) else _TEXT_SUFFIXES.get(suffix, "txt")
    return [build_notice(name, fmt, text, data, hints={"name": name}, service=service)]


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


__all__ = ["MAX_FILE_BYTES", "html_to_text", "parse_bytes", "parse_file"]
