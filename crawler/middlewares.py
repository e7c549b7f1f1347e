"""Downloader middleware that keeps HTTP evidence: each raw response (redirect hops too), each failed fetch and
what was extracted from each page go to the crawl run's WARC file."""

from __future__ import annotations

import logging
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.warc import PriorLookup, WarcFile

logger = logging.getLogger(__name__)

CAPTURE_FIELDS = ("requested_url", "final_url", "redirect_chain", "status", "body_sha256", "size", "content_type",
                  "error", "kind")


def _pairs(headers: object) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, values in headers.items():  # type: ignore[attr-defined]
        name = key.decode("latin-1")
        for value in values:
            out.append((name, value.decode("latin-1")))
    return out


def _not_sent(exc: BaseException) -> bool:
    """Failures before any byte of the request left: no `request` record, only why (robots.txt, guard, DNS...)."""
    from scrapy.exceptions import IgnoreRequest
    from twisted.internet.error import (
        ConnectionRefusedError,
        DNSLookupError,
        TCPTimedOutError,
    )

    from crawler.spiders.sites import _scrapy_exception

    early = (IgnoreRequest, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
             _scrapy_exception("DownloadConnectionRefusedError"), _scrapy_exception("CannotResolveHostError"),
             _scrapy_exception("UnsupportedURLSchemeError"))
    return isinstance(exc, early)


def extraction_fields(item: Any) -> dict[str, Any] | None:
    """What the spider made of a response (capture facts and the extracted article), as plain data."""
    capture = getattr(item, "capture", None)
    if capture is None:
        return None
    fields: dict[str, Any] = {"software": "provenance", "site": getattr(item, "site", None),
                              "capture": {k: getattr(capture, k, None) for k in CAPTURE_FIELDS}}
    article = getattr(item, "article", None)
    if article is not None and is_dataclass(article) and not isinstance(article, type):
        fields["article"] = asdict(article)
    return fields


class WarcEvidenceMiddleware:
    """Writes every response before decompression and redirects; the final hop's place lands in meta["warc"].

    Unchanged payloads become revisit records (the previous response found through `prior`), failed fetches a
    request and a metadata record, and each item the spider yields a metadata record referring to its response.
    """

    def __init__(self, warc_dir: str | None, run_id: int, prior: PriorLookup | None = None,
                 timeout: float = 180.0) -> None:
        self.warc: WarcFile | None = None
        self.timeout = timeout
        if warc_dir:
            self.warc = WarcFile(Path(warc_dir).resolve() / f"provenance-run-{run_id}.warc.gz", prior=prior)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcEvidenceMiddleware:
        settings = crawler.settings
        prior: PriorLookup | None = None
        engine = None
        if settings.get("PROVENANCE_WARC_DIR") and settings.get("PROVENANCE_DB"):
            from compliance.db import make_engine
            from compliance.evidence import PriorPayloads

            engine = make_engine(settings.get("PROVENANCE_DB"))
            prior = PriorPayloads(engine, settings.getint("PROVENANCE_RUN_ID"))
        mw = cls(settings.get("PROVENANCE_WARC_DIR"), settings.getint("PROVENANCE_RUN_ID"), prior,
                 settings.getfloat("DOWNLOAD_TIMEOUT"))
        mw._engine = engine
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(mw.item_scraped, signal=signals.item_scraped)
        return mw

    _engine: Any = None

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
        written = self.warc.write(
            response.url,
            request.method,
            _pairs(request.headers),
            response.status,
            reason,
            _pairs(response.headers),
            response.body,
            fetched_at,
            protocol=response.protocol if response.protocol and response.protocol.startswith("HTTP/") else "HTTP/1.1",
            request_body=request.body,
        )
        request.meta["warc"] = {"file": str(self.warc.path), "offset": written.offset,
                                "record_id": written.record_id, "type": written.rec_type}
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A fetch that ended without a response is evidence too: what was asked and what went wrong."""
        if self.warc is None:
            return
        from crawler.spiders.sites import describe_failure

        when = datetime.now(timezone.utc)
        failure = Failure(exception)  # type: ignore[no-untyped-call]
        fields = {"software": "provenance", "error": describe_failure(failure, self.timeout),
                  "exception": f"{type(exception).__name__}: {' '.join(str(exception).split())[:500]}"}
        try:
            written = self.warc.write_failure(request.url, request.method, _pairs(request.headers),
                                              not _not_sent(exception), fields, when, request_body=request.body)
        except Exception as exc:  # noqa: BLE001 - keeping evidence never changes how the crawl handles a failure
            logger.warning("could not record the failed fetch of %s: %s", request.url, exc)
            return
        request.meta["warc"] = {"file": str(self.warc.path), "offset": written.offset,
                                "record_id": written.record_id, "type": written.rec_type}

    def item_scraped(self, item: Any, response: Response | Failure | None) -> None:
        """The spider's view of each capture (extraction result, or why it failed), beside the record it came from."""
        if self.warc is None:
            return
        request = response if isinstance(response, Response) else getattr(response, "request", None)
        fields = extraction_fields(item)
        if request is None or fields is None:
            return
        warc = request.meta.get("warc") or {}
        self.warc.write_metadata(request.url, warc.get("record_id"), fields, datetime.now(timezone.utc))

    def spider_closed(self) -> None:
        if self.warc is not None:
            self.warc.close()
        if self._engine is not None:
            self._engine.dispose()
