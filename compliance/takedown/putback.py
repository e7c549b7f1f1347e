"""Counter-notices and put-back (17 U.S.C. 512(g)), court actions, and what is due on the business-day clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import Ticket
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.tickets import check_transition, record, transition
from compliance.takedown.workflow import completeness_dict, completeness_text, copy_item, get_ticket, new_ticket
from compliance.urls import match_key


@dataclass
class CounterResult:
    ticket_id: int
    counter_ticket_id: int
    complete: bool
    missing: list[str]
    putback_earliest: date | None = None
    putback_latest: date | None = None


def counter(session: Session, ticket_id: int, notice: ParsedNotice, now: datetime, actor: str,
            window: tuple[date, date], service: Service = NO_SERVICE) -> CounterResult:
    """Record a counter-notice against an actioned ticket; a complete one starts the 10-14 business-day window."""
    from compliance.takedown.notices.completeness import check_notice

    ticket = get_ticket(session, ticket_id)
    check_transition(ticket.id, ticket.status, "countered", "counter")
    result = check_notice(completeness_text(notice), "counter_notice", notice.regime, service)
    child = session.scalars(select(Ticket).where(Ticket.content_sha256 == notice.content_sha256)).first()
    if child is None:
        child = new_ticket(session, notice, now, actor, kind="counter_notice", parent_id=ticket.id,
                           reason=f"counter-notice to ticket {ticket.id}")
        child.completeness = completeness_dict(result)
    child.parent_id = ticket.id
    if child.status in ("received", "valid", "incomplete"):
        transition(session, child, "closed", now, actor, "attached", f"counter-notice to ticket {ticket.id}")
    if result.status != "complete":
        record(session, ticket, now, actor, "counter_deficient",
               f"counter-notice (ticket {child.id}) lacks {', '.join(result.missing)} (17 U.S.C. 512(g)(3)); "
               "content stays down", {"counter_ticket": child.id})
        return CounterResult(ticket.id, child.id, False, list(result.missing))
    earliest, latest = window
    ticket.deadlines = {**ticket.deadlines, "counter_received": now.isoformat(),
                        "putback_earliest": earliest.isoformat(), "putback_latest": latest.isoformat()}
    transition(session, ticket, "countered", now, actor, "counter",
               f"complete counter-notice (ticket {child.id}); put back between {earliest} and {latest} "
               "unless the complainant reports a court action (17 U.S.C. 512(g)(2)(C))",
               {"counter_ticket": child.id})
    return CounterResult(ticket.id, child.id, True, [], earliest, latest)


_TICKET_NUMBER = re.compile(r"(?i)\bticket\s*(?:no\.?|number|#)?\s*(\d{1,9})\b")


def ticket_numbers(text: str) -> list[int]:
    """Ticket numbers a message names ("ticket 12", "Ticket #12", "Re: ... (ticket 12)")."""
    return [int(n) for n in _TICKET_NUMBER.findall(text)]


def countered_ticket(session: Session, notice: ParsedNotice) -> Ticket | None:
    """The actioned ticket a counter-notice answers: the one it names by number, else the newest whose copies
    are at a URL the counter-notice identifies (17 U.S.C. 512(g)(3)(B))."""
    for number in ticket_numbers(f"{notice.subject or ''}\n{notice.text}"):
        named = session.get(Ticket, number)
        if named is not None and named.status == "actioned" and named.kind == "notice":
            return named
    keys = {match_key(u.normalised) for u in notice.urls if u.normalised} - {None}
    if not keys:
        return None
    for ticket in session.scalars(select(Ticket).where(Ticket.status == "actioned", Ticket.kind == "notice")
                                  .order_by(Ticket.id.desc())):
        if any(match_key(c.url) in keys for c in ticket.copies):
            return ticket
    return None


def court_action(session: Session, ticket_id: int, reason: str, now: datetime, actor: str) -> None:
    """The complainant reports a court action: the content stays down and the ticket closes."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "countered":
        raise InputError(f"ticket {ticket_id} is {ticket.status}; a court action matters only after a "
                         "counter-notice.", "use it on a countered ticket.")
    ticket.closed_at = now
    transition(session, ticket, "closed", now, actor, "court_action",
               reason or "complainant reports a court action; content stays down (17 U.S.C. 512(g)(2)(C))")


def restore(session: Session, ticket_id: int, now: datetime, actor: str, reason: str = "") -> list[str]:
    """Put the content back once the window allows it; returns the restored URLs."""
    ticket = get_ticket(session, ticket_id)
    check_transition(ticket.id, ticket.status, "restored", "restore")
    earliest = date.fromisoformat(ticket.deadlines["putback_earliest"])
    if now.date() < earliest:
        raise InputError(
            f"ticket {ticket_id} cannot be restored before {earliest} (10 business days after the "
            "counter-notice, 17 U.S.C. 512(g)(2)(C)).", f"wait until {earliest} or record a court action.")
    restored = []
    for copy in ticket.copies:
        item = copy_item(session, copy)
        if item is not None and item.taken_down_at is not None:
            item.taken_down_at = None
            item.taken_down_reason = None
            restored.append(copy.url)
    transition(session, ticket, "restored", now, actor, "restore",
               reason or f"put back after the counter-notice window ({len(restored)} items)",
               {"restored": restored})
    return restored


def due(session: Session, today: date) -> list[dict[str, Any]]:
    """What is due or late today: cure deadlines and put-back windows."""
    out: list[dict[str, Any]] = []
    for t in session.scalars(select(Ticket).where(Ticket.status.in_(["incomplete", "countered"]))):
        d = t.deadlines or {}
        if t.status == "incomplete" and d.get("cure_due"):
            when = date.fromisoformat(d["cure_due"])
            out.append({"ticket": t.id, "what": "cure deadline: reject or close if not cured", "due": when,
                        "state": "late" if today > when else "due" if today == when else "open"})
        if t.status == "countered" and d.get("putback_earliest"):
            earliest = date.fromisoformat(d["putback_earliest"])
            latest = date.fromisoformat(d["putback_latest"])
            if today >= earliest:
                out.append({"ticket": t.id, "what": f"restore (window {earliest} to {latest})", "due": latest,
                            "state": "late" if today > latest else "due"})
            else:
                out.append({"ticket": t.id, "what": f"put-back window opens {earliest}", "due": earliest,
                            "state": "open"})
    return sorted(out, key=lambda r: (r["due"], r["ticket"]))
