"""The crawl fault matrix: every misbehaving server ends in one capture row with one clear reason, memory bounded.

Each crawl is the real `provenance crawl` in a fresh interpreter, with one Scrapy knob lowered: DOWNLOAD_TIMEOUT
(3 s instead of 20 s, so the timeout faults take seconds). The wrapper records the crawl process's peak RSS
(VmHWM of itself, `ru_maxrss` of its waited-for children, the extraction workers) for the bomb cases. Most faults
are links and images of one start page on the mock server's "faults" site, crawled once; the start page itself
is fine, so the crawl exits 0 and each faulty URL is asserted on its own capture row. A fault given `xfail` is a
behaviour the product lacks: its reason says what happens now (none today).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from compliance.urls import normalise
from tests.cli_helpers import REPO
from tests.crawler.test_robots import RobotsSite
from tests.mockserver import CORRUPT_IMAGES, PAGE_HTML, LocalTestServer, big_gzip_bomb

TIMEOUT_S = 3
RSS_BOUND_MB = 400  # a crawl of one small site is ~150-200 MB; a bomb that is read into memory is 1 GB or more
WRAPPER = """
import atexit, json, resource, sys
import crawler.settings
crawler.settings.DOWNLOAD_TIMEOUT = float(sys.argv[1])
out = sys.argv[2]
def peak():
    # VmHWM, not RUSAGE_SELF: Linux carries the forking process's peak across exec into ru_maxrss, so a crawl
    # started by a large pytest process would report pytest's memory as its own.
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(out, "w") as fh:
        json.dump([hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss], fh)
atexit.register(peak)
sys.argv = ["provenance", *sys.argv[3:]]
from compliance.cli import main
main()
"""
REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>|Traceback|\w+(Error|Exception): ?\)|\[<twisted|Failure instance")



@dataclass
class Crawl:
    """A finished `provenance crawl`: its process, database and peak RSS."""

    proc: subprocess.CompletedProcess[str]
    db: Path
    peak_mb: float

    def captures(self, url: str) -> list[dict[str, Any]]:
        """The capture rows whose requested URL is `url` (in the stored spelling)."""
        return [r for r in self.rows("select * from capture") if normalise(r["requested_url"]) == normalise(url)]

    def image(self, url: str) -> dict[str, Any]:
        [row] = [r for r in self.rows("select * from image") if normalise(r["url"]) == normalise(url)]
        return row

    def rows(self, sql: str) -> list[dict[str, Any]]:
        con = sqlite3.connect(self.db)
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute(sql)]
        finally:
            con.close()


def crawl(tmp_path: Path, *urls: str, extra: tuple[str, ...] = ()) -> Crawl:
    """`provenance crawl URLS --role aggregator` with DOWNLOAD_TIMEOUT = TIMEOUT_S; its database and peak RSS."""
    folder = tmp_path / uuid.uuid4().hex[:8]
    folder.mkdir()
    db, peak = folder / "p.db", folder / "rss.json"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("PROVENANCE_DB", None)
    args = ["crawl", *urls, "--role", "aggregator", "--name", "Faults", "--db", str(db),
            "--warc-dir", str(folder / "warc"), *extra]
    proc = subprocess.run([sys.executable, "-c", WRAPPER, str(TIMEOUT_S), str(peak), *args], check=False, cwd=folder,
                          env=env, capture_output=True, text=True, timeout=150)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    kb = max(json.loads(peak.read_text())) if peak.is_file() else 0
    return Crawl(proc, db, kb / 1024)


def embed(base: str, links: Sequence[str] = (), images: Sequence[str] = ()) -> str:
    """The faults site's page that links to `links` and shows `images`."""
    return f"{base}/embed?" + urlencode([("a", u) for u in links] + [("img", u) for u in images])


def assert_clean_exit(c: Crawl) -> None:
    """Exit 0 and no `error:` line: the start page was fine, whatever its links did."""
    assert c.proc.returncode == 0, (c.proc.returncode, c.proc.stderr)
    assert not [ln for ln in c.proc.stderr.splitlines() if ln.startswith("error:")], c.proc.stderr


def assert_human(reason: str | None) -> str:
    """A reason a person can act on: a sentence, no Python repr, no empty exception text."""
    assert reason and len(reason.strip()) > 10, reason
    assert not REPR.search(reason), reason
    return reason


@dataclass(frozen=True)
class Fault:
    """A faulty URL on the faults site and what its capture row must say (None: stored as a success)."""

    name: str
    path: str
    reason: str | None
    image: bool = False
    xfail: str | None = None
    stored: dict[str, Any] = field(default_factory=dict)


def tag(path: str) -> str:
    """The path with a run-unique query parameter, so request counts on the shared server are this run's."""
    return f"{path}{'&' if '?' in path else '?'}t={RUN}"


RUN = uuid.uuid4().hex[:8]
PAGE_FAULTS = [
    Fault("500", "/status?n=500", r"^answered HTTP 500$"),
    Fault("503 with Retry-After", tag("/retry-after?s=3600&n=503"),
          r"^answered HTTP 503 and asked to retry after 3,600 s \(Retry-After\), longer than the crawl waits"),
    Fault("429 with Retry-After", tag("/retry-after?s=3600&n=429"),
          r"^answered HTTP 429 and asked to retry after 3,600 s \(Retry-After\), longer than the crawl waits"),
    Fault("timeout before headers", "/delay?s=10", rf"^did not answer within {TIMEOUT_S} s \(timed out\)$"),
    Fault("hang after headers", "/hang-after-headers", r"timed out"),
    Fault("truncated body", "/partial", r"^closed the connection without a complete response"),
    Fault("dropped connection", "/drop", r"^closed the connection without a complete response"),
    Fault("broken chunked encoding", "/chunked-broken", r"^closed the connection without a complete response"),
    # Twisted skips a header line without a colon, as browsers do: the page is read and stored.
    Fault("header line without a colon", "/bad-header", None, stored={"title": "A Small Valid Page"}),
    Fault("redirect loop", "/redirect-loop", r"^too many redirects"),
    Fault("meta-refresh loop", "/meta-refresh-loop", r"^too many redirects"),
    Fault("gzip bomb", "/gzip-bomb?mb=1024", r"^response larger than the download size limit$"),
    Fault("brotli bomb", "/brotli-bomb?mb=1024", r"^response larger than the download size limit$"),
    Fault("body over the size limit without Content-Length", "/too-big-no-length",
          r"larger than the download size limit"),
    # Declared UTF-8, sent as windows-1252: extraction detects the real encoding.
    Fault("wrong charset", "/wrong-charset", None, stored={"title": "Café naïve – résumé"}),
]
IMAGE_FAULTS = [
    Fault("image bomb (Pillow refuses the header)", "/image-bomb.png",
          r"^image declares 900 MP, over the 50 MP limit: not decoded \(decompression-bomb guard\)\. Fix: ",
          image=True),
    Fault("image bomb (88 MP RGBA, under Pillow's limit)", "/image-bomb.png?side=9400&mode=rgba&full=1",
          r"^image is 9400x9400 \(88 MP\), over the 50 MP limit: not decoded", image=True),
    Fault("HTML page at an image address", "/html-as.png",
          r"^is not an image \(Content-Type: text/html; charset=utf-8; the \d+ bytes are an HTML page\)\. Fix: ",
          image=True),
    Fault("HTML page served as image/png", "/html-as.png?type=image/png",
          r"^is not an image \(served as image/png; the \d+ bytes are an HTML page\)\. Fix: ", image=True),
    Fault("malformed EXIF, truncated file", "/bad-exif.jpg?name=huge_tag_exif.jpg",
          r"^cannot decode image \(65,536 bytes\): Truncated File Read\. Fix: ", image=True),
    # A self-referencing IFD chain: the metadata reader stops, the pixels decode and are fingerprinted.
    Fault("malformed EXIF, IFD loop", "/bad-exif.jpg?name=infinite_loop_exif.jpg", None, image=True,
          stored={"width": 8, "height": 8}),
]


def param(fault: Fault, xfail: str | None) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(fault, id=fault.name, marks=marks)


@pytest.fixture(scope="module")
def matrix(mockserver: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Crawl]]:
    """One crawl of a page linking to every page fault and showing every image fault."""
    base = mockserver["faults"]
    start = embed(base, [f.path for f in PAGE_FAULTS], [f.path for f in IMAGE_FAULTS])
    result = crawl(tmp_path_factory.mktemp("matrix"), start)
    print(f"fault matrix crawl: peak RSS {result.peak_mb:.0f} MB")
    yield base, result


@pytest.mark.parametrize("fault", [param(f, f.xfail) for f in PAGE_FAULTS + IMAGE_FAULTS])
def test_each_fault_is_one_capture_row_with_one_clear_reason(matrix: tuple[str, Crawl], fault: Fault) -> None:
    base, result = matrix
    if "bad-exif" in fault.path and not CORRUPT_IMAGES.is_dir():
        pytest.skip("the shared image fixtures are not beside the repository")
    assert_clean_exit(result)
    [row] = result.captures(base + fault.path)
    assert row["kind"] == ("image" if fault.image else "page")
    if fault.reason is None:
        assert row["error"] is None and row["status"] == 200, row
        table, key = ("image", "url") if fault.image else ("document", "url")
        [stored] = [r for r in result.rows(f"select * from {table}")
                    if normalise(r[key]) == normalise(base + fault.path)]
        assert {k: stored[k] for k in fault.stored} == fault.stored
        return
    assert re.search(fault.reason, assert_human(row["error"])), row["error"]


@pytest.mark.parametrize("fault", [param(f, None) for f in IMAGE_FAULTS if f.reason])
def test_an_image_that_cannot_be_fingerprinted_says_why_on_the_image(matrix: tuple[str, Crawl], fault: Fault) -> None:
    """What the image row says today (the reasons the capture row should carry too)."""
    base, result = matrix
    if "bad-exif" in fault.path and not CORRUPT_IMAGES.is_dir():
        pytest.skip("the shared image fixtures are not beside the repository")
    image = result.image(base + fault.path)
    assert fault.reason and re.search(fault.reason, assert_human(image["error"])), image["error"]
    assert image["phash"] is None and " at 0x" not in (image["embedded"] or "")


def hits(base: str, times: bool = False) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/hits{'?times=1' if times else ''}", timeout=10) as response:
        found: dict[str, Any] = json.loads(response.read())
    return found


@pytest.mark.parametrize("status", [503, 429])
def test_a_retry_after_longer_than_the_crawl_waits_is_not_retried_and_is_said(
    matrix: tuple[str, Crawl], status: int
) -> None:
    base, result = matrix
    path = tag(f"/retry-after?s=3600&n={status}")
    [row] = result.captures(base + path)
    assert "not retried" in row["error"]
    assert hits(base).get(path) == 1  # asked once: the server said to come back in an hour


# Not strict: the early retry is random (about one run in two), so a strict mark would flake until it is fixed.
def test_a_short_retry_after_is_waited_for(mockserver: dict[str, str], tmp_path: Path) -> None:
    base = mockserver["faults"]
    path = tag("/retry-after?s=2&n=503&short=1")
    crawl(tmp_path, embed(base, [path]))
    times = hits(base, times=True)[path]
    assert len(times) == 2 and times[1] - times[0] >= 2.0, times


START_FAULTS = [
    pytest.param("/status?n=500", r"answered HTTP 500", id="500"),
    pytest.param("/partial", r"closed the connection without a complete response", id="truncated body"),
    pytest.param("/too-big-no-length", r"larger than the download size limit", id="too big without length"),
]


@pytest.mark.parametrize(("path", "reason"), START_FAULTS)
def test_a_failing_start_url_is_exit_1_with_one_error_line(
    mockserver: dict[str, str], tmp_path: Path, path: str, reason: str
) -> None:
    url = mockserver["faults"] + path
    result = crawl(tmp_path, url)
    assert result.proc.returncode == 1, result.proc.stderr
    lines = [ln for ln in result.proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == 1 and url in errors[0], lines
    [row] = result.captures(url)
    assert re.search(reason, assert_human(row["error"])), row["error"]
    assert row["error"] in errors[0]


def test_a_failing_start_url_line_says_what_to_do(mockserver: dict[str, str], tmp_path: Path) -> None:
    result = crawl(tmp_path, mockserver["faults"] + "/status?n=503")
    [line] = [ln for ln in result.proc.stderr.splitlines() if ln.startswith("error: ")]
    assert " Fix: " in line, line


# --- bombs: peak RSS of the crawl process ---------------------------------------------------------------------

BOMBS = [
    pytest.param("/gzip-bomb?mb=1024", False, RSS_BOUND_MB, id="gzip bomb 1 GiB"),
    pytest.param("/brotli-bomb?mb=1024", False, RSS_BOUND_MB, id="brotli bomb 1 GiB"),
    pytest.param("/too-big-no-length?mb=64", False, RSS_BOUND_MB, id="64 MiB without Content-Length"),
    pytest.param("/image-bomb.png", True, RSS_BOUND_MB, id="image bomb 30000x30000"),
    pytest.param("/image-bomb.png?side=9400&mode=rgba&full=1", True, RSS_BOUND_MB, id="image bomb 88 MP RGBA"),
    # The largest image the decoder accepts (49 MP, 4 bytes a pixel): bounded by MAX_PIXELS, not by 400 MB.
    pytest.param("/image-bomb.png?side=7000&mode=rgba&full=1", True, 700, id="largest image accepted 49 MP RGBA"),
]


@pytest.mark.parametrize(("path", "is_image", "bound_mb"), BOMBS)
def test_a_bomb_keeps_the_crawl_in_bounded_memory(
    mockserver: dict[str, str], tmp_path: Path, path: str, is_image: bool, bound_mb: int
) -> None:
    base = mockserver["faults"]
    result = crawl(tmp_path, embed(base, [] if is_image else [path], [path] if is_image else []))
    print(f"{path}: peak RSS {result.peak_mb:.0f} MB (bound {bound_mb} MB)")
    assert_clean_exit(result)
    assert len(result.captures(base + path)) == 1
    assert 0 < result.peak_mb < bound_mb


# --- robots.txt and sitemaps: their own hosts ------------------------------------------------------------------


@pytest.fixture
def robots_500() -> Iterator[RobotsSite]:
    site = RobotsSite("status-500")
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


def test_robots_txt_answering_500_refuses_the_site_with_one_line(robots_500: RobotsSite, tmp_path: Path) -> None:
    url = robots_500.url + "/page"
    result = crawl(tmp_path, url)
    assert result.proc.returncode == 1, result.proc.stderr
    errors = [ln for ln in result.proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "robots.txt answered HTTP 500" in errors[0], result.proc.stderr
    [row] = result.captures(url)
    assert row["status"] is None and assert_human(row["error"]).startswith("robots.txt answered HTTP 500")


class SitemapBombHandler(BaseHTTPRequestHandler):
    """robots.txt naming a gzip sitemap that inflates to 1 GiB; every other path a small article."""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        host = f"http://{self.headers.get('Host')}"
        if self.path == "/robots.txt":
            body, ctype = f"User-agent: *\nAllow: /\nSitemap: {host}/sitemap.xml.gz\n".encode(), "text/plain"
        elif self.path == "/sitemap.xml.gz":
            body, ctype = big_gzip_bomb(1024), "application/x-gzip"
        else:
            body, ctype = PAGE_HTML.encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def sitemap_bomb() -> Iterator[str]:
    server = LocalTestServer(("127.0.0.1", 0), SitemapBombHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def test_a_sitemap_bomb_is_one_row_and_bounded_memory(sitemap_bomb: str, tmp_path: Path) -> None:
    result = crawl(tmp_path, sitemap_bomb + "/page")
    print(f"sitemap bomb: peak RSS {result.peak_mb:.0f} MB")
    assert_clean_exit(result)
    assert result.peak_mb < RSS_BOUND_MB
    [row] = result.captures(sitemap_bomb + "/sitemap.xml.gz")
    assert re.search(r"inflates past 52,428,800 bytes .*not read", assert_human(row["error"])), row["error"]


# --- content the crawl did not ask for: the public-address guard ---------------------------------------------


class InternalHandler(BaseHTTPRequestHandler):
    """An intranet host: no robots.txt (404, so everything is allowed), and an admin URL that acts when fetched."""

    server: InternalHost

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        status, body = (404, b"not found") if self.path == "/robots.txt" else (200, b"<html><body>rebooting</body></html>")
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class InternalHost(LocalTestServer):
    """Stands for a host inside the network on another port of 127.0.0.1; `paths` lists what it was asked."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        super().__init__(("127.0.0.1", 0), InternalHandler)


@pytest.fixture
def internal() -> Iterator[InternalHost]:
    server = InternalHost()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def internal_targets(base: str, internal: str) -> dict[str, tuple[str, str]]:
    """Each way a crawled page can send the crawler off its origin: (URL on the faults site, internal URL)."""
    admin = f"{internal}/internal-admin/reboot?confirm=1"
    return {
        "img": (f"{admin}&via=img", f"{admin}&via=img"),
        "meta refresh": (f"{base}/meta-refresh?to={quote(admin + '&via=meta', safe=':/')}", f"{admin}&via=meta"),
        "redirect": (f"{base}/redirect?to={quote(admin + '&via=redirect', safe=':/')}", f"{admin}&via=redirect"),
    }


def test_cross_origin_content_to_an_internal_address_is_refused(
    mockserver: dict[str, str], tmp_path: Path, internal: InternalHost
) -> None:
    base = mockserver["faults"]
    targets = internal_targets(base, internal.url)
    links = [targets["meta refresh"][0], targets["redirect"][0]]
    result = crawl(tmp_path, embed(base, links, [targets["img"][0]]))
    assert_clean_exit(result)
    assert internal.paths == [], "the crawl asked the internal host for " + ", ".join(internal.paths)
    for name, (url, target) in targets.items():
        [row] = result.captures(url)
        assert assert_human(row["error"]).startswith(f"refused {target}: loopback address (127.0.0.1) is not "
                                                     "public"), (name, row["error"])


def test_allow_private_opens_the_guard_for_an_intranet_audit(
    mockserver: dict[str, str], tmp_path: Path, internal: InternalHost
) -> None:
    base = mockserver["faults"]
    targets = internal_targets(base, internal.url)
    result = crawl(tmp_path, embed(base, [], [targets["img"][0]]),
                   extra=("--allow-private", internal.url.split("//", 1)[1]))
    assert_clean_exit(result)
    assert "/internal-admin/reboot?confirm=1&via=img" in internal.paths
