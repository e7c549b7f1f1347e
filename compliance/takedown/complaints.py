"""Internal complaints against a decision (DSA Art. 20): lodged within six months, decided with reasons.

Regulation (EU) 2022/2065 Art. 20(1): recipients (and notifiers) can complain "for a period of at least six months
following the decision"; Art. 20(4): where the complaint contains sufficient grounds, the decision is reversed
without undue delay; Art. 20(5): complainants are told the reasoned decision and the possibility of out-of-court
dispute settlement (Art. 21). A complaint is a ticket of its own (kind `complaint`) whose parent is the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import Ticket
from compliance.takedown.clock import dsa_complaint_deadline
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.tickets import record, transition
from compliance.takedown.workflow import copy_item, find_ticket, get_ticket, new_ticket

OUTCOMES = {"uphold": "upheld", "reverse": "reversed"}


@dataclass
class ComplaintResult:
    ticket_id: int  # the decision complained about
    complaint_id: int
    admissible: bool
    deadline: date


def lodge(session: Session, ticket_id: int, notice: ParsedNotice, now: datetime, actor: str) -> ComplaintResult:
    """Record a complaint against a decided ticket; one received after the six-month window is rejected."""
    ticket = get_ticket(session, ticket_id)
    if ticket.decided_at is None or ticket.kind == "complaint":
        raise InputError(f"ticket {ticket_id} has no decision to complain about ({ticket.status}).",
                         "a complaint is lodged against a decided ticket (see `provenance takedown list`).")
    deadline = dsa_complaint_deadline(ticket.decided_at)
    existing = find_ticket(session, notice)
    if existing is not None:
        return ComplaintResult(ticket.id, existing.id, existing.status != "rejected", deadline)
    complaint = new_ticket(session, notice, now, actor, kind="complaint", parent_id=ticket.id,
                           reason=f"complaint against the decision on ticket {ticket.id}")
    complaint.remedy = "restore" if ticket.outcome in ("removed", "disabled") else "remove"
    complaint.deadlines = {"complaint_deadline": deadline.isoformat()}
    if now.date() > deadline:
        transition(session, complaint, "rejected", now, actor, "checked",
                   f"received after the complaint window closed on {deadline} (DSA Art. 20(1): six months "
                   "following the decision)")
        complaint.outcome, complaint.decided_at = "rejected", now
        return ComplaintResult(ticket.id, complaint.id, False, deadline)
    transition(session, complaint, "valid", now, actor, "checked",
               f"admissible: within the six months following the decision (until {deadline}, DSA Art. 20(1))")
    record(session, ticket, now, actor, "complaint_received", f"complaint (ticket {complaint.id}) against this "
           "decision", {"complaint_ticket": complaint.id})
    return ComplaintResult(ticket.id, complaint.id, True, deadline)


def decide(session: Session, complaint_id: int, action: str, reason: str, now: datetime, actor: str) -> Ticket:
    """Uphold the decision, or reverse it (the content is put back; DSA Art. 20(4)); the complaint closes."""
    if action not in OUTCOMES:
        raise InputError(f"a complaint is decided by --uphold or --reverse, not '{action}'.",
                         "pass --uphold (the decision stands) or --reverse (it is undone).")
    complaint = get_ticket(session, complaint_id)
    if complaint.kind != "complaint" or complaint.status != "valid":
        raise InputError(f"ticket {complaint_id} is not an open complaint ({complaint.kind}, {complaint.status}).",
                         "decide the complaint ticket that `takedown complaint` opened.")
    if not reason.strip():
        raise InputError("a complaint's decision needs its reasons (DSA Art. 20(5)).", "pass --reason TEXT.")
    decision = get_ticket(session, complaint.parent_id or 0)
    complaint.outcome, complaint.decided_at, complaint.closed_at = OUTCOMES[action], now, now
    if action == "reverse":
        restored = []
        for copy in decision.copies:
            item = copy_item(session, copy)
            if item is not None and item.taken_down_at is not None:
                item.taken_down_at, item.taken_down_reason = None, None
                restored.append(copy.url)
        target = "restored" if decision.status in ("actioned", "countered") else "closed"
        transition(session, decision, target, now, actor, "reversed_on_complaint",
                   f"decision reversed on complaint (ticket {complaint.id}, DSA Art. 20(4)): {reason}",
                   {"complaint_ticket": complaint.id, "restored": restored})
    else:
        record(session, decision, now, actor, "upheld_on_complaint",
               f"decision upheld on complaint (ticket {complaint.id}): {reason}", {"complaint_ticket": complaint.id})
    transition(session, complaint, "closed", now, actor, action, reason)
    return complaint


__all__ = ["ComplaintResult", "OUTCOMES", "decide", "lodge"]
