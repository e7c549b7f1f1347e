"""WARC records read back and packed as a WACZ 1.1.1 (the format replay tools open): pure file work, no database."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from compliance import __version__

WACZ_VERSION = "1.1.1"  # https://specs.webrecorder.net/wacz/1.1.1/
REPLAYED = "response,revisit,resource"  # indexed for replay; requests and metadata stay in the WARC as evidence


@dataclass(frozen=True)
class RecordInfo:
    """One WARC record's place (one gzip member) and the headers that tie records together."""

    offset: int
    length: int
    rec_type: str
    uri: str
    record_id: str
    date: str
    digest: str = ""
    concurrent_to: tuple[str, ...] = ()
    refers_to: str = ""
    refers_to_uri: str = ""
    refers_to_date: str = ""
    status: int | None = None


def _info(it: Any, record: Any) -> RecordInfo:
    h = record.rec_headers
    status = None
    if record.http_headers is not None and record.rec_type in ("response", "revisit"):
        code = record.http_headers.get_statuscode()
        status = int(code) if code and code.isdigit() else None
    it.read_to_end(record)
    return RecordInfo(
        offset=it.get_record_offset(), length=it.get_record_length(), rec_type=record.rec_type,
        uri=h.get_header("WARC-Target-URI") or "", record_id=h.get_header("WARC-Record-ID") or "",
        date=h.get_header("WARC-Date") or "", digest=h.get_header("WARC-Payload-Digest") or "",
        concurrent_to=tuple(v for k, v in h.headers if k.lower() == "warc-concurrent-to"),
        refers_to=h.get_header("WARC-Refers-To") or "", refers_to_uri=h.get_header("WARC-Refers-To-Target-URI") or "",
        refers_to_date=h.get_header("WARC-Refers-To-Date") or "", status=status,
    )


def scan(path: Path) -> Iterator[RecordInfo]:
    """Every record of a WARC file in order, with where its bytes are."""
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh, no_record_parse=False)
        for record in it:
            yield _info(it, record)


def record_at(path: Path, offset: int) -> RecordInfo | None:
    """The record starting at `offset`, or None when the file or the record is not there."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            it = ArchiveIterator(fh)
            for record in it:
                found = _info(it, record)
                return RecordInfo(**{**found.__dict__, "offset": offset})
    except (OSError, ValueError, EOFError, ArchiveLoadFailed):  # moved, deleted, or no record at that offset
        return None
    return None


@dataclass
class Excerpt:
    """Records copied byte for byte from one source WARC (its warcinfo first), in the source's order."""

    source: Path
    records: list[RecordInfo] = field(default_factory=list)

    def add(self, info: RecordInfo) -> None:
        if all(r.offset != info.offset for r in self.records):
            self.records.append(info)


@dataclass(frozen=True)
class Page:
    """An entry of pages/pages.jsonl: where replay starts."""

    url: str
    ts: str  # RFC 3339, the WARC-Date of the page's response
    title: str | None = None
    id: str | None = None


def _copy_members(excerpt: Excerpt, out: io.BufferedWriter) -> None:
    with open(excerpt.source, "rb") as src:
        for info in sorted(excerpt.records, key=lambda r: r.offset):
            src.seek(info.offset)
            out.write(src.read(info.length))


def _cdxj(warcs: list[Path]) -> bytes:
    from cdxj_indexer.main import CDXJIndexer

    buf = io.StringIO()
    indexer = CDXJIndexer(output=buf, inputs=[str(p) for p in warcs], sort=True, post_append=True,
                          fields="referrer", records=REPLAYED)
    # The indexer closes what it writes to; keep the text before it does.
    buf.close = lambda: None  # type: ignore[method-assign]
    indexer.process_all()
    return buf.getvalue().encode("utf-8")


def _pages_jsonl(pages: Iterable[Page], title: str) -> bytes:
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": title})]
    for n, page in enumerate(pages, 1):
        entry: dict[str, Any] = {"id": page.id or f"page-{n}", "url": page.url, "ts": page.ts}
        if page.title:
            entry["title"] = page.title
        lines.append(json.dumps(entry, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return "sha256:" + h.hexdigest(), size


def _archive_names(excerpts: list[Excerpt]) -> list[str]:
    names: list[str] = []
    for excerpt in excerpts:
        base = excerpt.source.name if excerpt.source.name.endswith(".warc.gz") else f"{excerpt.source.name}.warc.gz"
        name, n = base, 1
        while name in names:
            n += 1
            name = base.replace(".warc.gz", f"-{n}.warc.gz")
        names.append(name)
    return names


def write_wacz(out: Path, excerpts: list[Excerpt], pages: list[Page], title: str, description: str) -> dict[str, Any]:
    """Write the WACZ atomically (a temporary file renamed into place); returns its datapackage."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".wacz-", dir=out.parent) as tmp:
        work = Path(tmp)
        (work / "archive").mkdir()
        files: list[tuple[str, Path]] = []
        for name, excerpt in zip(_archive_names(excerpts), excerpts):
            path = work / "archive" / name
            with open(path, "wb") as fh:
                _copy_members(excerpt, fh)
            files.append((f"archive/{name}", path))
        index = work / "index.cdxj"
        index.write_bytes(_cdxj([p for _, p in files]))
        pages_file = work / "pages.jsonl"
        pages_file.write_bytes(_pages_jsonl(pages, title))
        files += [("indexes/index.cdxj", index), ("pages/pages.jsonl", pages_file)]
        resources = []
        for name, path in files:
            digest, size = _sha256_file(path)
            resources.append({"name": os.path.basename(name).lower(), "path": name, "hash": digest, "bytes": size})
        package: dict[str, Any] = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "description": description,
            "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "software": f"provenance {__version__}",
            "resources": resources,
        }
        if pages:
            package["mainPageUrl"] = pages[0].url
            package["mainPageDate"] = pages[0].ts
        package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
        digest_bytes = json.dumps(
            {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}, indent=2,
        ).encode("utf-8")
        partial = work / "out.wacz"
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
            for name, path in files:
                # WARCs are gzip members already: STORE keeps them range-readable (WACZ 1.1.1, Zip Compression).
                mode = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
                zf.write(path, name, compress_type=mode)
            zf.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr("datapackage-digest.json", digest_bytes, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(partial, out)
    return package
