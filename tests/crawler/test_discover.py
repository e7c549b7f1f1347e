"""Discovery in real crawls: robots.txt Sitemap: lines, sitemap indexes, feeds, --since, scope and --allow."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from tests.cli_helpers import run_cli
from tests.services import json_line_server
from tests.sitegen import write_site


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
