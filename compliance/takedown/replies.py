"""Mail that belongs to a ticket already open: replies to it, and copies of our own letters.

A reply is recognised by its e-mail thread (In-Reply-To or References naming the ticket's own message), by the
ticket number in a "Re:" subject, or by our letter's reference line quoted in it; it is attached to that ticket as
an event instead of opening a new one. An incomplete notice cured by the reply is checked again. A message that
is one of our own letters (its reference line not quoted, sent by us or by nobody) is never read as a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models import Ticket, TicketEvent
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.tickets import record, transition

# The line every letter of ours ends with (reports/templates/letters/_base.txt.j2).
_OWN = re.compile(r"(?m)^Our reference: provenance ticket (\d+) \(([a-z_]+)\)[ \t]*$")
_QUOTED_OWN = re.compile(r"(?m)^[ \t]*(?:>[ \t]*)+Our reference: provenance ticket (\d+) \(")
_RE_SUBJECT = re.compile(r"(?i)^\s*(?:re|aw|sv|antw|r|vs)\s*:.*?\bticket\s*#?\s*(\d{1,9})\b")


@dataclass
class Reply:
    ticket_id: int
    created: bool  # False when the same reply was attached before
    cured: bool = False


def own_letter(notice: ParsedNotice, service: Service = NO_SERVICE, operator_contact: str = "") -> int | None:
    """The ticket of one of our own letters that came back into the mailbox (a copy, a Bcc), or None."""
    own = _OWN.search(notice.text)
    if own is None:
        return None
    sender = (notice.sender or "").strip().lower()
    ours = not sender or service.own_email(sender) or (operator_contact and sender in operator_contact.lower())
    return int(own.group(1)) if ours else None


def reply_target(session: Session, notice: ParsedNotice) -> Ticket | None:
    """The open ticket this message answers, if it says so (thread headers, a Re: subject, our quoted reference)."""
    thread = [*notice.message.get("in_reply_to", []), *notice.message.get("references", [])]
    if thread:
        found = session.scalars(select(Ticket).where(Ticket.message_id.in_(thread)).order_by(Ticket.id)).first()
        if found is not None:
            return found
    numbers = [int(m.group(1)) for m in (_RE_SUBJECT.match(notice.subject or ""),) if m]
    numbers += [int(n) for n in _QUOTED_OWN.findall(notice.text)]
    numbers += [int(m.group(1)) for m in _OWN.finditer(notice.text)]  # our letter forwarded by someone else
    for number in numbers:
        ticket = session.get(Ticket, number)
        if ticket is not None:
            return ticket
    return None


def attach_reply(session: Session, ticket: Ticket, notice: ParsedNotice, now: datetime, actor: str,
                 check: Any = None) -> Reply:
    """Record the reply on its ticket (once); an incomplete notice it cures is checked again with `check`."""
    for event in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                           TicketEvent.action == "reply_received")):
        if (event.data or {}).get("content_sha256") == notice.content_sha256:
            return Reply(ticket.id, False)
    record(session, ticket, now, actor, "reply_received",
           f"reply from {notice.sender or 'an unknown sender'}: {(notice.subject or '')[:120]}",
           {"content_sha256": notice.content_sha256, "message_id": notice.message.get("message_id"),
            "from": notice.sender, "subject": notice.subject, "text": notice.text[:20_000],
            "source_file": notice.source_file, "attachments": notice.attachments})
    reply = Reply(ticket.id, True)
    if check is not None and ticket.status == "incomplete" and ticket.kind == "notice":
        combined = f"{ticket.text}\n\n[reply of {now.date().isoformat()}]\n{notice.text}"
        result = check(combined, ticket.kind, ticket.regime)
        if result.status == "complete":
            ticket.text = combined
            ticket.completeness = {"status": result.status, "missing": [],
                                   "elements": {k: {"present": v.present, "evidence": v.evidence}
                                                for k, v in result.elements.items()}}
            transition(session, ticket, "valid", now, actor, "cured", "the reply supplied what the notice lacked")
            reply.cured = True
    return reply


__all__ = ["Reply", "attach_reply", "own_letter", "reply_target"]
