"""Plain records for a received notice; produced by intake, checked by completeness, stored by takedown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = ("notice", "counter_notice", "retraction", "reversal", "complaint", "other")
REGIMES = ("dmca", "dsa", "other")
REMEDIES = ("remove", "credit", "licence_fee", "restore", "none")
URL_ROLES = ("infringing", "original_work", "other")
COMPLETENESS = ("complete", "cure_needed", "deficient")

# 17 U.S.C. 512(c)(3)(A)(i)-(vi)
DMCA_ELEMENTS = (
    "signature",  # (i) physical or electronic signature
    "copyrighted_work",  # (ii) identification of the copyrighted work claimed
    "infringing_material",  # (iii) identification of the material and where it is
    "contact_info",  # (iv) address, telephone number, e-mail
    "good_faith",  # (v) good-faith belief that the use is not authorised
    "accuracy_under_perjury",  # (vi) accurate, and under penalty of perjury authorised to act
)
# 17 U.S.C. 512(g)(3)(A)-(D)
COUNTER_ELEMENTS = (
    "signature",
    "material_identified",
    "mistake_statement_under_perjury",
    "subscriber_contact",
    "consent_to_jurisdiction",
    "accept_service_of_process",
)
# DSA Article 16(2)(a)-(d)
DSA_ELEMENTS = (
    "dsa_explanation",
    "dsa_exact_location",
    "dsa_notifier_identity",
    "dsa_bona_fide_statement",
)


@dataclass
class NoticeURL:
    """A URL as the notice wrote it, and its normalised form for matching (None when redacted or unusable)."""

    as_written: str
    normalised: str | None
    role: str = "infringing"  # infringing | original_work | other
    redacted: bool = False


@dataclass
class ElementCheck:
    present: bool
    evidence: str | None = None  # the span of the notice that shows it (or why it is missing)


@dataclass
class Completeness:
    status: str  # complete | cure_needed | deficient
    elements: dict[str, ElementCheck] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


@dataclass
class ParsedNotice:
    """One notice as received. Everything in it is untrusted text."""

    source_file: str
    source_format: str  # eml | txt | md | form | json | csv
    kind: str = "notice"
    regime: str = "dmca"
    remedy: str = "remove"  # what the sender asks for: remove | credit | licence_fee | restore | none
    text: str = ""  # the body as plain text (HTML bodies converted, never rendered)
    subject: str | None = None
    sender: str | None = None  # From: address or the form's e-mail field
    received_at: datetime | None = None  # Date: header or the record's date, if any
    parties: dict[str, str | None] = field(default_factory=dict)  # complainant, agent, principal, contact, email
    works: list[str] = field(default_factory=list)  # the copyrighted works claimed, as described
    urls: list[NoticeURL] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # notices a retraction/counter-notice refers to
    defects: list[str] = field(default_factory=list)  # parsing problems (e-mail defects, capped attachments)
    attachments: list[dict[str, Any]] = field(default_factory=list)  # name, content_type, size, kept
    record_index: int = 0  # position within a multi-notice file (CSV row, JSON list item)
    content_sha256: str = ""  # of this notice's own content: the re-ingest identity
    message: dict[str, Any] = field(default_factory=dict)  # e-mail: message_id, in_reply_to, references
    files: list[tuple[str, bytes]] = field(default_factory=list, repr=False)  # kept attachments, not yet written
    raw: bytes = field(default=b"", repr=False)  # the message as received (e-mail): evidence, written with the ticket
