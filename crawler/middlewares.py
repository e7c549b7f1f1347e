"""Downloader middleware that keeps HTTP evidence: each raw response (redirect hops too) goes to the WARC."""

from __future__ import annotations

from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.warc import WarcFile


def _pairs(headers: object) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, values in headers.items():  # type: ignore[attr-defined]
        name = key.decode("latin-1")
        for value in values:
            out.append((name, value.decode("latin-1")))
    return out


class WarcEvidenceMiddleware:
    """Writes every response before decompression and redirects; the final hop's offset lands in meta."""

    def __init__(self, warc_dir: str | None, run_id: int) -> None:
        self.warc: WarcFile | None = None
        if warc_dir:
            self.warc = WarcFile(Path(warc_dir).resolve() / f"provenance-run-{run_id}.warc.gz")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WarcEvidenceMiddleware":
        mw = cls(crawler.settings.get("PROVENANCE_WARC_DIR"), crawler.settings.getint("PROVENANCE_RUN_ID"))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        fetched_at = datetime.now(timezone.utc)
        request.meta["fetched_at"] = fetched_at
        # HttpCompressionMiddleware drops Content-Encoding once it has decoded the body; the capture keeps it.
        request.meta["wire_content_encoding"] = (response.headers.get("Content-Encoding") or b"").decode("latin-1")
        if self.warc is None:
            return response
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        offset = self.warc.write(
            response.url,
            request.method,
            _pairs(request.headers),
            response.status,
            reason,
            _pairs(response.headers),
            response.body,
            fetched_at,
        )
        request.meta["warc"] = {"file": str(self.warc.path), "offset": offset}
        return response

    def spider_closed(self) -> None:
        if self.warc is not None:
            self.warc.close()
