"""Persisting what the crawler saw: sites, captures, documents, images (runs: `compliance.runs`). Idempotent."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.dates import parse_lenient, utcnow
from compliance.db import insert_ignore, session_scope
from compliance.frontier import add_requests, mark_done
from compliance.models import (
    Capture,
    Document,
    Image,
    ImageAppearance,
    Site,
    SiteOrigin,
)
from compliance.records import CaptureRecord, ImageItem, PageItem, TextPrints
from compliance.urls import normalise, normalise_or_keep, origin_of

logger = logging.getLogger(__name__)


def _site_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Site.id).where(Site.name == name))


def _capture_row(run_id: int, site_id: int | None, rec: CaptureRecord) -> dict[str, Any]:
    row = asdict(rec)
    row.update(run_id=run_id, site_id=site_id)
    row["fetched_at"] = rec.fetched_at or utcnow()
    return row


def _insert_capture(session: Session, run_id: int, site_id: int | None, rec: CaptureRecord) -> tuple[int, bool]:
    """Insert the capture once per (run, requested URL); returns (id, created)."""
    before = session.scalar(
        select(Capture.id).where(Capture.run_id == run_id, Capture.requested_url == rec.requested_url)
    )
    if before is not None:
        return before, False
    insert_ignore(session, Capture, [_capture_row(run_id, site_id, rec)], ["run_id", "requested_url"])
    cid = session.scalar(select(Capture.id).where(Capture.run_id == run_id, Capture.requested_url == rec.requested_url))
    assert cid is not None
    return cid, True


def document_url(item: PageItem) -> str:
    """The canonical URL when it stays on the fetched origin; a canonical pointing elsewhere is not trusted."""
    fetched = normalise_or_keep(item.capture.final_url or item.capture.requested_url)
    canonical = item.article.canonical_url if item.article else None
    if canonical and origin_of(canonical) and origin_of(canonical) == origin_of(fetched):
        return normalise_or_keep(canonical)
    return fetched


def write_postings(session: Session, document_id: int, text: str, values: list[int] | None = None) -> int:
    """The document's winnowed fingerprints (each value once) for the inverted index; how many were written."""
    from compliance.fingerprints.passages import winnow

    if values is None:
        values = sorted({fp.value for fp in winnow(text)})
    return _insert_postings(session, [(document_id, v) for v in values])


def _insert_postings(session: Session, rows: list[tuple[int, int]]) -> int:
    """(document id, fingerprint) rows appended to the pending postings (`provenance link` indexes them)."""
    from compliance.models import PendingPosting

    if not rows:
        return 0
    # Hundreds of rows per document, two integers each, straight to the driver (SQLAlchemy's per-row parameter
    # processing cost a crawl more than the inserts): PostgreSQL gets two arrays in one statement (executemany
    # would run one INSERT per row on the server), SQLite an executemany. Values are signed 64-bit, as stored.
    table = PendingPosting.__tablename__
    session.flush()
    cursor = session.connection().connection.cursor()
    try:
        if session.get_bind().dialect.name == "postgresql":
            cursor.execute(f"INSERT INTO {table} (document_id, fingerprint) "
                           "SELECT * FROM unnest(%s::integer[], %s::bigint[])",
                           ([d for d, _ in rows], [v for _, v in rows]))
        else:
            cursor.executemany(f"INSERT INTO {table} (document_id, fingerprint) VALUES (?, ?)", rows)
    finally:
        cursor.close()
    return len(rows)


def store_page(engine: Engine, run_id: int, item: PageItem) -> int | None:
    """Store one page capture and, when it has article text, its document and image appearances.

    Returns the document id, or None when the page gave no document.
    """
    with session_scope(engine) as session:
        return _store_page(session, run_id, item)


def _store_page(session: Session, run_id: int, item: PageItem) -> int | None:
    site_id = _site_id(session, item.site)
    capture_id, _created = _insert_capture(session, run_id, site_id, item.capture)
    art = item.article
    if item.capture.error or art is None or not art.text.strip() or site_id is None:
        return None
    url = document_url(item)
    prints = item.prints or _text_prints(art.text)
    sha = prints.sha256
    now = item.capture.fetched_at or utcnow()
    existing = session.scalars(select(Document).where(Document.url == url, Document.text_sha256 == sha)).first()
    if existing is None:
        session.execute(update(Document).where(Document.url == url).values(is_current=False))
        doc = Document(**_document_row(item, site_id, capture_id, url, prints, now))
        session.add(doc)
        session.flush()
        write_postings(session, doc.id, art.text, prints.winnowed)
    else:
        doc = existing
        doc.last_seen = now
        doc.capture_id = capture_id
        # Same text, but what the page says about it (credits, links, disclaimers) is read as it is now: a
        # corrected credit line changes no text; the earlier state stays in the earlier capture's WARC record.
        doc.credits = [asdict(c) for c in art.credits]
        doc.outbound_links = list(art.outbound_links)
        doc.disclaimers = list(art.disclaimers)
        doc.alternates = [asdict(a) for a in art.alternates]
        if not doc.is_current:
            session.execute(update(Document).where(Document.url == url).values(is_current=False))
            doc.is_current = True
    _store_appearances(session, doc.id, item, now)
    return doc.id


def _document_row(item: PageItem, site_id: int, capture_id: int, url: str, prints: TextPrints,
                  now: datetime) -> dict[str, Any]:
    """A new document version's columns (postings written with it, so `winnowed`)."""
    art = item.article
    assert art is not None
    return {
        "site_id": site_id,
        "url": url,
        "fetched_url": item.capture.final_url or item.capture.requested_url,
        "capture_id": capture_id,
        "title": art.title,
        "byline": art.byline,
        "published": art.published,
        "modified": art.modified,
        "published_at": parse_lenient(art.published, art.language),
        "modified_at": parse_lenient(art.modified, art.language),
        "language": art.language,
        "text": art.text,
        "text_sha256": prints.sha256,
        "simhash": prints.simhash,
        "credits": [asdict(c) for c in art.credits],
        "outbound_links": list(art.outbound_links),
        "disclaimers": list(art.disclaimers),
        "alternates": [asdict(a) for a in art.alternates],
        "extra": {
            "site_name": art.site_name,
            "canonical_declared": art.canonical_url,
            "repeated_title_count": art.repeated_title_count,
            "warnings": art.warnings,
        },
        "is_current": True,
        "winnowed": True,
        "first_seen": now,
        "last_seen": now,
    }


def _store_pages(session: Session, run_id: int, pages: list[PageItem]) -> None:
    """A batch of pages with a few statements, not a few per page: captures at once, and every page whose text is
    a new version of a URL met once in the batch inserted together with its postings. Other pages (a text seen
    before, a URL twice in the batch) take `_store_page`, one at a time, in order."""
    if not pages:
        return
    sites: dict[str, int] = {name: site_id for name, site_id in session.execute(
        select(Site.name, Site.id).where(Site.name.in_({p.site for p in pages})))}
    captures = _insert_captures(session, run_id, [(sites.get(p.site), p.capture) for p in pages])
    usable = [p for p in pages if not p.capture.error and p.article is not None and p.article.text.strip()
              and p.site in sites]
    urls = [document_url(p) for p in usable]
    known: set[tuple[str, str]] = set()
    distinct = list(dict.fromkeys(urls))
    for at in range(0, len(distinct), 500):
        known.update((url, sha) for url, sha in session.execute(
            select(Document.url, Document.text_sha256).where(Document.url.in_(distinct[at:at + 500]))))
    seen = {url for url, _ in known}
    twice = {url for url, n in Counter(urls).items() if n > 1}
    fresh: list[tuple[PageItem, dict[str, Any], list[int]]] = []
    for page, url in zip(usable, urls, strict=True):
        assert page.article is not None
        if url in twice:
            continue
        prints = page.prints or _text_prints(page.article.text)
        if (url, prints.sha256) in known:
            continue
        now = page.capture.fetched_at or utcnow()
        fresh.append((page, _document_row(page, sites[page.site], captures[page.capture.requested_url], url,
                                          prints, now), prints.winnowed))
    if fresh:
        replaced = [row["url"] for _, row, _ in fresh if row["url"] in seen]
        for at in range(0, len(replaced), 500):
            session.execute(update(Document).where(Document.url.in_(replaced[at:at + 500])).values(is_current=False))
        ids = session.scalars(insert(Document).returning(Document.id, sort_by_parameter_order=True),
                              [row for _, row, _ in fresh]).all()
        _insert_postings(session, [(doc_id, v) for doc_id, (_, _, winnowed) in zip(ids, fresh, strict=True)
                                   for v in winnowed])
        for doc_id, (page, row, _) in zip(ids, fresh, strict=True):
            _store_appearances(session, doc_id, page, row["first_seen"])
    done = {id(page) for page, _, _ in fresh}
    for page in usable:
        if id(page) not in done:
            _store_page(session, run_id, page)


def _insert_captures(session: Session, run_id: int, records: list[tuple[int | None, CaptureRecord]]) -> dict[str, int]:
    """Insert each capture once per (run, requested URL); {requested URL: capture id}."""
    insert_ignore(session, Capture, [_capture_row(run_id, site_id, rec) for site_id, rec in records],
                  ["run_id", "requested_url"])
    wanted = list(dict.fromkeys(rec.requested_url for _, rec in records))
    ids: dict[str, int] = {}
    for at in range(0, len(wanted), 500):
        ids.update((url, cid) for url, cid in session.execute(select(Capture.requested_url, Capture.id).where(
            Capture.run_id == run_id, Capture.requested_url.in_(wanted[at:at + 500]))))
    return ids


def _store_appearances(session: Session, document_id: int, item: PageItem, now: datetime) -> None:
    assert item.article is not None
    # The page's reference and the fetched image meet under one spelling (compliance.urls.normalise).
    refs = [(url, r) for r in item.article.images if (url := normalise(r.src)) is not None]
    if not refs:
        return
    urls = list(dict.fromkeys(url for url, _ in refs))
    insert_ignore(session, Image, [{"url": u, "first_seen": now, "last_seen": now} for u in urls], ["url"])
    ids = dict(session.execute(select(Image.url, Image.id).where(Image.url.in_(urls))).tuples().all())
    rows = []
    for pos, (url, ref) in enumerate(refs):
        rows.append(
            {
                "document_id": document_id,
                "image_id": ids[url],
                "alt": ref.alt,
                "caption": ref.caption,
                "credit_line": ref.credit_line,
                "credited_source": ref.credited_source,
                "jsonld_credit": ref.jsonld_credit,
                "position": pos,
            }
        )
    insert_ignore(session, ImageAppearance, rows, ["document_id", "image_id"])
    for row in rows:  # an appearance seen again keeps what the page says about the image now
        session.execute(update(ImageAppearance).where(ImageAppearance.document_id == row["document_id"],
                                                      ImageAppearance.image_id == row["image_id"])
                        .values(**{k: row[k] for k in ("alt", "caption", "credit_line", "credited_source",
                                                       "jsonld_credit")}))


def _text_prints(text: str) -> TextPrints:
    from compliance.fingerprints.prints import text_prints

    return text_prints(text)


def store_image(engine: Engine, run_id: int, item: ImageItem) -> int:
    """Store an image capture and fingerprint its bytes; undecodable bytes are recorded, not fatal."""
    with session_scope(engine) as session:
        return _store_image(session, run_id, item)


def _image_fields(item: ImageItem) -> dict[str, Any]:
    if item.analysis is not None:
        return dict(item.analysis)
    if item.capture.error is None and item.body is not None:
        from compliance.fingerprints.prints import analyse_image

        return analyse_image(item.body, item.capture.content_type)
    return {"error": item.capture.error} if item.capture.error else {}


def _store_image(session: Session, run_id: int, item: ImageItem) -> int:
    fields = _image_fields(item)
    if item.capture.error is None and fields.get("error"):
        # Bytes that are not a usable image (a bomb, an HTML page) are the fetch's fault too: one reason, on the
        # capture where people look for failed fetches, and on the image.
        item.capture.error = fields["error"]
    url = normalise_or_keep(item.capture.requested_url)
    now = item.capture.fetched_at or utcnow()
    site_id = _site_id(session, item.site)
    capture_id, _ = _insert_capture(session, run_id, site_id, item.capture)
    insert_ignore(session, Image, [{"url": url, "first_seen": now, "last_seen": now}], ["url"])
    image = session.scalars(select(Image).where(Image.url == url)).one()
    image.last_seen = now
    if item.capture.status is not None and item.capture.status < 400:  # bytes were fetched, usable or not
        image.capture_id = capture_id
    for key, value in fields.items():
        setattr(image, key, value)
    return image.id


def store_items(session: Session, run_id: int, items: Iterable[PageItem | ImageItem]) -> None:
    """Store a batch of a crawl's items in the caller's transaction, with the requests each one queued.

    Each item's own request is marked done and the requests it discovered are added in the same transaction, so
    the frontier and the evidence always agree (what `crawl --resume` relies on). Storing again is a no-op.
    """
    items = list(items)
    add_requests(session, run_id, [entry for item in items if isinstance(item, PageItem) for entry in item.discovered])
    _store_pages(session, run_id, [item for item in items if isinstance(item, PageItem)])
    for item in items:
        if isinstance(item, ImageItem):
            _store_image(session, run_id, item)
    mark_done(session, run_id, [item.request for item in items if item.request is not None])


def site_origins(engine: Engine, names: Iterable[str]) -> dict[str, list[str]]:
    """Registered origins per site name, oldest first."""
    out: dict[str, list[str]] = {}
    with session_scope(engine) as session:
        rows = session.execute(
            select(Site.name, SiteOrigin.origin).join(SiteOrigin).where(Site.name.in_(list(names))).order_by(SiteOrigin.id)
        ).all()
        for name, origin in rows:
            out.setdefault(name, []).append(origin)
    return out


def retire_other_origins(engine: Engine, site_name: str, keep: Iterable[str]) -> int:
    """Mark a site's documents at origins other than `keep` as not current (a moved site); nothing is deleted."""
    kept = {origin_of(o) for o in keep}
    retired = 0
    with session_scope(engine) as session:
        docs = session.scalars(
            select(Document).join(Site).where(Site.name == site_name, Document.is_current.is_(True))
        ).all()
        for doc in docs:
            if origin_of(doc.url) not in kept:
                doc.is_current = False
                retired += 1
    return retired
