"""The data model (SQLAlchemy 2.0, typed). Schema changes go through Alembic migrations."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    false,
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from compliance.dates import utcnow

# Alembic naming.rst: stable constraint names so batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_SIGN = 1 << 63
_MOD = 1 << 64


class UInt64(TypeDecorator[int]):
    """An unsigned 64-bit fingerprint stored in a signed BIGINT (SQLite and PostgreSQL have no unsigned type)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return value - _MOD if value >= _SIGN else value

    def process_result_value(self, value: int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return value + _MOD if value < 0 else value


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}


class Site(Base):
    """A site people name in credits: its display name, aliases, origins and role; `operated` marks the operator's
    own sites (the service its takedown notices are about)."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="unknown")
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    operated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    origins: Mapped[list["SiteOrigin"]] = relationship(back_populates="site", cascade="all, delete-orphan")


class SiteOrigin(Base):
    """One origin (scheme://host:port) belonging to a site."""

    __tablename__ = "site_origin"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    origin: Mapped[str] = mapped_column(String(300), unique=True)
    site: Mapped[Site] = relationship(back_populates="origins")


class CrawlRun(Base):
    """One crawl: what was asked, with which settings, what came back and how it ended."""

    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)  # start URLs, sites, roles
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | finished | failed
    error: Mapped[str | None] = mapped_column(Text)
    # Who runs it and when it last wrote: a `running` run whose process is gone is stale (compliance.frontier).
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class CrawlRequest(Base):
    """A URL a run decided to fetch, written with the page that found it; `done` once its capture is stored.

    The database is the source of truth of a crawl: a killed run resumes from its pending requests.
    """

    __tablename__ = "crawl_request"
    __table_args__ = (
        UniqueConstraint("run_id", "url_key"),
        Index("ix_crawl_request_pending", "run_id", "done"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(Text)  # the crawler's duplicate key (canonical spelling)
    kind: Mapped[str] = mapped_column(String(10), default="page")  # page | image
    site: Mapped[str] = mapped_column(String(200))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    is_start: Mapped[bool] = mapped_column(Boolean, default=False)
    page_url: Mapped[str | None] = mapped_column(Text)  # for an image: the page it appeared on
    done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Capture(Base):
    """One HTTP fetch: append-only evidence."""

    __tablename__ = "capture"
    __table_args__ = (UniqueConstraint("run_id", "requested_url"), Index("ix_capture_final_url", "final_url"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    kind: Mapped[str] = mapped_column(String(10), default="page")  # page | image
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    redirect_chain: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    content_type: Mapped[str | None] = mapped_column(String(200))
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """One version of an article at a URL; a changed page keeps its earlier versions (is_current=False)."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("url", "text_sha256"),
        Index("ix_document_current", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    url: Mapped[str] = mapped_column(Text)  # canonical URL
    fetched_url: Mapped[str] = mapped_column(Text)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id"))
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(Text)  # as the page wrote it (evidence)
    modified: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]  # the same, parsed to UTC (compliance.dates): what is compared
    modified_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    text_sha256: Mapped[str] = mapped_column(String(64))
    simhash: Mapped[int | None] = mapped_column(UInt64)
    credits: Mapped[list[Any]] = mapped_column(default=list)
    outbound_links: Mapped[list[Any]] = mapped_column(default=list)
    disclaimers: Mapped[list[Any]] = mapped_column(default=list)
    alternates: Mapped[list[Any]] = mapped_column(default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # site_name, repeated title count, warnings
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    winnowed: Mapped[bool] = mapped_column(Boolean, default=False)  # its text_posting rows are written
    linked: Mapped[bool] = mapped_column(Boolean, default=False)  # confirmed against the corpus by a link run
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    taken_down_at: Mapped[datetime | None]
    taken_down_reason: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site] = relationship()
    appearances: Mapped[list["ImageAppearance"]] = relationship(back_populates="document")


class TextPosting(Base):
    """A winnowed word k-gram fingerprint of a document version: the inverted index of rewritten copies."""

    __tablename__ = "text_posting"
    __table_args__ = ({"sqlite_with_rowid": False},)

    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # 63 bits: a signed BIGINT everywhere
    document_id: Mapped[int] = mapped_column(primary_key=True)  # checked in text_posting_pending


class PendingPosting(Base):
    """Postings stored since the last link run, appended by the crawl; `link` moves them into `text_posting`."""

    __tablename__ = "text_posting_pending"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    fingerprint: Mapped[int] = mapped_column(BigInteger)


class Image(Base):
    """An image URL, its bytes' fingerprints and the credit embedded in the file."""

    __tablename__ = "image"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id"))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(String(20))
    phash: Mapped[str | None] = mapped_column(String(128))  # hex of the perceptual hash
    phash_method: Mapped[str | None] = mapped_column(String(20))
    # pHashes of 11 windows and the mirror (compliance.fingerprints.imagematch): flips, crops and credit bands still match
    window_print: Mapped[str | None] = mapped_column(String(240))
    low_information: Mapped[bool | None] = mapped_column(Boolean)  # too plain for any perceptual match
    embedded: Mapped[dict[str, Any]] = mapped_column(default=dict)  # EXIF/IPTC/XMP credit fields
    c2pa: Mapped[dict[str, Any]] = mapped_column(default=dict)  # presence, validation state, error
    error: Mapped[str | None] = mapped_column(Text)  # why bytes could not be used
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    taken_down_at: Mapped[datetime | None]
    taken_down_reason: Mapped[str | None] = mapped_column(Text)

    appearances: Mapped[list["ImageAppearance"]] = relationship(back_populates="image")


class ImageAppearance(Base):
    """An image shown on a page, with what that page says about it."""

    __tablename__ = "image_appearance"
    __table_args__ = (UniqueConstraint("document_id", "image_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id"), index=True)
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    credit_line: Mapped[str | None] = mapped_column(Text)
    credited_source: Mapped[str | None] = mapped_column(Text)
    jsonld_credit: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="appearances")
    image: Mapped[Image] = relationship(back_populates="appearances")


class Match(Base):
    """Copy -> original, for documents (kind='document') and image appearances (kind='image')."""

    __tablename__ = "match"
    __table_args__ = (UniqueConstraint("kind", "copy_id", "original_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    copy_id: Mapped[int] = mapped_column(Integer, index=True)
    original_id: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    distance: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditRun(Base):
    """One audit pass: the policy it applied (thresholds) and when."""

    __tablename__ = "audit_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Finding(Base):
    """One audit result for one copy (a document or an image appearance)."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    subject: Mapped[str] = mapped_column(String(10))  # document | image
    subject_id: Mapped[int] = mapped_column(Integer)  # document.id or image_appearance.id
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Ticket(Base):
    """A takedown request (or counter-notice, retraction...) and where it stands; history lives in TicketEvent."""

    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # re-ingest identity
    kind: Mapped[str] = mapped_column(String(20))
    regime: Mapped[str] = mapped_column(String(10))
    remedy: Mapped[str] = mapped_column(String(20), default="remove", server_default="remove")  # what is asked
    message_id: Mapped[str | None] = mapped_column(String(300), index=True)  # an e-mailed notice's Message-ID
    status: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime]
    source_file: Mapped[str] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(10))
    record_index: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    parties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    works: Mapped[list[Any]] = mapped_column(default=list)
    urls: Mapped[list[Any]] = mapped_column(default=list)  # [{as_written, normalised, role, redacted}]
    references: Mapped[list[Any]] = mapped_column(default=list)
    defects: Mapped[list[Any]] = mapped_column(default=list)
    # what came with the notice: name, content_type, size, sha256, kept, file (evidence path, when kept)
    attachments: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    completeness: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deadlines: Mapped[dict[str, Any]] = mapped_column(default=dict)  # cure_due, putback_earliest/latest, ...
    outcome: Mapped[str | None] = mapped_column(String(20))  # removed | disabled | rejected | credit_fixed
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))  # a counter-notice's notice
    decided_at: Mapped[datetime | None]
    actioned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    copies: Mapped[list["TicketCopy"]] = relationship(back_populates="ticket", order_by="TicketCopy.id")


class TicketCopy(Base):
    """A copy of the claimed work found for a ticket: listed in the notice or found through the index."""

    __tablename__ = "ticket_copy"
    __table_args__ = (UniqueConstraint("ticket_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    found_by: Mapped[str] = mapped_column(String(20))  # listed | simhash | image_hash
    distance: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id"))
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id"))
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)  # sha256, warc file/offset, error

    ticket: Mapped[Ticket] = relationship(back_populates="copies")


class TicketEvent(Base):
    """One change to a ticket; append-only (the database refuses UPDATE and DELETE, see migration 0002)."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
