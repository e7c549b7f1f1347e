"""trafilatura's passes over our tree: its main text, and its metadata where the page declares too little."""

from __future__ import annotations

import contextlib
import copy
import functools
from typing import Any

from lxml import etree


def extract_main_text(tree: etree._Element, url: str, warnings: list[str], options: dict[str, Any]) -> Any:
    """trafilatura's bare extraction on our tree (it works on a copy; None when it finds no main text)."""
    try:
        from trafilatura import bare_extraction

        try:
            settings = _extractor(tuple(sorted(options.items())))
        except TypeError:  # an unhashable option value (a dedup cache object): no cached settings
            settings = None
        if settings is None:
            return bare_extraction(tree, url=url or None, **{**options, "with_metadata": False})
        settings = copy.copy(settings)
        settings.url = settings.source = url or None  # what Extractor(url=...) sets (url is a str already)
        return bare_extraction(tree, options=settings)
    except Exception as exc:  # trafilatura has raised on pathological markup before; keep going without it
        warnings.append(f"trafilatura: {type(exc).__name__}: {str(exc)[:120]}")
        return None


# bare_extraction's keyword arguments as trafilatura's Extractor names them.
_EXTRACTOR_ARGS = {
    "fast": "fast", "favor_precision": "precision", "favor_recall": "recall", "include_comments": "comments",
    "include_tables": "tables", "include_links": "links", "include_images": "images",
    "include_formatting": "formatting", "deduplicate": "dedup",
}


@functools.lru_cache(maxsize=32)
def _extractor(options: tuple[tuple[str, Any], ...]) -> Any:
    """trafilatura's settings object for these options, built once (building it reads its config: 0.1 ms a page).

    None for an option bare_extraction takes that has no plain Extractor counterpart here: then it builds its own.
    """
    from trafilatura.settings import Extractor

    if any(key not in _EXTRACTOR_ARGS for key, _ in options):
        return None
    return Extractor(output_format="python", with_metadata=False, **{_EXTRACTOR_ARGS[k]: v for k, v in options})


def declared_metadata(
    tree: etree._Element, url: str, warnings: list[str], *, author: bool, date: bool, site: bool
) -> Any:
    """trafilatura's metadata (title, author, date, site name): the fallback when the page declares too little."""
    try:
        return _declared_fields(tree, url or None, author=author, date=date, site=site)
    except Exception as exc:  # same contract as extract_main_text: a metadata bug must not cost the page
        warnings.append(f"trafilatura metadata: {type(exc).__name__}: {str(exc)[:120]}")
        return None


def _declared_fields(tree: etree._Element, url: str | None, *, author: bool, date: bool, site: bool) -> Any:
    """trafilatura's extract_metadata step by step, skipping what we would not read.

    Categories, tags and licence always; the author, date and site name when the page declares them (the author
    pass copies the tree and runs three regex XPaths over it: 6 ms a page; htmldate copies it too).
    """
    from trafilatura.settings import set_date_params

    try:
        from courlan import extract_domain
        from htmldate import find_date
        from trafilatura.metadata import (
            META_URL,
            examine_meta,
            extract_author,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
    except ImportError:  # a trafilatura without these helpers: its whole pass, dates from markup only as below
        from trafilatura.metadata import extract_metadata

        return extract_metadata(tree, url, set_date_params(False), False)
    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    with contextlib.suppress(Exception):  # as extract_metadata: a JSON-LD bug costs the JSON-LD fields only
        doc = extract_meta_json(tree, doc)
    if not doc.title:
        doc.title = extract_title(tree)
    if author and not doc.author:
        doc.author = extract_author(tree)
    if date or site:
        doc.url = doc.url or extract_url(tree, url)
        if doc.url:
            doc.hostname = extract_domain(doc.url, fast=True)
    if date:
        # Dates from markup only: the extensive search guesses from body text ("last met in 2019").
        doc.date = find_date(tree, **{**set_date_params(False), "url": doc.url})
    if site:
        doc.sitename = doc.sitename or extract_sitename(tree)
        if doc.sitename:
            doc.sitename = doc.sitename.lstrip("@")
            if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
                doc.sitename = doc.sitename.title()
        elif doc.url:
            found = META_URL.match(doc.url)
            doc.sitename = found[1] if found else None
    doc.clean_and_trim()
    return doc
