"""The progress line: figures from the crawl's stats, and never written when stderr is not a terminal."""

from __future__ import annotations

from pathlib import Path

from crawler.progress import progress_line
from tests.cli_helpers import run_cli
from tests.services import json_line_server
from tests.sitegen import write_site


def test_the_line_says_pages_images_errors_rate_and_queue() -> None:
    stats = {"provenance/pages": 30, "provenance/images": 4, "provenance/errors": 2}
    assert progress_line(stats, 10.0, 7) == "crawling: 30 pages, 4 images, 2 errors, 3.0 pages/s, 7 queued"
    assert progress_line({}, 0.0, 0) == "crawling: 0 pages, 0 images, 0 errors, 0.0 pages/s, 0 queued"


def test_no_progress_line_reaches_a_pipe(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, sections=1, per_section=2)
    with json_line_server("-m", "tests.staticserver", f"site={site}") as urls:
        proc = run_cli("crawl", f"{urls['site']}/index.html", "--role", "publisher", "--db", str(tmp_path / "p.db"),
                       "--warc-dir", str(tmp_path / "warc"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "crawling:" not in proc.stderr
    assert proc.stdout.startswith("crawl run 1: 4 pages")
