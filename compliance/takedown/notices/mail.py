"""Notices that arrive as e-mail (RFC 822): plain body preferred, HTML turned into text, attachments capped."""

from __future__ import annotations

import email
import email.header
import email.policy
import hashlib
import re
from email import errors
from email.message import Message
from typing import Any

import lxml.html
from lxml import etree

from compliance.dates import parse_lenient
from compliance.takedown.notices.build import build_notice
from compliance.takedown.notices.model import ParsedNotice
from compliance.takedown.notices.service import NO_SERVICE, Service

MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
# The standard library's header parser is quadratic in the number of RFC 2047 encoded words: a 340 KB Subject of
# 20,000 of them took 3.4 GB. Headers are cut to these sizes before parsing (the cut is recorded as a defect).
MAX_HEADER_BYTES = 8 * 1024
MAX_HEADER_BLOCK_BYTES = 64 * 1024
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]*")
_FALLBACK_CHARSETS = ("utf-8", "cp1252")


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


def cap_headers(data: bytes) -> tuple[bytes, list[str]]:
    """The message with each header (continuation lines included) cut to MAX_HEADER_BYTES and the header block to
    MAX_HEADER_BLOCK_BYTES, before any parser sees it; the cuts as defects."""
    split = re.search(rb"\r?\n\r?\n", data)
    head, body = (data[:split.start()], data[split.start():]) if split else (data, b"")
    if len(head) <= MAX_HEADER_BYTES:  # no single header can be over the cap
        return data, []
    defects: list[str] = []
    fields: list[bytes] = []
    for line in re.split(rb"\r?\n(?![ \t])", head):
        if len(line) > MAX_HEADER_BYTES:
            label = line.split(b":", 1)[0][:40].decode("ascii", "replace")
            defects.append(f"header {label} is {len(line)} bytes, over the {MAX_HEADER_BYTES}-byte cap: cut")
            line = line[:MAX_HEADER_BYTES].rsplit(b" ", 1)[0]
        fields.append(line)
    capped = b"\n".join(fields)
    if len(capped) > MAX_HEADER_BLOCK_BYTES:
        defects.append(f"header block over {MAX_HEADER_BLOCK_BYTES} bytes: later headers dropped")
        capped = capped[:MAX_HEADER_BLOCK_BYTES].rsplit(b"\n", 1)[0]
    return capped + body, defects


def parse_email(data: bytes, name: str, service: Service = NO_SERVICE) -> ParsedNotice:
    """An RFC 822 message: plain body preferred, HTML converted, attachments recorded and capped.

    Broken mail is read for what it holds: a wrong or unknown charset is decoded as UTF-8 or Windows-1252, an
    undecodable base64 body is read as written, a multipart message whose boundaries are missing is read as plain
    text; each repair is recorded as a defect on the ticket.
    """
    data, capped = cap_headers(data)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    defects = capped + [f"{type(d).__name__}: {d}" for d in msg.defects]
    if any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in msg.defects):
        repaired = _drop_stray_header_lines(data)
        if repaired != data:
            msg = email.message_from_bytes(repaired, policy=email.policy.default)
            defects.append("stray non-header line(s) in the header block dropped to read the MIME structure")
    bodies: list[str] = []
    html_bodies: list[str] = []
    attached: list[str] = []  # text of kept text/* attachments, after the body
    attachments: list[dict[str, Any]] = []
    notice_files: list[tuple[dict[str, Any], bytes]] = []
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
        record: dict[str, Any] = {"name": filename or "", "content_type": ctype, "size": size, "kept": False,
                                  "sha256": hashlib.sha256(payload).hexdigest() if isinstance(payload, bytes) else None}
        if len(attachments) >= MAX_ATTACHMENTS + 200:
            continue  # beyond the cap only a bounded number of records is kept
        if len(attachments) >= MAX_ATTACHMENTS:
            defects.append(f"attachment {len(attachments) + 1} ({filename or ctype}) over the "
                           f"{MAX_ATTACHMENTS}-attachment cap: skipped")
        elif size > MAX_ATTACHMENT_BYTES:
            defects.append(f"attachment {filename or ctype} is {size} bytes, over the "
                           f"{MAX_ATTACHMENT_BYTES}-byte cap: not read")
        else:  # within the caps: kept as evidence (the bytes travel with the notice until they are written)
            record["kept"] = True
            if isinstance(payload, bytes):
                notice_files.append((record, payload))
            if ctype.startswith("text/"):  # read into the notice too: lists of URLs often come attached
                text = _part_text(part, defects)
                attached.append(html_to_text(text) if ctype == "text/html" else text)
                record["read"] = True
        attachments.append(record)
    text = "\n\n".join(b for b in bodies if b.strip()) or "\n\n".join(html_to_text(h) for h in html_bodies)
    text = "\n\n".join(t for t in [text, *attached] if t.strip())
    if not text.strip() and str(msg.get_content_type()).startswith("multipart/"):
        text = _unstructured_body(data)
        if text.strip():
            defects.append("MIME structure broken (boundaries not found): the body was read as plain text")
    sender = _address(msg, "From")
    date_header = str(msg.get("Date") or "")
    received = parse_lenient(date_header)
    if date_header and received is None:
        defects.append(f"unparseable or implausible Date header: {date_header[:80]}")
    subject = str(msg.get("Subject") or "") or None
    notice = build_notice(name, "eml", text, data, hints={"name": name, "type": subject}, sender=sender,
                          subject=subject, received_at=received, fields={"sender_name": _display_name(msg, "From")},
                          service=service)
    notice.defects = defects + notice.defects
    notice.raw = data
    notice.attachments = attachments
    notice.files = [(record["name"] or record["content_type"], payload) for record, payload in notice_files]
    notice.message = message_ids(msg)
    return notice


_MBOX_FROM = re.compile(rb"^From \S.*$", re.MULTILINE)


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox file (RFC 4155: each starts with a `From ` line; `>From ` in bodies unescaped)."""
    starts = [m.start() for m in _MBOX_FROM.finditer(data)]
    if not starts or starts[0] != len(data) - len(data.lstrip()):
        return [data]
    messages = []
    for start, end in zip(starts, [*starts[1:], len(data)]):
        chunk = data[start:end]
        body = chunk.split(b"\n", 1)[1] if b"\n" in chunk else b""
        messages.append(re.sub(rb"(?m)^>(>*From )", rb"\1", body))
    return [m for m in messages if m.strip()]


def message_ids(msg: Message) -> dict[str, Any]:
    """Message-ID, In-Reply-To and References (angle brackets kept): how a reply finds its ticket."""
    def ids(header: str) -> list[str]:
        return re.findall(r"<[^<>\s]{1,250}>", str(msg.get(header) or ""))[:50]

    own = ids("Message-ID")
    return {"message_id": own[0] if own else None, "in_reply_to": ids("In-Reply-To"), "references": ids("References")}


def _unstructured_body(data: bytes) -> str:
    """The text after the header block, minus MIME boundary and part-header lines: what a reader would see."""
    split = re.search(rb"\r?\n\r?\n", data)
    body = data[split.end():] if split else b""
    text = _decode_text(body, None, [])
    lines = [line for line in text.splitlines()
             if not re.match(r"--\S{1,200}$|Content-[\w-]+:|MIME-Version:", line.strip(), re.IGNORECASE)]
    return "\n".join(lines).strip()


def _decode_text(payload: bytes, declared: str | None, defects: list[str], what: str = "body") -> str:
    """Bytes as text: the declared charset if it decodes cleanly, else UTF-8, else Windows-1252 (recorded)."""
    for charset in ([declared] if declared else []) + [c for c in _FALLBACK_CHARSETS if c != declared]:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
        if declared and charset != declared:
            defects.append(f"{what} is not {declared} as declared: read as {charset}")
        return text
    return payload.decode("cp1252", "replace")


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
    """A text part's content: its charset if right, else UTF-8 or Windows-1252; garbage base64 read as written."""
    what = f"part {part.get_content_type()}"
    if str(part.get("Content-Transfer-Encoding") or "").strip().lower() == "base64":
        raw = part.get_payload(decode=False)
        raw_bytes = raw.encode("ascii", "replace") if isinstance(raw, str) else b""
        if not _BASE64.fullmatch(raw_bytes):
            defects.append(f"{what}: base64 body holds characters outside base64: read as written")
            return _decode_text(raw_bytes, None, defects, what)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(payload or "")
    declared = part.get_content_charset()
    if declared in ("us-ascii", "ascii"):
        declared = "ascii"
    return _decode_text(payload, declared, defects, what)


# `Name <addr>`: read from the raw header first, because mail clients write display names the RFC 5322 parser
# misreads ("Olivia @ Copyright Agent <olivia@x>" parses as the address `Olivia@Copyright`).
_ANGLE = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")


def _angle(msg: Message, header: str) -> tuple[str, str] | None:
    """(display name, address) of a header's first `Name <addr>` entry, as written (encoded words decoded)."""
    raw = next((str(v)[:2000] for k, v in msg.raw_items() if k.lower() == header.lower()), None)
    m = _ANGLE.search(raw) if raw is not None else None
    if raw is None or not m:
        return None
    name = raw[:m.start()].strip(' \t\r\n"\'')
    try:
        name = str(email.header.make_header(email.header.decode_header(name)))
    except (ValueError, LookupError, UnicodeError):
        pass  # a broken encoded word: the name as written
    return name, m.group(1)


def _address(msg: Message, header: str) -> str | None:
    """The first address of a header, or its raw text when it does not parse."""
    value = msg.get(header)
    angle = _angle(msg, header)
    if angle:
        return angle[1]
    addresses = getattr(value, "addresses", None)
    if addresses:
        return str(addresses[0].addr_spec) or str(value)
    return (str(value).strip() or None) if value is not None else None


def _display_name(msg: Message, header: str) -> str | None:
    """The From: display name ("Rights Team" in `Rights Team <rights@x>`): who sent the notice, as they name themselves."""
    angle = _angle(msg, header)
    if angle is not None:
        return " ".join(angle[0].split())[:200] or None
    addresses = getattr(msg.get(header), "addresses", None)
    if addresses and str(addresses[0].display_name).strip():
        return " ".join(str(addresses[0].display_name).split())[:200]
    return None
