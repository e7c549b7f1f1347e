"""Discovery: the pages a site lists itself, from its sitemaps and feeds, dated so `--since` can skip old ones.

Pure (no Scrapy): the spider fetches, these modules read what it fetched. `safexml` bounds every document,
`sitemaps` reads robots.txt `Sitemap:` lines, indexes and URL sets and walks them within caps, `feeds` reads RSS
and Atom and finds the feeds a page announces, `since` decides which dated entries are old.
"""

from __future__ import annotations

from crawler.discovery.feeds import Feed, FeedEntry, feed_links, parse_feed
from crawler.discovery.since import is_recent
from crawler.discovery.sitemaps import (
    Sitemap,
    SitemapEntry,
    SitemapLimits,
    SitemapWalk,
    WalkStep,
    default_sitemap_url,
    parse_sitemap,
    sitemaps_from_robots,
)

__all__ = [
    "Feed", "FeedEntry", "Sitemap", "SitemapEntry", "SitemapLimits", "SitemapWalk", "WalkStep", "default_sitemap_url",
    "feed_links", "is_recent", "parse_feed", "parse_sitemap", "sitemaps_from_robots",
]
