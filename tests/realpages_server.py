"""Test server for real pages: the AEB benchmark's news pages served from the shared data folder.

Run from the repository root:

    python -m tests.realpages_server SHARED_DIR [--forever]

It prints one JSON line `{"site": "http://127.0.0.1:P"}`, then serves until stdin closes (or, with
--forever, until killed). The pages are publishers' copyright: they are read from SHARED_DIR at run time
and never copied anywhere.

    /p/<id>.html     the page from SHARED_DIR/data/aeb/html/<id>.html.gz; every other page (by sorted id)
                     is sent still gzipped with `Content-Encoding: gzip`, the rest decompressed
    / /index.html    links to every page
    /robots.txt      allows everything
    anything else    404 (the pages' relative links and images)

Requests for other hosts (absolute-URL GETs through this server used as an HTTP proxy, CONNECT tunnels)
are refused with 404/403, so a crawl pointed at it with `http_proxy`/`https_proxy` never leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from tests.mockserver import LocalTestServer

NOT_FOUND = b"<html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>"
ROBOTS = b"User-agent: *\nAllow: /\n"


def page_ids(shared: Path) -> list[str]:
    """The page ids found in SHARED/data/aeb/html, sorted."""
    folder = shared / "data" / "aeb" / "html"
    return sorted(p.name[: -len(".html.gz")] for p in folder.glob("*.html.gz"))


def is_gzip_served(index: int) -> bool:
    """Which pages go out with Content-Encoding: gzip (by position in the sorted id list)."""
    return index % 2 == 1


class RealPagesServer(LocalTestServer):
    """Serves the pages of one shared folder on 127.0.0.1 (port chosen by the system)."""

    def __init__(self, shared: Path) -> None:
        self.folder = shared / "data" / "aeb" / "html"
        self.ids = page_ids(shared)
        self.gzipped = {pid for i, pid in enumerate(self.ids) if is_gzip_served(i)}
        links = "\n".join(f'<li><a href="/p/{pid}.html">page {i + 1}</a></li>' for i, pid in enumerate(self.ids))
        self.index = (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Real pages</title></head>\n"
            f"<body><h1>Real pages</h1><ul>\n{links}\n</ul></body></html>\n"
        ).encode()
        super().__init__(("127.0.0.1", 0), RealPagesHandler)


class RealPagesHandler(BaseHTTPRequestHandler):
    """GET/HEAD of the pages, the index and robots.txt; 404 for the rest, 403 for CONNECT."""

    server_version = "provenance-realpages/1.0"
    protocol_version = "HTTP/1.1"
    server: RealPagesServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """No per-request stderr lines."""

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(send_body=False)

    def do_CONNECT(self) -> None:  # noqa: N802
        self.close_connection = True
        self._reply(403, b"", "text/plain", False)

    def _dispatch(self, send_body: bool) -> None:
        self.close_connection = True
        if not self.path.startswith("/"):  # a proxy request for another host: never forwarded
            self._reply(404, NOT_FOUND, "text/html; charset=utf-8", send_body)
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._reply(200, self.server.index, "text/html; charset=utf-8", send_body)
        elif path == "/robots.txt":
            self._reply(200, ROBOTS, "text/plain", send_body)
        elif path.startswith("/p/") and path.endswith(".html") and path[3:-5] in self.server.ids:
            pid = path[3:-5]
            raw = (self.server.folder / f"{pid}.html.gz").read_bytes()
            if pid in self.server.gzipped:
                self._reply(200, raw, "text/html; charset=utf-8", send_body, {"Content-Encoding": "gzip"})
            else:
                self._reply(200, gzip.decompress(raw), "text/html; charset=utf-8", send_body)
        else:
            self._reply(404, NOT_FOUND, "text/html; charset=utf-8", send_body)

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


def main(argv: list[str] | None = None) -> int:
    """Serve SHARED_DIR's pages, print the base URL as one JSON line, stop when stdin closes or on SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("shared_dir", type=Path, help="the shared data folder (holds data/aeb/html/)")
    parser.add_argument("--forever", action="store_true", help="ignore stdin; run until killed")
    args = parser.parse_args(argv)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    server = RealPagesServer(args.shared_dir)
    if not server.ids:
        print(f"no pages under {server.folder}", file=sys.stderr)
        return 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        sys.stdout.write(json.dumps({"site": server.url}) + "\n")
        sys.stdout.flush()
        if args.forever:
            thread.join()
        else:
            sys.stdin.read()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
