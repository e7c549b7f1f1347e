"""Declared page metadata (JSON-LD, microdata, Open Graph, <meta>) read through extruct, failures kept as warnings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawler.extract.markup import absolute_url, jsonld_nodes, jsonld_str, jsonld_types, norm_space

try:  # extruct is a hard dependency, but a broken install must not take extraction down with it.
    from extruct.jsonld import JsonLdExtractor
    from extruct.opengraph import OpenGraphExtractor
    from extruct.w3cmicrodata import MicrodataExtractor
except ImportError:  # pragma: no cover
    JsonLdExtractor = OpenGraphExtractor = MicrodataExtractor = None

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting",
     "backgroundnewsarticle", "reviewnewsarticle", "report", "socialmediaposting", "techarticle", "liveblogposting"}
)
_JSON_COMMENTS = re.compile(r"^\s*<!--|-->\s*$|^\s*//[^\n]*$", re.M)


@dataclass
class PageMetadata:
    """Everything the page declares about itself, before we choose among the sources."""

    jsonld: list[dict[str, Any]] = field(default_factory=list)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    opengraph: dict[str, str] = field(default_factory=dict)  # "og:title" -> first value
    meta: dict[str, str] = field(default_factory=dict)  # <meta name|property|itemprop> lower-case -> first content
    warnings: list[str] = field(default_factory=list)

    def article_nodes(self) -> list[dict[str, Any]]:
        """JSON-LD objects typed as articles (the page's own claims about its article)."""
        return [n for n in jsonld_nodes(self.jsonld) if jsonld_types(n) & _ARTICLE_TYPES]

    def first(self, *keys: str) -> str | None:
        """The first non-empty value among Open Graph / <meta> keys."""
        for key in keys:
            value = self.opengraph.get(key) or self.meta.get(key)
            if value:
                return value
        return None

    def article_value(self, *keys: str) -> str | None:
        """The first non-empty value of a JSON-LD article property (microdata as fallback)."""
        for node in self.article_nodes():
            for key in keys:
                value = jsonld_str(node.get(key))
                if value:
                    return value
        for item in self.microdata:
            props = item.get("properties") if isinstance(item, dict) else None
            if isinstance(props, dict):
                for key in keys:
                    value = jsonld_str(props.get(key))
                    if value:
                        return value
        return None


def _jsonld_fallback(tree: etree._Element, warnings: list[str]) -> list[dict[str, Any]]:
    """Parse each JSON-LD script on its own so one broken block does not hide the others."""
    items: list[dict[str, Any]] = []
    for index, script in enumerate(tree.xpath('//script[contains(@type, "ld+json")]')):
        raw = _JSON_COMMENTS.sub("", script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError as exc:
            warnings.append(f"json-ld block {index} unreadable: {exc}")
            continue
        items.extend(d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict))
    return items


def read_metadata(tree: etree._Element, url: str) -> PageMetadata:
    """JSON-LD, microdata and Open Graph via extruct plus plain <meta> tags; never raises."""
    meta = PageMetadata()
    if JsonLdExtractor is None:  # pragma: no cover
        meta.warnings.append("extruct unavailable; structured metadata skipped")
    else:
        try:
            meta.jsonld = [d for d in JsonLdExtractor().extract_items(tree, base_url=url) if isinstance(d, dict)]
        except Exception as exc:  # extruct gives up on the first malformed block; retry one by one
            meta.warnings.append(f"json-ld: {type(exc).__name__}: {str(exc)[:120]}")
            meta.jsonld = _jsonld_fallback(tree, meta.warnings)
        try:
            if tree.find(".//*[@itemscope]") is not None:  # no item, nothing for the (slow) microdata reader
                meta.microdata = list(MicrodataExtractor().extract_items(tree, url))
        except Exception as exc:
            meta.warnings.append(f"microdata: {type(exc).__name__}: {str(exc)[:120]}")
        try:
            for item in OpenGraphExtractor().extract_items(tree, base_url=url):
                for key, value in item.get("properties", []):
                    if isinstance(value, str) and value.strip():
                        meta.opengraph.setdefault(str(key).casefold(), norm_space(value))
        except Exception as exc:
            meta.warnings.append(f"opengraph: {type(exc).__name__}: {str(exc)[:120]}")
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            meta.meta.setdefault(key.strip().casefold(), norm_space(content))
    return meta


def canonical_url(tree: etree._Element, meta: PageMetadata, url: str) -> str | None:
    """The page's declared canonical URL, absolute (<link rel=canonical>, then og:url)."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").casefold().split():
            found = absolute_url(link.get("href"), url)
            if found:
                return found
    return absolute_url(meta.first("og:url"), url)


def normalise_lang(value: str | None) -> str | None:
    """A BCP 47-looking tag from "en_US", "zh-hans", "EN": hyphens, lower-case language subtag."""
    if not value:
        return None
    value = norm_space(value).split(",")[0].strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
        return None
    head, _, rest = value.partition("-")
    return head.casefold() + ("-" + rest if rest else "")
