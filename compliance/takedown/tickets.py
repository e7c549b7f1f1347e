"""The ticket state machine (DESIGN.md "Takedown tickets"): legal transitions and the event written for each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import Ticket, TicketEvent

STATUSES = (
    "received", "incomplete", "valid", "matched", "actioned", "rejected", "countered", "restored", "closed",
)

# received → incomplete | valid → matched → actioned | rejected → closed;
# actioned → countered → restored (17 U.S.C. 512(g)(2)(C)) unless a court action is reported (→ closed).
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"incomplete", "valid", "rejected", "closed"}),
    "incomplete": frozenset({"valid", "rejected", "closed"}),
    "valid": frozenset({"matched", "rejected", "closed"}),
    "matched": frozenset({"actioned", "rejected"}),
    "actioned": frozenset({"countered", "closed", "restored"}),  # restored: reversed on complaint (DSA Art. 20(4))
    "countered": frozenset({"restored", "closed"}),
    "restored": frozenset({"closed"}),
    "rejected": frozenset({"closed"}),
    "closed": frozenset(),
}


class IllegalTransition(InputError):
    """A change the workflow does not allow from the ticket's current status."""


def check_transition(ticket_id: int, current: str, target: str, action: str) -> None:
    """Raise a one-line error naming what is allowed instead (pure: no database)."""
    allowed = TRANSITIONS.get(current, frozenset())
    if target not in allowed:
        options = ", ".join(sorted(allowed)) or "nothing (the ticket is closed)"
        raise IllegalTransition(
            f"ticket {ticket_id} is {current}; '{action}' would move it to {target}, which is not allowed.",
            f"from {current} the ticket can move to: {options}. See `provenance takedown show {ticket_id}`.",
        )


def event_data(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Event data plus the clock's note when the clock was set (PROVENANCE_NOW): a set clock is never silent."""
    from compliance.takedown.clock import system_clock

    note = system_clock().note
    return {**(data or {}), **({"clock": note} if note else {})}


def record(session: Session, ticket: Ticket, at: datetime, actor: str, action: str, reason: str | None = None,
           data: dict[str, Any] | None = None) -> TicketEvent:
    """An event that does not change the status (a letter sent, evidence captured, a deficient counter-notice)."""
    event = TicketEvent(ticket_id=ticket.id, at=at, actor=actor, action=action, from_status=ticket.status,
                        to_status=ticket.status, reason=reason, data=event_data(data))
    session.add(event)
    return event


def transition(session: Session, ticket: Ticket, target: str, at: datetime, actor: str, action: str,
               reason: str | None = None, data: dict[str, Any] | None = None) -> TicketEvent:
    """Move the ticket and append the event in the same unit of work; illegal moves raise IllegalTransition."""
    check_transition(ticket.id, ticket.status, target, action)
    event = TicketEvent(ticket_id=ticket.id, at=at, actor=actor, action=action, from_status=ticket.status,
                        to_status=target, reason=reason, data=event_data(data))
    ticket.status = target
    session.add(event)
    return event
