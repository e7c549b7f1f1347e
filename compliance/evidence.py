"""The WARC evidence behind captures: what a revisit points to, and one document's, ticket's or URL's records as a WACZ."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import (
    Capture,
    Document,
    Image,
    ImageAppearance,
    Ticket,
    TicketCopy,
)
from compliance.urls import normalise
from compliance.wacz import Excerpt, Page, RecordInfo, record_at, scan, write_wacz


@dataclass(frozen=True)
class PriorRecord:
    """An archived response a revisit record can point to (identical-payload-digest profile, WARC 1.1 6.7.2)."""

    record_id: str
    uri: str
    date: str
    digest: str


def prior_of(info: RecordInfo) -> PriorRecord | None:
    """The original a record stands for: itself when a response, what it refers to when a revisit."""
    if info.rec_type == "response" and info.digest:
        return PriorRecord(info.record_id, info.uri, info.date, info.digest)
    if info.rec_type == "revisit" and info.refers_to and info.digest:
        return PriorRecord(info.refers_to, info.refers_to_uri, info.refers_to_date, info.digest)
    return None


class PriorPayloads:
    """The last archived 200 response of a URL, found through its capture row and read back from its WARC file.

    Given to the crawler's WARC writer, so an unchanged page is written as a revisit instead of again. Only
    earlier runs count: within a run every capture's record is a full response.
    """

    def __init__(self, engine: Engine, run_id: int | None = None) -> None:
        self.engine = engine
        self.run_id = run_id
        self._none_earlier: bool | None = None  # a first crawl asks the database once, not once per response

    def _nothing_archived_before(self) -> bool:
        if self._none_earlier is None:
            with Session(self.engine) as session:
                self._none_earlier = session.scalar(
                    select(Capture.id).where(Capture.status == 200, Capture.warc_file.is_not(None),
                                             Capture.run_id != (self.run_id or 0)).limit(1)) is None
        return self._none_earlier

    def __call__(self, url: str) -> PriorRecord | None:
        if self._nothing_archived_before():
            return None
        with Session(self.engine) as session:
            row = session.execute(
                select(Capture.warc_file, Capture.warc_offset)
                .where(Capture.final_url == url, Capture.status == 200, Capture.warc_file.is_not(None),
                       Capture.warc_offset.is_not(None), Capture.run_id != (self.run_id or 0))
                .order_by(Capture.id.desc()).limit(1)
            ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        info = record_at(Path(row[0]), int(row[1]))
        return prior_of(info) if info is not None and info.uri == url else None


@dataclass
class _Files:
    """Each WARC file scanned once per export."""

    cache: dict[Path, list[RecordInfo]] = field(default_factory=dict)
    graphs: dict[Path, tuple[dict[str, RecordInfo], dict[str, set[str]]]] = field(default_factory=dict)

    def records(self, path: Path) -> list[RecordInfo]:
        if path not in self.cache:
            self.cache[path] = list(scan(path)) if path.is_file() else []
        return self.cache[path]

    def linked(self, path: Path, main: RecordInfo) -> list[RecordInfo]:
        """Records written with `main`: its request, the metadata about it, what a metadata record is about.

        Concurrent records link both ways, a metadata record's WARC-Refers-To too; a revisit's original is
        found separately (`_original`), so one shared payload never pulls in other captures.
        """
        if path not in self.graphs:
            by_id = {r.record_id: r for r in self.records(path)}
            edges: dict[str, set[str]] = {}
            for r in by_id.values():
                ends = [*r.concurrent_to, *([r.refers_to] if r.rec_type == "metadata" and r.refers_to else [])]
                for other in ends:
                    edges.setdefault(other, set()).add(r.record_id)
                    edges.setdefault(r.record_id, set()).add(other)
            self.graphs[path] = (by_id, edges)
        by_id, edges = self.graphs[path]
        seen, todo = {main.record_id}, [main.record_id]
        while todo:
            for other in edges.get(todo.pop(), set()) - seen:
                if other in by_id:
                    seen.add(other)
                    todo.append(other)
        seen.discard(main.record_id)
        return sorted((by_id[i] for i in seen), key=lambda r: r.offset)


@dataclass(frozen=True)
class ExportSummary:
    """What went into a WACZ: for the command's one-line answer."""

    out: Path
    captures: int
    records: int
    pages: int
    missing: list[str]  # captures whose WARC records could not be found (file moved or deleted)
    unfetched: list[str]  # captures refused before any fetch (named in the WACZ description)


def _document_captures(session: Session, document_id: int) -> list[tuple[Capture, str | None]]:
    doc = session.get(Document, document_id)
    if doc is None:
        raise InputError(f"there is no document {document_id}.",
                         "take the id from `provenance report attribution --format json` (documents[].id).")
    out: list[tuple[Capture, str | None]] = []
    if doc.capture_id is not None and (cap := session.get(Capture, doc.capture_id)) is not None:
        out.append((cap, doc.title))
    images = select(Capture).join(Image, Image.capture_id == Capture.id).join(
        ImageAppearance, ImageAppearance.image_id == Image.id).where(ImageAppearance.document_id == document_id)
    out += [(cap, None) for cap in session.scalars(images.order_by(ImageAppearance.position))]
    return out


def _ticket_captures(session: Session, ticket_id: int) -> list[tuple[Capture, str | None]]:
    if session.get(Ticket, ticket_id) is None:
        raise InputError(f"there is no ticket {ticket_id}.", "list the tickets with `provenance takedown list`.")
    out: list[tuple[Capture, str | None]] = []
    for copy in session.scalars(select(TicketCopy).where(TicketCopy.ticket_id == ticket_id).order_by(TicketCopy.id)):
        if copy.document_id is not None:
            found = _document_captures(session, copy.document_id)
            listed = session.get(Capture, copy.capture_id) if copy.capture_id is not None else None
            if listed is not None and all(c.id != listed.id for c, _ in found):
                found.insert(0, (listed, None))
            out += found
        elif copy.capture_id is not None and (cap := session.get(Capture, copy.capture_id)) is not None:
            out.append((cap, None))
        elif copy.image_id is not None:
            image = session.get(Image, copy.image_id)
            cap = session.get(Capture, image.capture_id) if image is not None and image.capture_id else None
            if cap is not None:
                out.append((cap, None))
    return out


def _url_captures(session: Session, url: str) -> list[tuple[Capture, str | None]]:
    stored = normalise(url)
    if stored is None:
        raise InputError(f"'{url}' is not an http(s) URL.", "pass an absolute URL such as https://example.com/a.")
    spellings = {url.strip(), stored}
    doc_captures = select(Document.capture_id).where(or_(Document.url.in_(spellings),
                                                         Document.fetched_url.in_(spellings)))
    caps = session.scalars(select(Capture).where(or_(
        Capture.requested_url.in_(spellings), Capture.final_url.in_(spellings), Capture.id.in_(doc_captures),
    )).order_by(Capture.fetched_at, Capture.id)).all()
    titles = {d.capture_id: d.title for d in session.scalars(select(Document).where(
        Document.capture_id.in_([c.id for c in caps])))}
    return [(c, titles.get(c.id)) for c in caps]


def _main_record(cap: Capture, files: _Files, run_file: Path | None) -> tuple[Path, RecordInfo] | None:
    """The record a capture points at; a failed fetch without an offset is found by its URL in its run's file."""
    if cap.warc_file and cap.warc_offset is not None:
        path = Path(cap.warc_file)
        found = next((r for r in files.records(path) if r.offset == cap.warc_offset), None)
        return (path, found) if found is not None else None
    if run_file is None:
        return None
    last_url = cap.redirect_chain[-1] if cap.redirect_chain else cap.requested_url
    failures = [r for r in files.records(run_file) if r.uri == last_url and r.rec_type in ("request", "metadata")]
    return (run_file, failures[-1]) if failures else None


def _original(main: RecordInfo, path: Path, session: Session, files: _Files) -> tuple[Path, RecordInfo] | None:
    """The response a revisit refers to: in the same file, else where a capture of its URL points."""
    candidates = [path]
    rows = session.execute(select(Capture.warc_file).where(
        Capture.final_url == main.refers_to_uri, Capture.warc_file.is_not(None)).distinct()).scalars()
    candidates += [Path(f) for f in rows if f and Path(f) != path]
    for candidate in candidates:
        found = next((r for r in files.records(candidate) if r.record_id == main.refers_to), None)
        if found is not None:
            return candidate, found
    return None


@dataclass
class Collected:
    """The records to pack, per source file, and the captures that have none."""

    excerpts: list[Excerpt]
    pages: list[Page]
    missing: list[str]  # captures whose WARC records could not be found (file moved or deleted)
    unfetched: list[str]  # captures refused before any fetch: no record was ever written
    captures: int


def collect(session: Session, captures: Iterable[tuple[Capture, str | None]]) -> Collected:
    """The records behind the captures (redirect hops, requests, metadata, revisited originals), per source file."""
    files = _Files()
    excerpts: dict[Path, Excerpt] = {}
    pages: list[Page] = []
    missing: list[str] = []
    unfetched: list[str] = []
    count = 0

    def add(path: Path, info: RecordInfo) -> None:
        excerpt = excerpts.get(path)
        if excerpt is None:
            excerpt = excerpts[path] = Excerpt(path)
            head = files.records(path)[:1]
            if head and head[0].rec_type == "warcinfo":
                excerpt.add(head[0])
        excerpt.add(info)

    for cap, title in captures:
        count += 1
        run_file = session.scalar(select(Capture.warc_file).where(
            Capture.run_id == cap.run_id, Capture.warc_file.is_not(None)).limit(1))
        located = _main_record(cap, files, Path(run_file) if run_file else None)
        if located is None:
            if cap.error and not cap.warc_file:  # refused before any fetch: the capture row is all there is
                unfetched.append(f"capture {cap.id} ({cap.requested_url}) {cap.error}")
            else:
                missing.append(f"capture {cap.id} ({cap.requested_url})")
            continue
        path, main = located
        records = files.records(path)
        for info in [main, *files.linked(path, main)]:
            add(path, info)
        for hop in (cap.redirect_chain or [])[:-1]:
            hops = [r for r in records if r.uri == hop and r.rec_type in ("response", "revisit")
                    and r.offset < main.offset]
            if hops:
                for info in [hops[-1], *files.linked(path, hops[-1])]:
                    add(path, info)
        if main.rec_type == "revisit":
            original = _original(main, path, session, files)
            if original is None:
                missing.append(f"capture {cap.id}: the original of revisit {main.record_id}")
            else:
                add(*original)
        if cap.kind == "page" and main.rec_type in ("response", "revisit"):
            pages.append(Page(url=main.uri, ts=main.date, title=title, id=f"capture-{cap.id}"))
    return Collected(list(excerpts.values()), pages, missing, unfetched, count)


def export_wacz(engine: Engine, out: Path, *, document_id: int | None = None, ticket_id: int | None = None,
                url: str | None = None) -> ExportSummary:
    """One document's, ticket's or URL's captures as a WACZ: the WARC records copied byte for byte, indexed."""
    chosen = [x for x in (document_id, ticket_id, url) if x is not None]
    if len(chosen) != 1:
        raise InputError("an export takes exactly one of a document, a ticket or a URL.",
                         "pass --document ID, --ticket ID or a URL.")
    pick: Callable[[Session], list[tuple[Capture, str | None]]]
    if document_id is not None:
        pick, label = (lambda s: _document_captures(s, document_id)), f"document {document_id}"
    elif ticket_id is not None:
        pick, label = (lambda s: _ticket_captures(s, ticket_id)), f"ticket {ticket_id}"
    else:
        assert url is not None
        pick, label = (lambda s: _url_captures(s, url)), url
    with Session(engine) as session:
        captures = pick(session)
        if not captures:
            raise InputError(f"{label} has no captures to export.", "crawl it first with `provenance crawl URL`.")
        got = collect(session, captures)
    if not got.excerpts:
        gone = "; ".join(got.missing + got.unfetched)[:300]
        raise InputError(f"none of the WARC records of {label} could be found ({gone}).",
                         "keep the --warc-dir of the crawl where it was, or crawl again.")
    records = sum(len(e.records) for e in got.excerpts)
    description = (f"Evidence for {label}: {got.captures} captures, {records} WARC records copied byte for byte "
                   f"from {', '.join(e.source.name for e in got.excerpts)}.")
    if got.unfetched:
        description += f" Never fetched: {'; '.join(got.unfetched)}."
    if got.missing:
        description += f" Not found in the WARC files: {'; '.join(got.missing)}."
    write_wacz(out, got.excerpts, got.pages, title=f"provenance evidence: {label}", description=description)
    return ExportSummary(out=out, captures=got.captures, records=records, pages=len(got.pages), missing=got.missing,
                         unfetched=got.unfetched)

