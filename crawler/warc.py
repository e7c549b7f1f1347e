"""WARC evidence files: every HTTP exchange written as request + response records (warcio)."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


class WarcFile:
    """An append-only gzip WARC file; `write` returns the offset of the response record."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh: BinaryIO = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()
        if self._fh.tell() == 0:
            info = self._writer.create_warcinfo_record(path.name, {"software": "provenance", "format": "WARC/1.1"})
            self._writer.write_record(info)

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
    ) -> int:
        date = fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._lock:
            offset = self._fh.tell()
            resp_headers = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
            response = self._writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=resp_headers,
                warc_headers_dict={"WARC-Date": date},
            )
            self._writer.write_record(response)
            req_headers = StatusAndHeaders(f"{method} {url} HTTP/1.1", request_headers, is_http_request=True)
            request = self._writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=req_headers,
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            self._writer.write_record(request)
            self._fh.flush()
            return offset

    def close(self) -> None:
        with self._lock:
            self._fh.close()
