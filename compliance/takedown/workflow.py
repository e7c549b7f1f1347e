"""Takedown tickets end to end: ingest, completeness, copies, actions, counter-notices, restoration, what is due."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import Capture, Document, Image, Ticket, TicketCopy, TicketEvent
from compliance.takedown.copies import find_copies
from compliance.takedown.notices.model import Completeness, ParsedNotice
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.tickets import event_data, record, transition
from compliance.urls import normalise_or_keep

logger = logging.getLogger(__name__)

ACTIONS = {"remove": "removed", "disable": "disabled", "reject": "rejected", "fix_credit": "credit_fixed"}


@dataclass
class IngestResult:
    ticket_id: int
    created: bool
    source: str
    kind: str
    status: str
    missing: list[str] = field(default_factory=list)
    completeness: str = ""
    copies: int = 0
    to_capture: list[str] = field(default_factory=list)
    remedy: str = "remove"
    attached_to: int | None = None  # a counter-notice attached to the ticket it answers
    note: str = ""  # what happened instead of a new ticket (a reply attached, our own letter skipped)


def completeness_dict(c: Completeness) -> dict[str, Any]:
    return {"status": c.status, "elements": {k: asdict(v) for k, v in c.elements.items()}, "missing": list(c.missing)}


def completeness_text(notice: ParsedNotice) -> str:
    """The text the elements are checked in: for CSV/JSON records, the structured fields count as written too.

    A bulk record's `works`, URL and e-mail columns are the notice's identification of the work, the material
    and the contact, so they are stated as lines the checker reads (marked as coming from the record). An e-mail's
    sender (name and address, from its From header) is how to reach the complaining party and who the notifier is,
    so it is stated the same way.
    """
    if notice.source_format == "eml" and notice.sender and "@" in notice.sender:
        name = (notice.parties or {}).get("complainant") or ""
        sender = f"{name}, {notice.sender}" if name and "@" not in name else notice.sender  # no <>: read as markup
        return f"[e-mail header] From: {sender}\n\n{notice.text}"  # first, so the letter still ends as written
    if notice.source_format not in ("csv", "json"):
        return notice.text
    lines = [notice.text]
    if notice.works:
        lines.append("[record field] Copyrighted work: " + "; ".join(notice.works))
    originals = [u.as_written for u in notice.urls if u.role == "original_work"]
    if originals:
        lines.append("[record field] The original work is located at: " + " ".join(originals))
    infringing = [u.as_written for u in notice.urls if u.role == "infringing"]
    if infringing:
        lines.append("[record field] The infringing material is located at: " + " ".join(infringing))
    contact = [v for k in ("contact", "email") if (v := (notice.parties or {}).get(k))]
    if contact:
        lines.append("[record field] Contact: " + ", ".join(contact))
    return "\n".join(lines)


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise InputError(f"there is no ticket {ticket_id}.", "see `provenance takedown list` for the ticket ids.")
    return ticket


def new_ticket(session: Session, notice: ParsedNotice, now: datetime, actor: str, *, kind: str | None = None,
               parent_id: int | None = None, reason: str | None = None) -> Ticket:
    """A ticket for a received notice plus its first event (kind and parent overridable for counter-notices)."""
    ticket = Ticket(
        content_sha256=notice.content_sha256, kind=kind or notice.kind, regime=notice.regime, status="received",
        remedy="restore" if kind == "counter_notice" else notice.remedy, message_id=notice.message.get("message_id"),
        received_at=notice.received_at or now, source_file=notice.source_file, source_format=notice.source_format,
        record_index=notice.record_index, subject=notice.subject, sender=notice.sender, text=notice.text,
        parties=dict(notice.parties), works=list(notice.works), urls=[asdict(u) for u in notice.urls],
        references=list(notice.references), defects=list(notice.defects), completeness={}, deadlines={},
        attachments=[dict(a) for a in notice.attachments],
        parent_id=parent_id,
    )
    session.add(ticket)
    session.flush()
    session.add(TicketEvent(ticket_id=ticket.id, at=now, actor=actor, action="received", from_status=None,
                            to_status="received", reason=reason or f"ingested from {Path(notice.source_file).name}",
                            data=event_data({"format": notice.source_format, "defects": notice.defects})))
    return ticket


def ingest_notice(session: Session, notice: ParsedNotice, now: datetime, actor: str, pol: dict[str, float],
                  cure_due: date | None = None, service: Service = NO_SERVICE) -> IngestResult:
    """One notice → one ticket (idempotent on the notice's content hash), checked and matched in one unit of work."""
    result = _ingest(session, notice, now, actor, pol, cure_due, service)
    result.remedy = notice.remedy
    return result


def _ingest(session: Session, notice: ParsedNotice, now: datetime, actor: str, pol: dict[str, float],
            cure_due: date | None, service: Service) -> IngestResult:
    from compliance.takedown.notices.completeness import check_notice

    existing = find_ticket(session, notice)
    if existing is not None:
        return IngestResult(existing.id, False, notice.source_file, existing.kind, existing.status)
    ticket = new_ticket(session, notice, now, actor)
    if notice.kind == "other" and notice.remedy == "credit":
        # Not a takedown notice: no statutory elements; the copies are found so the credit can be fixed and checked.
        transition(session, ticket, "valid", now, actor, "checked",
                   "a request to add or correct a credit; not a takedown notice")
        to_capture = _match(session, ticket, now, actor, pol)
        return IngestResult(ticket.id, True, notice.source_file, ticket.kind, ticket.status, [], "",
                            len(ticket.copies), to_capture)
    if notice.kind not in ("notice", "counter_notice"):
        transition(session, ticket, "closed", now, actor, "recorded",
                   f"a {notice.kind.replace('_', ' ')} is recorded; it asks for no removal")
        return IngestResult(ticket.id, True, notice.source_file, ticket.kind, ticket.status)
    result = check_notice(completeness_text(notice), notice.kind, notice.regime, service)
    ticket.completeness = completeness_dict(result)
    if notice.kind == "counter_notice":
        complete = result.status == "complete"
        transition(session, ticket, "valid" if complete else "incomplete", now, actor, "checked",
                   "complete under 17 U.S.C. 512(g)(3)" if complete else
                   f"deficient: missing {', '.join(result.missing)} (17 U.S.C. 512(g)(3))")
        return IngestResult(ticket.id, True, notice.source_file, ticket.kind, ticket.status, list(result.missing),
                            result.status)
    if result.status != "complete":
        reason = f"{result.status.replace('_', ' ')}: missing {', '.join(result.missing)}"
        if result.status == "cure_needed" and cure_due is not None:
            ticket.deadlines = {**ticket.deadlines, "cure_due": cure_due.isoformat()}
            reason += f"; cure requested by {cure_due.isoformat()} (17 U.S.C. 512(c)(3)(B)(ii))"
        transition(session, ticket, "incomplete", now, actor, "checked", reason)
        return IngestResult(ticket.id, True, notice.source_file, ticket.kind, ticket.status, list(result.missing),
                            result.status)
    law = "17 U.S.C. 512(c)(3)(A)" if notice.regime == "dmca" else "DSA Art. 16(2)"
    transition(session, ticket, "valid", now, actor, "checked", f"complete under {law}")
    to_capture = _match(session, ticket, now, actor, pol)
    return IngestResult(ticket.id, True, notice.source_file, ticket.kind, ticket.status, [], result.status,
                        len(ticket.copies), to_capture)


def find_ticket(session: Session, notice: ParsedNotice) -> Ticket | None:
    """The ticket this notice already is: the same bytes, or the same e-mail (Message-ID) received again."""
    found = session.scalars(select(Ticket).where(Ticket.content_sha256 == notice.content_sha256)).first()
    message_id = notice.message.get("message_id")
    if found is None and message_id:
        found = session.scalars(select(Ticket).where(Ticket.message_id == message_id)).first()
    return found


def _store_copies(session: Session, ticket: Ticket, pol: dict[str, float]) -> tuple[list[TicketCopy], list[str]]:
    """Find the copies and store the ones the ticket lacks; returns (new copies, URLs still without evidence)."""
    infringing = [u["normalised"] for u in ticket.urls if u["role"] == "infringing" and u.get("normalised")]
    originals = [u["normalised"] for u in ticket.urls if u["role"] == "original_work" and u.get("normalised")]
    known = {c.url: c for c in ticket.copies}
    added: list[TicketCopy] = []
    to_capture = []
    for c in find_copies(session, infringing, originals, pol):
        capture_id = None
        if c.document_id is not None:
            capture_id = session.scalar(select(Document.capture_id).where(Document.id == c.document_id))
        elif c.image_id is not None:
            capture_id = session.scalar(select(Image.capture_id).where(Image.id == c.image_id))
        evidence = {**c.evidence, **_capture_evidence(session.get(Capture, capture_id))} if capture_id else c.evidence
        existing = known.get(c.url)
        if existing is not None:  # a listed URL crawled since: link it to the corpus, keep its history
            if existing.document_id is None and existing.image_id is None and capture_id is not None:
                existing.document_id, existing.image_id = c.document_id, c.image_id
                existing.capture_id, existing.evidence = capture_id, {**existing.evidence, **evidence}
            continue
        if capture_id is None:
            to_capture.append(c.url)
        copy = TicketCopy(url=c.url, found_by=c.found_by, distance=c.distance, document_id=c.document_id,
                          image_id=c.image_id, capture_id=capture_id, evidence=dict(evidence))
        ticket.copies.append(copy)
        added.append(copy)
    return added, to_capture


def _match(session: Session, ticket: Ticket, now: datetime, actor: str, pol: dict[str, float]) -> list[str]:
    """Find and store the copies; returns listed URLs that the corpus has no evidence for yet."""
    added, to_capture = _store_copies(session, ticket, pol)
    listed = sum(1 for c in added if c.found_by == "listed")
    transition(session, ticket, "matched", now, actor, "matched",
               f"{len(added)} copies: {listed} listed, {len(added) - listed} found through the index",
               {"automated_detection": len(added) - listed})
    return to_capture


def match_valid(session: Session, ticket: Ticket, now: datetime, actor: str, pol: dict[str, float]) -> list[str]:
    """Find the copies of a ticket that has just become valid (a cured notice); returns URLs still to capture."""
    return _match(session, ticket, now, actor, pol)


def rematch(session: Session, ticket_id: int, now: datetime, actor: str, pol: dict[str, float]) -> list[str]:
    """Search the corpus again (after new crawls) for copies of a matched ticket's work; returns the new URLs."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "matched":
        raise InputError(f"ticket {ticket_id} is {ticket.status}; only a matched ticket (not yet decided) "
                         "is searched again.", "act on it, or ingest a new notice for new material.")
    added, _ = _store_copies(session, ticket, pol)
    record(session, ticket, now, actor, "rematched",
           f"{len(added)} more copies found" if added else "no further copies found",
           {"automated_detection": sum(1 for c in added if c.found_by != "listed")})
    return [c.url for c in added]


def _capture_evidence(cap: Capture | None) -> dict[str, Any]:
    if cap is None:
        return {}
    return {"capture_id": cap.id, "sha256": cap.body_sha256, "warc_file": cap.warc_file,
            "warc_offset": cap.warc_offset, "status": cap.status, "fetched_at": cap.fetched_at.isoformat(),
            "error": cap.error}


def attach_evidence(session: Session, ticket_id: int, run_id: int, now: datetime, actor: str) -> int:
    """Link captures of an intake evidence crawl to the ticket's copies that lacked evidence."""
    attached = failed = 0
    ticket = get_ticket(session, ticket_id)
    captures: dict[str, Capture] = {}
    for cap in session.scalars(select(Capture).where(Capture.run_id == run_id).order_by(Capture.id)):
        captures.setdefault(normalise_or_keep(cap.requested_url), cap)  # the spelling Scrapy sent, stored form
    for copy in ticket.copies:
        if copy.capture_id is not None:
            continue
        found = captures.get(normalise_or_keep(copy.url))
        if found is None:
            continue
        cap = found
        copy.capture_id = cap.id
        copy.evidence = {**copy.evidence, **_capture_evidence(cap)}
        attached += 1
        failed += cap.error is not None
    record(session, ticket, now, actor, "evidence_captured",
           f"{attached - failed} of {attached} listed URLs captured (crawl run {run_id}); "
           f"{failed} failed or refused, each with its reason in the copy's evidence", {"run_id": run_id})
    return attached


def copy_item(session: Session, copy: TicketCopy) -> Document | Image | None:
    """The stored document or image a ticket copy points at (None for a URL outside the corpus)."""
    if copy.document_id is not None:
        return session.get(Document, copy.document_id)
    if copy.image_id is not None:
        return session.get(Image, copy.image_id)
    return None


def act(session: Session, ticket_id: int, action: str, reason: str, now: datetime, actor: str) -> list[dict[str, Any]]:
    """Decide a matched ticket; removal marks copies taken down (evidence is never deleted) and returns the removal list."""
    if action not in ACTIONS:
        raise InputError(f"unknown action '{action}'.", "use --remove, --disable, --reject or --fix-credit.")
    removal: list[dict[str, Any]] = []
    ticket = get_ticket(session, ticket_id)
    target = "rejected" if action == "reject" else "actioned"
    transition(session, ticket, target, now, actor, action, reason)
    ticket.outcome = ACTIONS[action]
    ticket.decided_at = now
    if action in ("remove", "disable"):
        ticket.actioned_at = now
        note = f"ticket {ticket.id} ({ACTIONS[action]}): {reason}"
        for copy in ticket.copies:
            item = copy_item(session, copy)
            if item is not None:
                item.taken_down_at = now
                item.taken_down_reason = note
            removal.append({"ticket": ticket.id, "url": copy.url, "found_by": copy.found_by,
                            "distance": copy.distance, "action": ACTIONS[action], "at": now.isoformat(),
                            "sha256": copy.evidence.get("sha256"), "in_corpus": item is not None})
    elif action == "fix_credit":
        ticket.actioned_at = now
    return removal
