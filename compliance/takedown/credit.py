"""Credit requests: after the credit is fixed, the copies are crawled again and the ticket closes only when every
page credits the claimant (by name, alias, host, or a link to their work), as the stored evidence shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.credits import credit_names_site
from compliance.errors import InputError
from compliance.models import Document, ImageAppearance, Site, SiteOrigin, Ticket
from compliance.takedown.tickets import record, transition
from compliance.takedown.workflow import get_ticket
from compliance.urls import host_key, origin_of


@dataclass
class PageToCheck:
    """A page a credit fix must reach, with the registered site it belongs to."""

    url: str
    site: str
    role: str


@dataclass
class VerifyResult:
    ticket_id: int
    closed: bool
    credited: list[str] = field(default_factory=list)
    uncredited: list[str] = field(default_factory=list)


def _ready(ticket: Ticket) -> None:
    if ticket.status != "actioned" or ticket.outcome != "credit_fixed":
        raise InputError(f"ticket {ticket.id} is {ticket.status}"
                         f"{' (' + ticket.outcome.replace('_', ' ') + ')' if ticket.outcome else ''}; only a ticket "
                         "whose credit was fixed is verified.", f"record the fix first: `provenance takedown act "
                         f"{ticket.id} --fix-credit --reason ...`.")


def _current(session: Session, url: str) -> Document | None:
    return session.scalars(select(Document).where(Document.url == url, Document.is_current.is_(True))).first()


def pages_to_check(session: Session, ticket_id: int) -> list[PageToCheck]:
    """The pages of the ticket's copies (an image copy's pages too), to be crawled again before verifying."""
    ticket = get_ticket(session, ticket_id)
    _ready(ticket)
    out: dict[str, PageToCheck] = {}
    for copy in ticket.copies:
        docs: list[Document] = []
        if copy.document_id is not None:
            doc = session.get(Document, copy.document_id)
            docs = [doc] if doc is not None else []
        elif copy.image_id is not None:
            docs = list(session.scalars(select(Document).join(ImageAppearance)
                                        .where(ImageAppearance.image_id == copy.image_id,
                                               Document.is_current.is_(True))))
        for doc in docs:
            site = session.get(Site, doc.site_id)
            if site is not None:
                out.setdefault(doc.url, PageToCheck(doc.url, site.name, site.role))
    return list(out.values())


def claimant(session: Session, ticket: Ticket) -> tuple[list[str], list[str]]:
    """(names, origins) a credit must name: the parties the notice gave, where the claimant's work is, and the
    registered site (name and aliases) that holds it."""
    parties = ticket.parties or {}
    names = [str(v) for k in ("complainant", "principal", "signer", "agent") if (v := parties.get(k))]
    origins = [o for u in ticket.urls if u.get("role") == "original_work" and (o := origin_of(u.get("normalised")
                                                                                            or ""))]
    email = str(parties.get("email") or ticket.sender or "")
    if "@" in email:
        origins.append("https://" + email.rsplit("@", 1)[1].strip().lower())
    for origin in origins:
        site = session.scalars(select(Site).join(SiteOrigin).where(SiteOrigin.origin == origin)).first()
        if site is not None:
            names += [site.name, *site.aliases]
    return list(dict.fromkeys(names)), list(dict.fromkeys(origins))


def _page_credits(session: Session, doc: Document) -> list[tuple[str | None, str | None]]:
    credits = [(c.get("name") or c.get("text"), c.get("url")) for c in doc.credits]
    for app in session.scalars(select(ImageAppearance).where(ImageAppearance.document_id == doc.id)):
        credits += [(app.credited_source, None), (app.credit_line, None), (app.jsonld_credit, None)]
    return [(name, url) for name, url in credits if name or url]


def verify_credit(session: Session, ticket_id: int, now: datetime, actor: str) -> VerifyResult:
    """Close the ticket when every page of its copies now credits the claimant; otherwise record which do not."""
    ticket = get_ticket(session, ticket_id)
    _ready(ticket)
    names, origins = claimant(session, ticket)
    if not names and not origins:
        raise InputError(f"ticket {ticket_id} names no claimant to look for in the credits.",
                         "the notice gave no name, e-mail or original URL: check the pages by hand.")
    hosts = [host_key(o) for o in origins]
    result = VerifyResult(ticket.id, False)
    for page in pages_to_check(session, ticket_id):
        doc = _current(session, page.url)
        credits = _page_credits(session, doc) if doc is not None else []
        if any(credit_names_site(name, url, names, origins, hosts) for name, url in credits):
            result.credited.append(page.url)
        else:
            result.uncredited.append(page.url)
    who = ", ".join(names or origins)
    if result.credited and not result.uncredited:
        ticket.closed_at = now
        transition(session, ticket, "closed", now, actor, "verified",
                   f"every page now credits {who}: {', '.join(result.credited)}",
                   {"credited": result.credited})
        result.closed = True
    else:
        record(session, ticket, now, actor, "verify_failed",
               f"{len(result.uncredited)} of {len(result.credited) + len(result.uncredited)} pages do not credit "
               f"{who} yet: {', '.join(result.uncredited) or 'no page of the copies is in the corpus'}",
               {"credited": result.credited, "uncredited": result.uncredited})
    return result


__all__ = ["PageToCheck", "VerifyResult", "claimant", "pages_to_check", "verify_credit"]
