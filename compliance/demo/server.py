"""Local HTTP servers for the bundled demo sites.

`provenance demo` and the tests crawl three fictional outlets (two publishers and an
aggregator) without touching the network: each site is served from the package's
`demo/sites/<dirname>` folder by its own stdlib HTTP server on an ephemeral port.
Pages refer to each other through site-link tokens (`{{site:KEY}}`, `{{self}}`) that are
expanded at serving time, because the ports are only known once the servers run.
"""

from __future__ import annotations

import email.utils
import mimetypes
import posixpath
import re
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

__all__ = ["DEMO_SITES", "DemoSite", "SiteServers", "expand_site_links", "sites_dir"]


@dataclass(frozen=True)
class DemoSite:
    """One bundled demo outlet: how it is registered and where its files live."""

    key: str
    name: str
    role: str
    aliases: tuple[str, ...]
    dirname: str
    operated: bool = False  # the demo's operator runs the aggregator: notices about it are about its own pages


DEMO_SITES: tuple[DemoSite, ...] = (
    DemoSite(
        key="northgate",
        name="Northgate Herald",
        role="publisher",
        aliases=("The Northgate Herald", "Northgate"),
        dirname="northgate",
    ),
    DemoSite(
        key="harbour",
        name="Harbour Times",
        role="publisher",
        aliases=("The Harbour Times",),
        dirname="harbour",
    ),
    DemoSite(
        key="digest",
        name="DailyDigest",
        role="aggregator",
        aliases=("Daily Digest",),
        dirname="digest",
        operated=True,
    ),
)

# Only these are rewritten; images and other binaries are served byte for byte.
TEXT_SUFFIXES: frozenset[str] = frozenset({".html", ".htm", ".xml", ".txt"})

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
}

_SITE_LINK = re.compile(r"\{\{\s*(self|site:([a-z0-9_-]+))\s*\}\}")

_NOT_FOUND_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>404 Not Found</title></head>\n<body><h1>Not Found</h1>"
    "<p>The requested page does not exist on this demo site.</p></body></html>\n"
)


def sites_dir() -> Path:
    """The folder holding the bundled demo sites (shipped as package data)."""
    return Path(__file__).resolve().parent / "sites"


def expand_site_links(text: str, urls: dict[str, str], self_key: str) -> str:
    """Replace `{{self}}` and `{{site:KEY}}` with base URLs (no trailing slash).

    Unknown keys are left as written, so a broken sample shows up in tests rather
    than silently pointing at the wrong site.
    """

    def repl(match: re.Match[str]) -> str:
        key = self_key if match.group(1) == "self" else match.group(2)
        return urls.get(key, match.group(0))

    return _SITE_LINK.sub(repl, text)


def content_type_for(path: Path) -> str:
    """The Content-Type header for a served file, from its suffix."""
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """Map a request path to a file under `root`, or None if missing or unsafe.

    Percent-decoding happens before the checks, so `%2e%2e` and `..%2f` are refused
    like a literal `..`; the resolved file must also stay inside `root` (symlinks).
    """
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    rel = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    root = root.resolve()
    target = (root / rel) if rel not in ("", ".") else root
    if path.endswith("/") or target == root:
        target = target / "index.html"
    try:
        resolved = target.resolve()
    except OSError:
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


class _SiteHTTPServer(ThreadingHTTPServer):
    """A threading server that knows which demo site it serves and the other sites' URLs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: DemoSite, root: Path, urls: dict[str, str], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _SiteHandler)
        self.site = site
        self.root = root
        # Shared dict, filled in once every server has its port.
        self.urls = urls

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that hang up mid-response (crawlers time out); report anything else."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _SiteHandler(BaseHTTPRequestHandler):
    """Serves static files from one site folder, expanding site-link tokens in text files."""

    server_version = "provenance-demo/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        """Serve the file with its body."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        """Serve the headers only."""
        self._serve(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: demo and test runs must not fill stderr with access lines."""

    def _serve(self, send_body: bool) -> None:
        server = self.server
        assert isinstance(server, _SiteHTTPServer)
        raw = urlsplit(self.path).path
        decoded = unquote(raw)
        if ".." in decoded.split("/") or "\x00" in decoded or "\\" in decoded:
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request\n", "text/plain; charset=utf-8", send_body)
            return
        target = resolve_request_path(server.root, raw)
        if target is None and not raw.endswith("/"):
            # A folder asked for without its slash: redirect like a static web server.
            folder = resolve_request_path(server.root, raw + "/")
            if folder is not None:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", raw + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if target is None:
            body = _NOT_FOUND_PAGE.encode("utf-8")
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", send_body)
            return
        data = target.read_bytes()
        if target.suffix.lower() in TEXT_SUFFIXES:
            text = data.decode("utf-8")
            data = expand_site_links(text, server.urls, server.site.key).encode("utf-8")
        mtime = target.stat().st_mtime
        self._send(
            HTTPStatus.OK,
            data,
            content_type_for(target),
            send_body,
            last_modified=email.utils.formatdate(mtime, usegmt=True),
        )

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        send_body: bool,
        last_modified: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if last_modified is not None:
            self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class SiteServers:
    """Runs one HTTP server per demo site on 127.0.0.1, each on an ephemeral port.

    Use as a context manager; `urls` maps each site key to its base URL
    (`http://127.0.0.1:PORT`, no trailing slash).
    """

    def __init__(
        self,
        sites: Iterable[DemoSite] = DEMO_SITES,
        root: Path | None = None,
        ports: Mapping[str, int] | None = None,
    ) -> None:
        self.sites: tuple[DemoSite, ...] = tuple(sites)
        # Ports a previous run used: reusing them keeps the sites' URLs (and so their stored records) stable.
        self.preferred_ports: dict[str, int] = dict(ports or {})
        self.root: Path = (root if root is not None else sites_dir()).resolve()
        self.urls: dict[str, str] = {}
        self._servers: list[_SiteHTTPServer] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> SiteServers:
        """Bind every site's server, then start serving (idempotent)."""
        if self._servers:
            return self
        try:
            for site in self.sites:
                folder = self.root / site.dirname
                if not folder.is_dir():
                    raise FileNotFoundError(f"demo site folder missing: {folder}")
                server = self._bind(site, folder)
                self._servers.append(server)
                host, port = server.server_address[:2]
                self.urls[site.key] = f"http://{host!s}:{port}"
        except BaseException:
            self.stop()
            raise
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"demo-site-{server.site.key}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _bind(self, site: DemoSite, folder: Path) -> _SiteHTTPServer:
        """The preferred port when it is free, else an ephemeral one."""
        preferred = self.preferred_ports.get(site.key, 0)
        if preferred:
            try:
                return _SiteHTTPServer(site, folder, self.urls, preferred)
            except OSError:
                pass
        return _SiteHTTPServer(site, folder, self.urls)

    def stop(self) -> None:
        """Shut every server down and release its port."""
        for server, thread in zip(self._servers, self._threads):
            server.shutdown()
            thread.join(timeout=5)
        for server in self._servers:
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> SiteServers:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
