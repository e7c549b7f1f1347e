"""Crawl throughput: plain Scrapy, Scrapy + trafilatura, and `provenance crawl` on the same generated site.

Usage: python benchmarks/crawl.py [--articles 2000] [--shared ../shared] [--runs 1] [--workers auto]

Writes a news site of `--articles` article pages (~29 KB each: navigation, JSON-LD, a body of real sentences
from the AEB ground truth reshuffled, related links, footer) plus a home page and section pages, serves it on
127.0.0.1 (one static server process for all three), and crawls it in one run three ways, each a fresh
process: a plain Scrapy spider that follows the links, the same spider calling `trafilatura.extract` on every
page, and `provenance crawl` (extraction, fingerprints, WARC and the database). Same Scrapy concurrency
settings for all; pages/s is pages over the crawl's own elapsed time (Scrapy's `elapsed_time_seconds`; for
provenance the seconds it prints), and the ratios are printed. No assertions: figures for RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECTIONS = 40

PEER_SPIDER = r'''
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

EXTRACT = sys.argv[2] == "trafilatura"
if EXTRACT:
    import trafilatura

class Site(scrapy.Spider):
    name = "peer"
    start_urls = [sys.argv[1]]
    seen = set()
    def parse(self, response):
        if EXTRACT:
            trafilatura.extract(response.text)
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url.startswith(self.start_urls[0].rsplit("/", 1)[0]) and url not in self.seen:
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.parse)

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 16,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "COOKIES_ENABLED": False,
                          "TELNETCONSOLE_ENABLED": False})
crawler = process.create_crawler(Site)
process.crawl(crawler)
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"pages": stats.get("response_received_count", 0),
                  "seconds": stats.get("elapsed_time_seconds", 0.0)}))
'''


def sentences(shared: Path) -> list[str]:
    truth = json.loads((shared / "data" / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = [v.get("articleBody", "") if isinstance(v, dict) else str(v) for v in truth.values()]
    out = [s.strip() for body in bodies for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]
    return [s for s in out if s.isascii()] or out


def article_html(k: int, j: int, n: int, rng: random.Random, pool: list[str]) -> str:
    nav = "".join(f'<li><a href="/s/{s}.html">Section {s}</a></li>' for s in range(SECTIONS))
    related = "".join(f'<li><a href="/a/{k}/{rng.randrange(n)}.html">Related story {r}</a></li>' for r in range(5))
    paras, size = [], 0
    while size < 24_000:
        para = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        paras.append(f"<p>{escape(para)}</p>")
        size += len(para)
    title = escape(" ".join(rng.choice(pool).split()[:9]))
    footer = "".join(f'<p class="legal">Footer notice {f}: terms, privacy, cookies and contact.</p>' for f in range(30))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"2026-{1 + k % 12:02d}-{1 + j % 28:02d}T08:00:00Z",
                     "author": {"@type": "Person", "name": f"Reporter {j % 50}"}})
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench News</title>'
            f'<meta property="og:site_name" content="Bench News"><script type="application/ld+json">{ld}</script>'
            f'</head><body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>'
            f'<p class="byline">By Reporter {j % 50}</p>{"".join(paras)}</article>'
            f'<aside><h2>Related</h2><ul>{related}</ul></aside></main><footer>{footer}</footer></body></html>')


def write_site(root: Path, articles: int, shared: Path) -> None:
    rng = random.Random(20261128)
    pool = sentences(shared)
    per = max(1, articles // SECTIONS)
    links = "".join(f'<li><a href="/s/{s}.html">Section {s}</a></li>' for s in range(SECTIONS))
    (root / "index.html").write_text(f"<html><body><h1>Bench News</h1><ul>{links}</ul></body></html>")
    (root / "s").mkdir()
    for s in range(SECTIONS):
        items = "".join(f'<li><a href="/a/{s}/{j}.html">Story {s}-{j}</a></li>' for j in range(per))
        (root / "s" / f"{s}.html").write_text(f"<html><body><h1>Section {s}</h1><ul>{items}</ul></body></html>")
        (root / "a" / str(s)).mkdir(parents=True)
        for j in range(per):
            (root / "a" / str(s) / f"{j}.html").write_text(article_html(s, j, per, rng, pool))


def child(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[str, float, float]:
    """(stdout, wall seconds, peak RSS MiB) of one fresh process."""
    began = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        print(f"exit {proc.returncode}: {' '.join(cmd[:4])}\n{proc.stderr[-2000:]}", file=sys.stderr)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc.stdout, wall, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--runs", type=int, default=1, help="repeat the three crawls this many times")
    parser.add_argument("--workers", default="auto", help="provenance crawl --workers (auto: its default)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PROVENANCE_DB", None)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        site = tmp / "site"
        site.mkdir()
        write_site(site, args.articles, args.shared)
        pages_total = sum(1 for _ in site.rglob("*.html"))
        size = sum(p.stat().st_size for p in site.rglob("*.html")) / pages_total / 1024
        print(f"site: {pages_total} pages, mean {size:.1f} KB")
        server = subprocess.Popen([sys.executable, "-m", "tests.staticserver", f"site={site}"], cwd=REPO,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            base = json.loads(server.stdout.readline())["site"]  # type: ignore[union-attr]
            (tmp / "peer.py").write_text(PEER_SPIDER)
            for run in range(args.runs):
                rates: dict[str, float] = {}
                for label, mode in (("scrapy", "plain"), ("scrapy+trafilatura", "trafilatura")):
                    out, wall, _ = child([sys.executable, str(tmp / "peer.py"), f"{base}/index.html", mode], env, tmp)
                    got = json.loads(out.strip().splitlines()[-1])
                    rates[label] = got["pages"] / got["seconds"]
                    print(f"run {run + 1} {label}: {got['pages']} responses in {got['seconds']:.1f} s = "
                          f"{rates[label]:.1f} pages/s (process {wall:.1f} s)")
                db = tmp / f"bench-{run}.db"
                cmd = [sys.executable, "-m", "compliance.cli", "crawl", f"{base}/index.html", "--role", "publisher",
                       "--max-pages", str(pages_total + 10), "--depth", "3", "--warc-dir", str(tmp / f"warc-{run}"),
                       "--db", f"sqlite:///{db}", "--fresh"]
                if args.workers != "auto":
                    cmd += ["--workers", args.workers]
                out, wall, rss = child(cmd, env, tmp)
                m = re.search(r"(\d+) pages, (\d+) images, (\d+) failed fetches in ([\d.]+) s", out)
                pages, seconds = (int(m.group(1)), float(m.group(4))) if m else (0, wall)
                rates["provenance"] = pages / seconds
                print(f"run {run + 1} provenance crawl: {pages} pages in {seconds:.1f} s = {rates['provenance']:.1f} "
                      f"pages/s (process {wall:.1f} s, peak RSS of the children so far {rss:.0f} MiB)")
                print(f"run {run + 1} ratios: provenance / scrapy+trafilatura = "
                      f"{rates['provenance'] / rates['scrapy+trafilatura']:.2f}x, provenance / scrapy = "
                      f"{rates['provenance'] / rates['scrapy']:.2f}x")
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
