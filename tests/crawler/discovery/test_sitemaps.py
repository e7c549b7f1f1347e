"""Sitemaps read as sites write them (indexes, URL sets with news and image extensions, gzip, text) and bounded."""

from __future__ import annotations

import gzip
import time
from datetime import datetime, timezone

from crawler.discovery.sitemaps import (
    SitemapLimits,
    SitemapWalk,
    parse_sitemap,
    sitemaps_from_robots,
)

UTC = timezone.utc
SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
IMAGE = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'


def urlset(*urls: str) -> bytes:
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {SM}>{body}</urlset>'.encode()


def index(*children: str) -> bytes:
    body = "".join(f"<sitemap><loc>{c}</loc><lastmod>2026-01-01</lastmod></sitemap>" for c in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {SM}>{body}</sitemapindex>'.encode()


def test_robots_sitemap_lines() -> None:
    robots = (b"User-agent: *\nDisallow: /private\nSitemap: https://news.example/sitemap_index.xml\n"
              b"SITEMAP:/relative-sitemap.xml # a comment\nsitemap : https://news.example/sitemap_index.xml\n"
              b"User-agent: other\nSitemap: https://cdn.example/feeds/sitemap.xml.gz\nDisallow: /\n"
              b"# Sitemap: https://commented.example/out.xml\nSitemap:\nNoSitemap: https://x.example/\n")
    assert sitemaps_from_robots(robots, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml",
        "https://news.example/relative-sitemap.xml",
        "https://cdn.example/feeds/sitemap.xml.gz",
    ]
    assert sitemaps_from_robots("", "https://news.example/robots.txt") == []


def test_a_sitemap_index_lists_its_children() -> None:
    parsed = parse_sitemap(index("https://news.example/sitemap-1.xml", "HTTPS://News.Example/sitemap-2.xml.gz",
                                 "https://news.example/sitemap-1.xml", "/relative.xml"),
                           "https://news.example/sitemap_index.xml")
    assert parsed.kind == "index" and parsed.problem is None and parsed.entries == ()
    assert parsed.sitemaps == ("https://news.example/sitemap-1.xml", "https://news.example/sitemap-2.xml.gz")


def test_a_urlset_with_news_and_image_extensions() -> None:
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SM} {NEWS} {IMAGE}>
  <url>
    <loc> https://news.example/2026/03/04/flood </loc>
    <lastmod>2026-03-05T10:00:00+01:00</lastmod>
    <news:news>
      <news:publication><news:name>News Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-03-04T08:30:00Z</news:publication_date>
      <news:title>Flood &amp; rain</news:title>
    </news:news>
    <image:image><image:loc>https://cdn.news.example/flood.jpg</image:loc></image:image>
    <image:image><image:loc>https://cdn.news.example/rain photo.jpg</image:loc></image:image>
  </url>
  <url><loc>https://news.example/about</loc><lastmod>2024-05</lastmod></url>
  <url><lastmod>2026-01-01</lastmod></url>
  <url><loc>https://news.example/undated</loc><lastmod>last tuesday</lastmod></url>
</urlset>""".encode()
    parsed = parse_sitemap(doc, "https://news.example/sitemap.xml")
    assert parsed.kind == "urlset" and parsed.problem is None and parsed.sitemaps == ()
    flood, about, undated = parsed.entries
    assert flood.url == "https://news.example/2026/03/04/flood"
    assert flood.lastmod == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert flood.news_published == datetime(2026, 3, 4, 8, 30, tzinfo=UTC)
    assert flood.news_title == "Flood & rain"
    assert flood.images == ("https://cdn.news.example/flood.jpg", "https://cdn.news.example/rain%20photo.jpg")
    assert about.lastmod == datetime(2024, 5, 1, tzinfo=UTC) and about.news_published is None and not about.images
    assert undated.lastmod is None and undated.dates == ()


def test_gzip_sitemaps_and_text_sitemaps() -> None:
    packed = gzip.compress(urlset("https://news.example/a", "https://news.example/b"))
    parsed = parse_sitemap(packed, "https://news.example/sitemap.xml.gz")
    assert [e.url for e in parsed.entries] == ["https://news.example/a", "https://news.example/b"]
    text = b"https://news.example/a\n\nnot a url\nhttps://news.example/c\r\n"
    assert [e.url for e in parse_sitemap(text, "https://news.example/sitemap.txt").entries] == [
        "https://news.example/a", "https://news.example/c"]


def test_a_gzip_bomb_sitemap_is_one_problem() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (64 * 1024 * 1024) + b"</urlset>", compresslevel=9)
    started = time.perf_counter()
    parsed = parse_sitemap(bomb, "https://news.example/bomb.xml.gz")
    assert time.perf_counter() - started < 2.0
    assert parsed.kind == "unreadable" and parsed.entries == ()
    assert parsed.problem == "inflates past 52,428,800 bytes (gzip bomb?): not read"


def test_a_200k_url_sitemap_is_capped_at_the_protocol_limit() -> None:
    doc = urlset(*(f"https://news.example/article/{i}" for i in range(200_000)))
    started = time.perf_counter()
    parsed = parse_sitemap(doc, "https://news.example/huge.xml")
    elapsed = time.perf_counter() - started
    assert len(parsed.entries) == 50_000 and parsed.entries[-1].url == "https://news.example/article/49999"
    assert parsed.problem == "lists more than 50,000 entries: the rest were not read"
    assert elapsed < 10, elapsed


def test_malformed_sitemaps() -> None:
    truncated = urlset("https://news.example/a", "https://news.example/b", "https://news.example/cc")[:-22]
    assert truncated.endswith(b"<loc>https://news.example/c")
    parsed = parse_sitemap(truncated, "https://news.example/cut.xml")
    assert [e.url for e in parsed.entries] == ["https://news.example/a", "https://news.example/b"]
    assert parsed.problem is not None and parsed.problem.startswith("is broken XML")
    html = parse_sitemap(b"<html><body>Not found</body></html>", "https://news.example/s.xml")
    assert html.kind == "unreadable" and html.problem == "is not a sitemap (root element <html>)"
    soft404 = parse_sitemap(b"<!doctype html><html><body>Not found</body></html>", "https://news.example/s.xml")
    assert soft404.kind == "unreadable" and soft404.problem == "is an HTML page, not XML"
    assert parse_sitemap(b"", "https://news.example/s.xml").kind == "unreadable"
    assert parse_sitemap(b"\x00\xff junk", "https://news.example/s.xml").kind == "unreadable"


def test_a_walk_bounds_index_depth_and_loops() -> None:
    walk = SitemapWalk()
    (first, depth), = walk.start(["https://news.example/level-0.xml"])
    fetched = []
    queue = [(first, depth)]
    while queue:
        url, depth = queue.pop()
        fetched.append(url)
        level = int(url.rsplit("-", 1)[1].split(".")[0])
        # each index lists itself (a loop) and one deeper index, forever
        step = walk.read(index(url, f"https://news.example/level-{level + 1}.xml"), url, depth)
        queue.extend(step.sitemaps)
    assert fetched == [f"https://news.example/level-{n}.xml" for n in range(4)]
    assert walk.problems == ["sitemap indexes nest deeper than 3 levels: the deeper ones were not fetched"]


def test_a_walk_caps_total_urls_and_documents() -> None:
    walk = SitemapWalk(SitemapLimits(max_total_urls=250, max_documents=3))
    children = [f"https://news.example/s{i}.xml" for i in range(5)]
    assert walk.start(["https://news.example/index.xml"]) == [("https://news.example/index.xml", 0)]
    step = walk.read(index(*children), "https://news.example/index.xml", 0)
    assert [u for u, _ in step.sitemaps] == children[:2]
    assert step.problem == "more than 3 sitemaps: the rest were not fetched"
    kept = []
    for n, (url, depth) in enumerate(step.sitemaps):
        got = walk.read(urlset(*(f"https://news.example/{n}/{i}" for i in range(200))), url, depth)
        kept += got.entries
    assert len(kept) == 250 and walk.total_urls == 250
    assert walk.problems[-1] == "sitemaps list more than 250 URLs: the rest were not crawled"
    again = walk.read(urlset("https://news.example/late"), "https://news.example/late.xml", 1)
    assert again.entries == [] and again.sitemaps == []


def test_a_walk_skips_entries_older_than_since_and_keeps_undated_ones() -> None:
    doc = f"""<urlset {SM} {NEWS}>
      <url><loc>https://news.example/old</loc><lastmod>2025-01-01</lastmod></url>
      <url><loc>https://news.example/new</loc><lastmod>2026-03-02</lastmod></url>
      <url><loc>https://news.example/undated</loc></url>
      <url><loc>https://news.example/old-but-edited</loc><lastmod>2026-03-03</lastmod>
        <news:news><news:publication_date>2020-01-01</news:publication_date></news:news></url>
      <url><loc>https://news.example/old-news</loc><lastmod>2019-01-01</lastmod>
        <news:news><news:publication_date>2020-01-01</news:publication_date></news:news></url>
      <url><loc>https://news.example/new</loc></url>
    </urlset>""".encode()
    walk = SitemapWalk(since=datetime(2026, 3, 1, tzinfo=UTC))
    step = walk.read(doc, "https://news.example/sitemap.xml", 0)
    assert [e.url for e in step.entries] == [
        "https://news.example/new", "https://news.example/undated", "https://news.example/old-but-edited"]
    assert step.skipped_old == 2 and walk.skipped_old == 2 and step.problem is None
