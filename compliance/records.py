"""Plain typed records that cross the crawler -> compliance boundary.

The crawler builds these (Scrapy items are these dataclasses); `compliance.store` persists them.
Nothing here knows about Scrapy or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROLES = ("publisher", "aggregator", "unknown")


@dataclass
class SiteSpec:
    """A site as the user registers it: an origin plus the names people use for it."""

    name: str
    role: str
    origins: list[str] = field(default_factory=list)  # "scheme://host:port", lower-case
    aliases: list[str] = field(default_factory=list)
    operated: bool = False  # one of the operator's own sites (where its takedown notices point)


@dataclass
class Credit:
    """One statement on a page about where content came from."""

    text: str  # as written on the page (untrusted)
    kind: str  # source_line | link | byline_org | is_based_on | image_credit | caption | jsonld_credit
    name: str | None = None  # the source it names, cleaned ("BBC" from "Image from BBC")
    url: str | None = None  # absolute URL it links to, if any


@dataclass
class AlternateLink:
    """A link to the same article in another language ("Read Chinese Version", hreflang)."""

    url: str
    lang: str | None = None
    text: str | None = None


@dataclass
class PageImageRef:
    """An image as it appears on a page, with what the page says about it."""

    src: str  # absolute URL
    alt: str | None = None
    caption: str | None = None
    credit_line: str | None = None  # as written: "Image from BBC"
    credited_source: str | None = None  # the source named: "BBC"
    jsonld_credit: str | None = None  # JSON-LD creditText / copyrightHolder


@dataclass
class ExtractedArticle:
    """What extraction found in one HTML page (pure function output)."""

    title: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO-8601 date or datetime as found
    modified: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None  # og:site_name / publisher name as the page declares it
    text: str = ""  # main text, template noise (repeated headline, disclaimer) removed
    credits: list[Credit] = field(default_factory=list)
    outbound_links: list[str] = field(default_factory=list)
    disclaimers: list[str] = field(default_factory=list)
    alternates: list[AlternateLink] = field(default_factory=list)
    images: list[PageImageRef] = field(default_factory=list)
    repeated_title_count: int = 0  # how often the headline was repeated as template noise
    warnings: list[str] = field(default_factory=list)


@dataclass
class CaptureRecord:
    """One HTTP fetch, successful or not: the evidence."""

    requested_url: str
    final_url: str | None = None
    redirect_chain: list[str] = field(default_factory=list)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None
    body_sha256: str | None = None
    size: int = 0
    content_type: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    error: str | None = None
    kind: str = "page"  # page | image


@dataclass
class FrontierEntry:
    """A URL the crawl decided to fetch; stored with the page that found it, so a killed crawl can resume."""

    url: str
    key: str  # the crawler's duplicate key for the URL (its canonical spelling)
    site: str
    kind: str = "page"  # page | image
    depth: int = 0
    is_start: bool = False
    page_url: str | None = None  # for an image: the page it appeared on


@dataclass
class TextPrints:
    """A text's fingerprints, computed off the crawl's network thread by `compliance.fingerprints.text_prints`."""

    sha256: str
    simhash: int
    winnowed: list[int] = field(default_factory=list)


@dataclass
class PageItem:
    """A fetched page and its article (article is None when the page could not be used)."""

    site: str  # SiteSpec.name
    capture: CaptureRecord
    article: ExtractedArticle | None = None
    is_start: bool = False
    request: FrontierEntry | None = None  # the frontier entry this fetch answers
    discovered: list[FrontierEntry] = field(default_factory=list)  # links and images it queued
    prints: TextPrints | None = None  # precomputed by a worker; computed at store time when None


@dataclass
class ImageItem:
    """A fetched image; bytes are fingerprinted by compliance, not by the crawler."""

    site: str
    capture: CaptureRecord
    body: bytes | None = None
    page_urls: list[str] = field(default_factory=list)
    request: FrontierEntry | None = None
    analysis: dict[str, object] | None = None  # precomputed `compliance.store.analyse_image` fields
