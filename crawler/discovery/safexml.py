"""Sitemaps and feeds as hostile input: bounded decompression and an XML parser that expands nothing.

A sitemap may be a gzip bomb (a few KiB inflating to gigabytes), a feed may carry a DOCTYPE with "billion laughs"
entities or external entities pointing at local files. Bodies are inflated only up to a cap, and XML is read by
lxml's incremental parser with entities left unresolved, no DTD loaded, no network and libxml2's size limits on
(`huge_tree` off), so a hostile document costs bounded memory and time and reaches nothing outside itself.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"


class DocumentProblem(Exception):
    """A sitemap or feed body that cannot be read; the message is the one sentence recorded for it."""


def inflate(body: bytes, max_bytes: int) -> bytes:
    """The body, gunzipped when it is gzip (every member), never past `max_bytes` (a gzip bomb is refused)."""
    if not body.startswith(GZIP_MAGIC):
        if len(body) > max_bytes:
            raise DocumentProblem(f"is larger than {max_bytes:,} bytes: not read")
        return body
    out = bytearray()
    data = body
    while data.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, max_bytes + 1 - len(out))
        except zlib.error:
            if out:  # trailing garbage after a complete member: keep what inflated
                break
            raise DocumentProblem("is not valid gzip: not read") from None
        if len(out) > max_bytes or inflater.unconsumed_tail:
            raise DocumentProblem(f"inflates past {max_bytes:,} bytes (gzip bomb?): not read")
        if not inflater.eof:  # truncated download: what inflated is still worth parsing
            break
        data = inflater.unused_data
    return bytes(out)


def localname(element: etree._Element) -> str:
    """The tag without its namespace ("{http://www.sitemaps.org/...}url" -> "url"); "" for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def text_of(element: etree._Element) -> str:
    """The element's own text, whitespace folded ("" when none); entities stay unexpanded."""
    return " ".join((element.text or "").split())


def iterparse(data: bytes, tags: frozenset[str], errors: list[str] | None = None,
              ) -> Iterator[tuple[str, etree._Element]]:
    """("start", root) once, then ("end", element) for each element whose local name is in `tags`.

    The caller reads each yielded element and then calls `release(element)`, so memory stays bounded however
    many elements a document has. Broken XML is read as far as libxml2 can recover it (its first fatal error
    is appended to `errors`); a document with no root at all raises DocumentProblem.
    """
    parser = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, load_dtd=False, no_network=True,
        huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )
    seen_root = False
    try:
        for event, element in parser:
            if not seen_root:
                seen_root = True
                yield "start", element
            elif event == "end" and localname(element) in tags:
                yield "end", element
    except etree.XMLSyntaxError as exc:
        if not seen_root and b"<html" in data[:4096].lower():
            raise DocumentProblem("is an HTML page, not XML") from None  # a soft 404 or a login page
        if not seen_root:
            raise DocumentProblem(f"is not XML ({' '.join(str(exc).split())[:120]})") from None
    if not seen_root:
        raise DocumentProblem("is an HTML page, not XML" if b"<html" in data[:4096].lower() else "is empty or not XML")
    fatal = parser.error_log.filter_from_fatals()
    if errors is not None and fatal:
        first = fatal[0]
        errors.append(f"is broken XML from line {first.line} ({' '.join(first.message.split())[:120]})")


def release(element: etree._Element) -> None:
    """Drop an element already read, and its earlier siblings, so a huge document streams in bounded memory."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


__all__ = ["GZIP_MAGIC", "DocumentProblem", "inflate", "iterparse", "localname", "release", "text_of"]
