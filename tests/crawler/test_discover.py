"""Discovery in real crawls: robots.txt Sitemap: lines, sitemap indexes, feeds, --since, scope and --allow."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.cli_helpers import REPO, run_cli
from tests.mockserver import LocalTestServer
from tests.services import json_line_server
from tests.sitegen import write_site
from tests.staticserver import QuietHandler


def _captured(db: Path) -> dict[str, tuple[str, str | None]]:
    con = sqlite3.connect(db)
    try:
        return {url: (kind, error) for url, kind, error in con.execute("select requested_url, kind, error from capture")}
    finally:
        con.close()


def _site_with_sitemaps(root: Path) -> None:
    write_site(root, sections=1, per_section=3)
    hidden = (root / "a" / "0" / "0.html").read_text()
    # Pages no link reaches: only the sitemaps and the feed list them.
    for name in ("listed-new", "listed-old", "listed-undated", "in-feed"):
        (root / f"{name}.html").write_text(hidden.replace("<h1>", f"<h1>{name} "))
    (root / "index.html").write_text((root / "index.html").read_text().replace(
        "<body>", '<head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>'))


def _write_discovery_files(root: Path, base: str, other: str) -> None:
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n")
    (root / "sitemap-index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>")
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/listed-new.html</loc><lastmod>2026-11-01</lastmod></url>"
        f"<url><loc>{base}/listed-old.html</loc><lastmod>2019-03-01</lastmod></url>"
        f"<url><loc>{base}/listed-undated.html</loc></url>"
        f"<url><loc>{other}/elsewhere.html</loc></url>"  # another site's page: out of scope
        "</urlset>")
    (root / "sitemap-pages.xml.gz").write_bytes(gzip.compress(urlset.encode()))
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><link>{base}/in-feed.html</link><pubDate>Tue, 10 Nov 2026 08:00:00 GMT</pubDate></item>"
        "</channel></rss>")


def test_sitemaps_and_feeds_find_unlinked_pages_and_since_skips_old_ones(tmp_path: Path) -> None:
    site, other = tmp_path / "site", tmp_path / "other"
    _site_with_sitemaps(site)
    other.mkdir()
    (other / "elsewhere.html").write_text((site / "listed-new.html").read_text())
    with json_line_server("-m", "tests.staticserver", f"site={site}", f"other={other}") as urls:
        _write_discovery_files(site, urls["site"], urls["other"])
        db = tmp_path / "p.db"
        proc = run_cli("crawl", f"{urls['site']}/index.html", "--role", "publisher", "--since", "2026-01-01",
                       "--db", str(db), "--warc-dir", str(tmp_path / "warc"), "--json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        captured = _captured(db)
        base = urls["site"]
        for name in ("listed-new", "listed-undated", "in-feed"):
            assert captured[f"{base}/{name}.html"] == ("page", None), name
        assert f"{base}/listed-old.html" not in captured  # dated before --since
        assert f"{urls['other']}/elsewhere.html" not in captured  # another origin: out of scope
        assert captured[f"{base}/sitemap-index.xml"] == ("sitemap", None)
        assert captured[f"{base}/sitemap-pages.xml.gz"] == ("sitemap", None)
        assert captured[f"{base}/feed.xml"] == ("feed", None)
        summary = json.loads(proc.stdout)
        assert summary["errors"] == 0 and summary["articles"] == 3 + 3  # linked articles + the listed ones

        # --allow takes another host into the site's scope.
        db2 = tmp_path / "allow.db"
        allowed = urls["other"].split("//")[1]
        proc = run_cli("crawl", f"{urls['site']}/index.html", "--role", "publisher", "--allow", allowed,
                       "--db", str(db2), "--warc-dir", str(tmp_path / "warc"), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert f"{urls['other']}/elsewhere.html" in _captured(db2)
        assert f"{base}/listed-old.html" in _captured(db2)  # no --since: old entries too


def test_a_site_without_sitemaps_records_no_fault_for_the_guessed_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, sections=1, per_section=2)
    with json_line_server("-m", "tests.staticserver", f"site={site}") as urls:
        db = tmp_path / "p.db"
        proc = run_cli("crawl", f"{urls['site']}/index.html", "--role", "publisher", "--db", str(db),
                       "--warc-dir", str(tmp_path / "warc"), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["errors"] == 0
    assert all(kind == "page" for kind, _ in _captured(db).values())


def test_a_bad_since_date_is_one_error_line(tmp_path: Path) -> None:
    from tests.cli_helpers import assert_one_clear_error

    proc = run_cli("crawl", "http://127.0.0.1:9/", "--role", "publisher", "--since", "last tuesday",
                   "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert_one_clear_error(proc, "--since", "YYYY-MM-DD")


CRAWL_SCRIPT = """
import json, sys
from compliance.records import SiteSpec
from crawler.runner import CrawlTarget, run_crawl
a = json.loads(sys.argv[1])
target = CrawlTarget(SiteSpec(name="Counted", role="publisher", origins=a["origins"]), a["urls"])
run_crawl([target], db=a["db"], warc_dir=a["warc_dir"], depth=2, settings=a["settings"])
"""


class CountingServer(LocalTestServer):
    """A folder served on 127.0.0.1 that counts the requests for each path, as the site's operator would see them."""

    def __init__(self, folder: Path) -> None:
        self.hits: Counter[str] = Counter()
        super().__init__(("127.0.0.1", 0), partial(CountingHandler, directory=str(folder)))


class CountingHandler(QuietHandler):
    server: CountingServer

    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        super().do_GET()


@contextmanager
def counting_servers(*folders: Path) -> Iterator[list[CountingServer]]:
    servers = [CountingServer(folder) for folder in folders]
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        yield servers
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _origin_site(root: Path, listed: str) -> None:
    """A small site plus one page no link reaches (`listed`), for a sitemap to find."""
    write_site(root, sections=1, per_section=2)
    (root / listed).write_text((root / "a" / "0" / "0.html").read_text().replace("<h1>", f"<h1>{listed} "))


def _urlset(*urls: str) -> str:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


@pytest.mark.parametrize("obey", [True, False], ids=["robots-obeyed", "robots-not-obeyed"])
def test_robots_txt_is_fetched_once_per_origin_and_its_sitemaps_are_read(tmp_path: Path, obey: bool) -> None:
    """One robots.txt request per origin, whoever needs it (the RFC 9309 middleware, discovery), one WARC pair."""
    folders = [tmp_path / name for name in ("declared", "guessed", "unlinked")]
    for folder, listed in zip(folders, ("listed-a.html", "listed-b.html", "listed-c.html"), strict=True):
        _origin_site(folder, listed)
    with counting_servers(*folders) as (declared, guessed, unlinked):
        # Declares its sitemap; has no robots.txt (404: discovery quietly tries /sitemap.xml); no start URL at all.
        (folders[0] / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {declared.url}/pages.xml\n")
        (folders[0] / "pages.xml").write_text(_urlset(f"{declared.url}/listed-a.html"))
        (folders[1] / "sitemap.xml").write_text(_urlset(f"{guessed.url}/listed-b.html"))
        (folders[2] / "robots.txt").write_text(f"User-agent: *\nSitemap: {unlinked.url}/pages.xml\n")
        (folders[2] / "pages.xml").write_text(_urlset(f"{unlinked.url}/listed-c.html"))
        args = {"db": str(tmp_path / "p.db"), "warc_dir": str(tmp_path / "warc"),
                "origins": [s.url for s in (declared, guessed, unlinked)],
                "urls": [f"{declared.url}/index.html", f"{guessed.url}/index.html"],
                "settings": {"ROBOTSTXT_OBEY": obey}}
        proc = subprocess.run([sys.executable, "-c", CRAWL_SCRIPT, json.dumps(args)], cwd=REPO, capture_output=True,
                              text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
        assert proc.returncode == 0, proc.stderr
        for server in (declared, guessed, unlinked):
            assert server.hits["/robots.txt"] == 1, (server.url, server.hits)
    captured = _captured(tmp_path / "p.db")
    for server, listed in ((declared, "listed-a"), (guessed, "listed-b"), (unlinked, "listed-c")):
        assert captured[f"{server.url}/{listed}.html"] == ("page", None), listed
    assert captured[f"{declared.url}/pages.xml"] == ("sitemap", None)
    records: Counter[tuple[str, str]] = Counter()
    for warc in (tmp_path / "warc").glob("*.warc.gz"):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if uri.endswith("/robots.txt"):
                    records[record.rec_type, uri] += 1
    for server in (declared, guessed, unlinked):
        robots = f"{server.url}/robots.txt"
        assert records["request", robots] == records["response", robots] == 1, (robots, records)
