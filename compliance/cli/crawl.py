"""`provenance crawl`: crawl sites with Scrapy and store the evidence."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from compliance.cli.common import UserFacingError, db_option, db_url, echo, verbose
from compliance.records import SiteSpec


def check_role(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """A mistyped role is a user error with one line and exit 1 (not a usage dump)."""
    role = value.strip().lower()
    if role not in ("publisher", "aggregator"):
        raise UserFacingError(
            f"unknown role '{value}'. Fix: use --role publisher (originals) or --role aggregator (copies)."
        )
    return role


def crawl_settings(since: str | None, allow: tuple[str, ...], allow_private: tuple[str, ...], delay: float | None,
                   concurrency: int | None, workers: int | None, progress: bool) -> dict[str, Any]:
    """The Scrapy settings a crawl's options set (only those given: the rest keep crawler/settings.py's)."""
    from compliance.dates import parse_machine

    settings: dict[str, Any] = {"PROVENANCE_PROGRESS": progress}
    if since is not None:
        if parse_machine(since) is None:
            raise UserFacingError(f"--since '{since}' is not a date. Fix: write it as YYYY-MM-DD, e.g. 2026-01-31.")
        settings["PROVENANCE_SINCE"] = since
    if allow:
        settings["PROVENANCE_SCOPE_ALLOW"] = list(allow)
    if allow_private:
        settings["PROVENANCE_ALLOW_PRIVATE"] = list(allow_private)
    if delay is not None:
        settings["DOWNLOAD_DELAY"] = delay
    if concurrency is not None:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = concurrency
    if workers is not None:
        settings["PROVENANCE_WORKERS"] = workers
    return settings


@click.command("crawl")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--role", required=True, callback=check_role, metavar="publisher|aggregator",
              help="What the site is: a publisher of originals or an aggregator that republishes.")
@click.option("--name", default=None,
              help="Name people use for the site in credits (default: its registered name, else its host).")
@click.option("--alias", "aliases", multiple=True, help="Other names for the site (repeatable): 'BBC News', 'bbc.co.uk'.")
@click.option("--max-pages", default=200, show_default=True, type=click.IntRange(1), help="Stop after this many pages.")
@click.option("--depth", default=3, show_default=True, type=click.IntRange(0), help="Follow links this many hops from a start URL.")
@click.option("--warc-dir", default="warc", show_default=True, help="Folder for the WARC evidence files.")
@click.option("--update", is_flag=True,
              help="Allow this crawl to rename a known site or change its role (otherwise refused, saying what "
                   "would change).")
@click.option("--resume", "resume", flag_value="always",
              help="Continue the last unfinished run of the same URLs, also one that failed (a run a crash left "
                   "unfinished is continued without this flag).")
@click.option("--fresh", "resume", flag_value="never", help="Start a new run even if a crash left one unfinished.")
@click.option("--since", default=None, metavar="DATE",
              help="Skip sitemap and feed entries dated before DATE (YYYY-MM-DD); pages found by links are kept.")
@click.option("--allow", "allow", multiple=True, metavar="HOST",
              help="Also crawl this host (and its subdomains) as part of the site (repeatable).")
@click.option("--allow-private", "allow_private", multiple=True, metavar="HOST",
              help="Let images and redirects off the crawled sites reach this internal host (intranet audits; "
                   "repeatable). Without it they must be public addresses.")
@click.option("--delay", default=None, type=click.FloatRange(0), metavar="SECONDS",
              help="Least wait between two requests to one host (AutoThrottle adapts above it).")
@click.option("--concurrency", default=None, type=click.IntRange(1), metavar="N",
              help="Requests in flight per host at most (default 8).")
@click.option("--quiet", is_flag=True, help="No progress line (it is shown only on a terminal anyway).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--workers", default=None, type=click.IntRange(0),
              help="Worker processes for extraction and fingerprints (default: the usable cores, at most 4; 0: none).")
@db_option
@click.pass_context
def crawl_cmd(ctx: click.Context, urls: tuple[str, ...], role: str, name: str | None, aliases: tuple[str, ...],
              max_pages: int, depth: int, warc_dir: str, update: bool, resume: str | None, since: str | None,
              allow: tuple[str, ...], allow_private: tuple[str, ...], delay: float | None, concurrency: int | None, quiet: bool, as_json: bool,
              workers: int | None, db: str | None) -> None:
    """Crawl one site from its start URLs and record where every article and image came from.

    Pages, images, redirects and HTTP evidence (WARC) are stored in the database; run it once
    per site, then `provenance link` and `provenance audit`.
    """
    from crawler.runner import CrawlTarget, run_crawl

    target = CrawlTarget(SiteSpec(name=(name or "").strip(), role=role, aliases=list(aliases)), list(urls))
    settings = crawl_settings(since=since, allow=allow, allow_private=allow_private, delay=delay, concurrency=concurrency, workers=workers,
                              progress=not quiet and not as_json and sys.stderr.isatty())

    def said(run_id: int, why: str) -> None:
        echo(f"resuming crawl run {run_id} of the same URLs ({why}); pass --fresh to start a new run instead")

    result = run_crawl([target], db=db_url(ctx, db), warc_dir=warc_dir, max_pages=max_pages, depth=depth,
                       update=update, resume=resume or "auto", on_resume=said, settings=settings)
    site_name = target.site.name
    c = result.counts
    if as_json:
        echo(json.dumps({"run": result.run_id, "site": site_name, "role": role, "resumed": result.resumed,
                         "seconds": round(result.seconds, 2), **c,
                         "failed_start_urls": [{"url": u, "reason": r} for u, r in result.start_failures]}))
    else:
        echo(f"crawl run {result.run_id}: {c['pages']} pages, {c['images']} images, "
             f"{c['errors']} failed fetches in {result.seconds:.1f} s ({site_name}, {role})")
    if verbose(ctx) and c["errors"]:
        echo("failed fetches are listed in the report's evidence section", err=True)
    if result.start_failures:
        for url, reason in result.start_failures[:-1]:
            echo(f"error: {url} {reason}", err=True)
        url, reason = result.start_failures[-1]
        stored = (f"the {c['pages']} other pages were stored" if c["pages"] else "nothing else was fetched")
        raise UserFacingError(f"{url} {reason}; the fault is recorded in crawl run {result.run_id}. Fix: check the "
                              f"URL in a browser; {stored} (see the report's evidence section).")
