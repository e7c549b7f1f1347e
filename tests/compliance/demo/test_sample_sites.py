"""The bundled demo sites, their server and the test mock server's fault endpoints."""

from __future__ import annotations

import gzip
import http.client
import io
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from PIL import Image, IptcImagePlugin

from compliance.demo.server import DEMO_SITES, SiteServers, expand_site_links, sites_dir

EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298
SEED_PAGE = "/articles/valdoria-summit-doubts.html"
SEED_HEADLINE = "Valdoria Casts Doubt on Early Summit as Mediators Push for Direct Talks"
SEED_COPY_HEADLINE = "Valdoria Casts Doubt on Immediate Summit as Mediators Navigate Complex Peace Push"
DISCLAIMER = ("Disclaimer: This content is aggregated from public sources online. Please verify "
              "information independently. If you believe your rights have been infringed, "
              "contact us for removal.")
PUBLISHER_ORIGINALS = {
    "northgate": ["/images/summit-photographer.jpg", "/images/northsat-launch.jpg",
                  "/images/mill-street-coffee.jpg", "/images/exhibition-portrait.jpg"],
    "harbour": ["/img/shelter-cat.jpg", "/img/deep-field.jpg"],
}
STRIPPED_COPY = "/media/e5a1-portrait.jpg"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "img" and values.get("src"):
            self.srcs.append(values["src"] or "")


def fetch(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """GET a URL; HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def raw_request(base: str, path: str, method: str = "GET", timeout: float = 10) -> http.client.HTTPResponse:
    """Send the path exactly as given (urllib would not normalise it either, but be explicit)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    conn.endheaders()
    return conn.getresponse()


@pytest.fixture(scope="module")
def servers() -> Iterator[SiteServers]:
    with SiteServers() as running:
        yield running


def crawl_site(base: str) -> tuple[dict[str, bytes], set[str]]:
    """Every same-site HTML page reachable from the index, and every image they use."""
    pages: dict[str, bytes] = {}
    images: set[str] = set()
    todo = [base + "/"]
    while todo:
        url = todo.pop()
        if url in pages:
            continue
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"] == "text/html; charset=utf-8", url
        pages[url] = body
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for src in parser.srcs:
            images.add(urljoin(url, src))
        for href in parser.hrefs:
            target = urljoin(url, href).split("#")[0]
            if target.startswith(base + "/") and target not in pages:
                todo.append(target)
    return pages, images


def test_sites_are_registered_and_present() -> None:
    assert [s.key for s in DEMO_SITES] == ["northgate", "harbour", "digest"]
    assert {s.role for s in DEMO_SITES} == {"publisher", "aggregator"}
    for site in DEMO_SITES:
        assert (sites_dir() / site.dirname / "index.html").is_file()
        assert (sites_dir() / site.dirname / "robots.txt").is_file()


def test_site_link_tokens_expand() -> None:
    urls = {"northgate": "http://127.0.0.1:1", "digest": "http://127.0.0.1:2"}
    text = "{{self}}/a {{site:northgate}}/b {{ site:digest }} {{site:nope}}"
    assert expand_site_links(text, urls, "digest") == (
        "http://127.0.0.1:2/a http://127.0.0.1:1/b http://127.0.0.1:2 {{site:nope}}")


def test_every_linked_page_and_image_is_served(servers: SiteServers) -> None:
    for site in DEMO_SITES:
        base = servers.urls[site.key]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        pages, images = crawl_site(base)
        assert len(pages) >= 3, site.key
        for url, body in pages.items():
            text = body.decode("utf-8")
            assert "{{" not in text and "}}" not in text, url
            assert f'<link rel="canonical" href="{base}/' in text, url
        for url in images:
            status, headers, body = fetch(url)
            assert status == 200 and headers["Content-Type"] == "image/jpeg", url
            assert len(body) < 120_000
            with Image.open(io.BytesIO(body)) as img:
                img.load()
                assert img.format == "JPEG" and img.width >= 300


def test_publisher_articles_have_structured_metadata(servers: SiteServers) -> None:
    for key in ("northgate", "harbour"):
        base = servers.urls[key]
        pages, _ = crawl_site(base)
        articles = [u for u in pages if u.endswith(".html") and "/index" not in u]
        assert len(articles) >= 2
        for url in articles:
            text = pages[url].decode("utf-8")
            assert '"@type": "NewsArticle"' in text
            for needle in ('property="og:site_name"', 'property="og:title"', '"datePublished"',
                           '"inLanguage": "en"', "<figcaption>", "Photo: "):
                assert needle in text, (url, needle)
            words = len(re.sub(r"<[^>]+>", " ", text.split("<article", 1)[1].split("</article>")[0]).split())
            assert 350 <= words <= 760, (url, words)


def test_text_files_are_substituted_images_are_not(servers: SiteServers) -> None:
    status, _, robots = fetch(servers.urls["northgate"] + "/robots.txt")
    assert status == 200 and b"Allow: /" in robots and b"{{" not in robots
    status, headers, sitemap = fetch(servers.urls["northgate"] + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    assert servers.urls["northgate"].encode() in sitemap
    raw = (sites_dir() / "northgate" / "images" / "northsat-launch.jpg").read_bytes()
    assert fetch(servers.urls["northgate"] + "/images/northsat-launch.jpg")[2] == raw


def test_headers_head_and_404(servers: SiteServers) -> None:
    base = servers.urls["digest"]
    resp = raw_request(base, "/", method="HEAD")
    assert resp.status == 200
    assert resp.read() == b""
    assert int(resp.getheader("Content-Length") or "0") > 100
    assert resp.getheader("Last-Modified")
    status, headers, body = fetch(base + "/no/such/page.html")
    assert status == 404 and b"Not Found" in body
    status, _, _ = fetch(base + "/articles")
    assert status == 404  # no index in that folder, so no slash redirect either


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    "/articles/../../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/..%5c..%5cetc%5cpasswd",
])
def test_path_traversal_is_refused(servers: SiteServers, path: str) -> None:
    resp = raw_request(servers.urls["digest"], path)
    body = resp.read()
    assert resp.status in (400, 403, 404)
    assert b"root:" not in body


def test_seed_case_page(servers: SiteServers) -> None:
    digest, northgate = servers.urls["digest"], servers.urls["northgate"]
    status, _, body = fetch(digest + SEED_PAGE)
    assert status == 200
    text = body.decode("utf-8")
    visible = text.split("<body>", 1)[1]
    assert visible.count(SEED_COPY_HEADLINE) == 4
    assert "<figcaption>Image from Northgate Herald</figcaption>" in visible
    assert DISCLAIMER in visible
    assert "阅读中文版 (Read Chinese Version)" in visible
    assert northgate not in text and "Source:" not in text  # no credit, no link to the original
    assert f'hreflang="zh" href="{digest}/articles/valdoria-summit-doubts-zh.html"' in text
    status, _, zh = fetch(digest + "/articles/valdoria-summit-doubts-zh.html")
    assert status == 200 and f'hreflang="en" href="{digest}{SEED_PAGE}"' in zh.decode("utf-8")
    # The original exists on the publisher, under its own headline.
    status, _, original = fetch(northgate + "/news/valdoria-summit-doubts.html")
    assert status == 200 and SEED_HEADLINE in original.decode("utf-8")


def test_other_planted_cases(servers: SiteServers) -> None:
    digest, northgate = servers.urls["digest"], servers.urls["northgate"]
    b = fetch(digest + "/articles/northsat-3-launch.html")[2].decode("utf-8")
    assert f'Source: <a href="{northgate}/news/northsat-3-launch.html">Northgate Herald</a>' in b
    assert "<figcaption>Photo: Northgate Herald</figcaption>" in b
    c = fetch(digest + "/articles/harbour-shelter-cats.html")[2].decode("utf-8")
    assert "<figcaption>" not in c and "Source:" not in c and "Disclaimer" not in c
    d = fetch(digest + "/articles/mill-street-cafes.html")[2].decode("utf-8")
    assert "Source: Harbour Times" in d and "Image from Harbour Times" in d
    g = fetch(digest + "/articles/rail-operator-new-trains.html")[2].decode("utf-8")
    assert "Source: Associated Wire Service" in g
    for page in ("northsat-3-launch", "harbour-shelter-cats", "mill-street-cafes",
                 "eye-screening-weekend", "rail-operator-new-trains"):
        assert "Disclaimer" not in fetch(f"{digest}/articles/{page}.html")[2].decode("utf-8")


def _credit_fields(data: bytes) -> dict[str, object]:
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        return {
            "artist": exif.get(EXIF_ARTIST),
            "copyright": exif.get(EXIF_COPYRIGHT),
            "xmp": img.info.get("xmp"),
            "iptc": IptcImagePlugin.getiptcinfo(img),
        }


def test_publisher_originals_carry_embedded_credit(servers: SiteServers) -> None:
    names = {"northgate": "Northgate Herald", "harbour": "Harbour Times"}
    for key, paths in PUBLISHER_ORIGINALS.items():
        name = names[key]
        for path in paths:
            fields = _credit_fields(fetch(servers.urls[key] + path)[2])
            assert str(fields["artist"]).startswith(f"{name} / "), path
            assert fields["copyright"] == f"(c) 2026 {name}", path
            xmp = fields["xmp"]
            assert isinstance(xmp, bytes)
            assert b"<dc:creator>" in xmp and b"<dc:rights>" in xmp
            assert f'photoshop:Credit="{name}"'.encode() in xmp
            iptc = fields["iptc"]
            assert isinstance(iptc, dict) and iptc[(2, 110)] == name.encode()


def test_stripped_copy_has_no_metadata(servers: SiteServers) -> None:
    data = fetch(servers.urls["digest"] + STRIPPED_COPY)[2]
    fields = _credit_fields(data)
    assert fields == {"artist": None, "copyright": None, "xmp": None, "iptc": None}
    assert b"Northgate" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as copy, \
            Image.open(sites_dir() / "northgate/images/exhibition-portrait.jpg") as original:
        assert copy.width == round(original.width * 0.85)
    # The other copies keep their metadata.
    kept = _credit_fields(fetch(servers.urls["digest"] + "/media/a1f3-summit.jpg")[2])
    assert kept["artist"] == "Northgate Herald / A. Reporter"


def test_sites_restart_on_new_ports() -> None:
    with SiteServers() as first:
        urls = dict(first.urls)
        assert fetch(urls["harbour"] + "/")[0] == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(urls["harbour"] + "/", timeout=2)


# ---- mock server: fault endpoints -------------------------------------------------------


def test_mockserver_lists_all_sites(mockserver: dict[str, str]) -> None:
    assert set(mockserver) == {"northgate", "harbour", "digest", "faults"}
    for key in ("northgate", "harbour", "digest"):
        assert fetch(mockserver[key] + "/")[0] == 200
    status, _, body = fetch(mockserver["digest"] + SEED_PAGE)
    assert status == 200 and mockserver["digest"].encode() in body


def test_fault_status_and_simple_pages(mockserver: dict[str, str]) -> None:
    f = mockserver["faults"]
    for code in (404, 410, 500, 503):
        assert fetch(f"{f}/status?n={code}")[0] == code
    status, _, body = fetch(f + "/page")
    assert status == 200 and b"<article>" in body
    status, headers, body = fetch(f + "/empty")
    assert status == 200 and body == b"" and headers["Content-Length"] == "0"
    status, headers, body = fetch(f + "/binary.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    status, headers, body = fetch(f + "/malformed")
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b"\x00" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, _, body = fetch(f + "/long-article")
    assert status == 200 and 190_000 <= len(body) <= 260_000
    sentences = re.findall(r"[A-Z][^.]+\.", body.decode("utf-8"))
    assert len(set(s.split(", according")[0] for s in sentences)) > 500
    status, _, body = fetch(f + "/index.html")
    assert status == 200 and b'href="/page"' in body


def test_fault_redirects(mockserver: dict[str, str]) -> None:
    f = mockserver["faults"]
    resp = raw_request(f, "/redirect-chain?n=3")
    assert resp.status == 302 and resp.getheader("Location") == "/redirect-chain?n=2"
    status, _, body = fetch(f + "/redirect-chain?n=3")
    assert status == 200 and b"A Small Valid Page" in body
    resp = raw_request(f, "/redirect?to=" + mockserver["northgate"] + "/")
    assert resp.status == 302 and resp.getheader("Location") == mockserver["northgate"] + "/"
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f + "/redirect-loop", timeout=10)
    assert "redirect" in str(info.value).lower()


def test_fault_delay_is_bounded(mockserver: dict[str, str]) -> None:
    f = mockserver["faults"]
    start = time.monotonic()
    assert fetch(f + "/delay?s=1")[0] == 200
    assert 0.9 <= time.monotonic() - start < 5
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        urllib.request.urlopen(f + "/delay?s=5", timeout=0.5)


def test_fault_connection_errors(mockserver: dict[str, str]) -> None:
    f = mockserver["faults"]
    with pytest.raises(http.client.RemoteDisconnected):
        raw_request(f, "/drop").read()
    resp = raw_request(f, "/partial")
    assert resp.status == 200
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    start = time.monotonic()
    resp = raw_request(f, "/hang-after-headers", timeout=1)
    assert resp.status == 200
    with pytest.raises((TimeoutError, socket.timeout)):
        resp.read()
    assert time.monotonic() - start < 5


def test_fault_gzip_bomb(mockserver: dict[str, str]) -> None:
    resp = raw_request(mockserver["faults"], "/gzip-bomb")
    assert resp.status == 200 and resp.getheader("Content-Encoding") == "gzip"
    compressed = resp.read()
    assert len(compressed) < 100_000
    assert len(gzip.decompress(compressed)) >= 10_000_000
