"""Images on a page and what the page says about each: alt, caption, credit line, JSON-LD credit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from compliance.records import PageImageRef
from crawler.extract.credits import classify_credit_line, clean_source_name
from crawler.extract.markup import (
    BLOCK_TAGS,
    SKIP_TAGS,
    absolute_url,
    element_text,
    jsonld_nodes,
    jsonld_str,
    jsonld_types,
    norm_space,
)

_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "src")
_SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
_TRACKER = re.compile(
    r"(?:^|[/_.-])(?:pixel|spacer|blank|transparent|tracking|tracker|beacon|clear|1x1)(?:[_.-][\w-]*)?\.(?:gif|png)$"
    r"|/(?:b/ss|pixel|beacon|collect|tr)/?$",
    re.I,
)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|caption|source|attribution", re.I)
_IMAGE_KEYS = ("image", "thumbnailUrl", "thumbnail", "primaryImageOfPage", "associatedMedia", "photo", "logo")


def _best_srcset(value: str | None) -> str | None:
    """The largest candidate of a srcset (by w, then x descriptor; the first when none is given)."""
    if not value:
        return None
    best: tuple[float, str] | None = None
    for candidate in re.split(r",\s+|,(?=\S+\s+\d)", value.strip()):
        bits = candidate.strip().split()
        if not bits or bits[0].startswith("data:"):
            continue
        size = 1.0
        if len(bits) > 1:
            match = re.fullmatch(r"(\d+(?:\.\d+)?)([wx])", bits[1])
            if match:
                size = float(match.group(1)) * (1.0 if match.group(2) == "w" else 1000.0)
        if best is None or size > best[0]:
            best = (size, bits[0])
    return best[1] if best else None


def _src_candidates(img: etree._Element) -> Iterator[str | None]:
    """An <img>'s image URLs as written, best first: <picture> sources, srcset, lazy-loading attributes, src."""
    # libxml2 does not know <source> is void and nests the <img> inside it: look for the <picture> above.
    picture = next((a for _, a in zip(range(3), img.iterancestors()) if a.tag == "picture"), None)
    if picture is not None:
        yield from (_best_srcset(s.get("srcset")) for s in picture.iter("source"))
    yield from (_best_srcset(img.get(a)) for a in _SRCSET_ATTRS)
    yield from (img.get(a) for a in _SRC_ATTRS)


def _image_src(img: etree._Element, base: str) -> str | None:
    """The real image URL of an <img>: the first candidate that resolves (read lazily: most have one)."""
    for raw in _src_candidates(img):
        if raw and not raw.strip().startswith("data:"):
            url = absolute_url(raw, base)
            if url:
                return url
    return None


_LEADING_INT = re.compile(r"\s*(\d+)")


def _dimension(img: etree._Element, attr: str) -> int | None:
    """A width/height attribute as an integer, when it is one."""
    match = _LEADING_INT.match(img.get(attr) or "")
    return int(match.group(1)) if match else None


def _is_noise(img: etree._Element, src: str) -> bool:
    """Tracking pixels, spacers and SVG icons are not content images."""
    path = urlsplit(src).path.casefold()
    if path.endswith(".svg") or _TRACKER.search(path):
        return True
    width, height = _dimension(img, "width"), _dimension(img, "height")
    if (width is not None and width <= 2) or (height is not None and height <= 2):
        return True
    return width is not None and height is not None and width <= 24 and height <= 24


def _next_text_after(el: etree._Element, limit: int = 3) -> str | None:
    """The first line of text that follows an element in reading order (climbing out of thin wrappers)."""
    node = el
    for _ in range(limit + 1):
        if node.tail and node.tail.strip():
            return norm_space(node.tail)
        sibling = node.getnext()
        while sibling is not None:
            if isinstance(sibling.tag, str) and sibling.tag not in SKIP_TAGS:
                if sibling.tag == "br":
                    if sibling.tail and sibling.tail.strip():
                        return norm_space(sibling.tail)
                elif sibling.tag == "img" or any(True for _ in sibling.iter("img")):
                    return None
                else:
                    text = _first_line(sibling)
                    if text:
                        return text
            if sibling.tail and sibling.tail.strip():
                return norm_space(sibling.tail)
            sibling = sibling.getnext()
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            return None
        node = parent
    return None


def _first_line(el: etree._Element) -> str | None:
    """The first reader-visible line of an element (up to its first block break)."""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
            if event == "start":
                walker.skip_subtree()
            continue
        if node is not el and node.tag in BLOCK_TAGS and "".join(parts).strip():
            break  # the first line ends at the next block boundary
        if event == "start" and node.text:
            parts.append(node.text)
        elif event == "end" and node is not el and node.tail:
            parts.append(node.tail)
    text = norm_space("".join(parts))
    return text or None


def _container(img: etree._Element) -> etree._Element | None:
    """The <figure> (or figure-like wrapper) that holds the image and its caption."""
    for depth, ancestor in enumerate(img.iterancestors()):
        if ancestor.tag == "figure" or "figure" in (ancestor.get("class") or "").casefold():
            return ancestor
        if depth >= 4 or ancestor.tag in ("body", "article", "main"):
            break
    return None


def _credit_from(texts: list[str]) -> tuple[str, str | None] | None:
    """(credit as written, source named) from the first text that reads as a credit."""
    for text in texts:
        found = classify_credit_line(text)
        if found:
            return found[2], found[1]
    return None


def _jsonld_image_credits(jsonld: list[dict[str, Any]], base: str) -> dict[str, str]:
    """URL -> credit text for every JSON-LD ImageObject that carries creditText/copyrightHolder/author."""
    credits: dict[str, str] = {}
    for node in jsonld_nodes(jsonld):
        candidates: list[Any] = [node] if "imageobject" in jsonld_types(node) else []
        for key in _IMAGE_KEYS:
            value = node.get(key)
            candidates.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict))
        for image in candidates:
            credit = None
            for key in ("creditText", "copyrightHolder", "author", "creator", "copyrightNotice"):
                credit = jsonld_str(image.get(key))
                if credit:
                    break
            if not credit:
                continue
            for key in ("contentUrl", "url", "@id"):
                url = absolute_url(jsonld_str(image.get(key)), base)
                if url:
                    credits.setdefault(url, credit)
    return credits


def _match_credit(src: str, credits: dict[str, str]) -> str | None:
    """JSON-LD credit for an image URL: exact, same host and path, or same file name."""
    if not credits:
        return None
    if src in credits:
        return credits[src]
    parts = urlsplit(src)
    name = parts.path.rsplit("/", 1)[-1]
    for url, credit in credits.items():
        other = urlsplit(url)
        if (other.hostname, other.path) == (parts.hostname, parts.path):
            return credit
        if len(name) >= 8 and other.path.rsplit("/", 1)[-1] == name:
            return credit
    return None


def find_images(tree: etree._Element, url: str, jsonld: list[dict[str, Any]] | None = None) -> list[PageImageRef]:
    """Content images in page order with alt, caption, credit line, credited source and JSON-LD credit."""
    jsonld_credits = _jsonld_image_credits(jsonld or [], url)
    found: dict[str, PageImageRef] = {}
    body = tree.find("body")
    for img in (body if body is not None else tree).iter("img", "amp-img"):
        src = _image_src(img, url)
        if not src or _is_noise(img, src):
            continue
        alt = norm_space(img.get("alt")) or None
        figure = _container(img)
        caption = None
        texts: list[str] = []
        classed: list[str] = []  # texts of credit/caption-classed elements: a bare name there is a credit
        if figure is not None:
            for cap in figure.iter("figcaption"):
                caption = element_text(cap) or None
                break
            for el in figure.iter():
                if not isinstance(el.tag, str) or el is img:
                    continue
                attrs = f"{el.get('class', '')} {el.get('itemprop', '')}"
                if _CREDIT_CLASS.search(attrs):
                    text = element_text(el)
                    if text:
                        texts.append(text)
                        classed.append(text)
            if caption:
                texts.append(caption)
        parent = img.getparent()
        if parent is not None:
            for sibling in parent:
                attrs = f"{sibling.get('class', '')} {sibling.get('itemprop', '')}" if isinstance(sibling.tag, str) else ""
                if sibling is not img and _CREDIT_CLASS.search(attrs):
                    text = element_text(sibling)
                    if text:
                        texts.append(text)
                        classed.append(text)
        after = _next_text_after(figure if figure is not None else img)
        if after and len(after) <= 200:
            texts.append(after)
        credit = _credit_from(texts)
        credit_line, source = credit if credit else (None, None)
        if credit is None:
            # A credit-classed element with a bare name ("<span class=credit>Reuters</span>").
            for text in classed:
                if text != caption and len(text) <= 80:
                    source = clean_source_name(text)
                    if source:
                        credit_line = text
                        break
        ref = PageImageRef(
            src=src, alt=alt, caption=caption, credit_line=credit_line, credited_source=source,
            jsonld_credit=_match_credit(src, jsonld_credits),
        )
        previous = found.get(src)
        if previous is None:
            found[src] = ref
        else:
            for field in ("alt", "caption", "credit_line", "credited_source", "jsonld_credit"):
                if getattr(previous, field) is None:
                    setattr(previous, field, getattr(ref, field))
    return list(found.values())
