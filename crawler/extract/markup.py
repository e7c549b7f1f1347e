"""Shared HTML plumbing for the extractors: decoding, parsing, reader-visible text blocks, JSON-LD walking."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import lxml.html
from lxml import etree

from compliance.urls import absolute, host_key

# Characters libxml2 refuses in a str (NUL, C0 controls, lone surrogates, U+FFFE/U+FFFF).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG Encoding: these labels mean windows-1252 on the web.
_AS_CP1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul img picture video audio iframe".split()
)
SKIP_TAGS = frozenset("script style noscript template svg math head select option button textarea".split())
assert not BLOCK_TAGS & SKIP_TAGS  # text_blocks_with_elements relies on it


def decode_html(body: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Bytes to text: BOM, then the given/declared charset, then UTF-8, windows-1252, UTF-8 with replacement."""
    warnings: list[str] = []
    candidates: list[str] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            body = body[len(bom) :]
            candidates.append(name)
            break
    if encoding:
        candidates.append(encoding)
    match = _META_CHARSET.search(body[:8192])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252"]
    declared = len(candidates) - 2
    for index, label in enumerate(candidates):
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            warnings.append(f"unknown charset {label!r} ignored")
            continue
        if codec.startswith("utf-16") and index >= 1 and not body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            codec = "utf-8"  # a UTF-16 label in an ASCII-compatible document is a lie (WHATWG)
        for attempt in ("cp1252", "latin-1") if codec in _AS_CP1252 else (codec,):
            try:
                text = body.decode(attempt)
            except (UnicodeDecodeError, LookupError):
                continue
            if index >= declared and declared > 0 and not warnings:
                warnings.append(f"declared charset did not decode; used {attempt}")
            return text, warnings
    warnings.append("undecodable bytes replaced (utf-8)")
    return body.decode("utf-8", errors="replace"), warnings


def clean_markup(text: str) -> str:
    """Drop what libxml2 rejects in a str (control chars, surrogates, an XML declaration)."""
    return _XML_DECL.sub("", _BAD_CHARS.sub("", text), count=1)


# Comments and processing instructions dropped at parse time, as trafilatura's own parser does: the one tree
# is read by every extractor, trafilatura included. The text reaches libxml2 as UTF-8 (faster than a str, and the
# encoding given here wins over any charset the markup declares: the text is already decoded).
_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False, encoding="utf-8"
)
# Every element is a plain HtmlElement, chosen in C: lxml.html's lookup runs a Python method each time an element
# gets a proxy (every walk, and every walk over trafilatura's copies, which inherit the parser). Nothing here or in
# trafilatura uses the form-element subclasses that lookup picks.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# Every byte but _BAD_CHARS' C0 controls: deleting them from the UTF-8 leaves only the controls (one C pass; the
# regex over the str costs ten times as much). Surrogates cannot be encoded; U+FFFE/U+FFFF are looked for in the str.
_GOOD_BYTES = bytes(sorted(set(range(256)) - {*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)}))


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse markup (cleaned as clean_markup does) into a document tree; None when there is nothing to parse."""
    cleaned = _XML_DECL.sub("", text, count=1)
    try:
        data = cleaned.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        data = b"\x00"
    if data.translate(None, _GOOD_BYTES) or "\ufffe" in cleaned or "\uffff" in cleaned:
        cleaned = clean_markup(text)
        data = cleaned.encode("utf-8")
    if not cleaned or cleaned.isspace():
        return None
    try:
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        return None
    return tree if isinstance(tree, lxml.html.HtmlElement) else None


def norm_space(text: str | None) -> str:
    """NFKC plus whitespace folding: the form compared and returned everywhere."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).split())  # str.split's whitespace is re's \s


def fold_space(text: str | None) -> str:
    """Whitespace folding only: text "as written" (NFKC would rewrite full-width punctuation)."""
    return " ".join(text.split()) if text else ""


KEY_EDGES = " .:;,!?\"'“”‘’|-–—"


def line_key(text: str | None) -> str:
    """Comparison key for a whole line (case, spacing and edge punctuation aside)."""
    return norm_space(text).casefold().strip(KEY_EDGES)


def element_text(el: etree._Element) -> str:
    """Reader-visible text of one element (scripts and styles skipped), whitespace folded."""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            parts.append(node.tail or "")
        elif event == "start":
            if node.tag in BLOCK_TAGS:
                parts.append(" ")
            if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
                walker.skip_subtree()
            elif node.text:
                parts.append(node.text)
        else:
            if node.tag in BLOCK_TAGS:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
    return fold_space("".join(parts))


def text_blocks_with_elements(tree: etree._Element) -> list[tuple[str, etree._Element]]:
    """Lines as a reader sees them (split at block elements and <br>), each with the block that holds it."""
    out: list[tuple[str, etree._Element]] = []
    buf: list[str] = []
    stack: list[etree._Element] = [tree]
    # One pass over every node of the page: the flush is inlined and names are local (it is a third of our time).
    blocks, skips, append = BLOCK_TAGS, SKIP_TAGS, buf.append
    walker = etree.iterwalk(tree, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if not isinstance(tag, str) or tag in skips:
                walker.skip_subtree()
                continue
            if tag in blocks:
                if buf:
                    line = " ".join("".join(buf).split())
                    buf.clear()
                    if line:
                        out.append((line, stack[-1]))
                stack.append(el)
            if el.text:
                append(el.text)
        elif event == "end":
            if el.tag in blocks:  # never a skipped tag: the two sets are disjoint
                if buf:
                    line = " ".join("".join(buf).split())
                    buf.clear()
                    if line:
                        out.append((line, stack[-1]))
                if len(stack) > 1:
                    stack.pop()
            if el is not tree and el.tail:
                append(el.tail)
        else:
            append(el.tail or "")
    line = " ".join("".join(buf).split())
    if line:
        out.append((line, stack[-1]))
    return out


def anchors(tree: etree._Element) -> list[tuple[etree._Element, str]]:
    """Every <a> with the screen_key of its raw text (a superset of its label: cheap to screen before element_text)."""
    return [(a, screen_key(a.text_content())) for a in tree.iter("a")]


def screen_key(text: str) -> str:
    """Case-folded text for screening against word lists (NFKC only when it can change anything)."""
    return text.casefold() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def screen_keys(lines: list[str]) -> list[str]:
    """screen_key of each line, from one pass over the whole page (the lines hold no newline)."""
    keys = screen_key("\n".join(lines)).split("\n")  # NFKC and case folding work char by char: same keys
    return keys if len(keys) == len(lines) else [screen_key(line) for line in lines]


def absolute_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL for href in the one stored spelling (`compliance.urls`), or None (data:, mailto:...)."""
    return absolute(href, base)


def page_host(url: str) -> str:
    """Host of a URL, lower-case, without "www." (for same-site tests)."""
    return host_key(url)


def base_url(tree: etree._Element, url: str) -> str:
    """The document's base URL (<base href> joined with the page URL)."""
    for href in tree.xpath("//base/@href")[:1]:
        joined = absolute_url(str(href), url)
        if joined:
            return joined
    return url


def jsonld_nodes(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object, however deeply nested (@graph, lists, property values)."""
    stack: list[Any] = list(items)[::-1]
    seen = 0
    while stack and seen < 20000:
        item = stack.pop()
        if isinstance(item, dict):
            seen += 1
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def jsonld_types(node: dict[str, Any]) -> set[str]:
    """The node's @type values, lower-case, schema.org prefix dropped."""
    raw = node.get("@type", [])
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].casefold() for v in values if v}


def jsonld_str(value: Any) -> str | None:
    """A display string from a JSON-LD value (string, {name}, {@value}, {url} or a list of those)."""
    if isinstance(value, list):
        names = [s for s in (jsonld_str(v) for v in value) if s]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        for key in ("name", "@value", "legalName", "alternateName", "url", "@id"):
            if key in value:
                return jsonld_str(value[key])
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = norm_space(str(value))
        return text or None
    return None
