"""`provenance demo`: serve the bundled sample sites on 127.0.0.1, crawl, link, audit, write the reports."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from compliance.cli.common import db_option, db_url, echo


@dataclass
class DemoResult:
    out: Path
    counts: dict[str, int]
    summary: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    reports: list[Path] = field(default_factory=list)
    site_urls: dict[str, str] = field(default_factory=dict)


def previous_ports(origins: dict[str, list[str]], sites: Any) -> dict[str, int]:
    """The 127.0.0.1 port each demo site had last time, so a rerun serves the same URLs."""
    from urllib.parse import urlsplit

    ports = {}
    for site in sites:
        for origin in reversed(origins.get(site.name, [])):
            parts = urlsplit(origin)
            if parts.hostname == "127.0.0.1" and parts.port:
                ports[site.key] = parts.port
                break
    return ports


def run_demo(out: Path, db: str | None = None) -> DemoResult:
    """The whole path once, on bundled sites: a library call the command wraps."""
    from compliance.attribution.report import build_attribution_report
    from compliance.attribution.audit import audit
    from compliance.db import open_db, session_scope
    from compliance.demo.server import DEMO_SITES, SiteServers
    from compliance.errors import InputError
    from compliance.attribution.linking import link
    from compliance.records import SiteSpec
    from compliance.settings import policy
    from compliance.store import retire_other_origins, site_origins
    from crawler.runner import CrawlTarget, run_crawl
    from reports.attribution import render_attribution

    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder.", "pass a folder path for the reports.")
    if not out.parent.resolve().is_dir():
        raise InputError(f"cannot create {out}: folder {out.parent} does not exist.", "create it or pick another --out.")
    out.mkdir(exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    engine = open_db(db)  # fail fast on a bad --db before any server starts
    ports = previous_ports(site_origins(engine, [s.name for s in DEMO_SITES]), DEMO_SITES)
    engine.dispose()
    with SiteServers(DEMO_SITES, ports=ports) as servers:
        targets = [
            CrawlTarget(SiteSpec(name=s.name, role=s.role, origins=[servers.urls[s.key]], aliases=list(s.aliases),
                                 operated=s.operated), [servers.urls[s.key] + "/"])
            for s in DEMO_SITES
        ]
        timings["serve"] = time.perf_counter() - t0
        t = time.perf_counter()
        # update: a port that could not be reused may be one another demo site had before; it moves with its site
        crawl = run_crawl(targets, db=db, warc_dir=str(out / "warc"), max_pages=100, depth=3, update=True)
        timings["crawl"] = time.perf_counter() - t
        urls = dict(servers.urls)
    engine = open_db(db)
    for s in DEMO_SITES:  # only if a port could not be reused: the old URLs are retired, not duplicated
        retire_other_origins(engine, s.name, [urls[s.key]])
    pol = policy()
    t = time.perf_counter()
    linked = link(engine, pol)
    timings["link"] = time.perf_counter() - t
    t = time.perf_counter()
    audit(engine, pol)
    timings["audit"] = time.perf_counter() - t
    t = time.perf_counter()
    with session_scope(engine) as session:
        data = build_attribution_report(session)
    reports = []
    for fmt in ("html", "json"):
        path = out / f"attribution.{fmt}"
        path.write_text(render_attribution(data, fmt), encoding="utf-8")
        reports.append(path)
    timings["report"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    engine.dispose()
    counts = dict(crawl.counts)
    counts["matches"] = linked.document_matches + linked.image_matches
    return DemoResult(out, counts, data["summary"], timings, reports, urls)


@click.command("demo")
@click.option("--out", default="provenance-demo", show_default=True, metavar="DIR",
              help="Folder for the reports (attribution.html, attribution.json) and WARC evidence.")
@db_option
@click.pass_context
def demo_cmd(ctx: click.Context, out: str, db: str | None) -> None:
    """Run the whole job on bundled sample sites served on 127.0.0.1 (no other network).

    Serves a publisher and an aggregator site, crawls them with Scrapy, fingerprints and links
    copies to originals, audits attribution and writes the HTML and JSON reports.
    """
    result = run_demo(Path(out), db_url(ctx, db))
    s = result.summary
    t = result.timings
    echo(f"crawled {result.counts['pages']} pages and {result.counts['images']} images "
               f"({result.counts['errors']} failed fetches) from {len(result.site_urls)} sample sites")
    echo(f"documents {s['documents']}, images {s['images']}, matches {result.counts['matches']}, "
               f"copies {s['copies']}")
    echo("findings: " + (", ".join(f"{k} {v}" for k, v in s["by_code"].items()) or "none"))
    for path in result.reports:
        echo(f"report: {path}")
    echo("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in t.items()))
