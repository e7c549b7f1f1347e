"""WARC/1.1 evidence files (warcio): every hop's request and response, revisits, metadata and failed fetches."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from compliance.evidence import PriorRecord

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20

PriorLookup = Callable[[str], "PriorRecord | None"]


@dataclass(frozen=True)
class Written:
    """Where a record went: its file offset and WARC-Record-ID (what later records refer to)."""

    offset: int
    record_id: str
    rec_type: str


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes (sha1, base32), so a revisit can be decided before writing."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(when: datetime) -> str:
    """WARC/1.1 dates keep microseconds (ISO 28500:2017, 5.4)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def complete_length(path: Path) -> int:
    """Bytes of the file made of complete gzip members: a record torn by a crash is the incomplete tail."""
    good = 0
    with open(path, "rb") as fh:
        pos = 0  # file offset of the member being decoded
        inflater: Any = None
        buffered = b""
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                return good
            data = buffered + chunk
            buffered = b""
            while data:
                if inflater is None:
                    if len(data) < 2:
                        buffered = data
                        break
                    if data[:2] != GZIP_MAGIC:
                        return good  # not a member: garbage after the last complete record
                    inflater = zlib.decompressobj(wbits=31)
                try:
                    inflater.decompress(data)
                except zlib.error:
                    return good
                if not inflater.eof:
                    pos += len(data)
                    break
                rest = inflater.unused_data
                pos += len(data) - len(rest)
                good = pos
                inflater = None
                data = rest


def cut_torn_tail(path: Path) -> int:
    """Truncate an incomplete last record (SIGKILL mid-write); the cut bytes are kept beside the file, never lost."""
    size = path.stat().st_size
    good = complete_length(path)
    if good == size:
        return 0
    with open(path, "r+b") as fh:
        fh.seek(good)
        torn = fh.read()
        (path.parent / f"{path.name}.torn-{good}").write_bytes(torn)
        fh.truncate(good)
        fh.flush()
        os.fsync(fh.fileno())
    logger.warning("%s: cut %d bytes of an incomplete last record at offset %d", path, size - good, good)
    return size - good


class WarcFile:
    """An append-only gzip WARC/1.1 file, one record per gzip member; a torn tail is cut when it is reopened."""

    def __init__(self, path: Path, prior: PriorLookup | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.cut = cut_torn_tail(path) if path.exists() and path.stat().st_size else 0
        self._fh: BinaryIO = open(path, "ab")  # noqa: SIM115 - open for the file's life, closed by close()
        self._writer = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        self._lock = threading.Lock()
        self._prior = prior
        if self._fh.tell() == 0:
            info = self._writer.create_warcinfo_record(
                path.name, {"software": "provenance", "format": "WARC File Format 1.1",
                            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                                          "warc-format/warc-1.1/"})
            self._writer.write_record(info)
            self._fh.flush()

    def _write(self, record: Any) -> Written:
        offset = self._fh.tell()
        self._writer.write_record(record)
        return Written(offset, record.rec_headers.get_header("WARC-Record-ID"), record.rec_type)

    def _revisit_of(self, url: str, status: int, digest: str) -> PriorRecord | None:
        if status != 200 or self._prior is None:
            return None
        try:
            found = self._prior(url)
        except Exception as exc:  # noqa: BLE001 - a failed lookup costs bytes (a full record), never evidence
            logger.warning("no revisit lookup for %s: %s", url, exc)
            return None
        return found if found is not None and found.digest == digest else None

    def write(
        self,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: datetime,
        protocol: str = "HTTP/1.1",
        request_body: bytes = b"",
    ) -> Written:
        """A response (a revisit when `prior` knows this URL's payload from an earlier run) and its request."""
        date = warc_date(fetched_at)
        digest = payload_digest(body)
        resp_headers = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol=protocol)
        with self._lock:
            prior = self._revisit_of(url, status, digest) if body else None
            if prior is not None:
                response = self._writer.create_revisit_record(
                    url, digest, prior.uri, prior.date, http_headers=resp_headers,
                    warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": prior.record_id},
                )
            else:
                response = self._writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=resp_headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            written = self._write(response)
            self._write(self._request(url, method, request_headers, request_body, date, written.record_id))
            self._fh.flush()
            return written

    def _request(self, url: str, method: str, headers: list[tuple[str, str]], body: bytes, date: str,
                 concurrent_to: str | None) -> Any:
        req_headers = StatusAndHeaders(f"{method} {url} HTTP/1.1", headers, is_http_request=True)
        fields = {"WARC-Date": date}
        if concurrent_to:
            fields["WARC-Concurrent-To"] = concurrent_to
        return self._writer.create_warc_record(url, "request", payload=io.BytesIO(body), http_headers=req_headers,
                                               warc_headers_dict=fields)

    def write_metadata(self, url: str, refers_to: str | None, fields: dict[str, Any], when: datetime) -> Written:
        """What we made of a record (extraction results, why a fetch failed) as JSON, referring to that record."""
        payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        headers = {"WARC-Date": warc_date(when)}
        if refers_to:
            headers["WARC-Refers-To"] = refers_to
        record = self._writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(payload), length=len(payload),
            warc_content_type="application/json", warc_headers_dict=headers,
        )
        with self._lock:
            written = self._write(record)
            self._fh.flush()
            return written

    def write_failure(self, url: str, method: str, request_headers: list[tuple[str, str]], sent: bool,
                      fields: dict[str, Any], when: datetime, request_body: bytes = b"") -> Written:
        """A fetch that got no response: the request as sent (when it reached the wire) and why it failed."""
        with self._lock:
            date = warc_date(when)
            request: Written | None = None
            if sent:
                request = self._write(self._request(url, method, request_headers, request_body, date, None))
            summary = {"request": {"method": method, "url": url, "headers": request_headers,
                                   "sent": sent}, **fields}
            payload = json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
            headers = {"WARC-Date": date}
            if request is not None:
                headers["WARC-Concurrent-To"] = request.record_id
            meta = self._write(self._writer.create_warc_record(
                url, "metadata", payload=io.BytesIO(payload), length=len(payload),
                warc_content_type="application/json", warc_headers_dict=headers,
            ))
            self._fh.flush()
            return request or meta

    def close(self) -> None:
        with self._lock:
            self._fh.close()
