"""The analysis every notice format ends in: kind, regime, URLs and their roles, parties, works."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime

from compliance.takedown.notices.kinds import detect_regime, read_request
from compliance.takedown.notices.model import NoticeURL, ParsedNotice
from compliance.takedown.notices.parties import extract_parties, extract_works
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.notices.urls import (
    classify_urls,
    is_redacted,
    normalise_url,
    written_key,
)

# Notice databases are references to earlier notices, never targets (so are the service's own archive and help).
_REF = re.compile(r"(?i)lumendatabase\.org/notices/|chillingeffects\.org/notices/")


def build_notice(name: str, fmt: str, text: str, content: bytes, *, hints: Mapping[str, str | None],
                 sender: str | None = None, subject: str | None = None, received_at: datetime | None = None,
                 record_index: int = 0, fields: Mapping[str, str | None] | None = None,
                 service: Service = NO_SERVICE) -> ParsedNotice:
    """The common analysis every format ends in: kind, regime, URLs and their roles, parties, works, read relative
    to the `service` the notice was sent to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    urls = classify_urls(text, service=service)
    scope = f"{subject}\n{text}" if subject else text
    kind, remedy = read_request(scope, hints, service)
    references = [u.as_written for u in urls if _REF.search(u.as_written) or service.is_reference(u.as_written)]
    defects: list[str] = []
    if not text.strip():
        defects.append("no body text")
    return ParsedNotice(
        source_file=name, source_format=fmt, kind=kind, regime=detect_regime(scope, service),
        remedy=remedy, text=text,
        subject=subject, sender=sender, received_at=received_at, parties=extract_parties(text, sender, fields, service),
        works=extract_works(text), urls=urls, references=references, defects=defects, record_index=record_index,
        content_sha256=hashlib.sha256(content).hexdigest(),
    )


def structured_url(url: str, role: str, service: Service = NO_SERVICE) -> NoticeURL:
    """A URL from a structured field, whose role the field names (on the service it is never the original)."""
    if role == "original_work" and not service.hosts_originals and service.on_service(url):
        role = "infringing"
    return NoticeURL(url, normalise_url(url), role, is_redacted(url))


def dedupe_urls(urls: list[NoticeURL]) -> list[NoticeURL]:
    """One entry per (role, match key), first occurrence kept."""
    first: dict[tuple[str, str], NoticeURL] = {}
    for item in urls:
        first.setdefault((item.role, written_key(item.as_written) or item.as_written), item)
    return list(first.values())
