"""Plain data for the letters and the statement of reasons of one ticket (renderers never query)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.takedown.clock import default_calendar, dsa_complaint_deadline
from compliance.models import Document, Site, Ticket, TicketEvent
from compliance.settings import value



def sender() -> dict[str, str]:
    """Who signs the letters: the operator's name and contact (settings `operator_name`, `operator_contact`)."""
    return {"name": str(value("operator_name")), "contact": str(value("operator_contact"))}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _uploader(session: Session, ticket: Ticket) -> str:
    for copy in ticket.copies:
        if copy.document_id is not None:
            name = session.scalar(select(Site.name).join(Document, Document.site_id == Site.id)
                                  .where(Document.id == copy.document_id))
            if name:
                return str(name)
    return "the publisher of the listed content"


def letter_data(session: Session, ticket: Ticket, today: datetime) -> dict[str, Any]:
    """Everything any letter may need for this ticket; deadlines come from the business-day clock."""
    d = ticket.deadlines or {}
    parent = session.get(Ticket, ticket.parent_id) if ticket.parent_id else None
    counter_text = ""
    counter = session.scalars(select(Ticket).where(Ticket.parent_id == ticket.id,
                                                   Ticket.kind == "counter_notice").order_by(Ticket.id.desc())).first()
    if counter is not None:
        counter_text = counter.text
    missing = list((ticket.completeness or {}).get("missing", []))
    decided = ticket.decided_at or today
    return {
        "date": today.date().isoformat(),
        "ticket": {"id": ticket.id, "kind": ticket.kind, "regime": ticket.regime, "remedy": ticket.remedy,
                   "received_at": _iso(ticket.received_at)},
        "sender": sender(),
        "parties": {"complainant": (ticket.parties or {}).get("complainant") or (ticket.parties or {}).get("principal")
                    or (ticket.parties or {}).get("signer") or None,
                    "agent": (ticket.parties or {}).get("agent"), "uploader": _uploader(session, ticket)},
        "works": list(ticket.works),
        "urls": {"infringing": [u["as_written"] for u in ticket.urls if u.get("role") == "infringing"],
                 "original_work": [u["as_written"] for u in ticket.urls if u.get("role") == "original_work"]},
        "copies": [{"url": c.url, "found_by": c.found_by, "distance": c.distance}
                   for c in (parent.copies if ticket.kind == "complaint" and parent else ticket.copies)],
        "missing": missing,
        "decision": {"outcome": ticket.outcome or "rejected", "reason": _decision_reason(session, ticket)},
        "counter_notice": {"text": counter_text},
        "restoration": {"reason": ""},
        "dates": {
            "cure_deadline": d.get("cure_due"), "decided_at": _iso(ticket.decided_at),
            "counter_received_at": d.get("counter_received"), "putback_earliest": d.get("putback_earliest"),
            "putback_latest": d.get("putback_latest"), "restored_at": today.date().isoformat(),
            "complaint_deadline": dsa_complaint_deadline(decided).isoformat(),
        },
        "calendar": default_calendar().name,
        "parent_ticket": parent.id if parent else None,
    }


def _decision_reason(session: Session, ticket: Ticket) -> str:
    """The reason the operator gave with the decision (the newest act event)."""
    reason = session.scalar(
        select(TicketEvent.reason)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(["remove", "disable", "reject", "fix_credit",
                                                                            "uphold", "reverse"]))
        .order_by(TicketEvent.id.desc())
    )
    return reason or ""


def statement_data(session: Session, ticket: Ticket, today: datetime) -> dict[str, Any]:
    """DSA Art. 17 statement-of-reasons input for the ticket's decision (first copy as the item)."""
    first = ticket.copies[0] if ticket.copies else None
    applied = (ticket.decided_at or today).date()
    content_day, language = applied, None
    if first is not None and first.document_id is not None:
        doc = session.get(Document, first.document_id)
        if doc is not None:
            # content cannot postdate the decision about it: a page dated in the future is read as of the decision
            content_day, language = min((doc.published_at or doc.first_seen).date(), applied), doc.language
    content_date = content_day.isoformat()
    decision_event = session.scalar(
        select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id,
                                     TicketEvent.action.in_(["remove", "disable", "reject", "fix_credit"]))
        .order_by(TicketEvent.id.desc()))
    automated = any(c.found_by != "listed" for c in ticket.copies)
    outcome = ticket.outcome or "removed"
    return {
        "date": today.date().isoformat(),
        "ticket": {"id": ticket.id, "regime": ticket.regime, "received_at": _iso(ticket.received_at)},
        "item": {"id": f"copy-{first.id}" if first else "none", "url": first.url if first else "",
                 "content_type": "image" if first and first.image_id else "text", "content_date": content_date,
                 "language": language},
        "decision": {"id": decision_event, "visibility": "disabled" if outcome == "disabled" else "removed",
                     "ground": "illegal", "legal_ground": "Copyright infringement",
                     "explanation": "The content reproduces a copyrighted work identified in a notice, "
                                    "confirmed by comparing it with the original.",
                     "application_date": (ticket.decided_at or today).date().isoformat(),
                     "territorial_scope": "worldwide"},
        "facts": f"A notice received on {ticket.received_at.date().isoformat()} identified the work; "
                 f"{len(ticket.copies)} copies were found ({sum(1 for c in ticket.copies if c.found_by != 'listed')}"
                 " through fingerprint matching).",
        "source": "article_16" if ticket.regime == "dsa" else "other_notification",
        "automated": {"detection": automated, "decision": "not",
                      "means": "text and image fingerprints" if automated else ""},
        "redress": {"complaint_deadline": dsa_complaint_deadline(ticket.decided_at or today).isoformat(),
                    "complaint_contact": sender()["contact"]},
        "sender": sender(),
        "parties": dict(ticket.parties or {}),
    }
