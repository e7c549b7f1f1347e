"""Notices that arrive as e-mail (RFC 822): plain body preferred, HTML turned into text, attachments capped."""

from __future__ import annotations

import email
import email.policy
import re
from email import errors
from email.message import EmailMessage, Message
from typing import Any

import lxml.html
from lxml import etree

from compliance.dates import parse_lenient
from compliance.takedown.notices.build import build_notice
from compliance.takedown.notices.model import ParsedNotice

MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")


def looks_like_email(data: bytes) -> bool:
    """RFC 822 sniffing: the first lines are headers and one of them is From, To, Subject or Received."""
    head = data[:4096].lstrip().splitlines()[:12]
    keys = [line.split(b":", 1)[0].lower() for line in head if _HEADER_LINE.match(line)]
    return len(keys) >= 2 and bool(set(keys) & {b"from", b"to", b"subject", b"received", b"message-id"})


def html_to_text(markup: str) -> str:
    """Text of an untrusted HTML body: scripts, styles, comments dropped; links kept as `text <href>`; nothing fetched."""
    try:
        root = lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(no_network=True, recover=True))
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", markup)
    for bad in root.xpath("//script|//style|//noscript|//template|//head|//iframe|//object|//embed"):
        bad.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    for link in root.xpath("//a[@href]"):
        href = str(link.get("href") or "")
        if href.lower().startswith(("http://", "https://")) and href not in (link.text_content() or ""):
            link.tail = f" <{href}>" + (link.tail or "")
    for block in root.xpath("//br|//p|//div|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//blockquote|//pre"):
        block.tail = "\n" + (block.tail or "")
    text = str(root.text_content())
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def parse_email(data: bytes, name: str) -> ParsedNotice:
    """An RFC 822 message: plain body preferred, HTML converted, attachments recorded and capped."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    defects = [f"{type(d).__name__}: {d}" for d in msg.defects]
    if any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in msg.defects):
        repaired = _drop_stray_header_lines(data)
        if repaired != data:
            msg = email.message_from_bytes(repaired, policy=email.policy.default)
            defects.append("stray non-header line(s) in the header block dropped to read the MIME structure")
    bodies: list[str] = []
    html_bodies: list[str] = []
    attached: list[str] = []  # text of kept text/* attachments, after the body
    attachments: list[dict[str, Any]] = []
    for part in msg.walk():  # message/rfc822 attachments are walked into: forwarded notices are common
        defects.extend(f"{type(d).__name__}: {d}" for d in getattr(part, "defects", []) if part is not msg)
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename()
        if part.is_multipart():
            continue
        is_attachment = disposition == "attachment" or bool(filename) or not ctype.startswith("text/")
        if not is_attachment:
            (html_bodies if ctype == "text/html" else bodies).append(_part_text(part, defects))
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        record: dict[str, Any] = {"name": filename or "", "content_type": ctype, "size": size, "kept": False}
        if len(attachments) >= MAX_ATTACHMENTS + 200:
            continue  # beyond the cap only a bounded number of records is kept
        if len(attachments) >= MAX_ATTACHMENTS:
            defects.append(f"attachment {len(attachments) + 1} ({filename or ctype}) over the "
                           f"{MAX_ATTACHMENTS}-attachment cap: skipped")
        elif size > MAX_ATTACHMENT_BYTES:
            defects.append(f"attachment {filename or ctype} is {size} bytes, over the "
                           f"{MAX_ATTACHMENT_BYTES}-byte cap: not read")
        elif ctype.startswith("text/"):
            text = _part_text(part, defects)
            attached.append(html_to_text(text) if ctype == "text/html" else text)
            record["kept"] = True
        attachments.append(record)
    text = "\n\n".join(b for b in bodies if b.strip()) or "\n\n".join(html_to_text(h) for h in html_bodies)
    text = "\n\n".join(t for t in [text, *attached] if t.strip())
    sender = _address(msg, "From")
    date_header = str(msg.get("Date") or "")
    received = parse_lenient(date_header)
    if date_header and received is None:
        defects.append(f"unparseable or implausible Date header: {date_header[:80]}")
    subject = str(msg.get("Subject") or "") or None
    notice = build_notice(name, "eml", text, data, hints={"name": name, "type": subject}, sender=sender, subject=subject,
                    received_at=received, fields={"sender_name": _display_name(msg, "From")})
    notice.defects = defects + notice.defects
    notice.attachments = attachments
    return notice


def _drop_stray_header_lines(data: bytes) -> bytes:
    """Remove lines without a colon from the header block (before the first blank line): a common mailer bug."""
    lines = data.split(b"\n")
    out: list[bytes] = []
    in_headers = True
    for line in lines:
        bare = line.rstrip(b"\r")
        if in_headers and not bare:
            in_headers = False
        elif in_headers and not _HEADER_LINE.match(bare) and not bare[:1] in (b" ", b"\t"):
            continue
        out.append(line)
    return b"\n".join(out)


def _part_text(part: Message, defects: list[str]) -> str:
    """A text part's content; a wrong or unknown charset degrades to replacement characters and a recorded defect."""
    try:
        if isinstance(part, EmailMessage):
            content = part.get_content()
            if isinstance(content, str):
                return content
    except (LookupError, UnicodeError, KeyError, AssertionError) as exc:
        defects.append(f"part {part.get_content_type()} undecodable ({exc}): decoded leniently")
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload or "")


def _address(msg: Message, header: str) -> str | None:
    """The first address of a header, or its raw text when it does not parse."""
    value = msg.get(header)
    addresses = getattr(value, "addresses", None)
    if addresses:
        return str(addresses[0].addr_spec) or str(value)
    return (str(value).strip() or None) if value is not None else None


def _display_name(msg: Message, header: str) -> str | None:
    """The From: display name ("Rights Team" in `Rights Team <rights@x>`): who sent the notice, as they name themselves."""
    addresses = getattr(msg.get(header), "addresses", None)
    if addresses and str(addresses[0].display_name).strip():
        return " ".join(str(addresses[0].display_name).split())[:200]
    return None
