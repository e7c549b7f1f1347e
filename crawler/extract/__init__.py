"""Pure extraction over HTML (no Scrapy, no database): article text, metadata, credits, images."""

from __future__ import annotations

from crawler.extract.article import extract_article, extract_page
from crawler.extract.credits import (
    find_alternates,
    find_document_credits,
    parse_credit_line,
)
from crawler.extract.disclaimers import find_disclaimers
from crawler.extract.images import find_images

__all__ = [
    "extract_article",
    "extract_page",
    "find_alternates",
    "find_disclaimers",
    "find_document_credits",
    "find_images",
    "parse_credit_line",
]
