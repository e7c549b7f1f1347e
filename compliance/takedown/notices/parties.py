"""Who sent a notice, for whom, how to reach them, and which works they claim: what a ticket must show."""

from __future__ import annotations

import re
from collections.abc import Mapping

from compliance.takedown.notices.service import NO_SERVICE, Service, own_contact_pattern, strip_own_emails

_REDACTED = re.compile(r"(?i)^\[(?:private|redacted|invalid)\]$")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?i:\[private\])")
_AGENTS = re.compile(
    r"(?i)\b(MarkMonitor|Cyveillance|Attributor(?: Corporation| Inc\.?)?|Digimarc|IP Arrow|Remove Your Media|"
    r"Link-Busters|Muso|DMCA Force|Rightscorp|OpSec(?: Security)?|Web Sheriff|BrandShield|Red Points|Incopro|"
    r"Copyright Integrity|Entura|Vobile|APDIF|IFPI|RIAA|BSA|MPAA)\b")
# The principal's name must start with a capital: "on behalf of the owner of the rights" names nobody.
_ON_BEHALF = re.compile(
    r"(?i:on behalf of|acting for|agent (?:for|of)|represent(?:s|ing)?|authori[sz]ed to act (?:on behalf of|for))"
    r"\s+(?i:our client,?\s+)?(?:the\s+|The\s+)?([A-Z][\w&.,'’ -]{1,80}?)(?=\s*(?:\(|,|\.|;| in | and | to | with |$))",
    re.MULTILINE)
# A line addressed to someone ("Attn: ...") names the recipient; the service's own address is never the sender's.
_RECIPIENT_LINE = re.compile(r"(?i)^\s*(?:attn|attention)\b")
_HOLDER_LINE = re.compile(r"(?im)^[ \t]*(?:rights? holder|copyright (?:owner|holder)(?: name)?|on behalf of)\s*:\s*(\S.{1,80}?)\s*$")
_FIRM = re.compile(r"(?im)^[ \t]*([A-Z][\w&.,' -]{1,60}(?:LLP|LLC|P\.C\.|PLLC|Law (?:Group|Firm|Offices?)|Attorneys"
                   r"|Rechtsanw\w+))\s*$")
_ORG = re.compile(r"(?m)^[ \t]*([A-Z][\w&.,'’ -]{1,60}(?:Inc\.?|Ltd\.?|LLC|GmbH|Corporation|Corp\.?|Co\.,? Ltd\.?|"
                  r"S\.A\.|B\.V\.|AB|Limited|Foundation|University|Organization))\s*$")
_CONTACT_LINE = re.compile(r"(?i)^\s*(?:(?:tel|phone|telephone|fax|mobile|cell|address|mailing address)\b\s*:?.*"
                           r"|.*\b\d{5}(?:-\d{4})?\b.*|.*\b(?:street|st\.|avenue|ave\.|road|suite|floor)\b.*"
                           r"|\+?\d[\d ()./-]{7,}\d)\s*$")
_FORM_OWNER = re.compile(r"(?is)\*\*Are you the copyright owner.*?\*\*\s*(.+?)(?=\n\s*\*\*|\Z)")
_FORM_WORK = re.compile(r"(?is)\*\*What work was allegedly infringed.*?\*\*\s*(.+?)(?=\n\s*\*\*|\Z)")
_WORK_LINE = re.compile(
    r"(?im)^[ \t]*(?:[-*][ \t]*)?(?:original work|copyrighted work|work|title|titles?|product|software|book)s?"
    r"(?: claimed| infringed)?\s*:\s*(.+?)\s*$")
_WORK_PHRASE = re.compile(
    r"(?i)(?:copyrighted work(?:s)? (?:is|are|at issue is|claimed is)|the work (?:is|in question is)"
    r"|copyright (?:in|to|of|for)|owns the copyright (?:in|to|of|for))\s+(?:the\s+)?([^.\n]{3,120})")
_URL = re.compile(r"(?i)\bhttps?://\S+")
# Who signed: "/s/ Jane Doe", "Signed: Jane Doe", or a name on the line under a closing ("Sincerely,").
_SIGNED = re.compile(r"(?im)^[ \t>*_]*(?:/s/|s/|signed\s*[:,]?[ \t]*(?:/s/)?|signature\s*:[ \t]*(?:/s/)?|"
                     r"(?:full\s+)?name\s*:)[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*$")
_CLOSING_LINE = re.compile(r"(?i)^[ \t>*_]*(?:(?:yours\s+)?(?:sincerely|faithfully|truly|respectfully)(?:\s+yours)?|"
                           r"(?:best|kind|warm)?\s*regards|thanks?(?:\s+you)?|cheers|best)[ \t]*[,.!]?[ \t]*$")
_NAME = re.compile(r"[ \t>*_]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){1,4})[ \t*_]*")


def _clean(value: str | None) -> str | None:
    """Collapse whitespace and Markdown emphasis; empty becomes None."""
    if value is None:
        return None
    value = re.sub(r"[*_`]+", "", " ".join(value.split())).strip(" ,.:;-")
    return value or None


def extract_parties(text: str, sender: str | None = None, fields: Mapping[str, str | None] | None = None,
                    service: Service = NO_SERVICE) -> dict[str, str | None]:
    """complainant, agent, principal, contact, email: structured fields win, the letter's words fill the gaps.

    Read relative to the `service` addressed: its own names, mailboxes and address are the recipient's."""
    fields = fields or {}
    agent = _clean(fields.get("agent"))
    principal = _clean(fields.get("principal_name") or fields.get("principal"))
    complainant = _clean(fields.get("sender_name") or fields.get("complainant"))
    match = _AGENTS.search(text)
    if agent is None and match:
        agent = match.group(1)
    if agent is None:
        firm = _FIRM.search(text)
        agent = _clean(firm.group(1)) if firm else None
    if principal is None:
        holder = _HOLDER_LINE.search(text)
        principal = _clean(holder.group(1)) if holder and not _REDACTED.match(holder.group(1).strip()) else None
    if principal is None:
        behalf = _ON_BEHALF.search(text)
        if behalf:
            principal = _clean(behalf.group(1))
    if principal is None:
        owner = _FORM_OWNER.search(text)
        if owner:
            principal = _form_owner(owner.group(1))
    if complainant is None:
        complainant = agent or principal
        if complainant is None:  # an organisation's name on a line of its own, unless it is the addressee's
            own = own_contact_pattern(service)
            names = [n.casefold() for n in service.names]
            for org in _ORG.finditer(text):
                name = _clean(org.group(1))
                if name and not (own and own.search(org.group(0))) and not any(n in name.casefold() for n in names):
                    complainant = name
                    break
    email = _clean(fields.get("email")) or _clean(sender)
    if email is None:
        found = _EMAIL.findall(strip_own_emails(text, service))
        email = found[0] if found else None
    signer = _signer(text)
    if complainant is None and signer is not None and not any(n.casefold() in signer.casefold()
                                                              for n in service.names):
        complainant = signer
    return {"complainant": complainant, "agent": agent, "principal": principal, "signer": signer,
            "contact": _contact(text, service), "email": email}


def _signer(text: str) -> str | None:
    """The name the letter is signed with, if it says one ("/s/ Jane Doe", or the line under "Sincerely,")."""
    signed = _SIGNED.findall(text)
    if signed:
        return _clean(signed[-1])
    lines = [line for line in text.splitlines() if line.strip()]
    for i in range(len(lines) - 2, max(len(lines) - 12, -1), -1):
        if _CLOSING_LINE.match(lines[i]):
            name = _NAME.fullmatch(lines[i + 1])
            return _clean(name.group(1)) if name else None
    return None


def _form_owner(answer: str) -> str | None:
    """A web form's "are you the owner or authorised?" answer ("Yes, I am [redacted] of ACME") names the owner
    after 'of'/'for' when it names one."""
    first = answer.strip().splitlines()[0] if answer.strip() else ""
    match = re.search(r"(?i)\b(?:of|for|at|from|represent(?:ing)?)\s+([A-Z][^.,;\n]{1,60})", first)
    return _clean(match.group(1)) if match else None


def _contact(text: str, service: Service) -> str | None:
    """Address and phone lines, joined: enough to tell whether 512(c)(3)(A)(iv) contact information is there."""
    lines: list[str] = []
    own = own_contact_pattern(service)
    for line in text.splitlines():
        if _URL.search(line) or len(line) > 120 or _RECIPIENT_LINE.match(line) or (own and own.search(line)):
            continue
        if _CONTACT_LINE.match(line):
            cleaned = _clean(line)
            if cleaned and cleaned not in lines:
                lines.append(cleaned)
        if len(lines) >= 6:
            break
    return "; ".join(lines) if lines else None


def extract_works(text: str) -> list[str]:
    """Short descriptions of the copyrighted works claimed, in order, without duplicates."""
    works: list[str] = []

    def add(value: str | None) -> None:
        value = _clean(_URL.sub("", value or ""))
        if value and not _REDACTED.match(value) and len(value) >= 3 and value.lower() not in (w.lower() for w in works):
            works.append(value[:200])

    form = _FORM_WORK.search(text)
    if form:
        for line in form.group(1).strip().splitlines():
            if line.strip() and not _URL.fullmatch(line.strip()):
                add(line)
                break
    for match in _WORK_LINE.finditer(text):
        add(match.group(1))
    for match in _WORK_PHRASE.finditer(text):
        add(match.group(1))
        if len(works) >= 20:
            break
    return works[:20]
