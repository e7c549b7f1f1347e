"""One HTML page to one ExtractedArticle: main text without template noise, metadata, credits, images (one parse)."""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from compliance.records import ExtractedArticle
from crawler.extract.credits import (
    classify_credit_line,
    find_alternates,
    find_document_credits,
    guess_alternate_lang,
)
from crawler.extract.disclaimers import disclaimer_words, find_disclaimers, is_disclaimer
from crawler.extract.images import find_images
from crawler.extract.markup import (
    BLOCK_TAGS,
    KEY_EDGES,
    absolute_url,
    anchors,
    base_url,
    decode_html,
    element_text,
    fold_space,
    line_key,
    norm_space,
    page_host,
    parse_html,
    screen_keys,
    text_blocks_with_elements,
)
from crawler.extract.metadata import PageMetadata, canonical_url, normalise_lang, read_metadata
from crawler.extract.trafilatura_pass import declared_metadata, extract_main_text

logger = logging.getLogger(__name__)

# Chosen on the AEB pages (benchmarks/extraction_aeb.py, decided on the held-back part): precision mode beats the
# defaults (held-back F1 0.968 vs 0.953 with it off); tables stay in (0.957 without). Comments are not the article.
# Links stay off: include_links changes what trafilatura keeps; we find them in the DOM. No metadata here:
# trafilatura's metadata is read only when the page's own declarations leave a field empty (declared_metadata).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_links": False,
    "deduplicate": False,
}
# Cleaning passes over trafilatura's main text. A pass stays only if it helps on the held-back pages
# (benchmarks/extraction_aeb.py --ablate): "title" does (F1 0.9676 vs 0.9648); "credit" does not (0.9676 vs
# 0.9677 without it), so credit lines stay in the text and are read as credits only. "disclaimer", "alternate"
# and "link_only" fire on none of the 140 pages: they target aggregator templates the benchmark does not have.
ALL_PASSES = frozenset({"title", "disclaimer", "credit", "alternate", "link_only"})
MAIN_TEXT_PASSES = frozenset({"title", "disclaimer", "alternate", "link_only"})
_TITLE_SPLIT = re.compile(r"\s+[|–—:·•»-]\s+|\s+-{1,2}\s+")
_ALT_LINE = re.compile(r"^[\W\d_]*(?P<label>.{1,60}?)[\W\d_]*$")
MAX_CREDIT_LINE = 160
_HREFS = etree.XPath("//a/@href", smart_strings=False)  # plain str: no link back to the element
_URLISH = re.compile(r"^\s*(?:(?:https?:)?//|www\.)\S*\s*$", re.I)


def _drop_scripts(tree: etree._Element) -> None:
    """Remove scripts (JSON-LD aside: we and trafilatura read it) and styles, keeping the text after them."""
    for el in list(tree.iter("script", "style")):
        if el.getparent() is not None and "ld+json" not in (el.get("type") or ""):
            el.drop_tree()


def _main_text_links(blocks: list[tuple[str, etree._Element]], main_text: str, base: str) -> list[str]:
    """Links inside the blocks whose text made it into the main text (trafilatura drops link targets)."""
    main = fold_space(main_text)
    if not main:
        return []
    chosen = {id(el) for line, el in blocks if len(line) >= 15 and line in main}
    links: list[str] = []
    for _, el in blocks:
        if id(el) not in chosen:
            continue
        chosen.discard(id(el))
        for anchor in el.iter("a"):
            holder = next((a for a in anchor.iterancestors() if a.tag in BLOCK_TAGS), None)
            if holder is el:
                link = absolute_url(anchor.get("href"), base)
                if link:
                    links.append(link)
    return links


def _title_keys(title: str | None, tree: etree._Element, meta: PageMetadata, doc: Any) -> set[str]:
    """Every form of the headline the page uses (og/JSON-LD/<title> and its parts/<h1>), as line keys."""
    forms = [title, meta.first("og:title", "twitter:title"), meta.article_value("headline", "name")]
    forms.append(getattr(doc, "title", None))
    title_tag = tree.find(".//title")
    if title_tag is not None:
        whole = element_text(title_tag)
        forms.append(whole)
        forms.extend(p for p in _TITLE_SPLIT.split(whole) if len(p) >= 20)
    if not any(forms):
        forms.extend(element_text(h) for h in list(tree.iter("h1"))[:1])
    keys = {line_key(f) for f in forms if f}
    return {k for k in keys if len(k) >= 8}


def _count_keys(keys: list[str], title_keys: set[str]) -> int:
    """How many lines are the headline, from their screen keys (NFKC, case-folded).

    line_key(line) is " ".join(key.split()).strip(KEY_EDGES): case folding maps whitespace to itself and nothing
    else to whitespace (checked over all of Unicode), so it commutes with the whitespace folding.
    """
    if not title_keys:
        return 0
    return sum(1 for key in keys if " ".join(key.split()).strip(KEY_EDGES) in title_keys)


def _pick_title(tree: etree._Element, meta: PageMetadata, doc: Any) -> str | None:
    """The headline: JSON-LD headline, og:title, trafilatura's title, <h1>, <title>."""
    for value in (meta.article_value("headline"), meta.first("og:title", "twitter:title"), getattr(doc, "title", None)):
        if value and norm_space(value):
            return norm_space(value)
    for el in list(tree.iter("h1"))[:1] + list(tree.iter("title"))[:1]:
        text = element_text(el)
        if text:
            return text
    return None


def _clean_lines(text: str, title_keys: set[str], disclaimers: set[str], passes: frozenset[str]) -> list[str]:
    """Main-text lines minus the passes' noise: headlines, disclaimers, credit lines, "Read Chinese Version" links."""
    titles = title_keys if "title" in passes else set()
    words = disclaimer_words(text) if "disclaimer" in passes else ()
    kept: list[str] = []
    for raw in text.splitlines():
        original = " ".join(raw.split())  # NFKC is for fingerprints; the text keeps its characters
        line = norm_space(original)
        if not line:
            continue
        if titles and line.casefold().strip(KEY_EDGES) in titles:  # line_key of a line already normalised
            continue
        if "disclaimer" in passes and (original in disclaimers or (words and is_disclaimer(line, words))):
            continue
        if "credit" in passes and len(line) <= MAX_CREDIT_LINE and classify_credit_line(line) and not _is_prose(line):
            continue
        if "alternate" in passes and len(line) <= 60 and _ALT_LINE.match(line) and guess_alternate_lang(line):
            continue
        kept.append(original)
    return kept


def _is_prose(line: str) -> bool:
    """A sentence that merely starts like a credit ("Via the new bridge, commuters ...") is kept."""
    return len(line.split()) > 14 and line.rstrip().endswith((".", "!", "?", "\"", "”"))


def _only_link_text(text: str, links: list[tuple[etree._Element, str]]) -> bool:
    """A short "main text" made only of link labels is a menu, not an article (trafilatura's fallbacks)."""
    if len(text) > 300:
        return False
    labels = {element_text(a) for a, _ in links}
    return all(line in labels for line in text.splitlines())


def _outbound(links: list[str], extra: list[str], url: str) -> list[str]:
    """Absolute http(s) links to other hosts than the page's, deduplicated, in order."""
    own = page_host(url)
    out: dict[str, None] = {}
    for link in links + extra:
        host = page_host(link)
        if host and host != own:
            out.setdefault(link, None)
    return list(out)


def _parse(art: ExtractedArticle, html: str | bytes, encoding: str | None) -> etree._Element | None:
    """Decode and parse the page once; every reader below, trafilatura included, uses this tree."""
    if isinstance(html, (bytes, bytearray)):
        text, notes = decode_html(bytes(html), encoding)
        art.warnings.extend(notes)
    else:
        text = html
    tree = parse_html(text)
    if tree is None:
        art.warnings.append("empty or unparseable document")
    return tree


def _fill(
    art: ExtractedArticle, tree: etree._Element, url: str, passes: frozenset[str], options: dict[str, Any]
) -> None:
    """The extraction proper; extract_with guards it."""
    base = base_url(tree, url)
    meta = read_metadata(tree, base)
    art.warnings.extend(meta.warnings)
    title = meta.article_value("headline") or meta.first("og:title", "twitter:title")
    byline = _byline(meta.article_value("author", "creator"), meta.first("author", "dc.creator"),
                     meta.first("article:author"))
    art.published = meta.article_value("datePublished", "dateCreated") or meta.first(
        "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "date",
        "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date",
    )
    site_name = meta.first("og:site_name", "application-name") or _publisher_name(meta)
    declared = None
    if not (title and byline and art.published and site_name):
        declared = declared_metadata(
            tree, base, art.warnings, author=not byline, date=not art.published, site=not site_name
        )
    _drop_scripts(tree)  # read by now (htmldate looks in them); trafilatura copies the tree several times
    art.title = _pick_title(tree, meta, declared)
    art.byline = byline or _byline(norm_space(getattr(declared, "author", None) or "") or None)
    art.published = art.published or getattr(declared, "date", None)
    art.modified = meta.article_value("dateModified") or meta.first(
        "article:modified_time", "og:updated_time", "datemodified", "last-modified", "dc.date.modified"
    )
    html_el = tree if tree.tag == "html" else tree.find(".//html")
    art.language = (
        normalise_lang(html_el.get("lang") or html_el.get("xml:lang") if html_el is not None else None)
        or normalise_lang(meta.first("og:locale", "content-language", "language", "dc.language"))
        or normalise_lang(meta.article_value("inLanguage"))
    )
    art.canonical_url = canonical_url(tree, meta, base)
    if not site_name:
        sitename = getattr(declared, "sitename", None)
        if sitename and sitename != getattr(declared, "hostname", None):
            site_name = sitename
    art.site_name = norm_space(site_name) or None

    blocks = text_blocks_with_elements(tree)
    lines = [line for line, _ in blocks]
    keys = screen_keys(lines)  # read by the disclaimer and credit screens
    links = anchors(tree)
    title_keys = _title_keys(art.title, tree, meta, declared)
    art.repeated_title_count = _count_keys(keys, title_keys)
    art.disclaimers = find_disclaimers(lines, keys=keys)
    art.credits = find_document_credits(tree, base, meta.jsonld, art.byline, blocks=blocks, links=links, keys=keys)
    art.alternates = find_alternates(tree, base, links)
    art.images = find_images(tree, base, meta.jsonld)

    doc = extract_main_text(tree, base, art.warnings, options)
    if doc is None:
        art.warnings.append("no main text found")
        main_text = ""
    else:
        main_text = getattr(doc, "text", None) or ""
    text_links = _main_text_links(blocks, main_text, base)
    art.text = "\n".join(_clean_lines(main_text, title_keys, set(art.disclaimers), passes))
    if "link_only" in passes and doc is not None and art.text and _only_link_text(art.text, links):
        art.text = ""
        art.warnings.append("no main text found (only navigation/link text)")
    elif doc is not None and not art.text:
        art.warnings.append("main text empty after removing template noise")
    art.outbound_links = _outbound(text_links, [c.url for c in art.credits if c.url], url)


def _byline(*candidates: str | None) -> str | None:
    """The first byline that names someone: og `article:author` and JSON-LD `@id`s are often profile URLs."""
    for value in candidates:
        if value and not _URLISH.match(value):
            return value
    return None


def _publisher_name(meta: PageMetadata) -> str | None:
    """JSON-LD publisher.name of the page's article (or of a top-level WebSite/Organization)."""
    name = meta.article_value("publisher")
    if name:
        return name
    for node in meta.jsonld:
        if isinstance(node, dict) and str(node.get("@type", "")).casefold() in ("website", "newsmediaorganization"):
            value = node.get("name")
            if isinstance(value, str) and value.strip():
                return value
    return None


def extract_article(html: str | bytes, url: str, *, encoding: str | None = None) -> ExtractedArticle:
    """Extract one page; never raises: whatever fails becomes a warning on the returned record."""
    return extract_with(html, url, encoding=encoding)


def extract_page(html: str | bytes, url: str, *, encoding: str | None = None) -> tuple[ExtractedArticle, list[str]]:
    """extract_article plus every <a href> as written, from the same parse (the crawler's links to follow)."""
    hrefs: list[str] = []
    return extract_with(html, url, encoding=encoding, hrefs=hrefs), hrefs


def extract_with(
    html: str | bytes, url: str, *, encoding: str | None = None, passes: frozenset[str] = MAIN_TEXT_PASSES,
    options: dict[str, Any] | None = None, hrefs: list[str] | None = None,
) -> ExtractedArticle:
    """extract_article with chosen cleaning passes and trafilatura options (the benchmark's ablations).

    hrefs, when given, receives the page's <a href> values as written.
    """
    art = ExtractedArticle()
    try:
        tree = _parse(art, html, encoding)
        if tree is None:
            return art
        if hrefs is not None:
            hrefs.extend(_HREFS(tree))
        _fill(art, tree, url, passes, TRAFILATURA_OPTIONS if options is None else options)
    except RecursionError:
        art.warnings.append("document nested too deeply to extract")
    except Exception as exc:  # robustness contract: a bad page must not stop a crawl
        logger.warning("extraction failed for %s: %s", url, exc, exc_info=True)
        art.warnings.append(f"extraction failed: {type(exc).__name__}: {str(exc)[:160]}")
    return art
