"""Tickets as plain data: the DESIGN.md ticket JSON contract and the list rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models import Ticket, TicketEvent
from compliance.takedown.stats import hours_between


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _hours(start: Any, end: Any) -> float | None:
    """Time from receipt, recorded per ticket (the transparency medians are made of these)."""
    return None if start is None or end is None else round(hours_between(start, end), 2)


def ticket_json(session: Session, ticket: Ticket) -> dict[str, Any]:
    events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))
    urls: dict[str, list[str]] = {"infringing": [], "original_work": [], "other": []}
    normalised: dict[str, list[str | None]] = {"infringing": [], "original_work": [], "other": []}
    for u in ticket.urls:
        role = u.get("role", "other") if u.get("role") in urls else "other"
        urls[role].append(u["as_written"])
        normalised[role].append(u.get("normalised"))
    completeness = ticket.completeness or {"status": "not_applicable", "elements": {}, "missing": []}
    return {
        "id": ticket.id, "kind": ticket.kind, "regime": ticket.regime, "remedy": ticket.remedy, "status": ticket.status,
        "received_at": _iso(ticket.received_at), "source_file": ticket.source_file,
        "source_format": ticket.source_format, "subject": ticket.subject,
        "parties": dict(ticket.parties), "works": list(ticket.works), "completeness": completeness,
        "urls": urls, "urls_normalised": normalised,
        "copies": [{"url": c.url, "found_by": c.found_by, "distance": c.distance, "document_id": c.document_id,
                    "image_id": c.image_id, "evidence": c.evidence} for c in ticket.copies],
        "deadlines": dict(ticket.deadlines), "outcome": ticket.outcome, "parent_id": ticket.parent_id,
        "decided_at": _iso(ticket.decided_at), "actioned_at": _iso(ticket.actioned_at),
        "hours_to_decision": _hours(ticket.received_at, ticket.decided_at),
        "hours_to_action": _hours(ticket.received_at, ticket.actioned_at),
        "defects": list(ticket.defects), "attachments": list(ticket.attachments or []),
        "events": [{"at": _iso(e.at), "actor": e.actor, "action": e.action, "from_status": e.from_status,
                    "to_status": e.to_status, "reason": e.reason, "data": e.data} for e in events],
    }


def ticket_rows(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    query = select(Ticket).order_by(Ticket.id)
    if status:
        query = query.where(Ticket.status == status)
    return [{"id": t.id, "kind": t.kind, "status": t.status, "received_at": _iso(t.received_at),
             "complainant": (t.parties or {}).get("complainant") or (t.parties or {}).get("principal") or t.sender,
             "urls": sum(1 for u in t.urls if u.get("role") == "infringing")}
            for t in session.scalars(query)]
