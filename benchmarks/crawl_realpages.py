"""Crawl speed on real news pages: the AEB pages served twice on 127.0.0.1, crawled as publisher and mirror.

Usage: python benchmarks/crawl_realpages.py [--shared ../shared]

Runs what tests/test_real_pages.py runs (two `provenance crawl` runs, `link`, `audit`), each command in its own
process as a user would, and prints pages/s per crawl, link and audit seconds and each command's peak RSS. The
first server doubles as HTTP(S) proxy for every other host (the pages' own images), so nothing leaves the
machine. No assertions: figures for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_real_pages import realpages_server  # noqa: E402


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS MiB of this child, stdout) for one `provenance` command in a subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "compliance.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(f"exit {proc.returncode}: {' '.join(args[:2])}\n{proc.stderr[-1500:]}", file=sys.stderr)
    # ru_maxrss of children is the largest so far, so a smaller later child reports the earlier peak.
    return seconds, max(peak, before) / 1024, proc.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name, realpages_server(args.shared) as site, \
            realpages_server(args.shared) as mirror:
        tmp = Path(tmp_name)
        db = str(tmp / "r.db")
        env = {**os.environ, "PYTHONPATH": str(REPO), "http_proxy": site, "https_proxy": site,
               "no_proxy": "127.0.0.1,localhost"}
        env.pop("PROVENANCE_DB", None)
        common = ["--depth", "1", "--max-pages", "200", "--warc-dir", str(tmp / "warc"), "--db", db]
        for name, base, role in (("RealPages", site, "publisher"), ("Mirror", mirror, "aggregator")):
            seconds, rss, out = run(["crawl", f"{base}/index.html", "--role", role, "--name", name, *common], env, tmp)
            pages = int(out.split(":")[1].split(" pages")[0]) if ":" in out else 0
            print(f"crawl {name}: {out}")
            print(f"  {seconds:.1f} s wall, {pages / seconds:.1f} pages/s, peak RSS {rss:.0f} MiB")
        for command in ("link", "audit"):
            seconds, rss, out = run([command, "--db", db], env, tmp)
            print(f"{command}: {out}\n  {seconds:.2f} s wall, peak RSS so far {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
