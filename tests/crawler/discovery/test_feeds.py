"""RSS 2.0, RSS 1.0 and Atom feeds read into dated entries; the feeds a page announces; hostile feeds inert."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

from crawler.discovery.feeds import feed_links, parse_feed

UTC = timezone.utc

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>News Example</title><link>https://news.example/</link>
  <atom:link href="https://news.example/feed.xml" rel="self" type="application/rss+xml"/>
  <item>
    <title>Flood &amp; rain</title>
    <link>https://news.example/2026/03/04/flood?utm_source=rss</link>
    <pubDate>Wed, 04 Mar 2026 08:30:00 +0100</pubDate>
    <guid isPermaLink="false">tag:news.example,2026:123</guid>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://news.example/2026/03/03/guid-only</guid>
    <dc:date>2026-03-03T12:00:00Z</dc:date>
  </item>
  <item><title>No link at all</title><guid isPermaLink="false">42</guid></item>
  <item><link>/relative/article</link><pubDate>March 1, 2026</pubDate></item>
  <item><link>https://news.example/2026/03/04/flood?utm_source=rss</link></item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>News Example</title>
  <link href="https://news.example/" rel="alternate"/>
  <link href="https://news.example/atom.xml" rel="self"/>
  <updated>2026-03-05T00:00:00Z</updated>
  <entry>
    <title>Flood</title>
    <link rel="edit" href="https://news.example/api/1"/>
    <link rel="alternate" type="text/html" href="https://news.example/2026/03/04/flood"/>
    <id>tag:news.example,2026:1</id>
    <published>2026-03-04T08:30:00+01:00</published>
    <updated>2026-03-05T10:00:00Z</updated>
  </entry>
  <entry>
    <title>Id only</title>
    <id>https://news.example/2026/03/02/id-only</id>
    <updated>2026-03-02</updated>
  </entry>
  <entry><title>Plain link</title><link href="/2026/03/01/plain"/></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/"><title>News</title><link>https://news.example/</link></channel>
  <item rdf:about="https://news.example/rdf-item"><title>RDF</title><link>https://news.example/rdf-item</link>
    <dc:date>2026-02-28T09:00:00+00:00</dc:date></item>
</rdf:RDF>"""


def test_rss_2() -> None:
    feed = parse_feed(RSS, "https://news.example/feed.xml")
    assert feed.kind == "rss" and feed.problem is None
    flood, guid_only, relative = feed.entries
    assert flood.url == "https://news.example/2026/03/04/flood?utm_source=rss"
    assert flood.published == datetime(2026, 3, 4, 7, 30, tzinfo=UTC) and flood.title == "Flood & rain"
    assert guid_only.url == "https://news.example/2026/03/03/guid-only"
    assert guid_only.published == datetime(2026, 3, 3, 12, tzinfo=UTC)
    assert relative.url == "https://news.example/relative/article"
    assert relative.published == datetime(2026, 3, 1, tzinfo=UTC)  # a prose date in a feed: read leniently


def test_atom() -> None:
    feed = parse_feed(gzip.compress(ATOM), "https://news.example/atom.xml")
    assert feed.kind == "atom" and feed.problem is None
    flood, id_only, plain = feed.entries
    assert flood.url == "https://news.example/2026/03/04/flood"
    assert flood.published == datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
    assert flood.updated == datetime(2026, 3, 5, 10, tzinfo=UTC)
    assert flood.dates == (flood.published, flood.updated)
    assert id_only.url == "https://news.example/2026/03/02/id-only" and id_only.published is None
    assert id_only.updated == datetime(2026, 3, 2, tzinfo=UTC)
    assert plain.url == "https://news.example/2026/03/01/plain" and plain.dates == ()


def test_rss_1_rdf() -> None:
    feed = parse_feed(RDF, "https://news.example/index.rdf")
    assert feed.kind == "rss"
    assert [(e.url, e.published) for e in feed.entries] == [
        ("https://news.example/rdf-item", datetime(2026, 2, 28, 9, tzinfo=UTC))]


def test_malformed_and_hostile_feeds() -> None:
    assert parse_feed(b"<html><body>no feed</body></html>", "https://news.example/feed").problem == (
        "is not an RSS or Atom feed (root element <html>)")
    assert parse_feed(b"", "https://news.example/feed").kind == "unreadable"
    cut = parse_feed(RSS[:RSS.index(b"<item><title>No link")], "https://news.example/feed.xml")
    assert [e.title for e in cut.entries] == ["Flood & rain", "Only a permalink guid"]
    assert cut.problem is not None and cut.problem.startswith("is broken XML")
    xxe = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b"<rss><channel><item><title>&xxe;</title><link>https://news.example/x</link></item></channel></rss>")
    entry, = parse_feed(xxe, "https://news.example/feed.xml").entries
    assert entry.url == "https://news.example/x" and entry.title is None
    many = b"<rss><channel>" + b"".join(b"<item><link>https://news.example/%d</link></item>" % i
                                        for i in range(30)) + b"</channel></rss>"
    capped = parse_feed(many, "https://news.example/feed.xml", max_entries=10)
    assert len(capped.entries) == 10 and capped.problem == "lists more than 10 entries: the rest were not read"


def test_feed_links_in_a_page() -> None:
    page = b"""<!doctype html><html><head>
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
      <link rel="ALTERNATE" type="application/atom+xml; charset=utf-8" href="https://news.example/atom.xml">
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="stylesheet" type="text/css" href="/a.css">
      <link rel="alternate" type="application/json" href="/feed.json">
    </head><body><a href="/other-feed.xml" type="application/rss+xml">feed</a></body></html>"""
    assert feed_links(page, "https://news.example/2026/03/04/flood") == [
        "https://news.example/feed.xml", "https://news.example/atom.xml"]
    assert feed_links(b"", "https://news.example/") == []
    assert feed_links("<p>no head</p>", "https://news.example/") == []
