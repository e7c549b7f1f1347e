"""Test mock server: the three demo sites plus a "faults" site with misbehaving endpoints.

Run from the repository root:

    python -m tests.mockserver [--forever]

It prints one JSON line mapping site keys to base URLs, e.g.
`{"northgate": "http://127.0.0.1:P1", "harbour": ..., "digest": ..., "faults": ...}`,
then serves until stdin closes (or, with --forever, until killed). SIGTERM stops it cleanly.

Fault endpoints (every sleep is bounded):
    /status?n=404            any status code
    /delay?s=2               sleep s seconds (max 30) then a small page
    /drop                    close the connection without a response
    /partial                 Content-Length larger than the body, then close
    /redirect?to=URL         302 to URL
    /redirect-chain?n=3      n hops (max 50), the last one to /page
    /redirect-loop           /redirect-loop -> /redirect-loop-b -> /redirect-loop ...
    /gzip-bomb               Content-Encoding: gzip, ~10 MB inflated from ~10 KB
    /hang-after-headers      headers, then silence for 30 s, then close
    /binary.pdf              a small PDF (application/pdf)
    /malformed               text/html that is broken: unclosed tags, NUL bytes, invalid UTF-8
    /long-article            an article page with ~200 KB of varied sentences
    /empty                   200 with an empty body
    /page                    a small valid article page
    / and /index.html        links to the above
    /retry-after?s=3600&n=503  status n (503 or 429) with Retry-After: s
    /chunked-broken          Transfer-Encoding: chunked, one good chunk, then a chunk size that is not hex
    /bad-header              a response whose header block has a line without a colon
    /meta-refresh-loop       <meta http-equiv="refresh"> to /meta-refresh-loop-b and back
    /meta-refresh?to=URL     a page whose <meta http-equiv="refresh"> sends to URL
    /gzip-bomb?mb=1024       as /gzip-bomb, inflating to mb MiB (max 4096) from ~1 KB per 1 MiB
    /brotli-bomb?mb=1024     Content-Encoding: br, mb MiB (max 4096) of spaces from a few KB
    /too-big-no-length?mb=9  mb MiB (max 64) of HTML streamed without Content-Length, then close
    /wrong-charset           says charset=utf-8, sends windows-1252 bytes
    /image-bomb.png          a 109-byte PNG declaring 30000x30000 pixels (?side=N; &mode=rgba&full=1: RGBA with
                             every row, side <= 10000: ~350 KB that decode to 4 bytes a pixel)
    /html-as.png             an HTML page at an image URL (Content-Type: text/html, or ?type=)
    /bad-exif.jpg?name=F     a fuzz JPEG with malformed EXIF from the shared data folder (images/corrupt/F)
    /embed?a=URL&img=URL     an article page linking to each a= and showing each img= (repeatable)
    /hits                    JSON: how many requests each path+query received so far (?times=1: when, in
                             the server's monotonic seconds)
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import signal
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from compliance.demo.server import SiteServers

MAX_DELAY_S = 30.0
HANG_S = 30.0
MAX_CHAIN = 50
BOMB_INFLATED_BYTES = 10 * 1024 * 1024
LONG_ARTICLE_BYTES = 200_000
MAX_BOMB_MB = 4096
MAX_STREAM_MB = 64
CORRUPT_IMAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "images" / "corrupt"

# Requests per path+query and when they came (monotonic seconds), for tests that count retries (`/hits`).
HITS: Counter[str] = Counter()
HIT_TIMES: dict[str, list[float]] = {}
HITS_LOCK = threading.Lock()

# Set on shutdown so that sleeping handlers return at once.
STOPPING = threading.Event()

PAGE_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>A Small Valid Page</title>
<meta property="og:site_name" content="Faults Test Site">
<meta property="og:title" content="A Small Valid Page"></head>
<body><article><h1>A Small Valid Page</h1>
<p class="byline">By Test Writer</p>
<p>This page is the end of every redirect chain on the faults site. It is a short but
well-formed article, so a crawler that follows redirects correctly ends up with one
document whose title is "A Small Valid Page".</p>
<p>The second paragraph exists so that text extraction has more than one block to work
with, and so that the page is not mistaken for an empty or boilerplate-only response.</p>
</article></body></html>
"""

INDEX_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Faults</title></head>
<body><h1>Fault endpoints</h1><ul>
<li><a href="/page">page</a></li>
<li><a href="/long-article">long article</a></li>
<li><a href="/malformed">malformed</a></li>
<li><a href="/empty">empty</a></li>
<li><a href="/binary.pdf">binary pdf</a></li>
<li><a href="/status?n=404">404</a></li>
<li><a href="/status?n=500">500</a></li>
<li><a href="/redirect-chain?n=3">redirect chain</a></li>
<li><a href="/redirect-loop">redirect loop</a></li>
<li><a href="/delay?s=1">delay</a></li>
<li><a href="/partial">partial</a></li>
<li><a href="/drop">drop</a></li>
</ul></body></html>
"""

MALFORMED = (
    b"<html><head><title>Broken \xff\xfe page</title>\n<body><div><p>Unclosed paragraph"
    b"<div><span>\x00\x00 NUL bytes here \x00<table><tr><td>cell<td>"
    b"\xc3\x28 invalid UTF-8 \xe2\x82 truncated sequence <b><i>misnested</b></i>"
    b"<script>var x = '<p>not text</p>'</scr ipt>\n<p attr=\"unterminated>tail"
)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """About 10 MB of spaces inside an HTML comment, gzip-compressed to a few KB."""
    inflated = b"<html><body><!--" + b" " * (BOMB_INFLATED_BYTES - 32) + b"--></body></html>"
    return gzip.compress(inflated, compresslevel=9, mtime=0)


_BOMB_MEMBER_MB = 64


@lru_cache(maxsize=1)
def _gzip_member() -> bytes:
    """One gzip member inflating to 64 MiB of spaces (~64 KB): bombs are runs of these members (RFC 1952 2.2)."""
    return gzip.compress(b" " * (_BOMB_MEMBER_MB << 20), compresslevel=9, mtime=0)


def big_gzip_bomb(mb: int) -> bytes:
    """An HTML page of about `mb` MiB once inflated, as concatenated gzip members (gzip readers read them all)."""
    head = gzip.compress(b"<html><body><!--", mtime=0)
    tail = gzip.compress(b"--></body></html>", mtime=0)
    return head + _gzip_member() * max(1, mb // _BOMB_MEMBER_MB) + tail


@lru_cache(maxsize=4)
def brotli_bomb(mb: int) -> bytes:
    """An HTML page of `mb` MiB of spaces, brotli-compressed (RFC 7932) to a few KB."""
    import brotli

    compressor = brotli.Compressor(quality=5)
    out = [compressor.process(b"<html><body><!--")]
    chunk = b" " * (1 << 20)
    out.extend(compressor.process(chunk) for _ in range(mb))
    out.append(compressor.process(b"--></body></html>"))
    out.append(compressor.finish())
    return b"".join(out)


@lru_cache(maxsize=8)
def png_declaring(side: int, rgba: bool = False, full: bool = False) -> bytes:
    """A small PNG whose header declares side x side pixels (a decompression bomb): greyscale with one row of
    data, or with `full` every row (zeros compress ~1000:1), RGBA with `rgba` (4 bytes a pixel once decoded)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 6 if rgba else 0, 0, 0, 0)
    row = b"\x00" * (side * (4 if rgba else 1) + 1)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side if full else 1)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


WRONG_CHARSET_HTML = (
    "<!DOCTYPE html><html lang=\"fr\"><head><title>Caf\u00e9 na\u00efve \u2013 r\u00e9sum\u00e9</title></head>"
    "<body><article><h1>Caf\u00e9 na\u00efve \u2013 r\u00e9sum\u00e9</h1>"
    "<p>Le caf\u00e9 du port a rouvert ses portes apr\u00e8s des travaux qui ont dur\u00e9 tout l\u2019hiver. "
    "Les habitu\u00e9s disent que la fa\u00e7ade est plus belle qu\u2019avant et que le g\u00e2teau est "
    "toujours le m\u00eame.</p><p>Le propri\u00e9taire a pr\u00e9cis\u00e9 que les prix n\u2019ont pas "
    "chang\u00e9 et que la terrasse ouvrira d\u00e8s les premiers beaux jours, \u00e0 la grande joie du "
    "quartier.</p></article></body></html>"
).encode("cp1252")


def embed_page(links: list[str], images: list[str]) -> bytes:
    """A small article page with a link to each of `links` and an <img> for each of `images`."""
    items = "".join(f'<li><a href="{html.escape(u)}">{html.escape(u)}</a></li>' for u in links)
    figures = "".join(f'<figure><img src="{html.escape(u)}" alt="figure {i}"><figcaption>Figure {i}'
                      "</figcaption></figure>" for i, u in enumerate(images, 1))
    body = PAGE_HTML.replace("</article>", f"{figures}<ul>{items}</ul></article>")
    return body.encode()


def meta_refresh_page(to: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url={html.escape(to)}">'
            "<title>Moved</title></head><body><p>Moved.</p></body></html>").encode()


_SUBJECTS = ("The harbour council", "A local engineer", "The city library", "Weather forecasters",
             "The river authority", "A group of volunteers", "The school board", "Shop owners",
             "The ferry operator", "Researchers at the college", "The regional museum", "Residents")
_VERBS = ("announced", "questioned", "welcomed", "postponed", "reviewed", "defended", "criticised",
          "approved", "described", "explained", "reconsidered", "published")
_OBJECTS = ("a plan to rebuild the old pier", "new opening hours", "the cost of the bridge repairs",
            "a survey of nesting birds", "changes to the bus timetable", "the budget for street lighting",
            "a proposal for a night market", "the results of a water quality study",
            "an exhibition of maritime maps", "plans for a cycling lane", "a winter shelter scheme",
            "the restoration of the clock tower")
_TAILS = ("on Tuesday", "after a long meeting", "despite objections", "in a short statement",
          "for the second time this year", "to the surprise of many", "before the summer",
          "with cautious optimism", "at a public hearing", "in a letter to residents")


@lru_cache(maxsize=1)
def long_article() -> bytes:
    """An article page with about 200 KB of varied, deterministic sentences."""
    rng = random.Random(20260304)
    paragraphs: list[str] = []
    size = 0
    number = 0
    while size < LONG_ARTICLE_BYTES:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            number += 1
            sentences.append(
                f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                f"{rng.choice(_TAILS)}, according to note {number}."
            )
        paragraph = "<p>" + " ".join(sentences) + "</p>"
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    body = "\n".join(paragraphs)
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>A Very Long Article</title>"
        "<meta property=\"og:title\" content=\"A Very Long Article\"></head>\n"
        "<body><article><h1>A Very Long Article</h1>\n<p class=\"byline\">By Test Writer</p>\n"
        f"{body}\n</article></body></html>\n"
    )
    return page.encode("utf-8")


class FaultHandler(BaseHTTPRequestHandler):
    """Dispatches each fault endpoint; quiet, HTTP/1.1, one request per connection."""

    server_version = "provenance-faults/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """No per-request stderr lines."""

    def do_HEAD(self) -> None:  # noqa: N802
        """HEAD behaves like GET without a body."""
        self._dispatch(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        """Route to the endpoint."""
        self._dispatch(send_body=True)

    def _dispatch(self, send_body: bool) -> None:
        self.close_connection = True
        url = urlsplit(self.path)
        lists = parse_qs(url.query)
        query = {k: v[-1] for k, v in lists.items()}
        path = url.path
        with HITS_LOCK:
            HITS[self.path] += 1
            HIT_TIMES.setdefault(self.path, []).append(time.monotonic())
        if self._more(path, query, lists, send_body):
            return
        if path in ("/", "/index.html"):
            self._reply(200, INDEX_HTML.encode(), "text/html; charset=utf-8", send_body)
        elif path == "/page":
            self._reply(200, PAGE_HTML.encode(), "text/html; charset=utf-8", send_body)
        elif path == "/status":
            self._status(_int(query.get("n"), 500), send_body)
        elif path == "/delay":
            seconds = min(max(_float(query.get("s"), 1.0), 0.0), MAX_DELAY_S)
            STOPPING.wait(seconds)
            self._reply(200, PAGE_HTML.encode(), "text/html; charset=utf-8", send_body)
        elif path == "/drop":
            self._drop()
        elif path == "/partial":
            self._partial(send_body)
        elif path == "/redirect":
            self._redirect(query.get("to", "/page"))
        elif path == "/redirect-chain":
            n = min(_int(query.get("n"), 3), MAX_CHAIN)
            self._redirect("/page" if n <= 1 else f"/redirect-chain?n={n - 1}")
        elif path == "/redirect-loop":
            self._redirect("/redirect-loop-b")
        elif path == "/redirect-loop-b":
            self._redirect("/redirect-loop")
        elif path == "/gzip-bomb":
            mb = min(_int(query.get("mb"), 0), MAX_BOMB_MB)
            self._reply(200, big_gzip_bomb(mb) if mb else gzip_bomb(), "text/html; charset=utf-8", send_body,
                        extra={"Content-Encoding": "gzip"})
        elif path == "/hang-after-headers":
            self._hang()
        elif path == "/binary.pdf":
            self._reply(200, PDF_BYTES, "application/pdf", send_body)
        elif path == "/malformed":
            self._reply(200, MALFORMED, "text/html", send_body)
        elif path == "/long-article":
            self._reply(200, long_article(), "text/html; charset=utf-8", send_body)
        elif path == "/empty":
            self._reply(200, b"", "text/html; charset=utf-8", send_body)
        else:
            self._reply(404, b"<html><body><h1>Not Found</h1></body></html>",
                        "text/html; charset=utf-8", send_body)

    def _more(self, path: str, query: dict[str, str], lists: dict[str, list[str]], send_body: bool) -> bool:
        """The endpoints added for the crawl fault matrix; False when `path` is not one of them."""
        page = "text/html; charset=utf-8"
        if path == "/retry-after":
            code = _int(query.get("n"), 503)
            seconds = query.get("s", "3600")
            body = f"<html><body><h1>{code}</h1><p>Come back later.</p></body></html>".encode()
            self._reply(code if code in (429, 503) else 503, body, page, send_body, extra={"Retry-After": seconds})
        elif path == "/chunked-broken":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
                      b"Connection: close\r\n\r\n10\r\n<html><body><p>A\r\nzz-not-a-chunk-size\r\nmore\r\n", send_body)
        elif path == "/bad-header":
            body = PAGE_HTML.encode()
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      b"This header line has no colon\r\n"
                      b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body, send_body)
        elif path in ("/meta-refresh-loop", "/meta-refresh-loop-b"):
            other = "/meta-refresh-loop-b" if path == "/meta-refresh-loop" else "/meta-refresh-loop"
            self._reply(200, meta_refresh_page(other), page, send_body)
        elif path == "/meta-refresh":
            self._reply(200, meta_refresh_page(query.get("to", "/page")), page, send_body)
        elif path == "/brotli-bomb":
            mb = min(max(_int(query.get("mb"), 1024), 1), MAX_BOMB_MB)
            self._reply(200, brotli_bomb(mb), page, send_body, extra={"Content-Encoding": "br"})
        elif path == "/too-big-no-length":
            self._stream(min(max(_int(query.get("mb"), 9), 1), MAX_STREAM_MB), send_body)
        elif path == "/wrong-charset":
            self._reply(200, WRONG_CHARSET_HTML, page, send_body)
        elif path == "/image-bomb.png":
            side = min(max(_int(query.get("side"), 30000), 1), 65535)
            full = query.get("full") == "1" and side <= 10_000  # every row present: bounded server work
            self._reply(200, png_declaring(side, query.get("mode") == "rgba", full), "image/png", send_body)
        elif path == "/html-as.png":
            self._reply(200, PAGE_HTML.encode(), query.get("type", page), send_body)
        elif path == "/bad-exif.jpg":
            name = Path(query.get("name", "infinite_loop_exif.jpg")).name
            found = CORRUPT_IMAGES / name
            if found.is_file():
                self._reply(200, found.read_bytes(), "image/jpeg", send_body)
            else:
                self._reply(404, b"no such fixture", "text/plain", send_body)
        elif path == "/embed":
            self._reply(200, embed_page(lists.get("a", []), lists.get("img", [])), page, send_body)
        elif path == "/hits":
            with HITS_LOCK:
                counts: dict[str, object] = dict(HIT_TIMES) if query.get("times") == "1" else dict(HITS)
            self._reply(200, json.dumps(counts).encode(), "application/json", send_body)
        else:
            return False
        return True

    def _raw(self, data: bytes, send_body: bool) -> None:
        """Bytes straight onto the socket (responses http.server would refuse to write), then close."""
        self.wfile.write(data if send_body else data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")
        self._close_now()

    def _stream(self, mb: int, send_body: bool) -> None:
        """`mb` MiB of HTML with no Content-Length: only the closing connection ends the body."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(b"<html><body><!--")
            chunk = b" " * (1 << 20)
            for _ in range(mb):
                if STOPPING.is_set():
                    break
                self.wfile.write(chunk)
            self.wfile.write(b"--></body></html>")
        self._close_now()

    def _reply(self, status: int, body: bytes, content_type: str, send_body: bool,
               extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _status(self, code: int, send_body: bool) -> None:
        if not 100 <= code <= 599:
            code = 500
        if code < 200 or code in (204, 304):
            self.send_response(code)
            self.send_header("Connection", "close")
            self.end_headers()
            return
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Status"
        body = f"<html><body><h1>{code} {phrase}</h1></body></html>".encode()
        self._reply(code, body, "text/html; charset=utf-8", send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def _drop(self) -> None:
        # Nothing is written: the client sees the connection close with no status line.
        self._close_now()

    def _close_now(self) -> None:
        # shutdown() ends the TCP stream at once, even while file objects still refer to it.
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _partial(self, send_body: bool) -> None:
        body = PAGE_HTML.encode()[:120]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) * 10))
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(body)
        self._close_now()

    def _hang(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        STOPPING.wait(HANG_S)
        self._close_now()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


class LocalTestServer(ThreadingHTTPServer):
    """A test server on 127.0.0.1: daemon threads (a hanging handler never blocks exit), quiet about hang-ups."""

    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-response is what fault tests do: stay quiet, report anything else."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        """Base URL, no trailing slash."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class FaultServer(LocalTestServer):
    """The faults site."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)


def main(argv: list[str] | None = None) -> int:
    """Start the sites, print their URLs as one JSON line, serve until stdin closes or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--forever", action="store_true", help="ignore stdin; run until killed")
    args = parser.parse_args(argv)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    faults = FaultServer()
    fault_thread = threading.Thread(target=faults.serve_forever, kwargs={"poll_interval": 0.1},
                                    name="faults", daemon=True)
    with SiteServers() as sites:
        fault_thread.start()
        try:
            urls = dict(sites.urls)
            urls["faults"] = faults.url
            sys.stdout.write(json.dumps(urls) + "\n")
            sys.stdout.flush()
            if args.forever:
                while not STOPPING.wait(1.0):
                    pass
            else:
                sys.stdin.read()
        except KeyboardInterrupt:
            pass
        finally:
            STOPPING.set()
            faults.shutdown()
            faults.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
