"""Crawl memory: RSS of `provenance crawl` and its worker processes over a crawl of 10,000+ pages.

Usage: python benchmarks/crawl_memory.py [--articles 10000] [--shared ../shared] [--interval 2] [--workers auto]
                                         [--samples FILE] [--hold-lock FRACTION] [--probe SECONDS [--tracemalloc]]

Writes the generated news site of `benchmarks/crawl.py` (`--articles` pages of ~29 KB, 40 sections), serves it on
127.0.0.1 and crawls it once with `provenance crawl` (a fresh process, WARC and SQLite as a user would). Every
`--interval` seconds it reads /proc for the crawl process and all its descendants (the forkserver and the
extraction workers): RSS, PSS (shared pages counted once, so the tree's sum is honest) and VmHWM, and the pages
stored so far (the run's captures, read from the database). It prints the memory at 25/50/75/100% of the pages,
the peaks, and the growth per page between 25% and 75% (both mid-crawl; at 100% the workers are closing): the
seen set is ~100 bytes per URL by design, anything more is something kept per page.

`--hold-lock FRACTION` has another connection hold the database's write lock for that fraction of every 20 s
(as a second writer would: `provenance link`, another crawl), so the store falls behind the crawl on purpose and
shows whether items wait for it (bounded) or pile up in memory.

`--probe SECONDS` looks inside the crawl process every SECONDS (a thread started before the CLI runs): its live
objects by type, Scrapy's live Requests/Responses/items (`scrapy.utils.trackref`), pymalloc blocks and glibc's
bytes in use against bytes free but kept (fragmentation), printed as a table at the end; with `--tracemalloc`
also the Python allocation sites that grew most between the first probe and the last (slow). Probes cost time:
use them to find what grows, not for the figures. No assertions: figures for RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crawl import REPO, write_site

PROBE_WRAPPER = r'''
import ctypes, gc, json, os, re, runpy, sys, threading, time, tracemalloc
every, folder, trace = float(os.environ["BENCH_PROBE_EVERY"]), os.environ["BENCH_PROBE_DIR"], os.environ["BENCH_TRACE"]
if trace:
    tracemalloc.start(8)


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                 "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_kib():
    """glibc's view of every arena: bytes in use and bytes free but kept (fragmentation), in KiB."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return {}
    return {"malloc_used": (info.uordblks + info.hblkhd) // 1024, "malloc_free": info.fordblks // 1024}


def probe(n):
    from collections import Counter

    from scrapy.utils.trackref import live_refs
    rss = int(re.search(r"VmRSS:\s+(\d+)", open("/proc/self/status").read()).group(1))
    objects = gc.get_objects()
    types = Counter(type(o).__name__ for o in objects)
    writers = [o.writer for o in objects if type(o).__name__ == "StorePipeline"]
    line = {"t": round(time.monotonic(), 1), "rss": rss, "gc_objects": len(objects), "blocks": sys.getallocatedblocks(),
            "live_refs": {cls.__name__: len(refs) for cls, refs in live_refs.items() if len(refs)},
            "items": {name: types[name] for name in ("PageItem", "ImageItem", "TextPrints", "FrontierEntry")},
            "store_queue": sum(w._work_queue.qsize() for w in writers),
            "top_types": types.most_common(12), **malloc_kib()}
    del objects
    if trace:
        line["traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
        tracemalloc.take_snapshot().dump(os.path.join(folder, "first.snap" if n == 0 else "last.snap"))
    with open(os.path.join(folder, "probe.jsonl"), "a") as out:
        out.write(json.dumps(line) + "\n")


def probes():
    n = 0
    while True:
        time.sleep(every)
        try:
            probe(n)
        except Exception as exc:  # a probe never stops the crawl
            print(f"probe failed: {exc!r}", file=sys.stderr)
        n += 1


threading.Thread(target=probes, daemon=True).start()
sys.argv = ["provenance", *sys.argv[1:]]
runpy.run_module("compliance.cli", run_name="__main__")
'''


@dataclass
class Sample:
    seconds: float
    pages: int
    crawl_rss: int  # KiB, the crawl process
    tree_rss: int  # KiB, the crawl process and every descendant (shared pages counted in each)
    tree_pss: int  # KiB, the same with shared pages divided among their users
    workers: int  # descendants alive
    crawl_hwm: int  # KiB, VmHWM of the crawl process so far
    worker_hwm: int  # KiB, the largest VmHWM among the descendants
    worker_rss: list[tuple[str, int]] = field(default_factory=list)  # (role, KiB) of each descendant


def status_kib(pid: int, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(m.group(1)) if m else 0


def pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(m.group(1)) if m else 0


def descendants(root: int) -> list[tuple[int, str]]:
    """Every process below `root` and what it is, from each process's parent id in /proc/PID/stat: the
    forkserver and resource tracker of multiprocessing (children of the crawl), the workers (the forkserver's)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[tuple[int, str]] = []
    for child in children.get(root, []):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        found.append((child, "tracker" if b"resource_tracker" in cmdline else "forkserver"))
        found += [(pid, "worker") for pid in children.get(child, [])]
    return found


def pages_stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("select count(*) from capture where kind = 'page'").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return -1  # not created yet, or busy: this sample has no page count


def sample(pid: int, began: float, db: Path) -> Sample:
    found = descendants(pid)
    below = [p for p, _ in found]
    rss = [(name, status_kib(p, "VmRSS")) for p, name in found]
    return Sample(seconds=time.monotonic() - began, pages=pages_stored(db), crawl_rss=status_kib(pid, "VmRSS"),
                  tree_rss=status_kib(pid, "VmRSS") + sum(kib for _, kib in rss),
                  tree_pss=pss_kib(pid) + sum(pss_kib(p) for p in below),
                  workers=len(below), crawl_hwm=status_kib(pid, "VmHWM"),
                  worker_hwm=max((status_kib(p, "VmHWM") for p in below), default=0), worker_rss=rss)


def hold_lock(db: Path, fraction: float, stop: threading.Event, period: float = 20.0) -> None:
    """Another writer: the database's write lock held `fraction` of every `period` seconds until `stop`."""
    while not db.exists() and not stop.wait(0.5):
        pass
    con = sqlite3.connect(db, timeout=60, isolation_level=None)
    try:
        while not stop.is_set():
            con.execute("BEGIN IMMEDIATE")
            stop.wait(fraction * period)
            con.execute("ROLLBACK")
            stop.wait((1 - fraction) * period)
    finally:
        con.close()


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def report(samples: list[Sample], total: int) -> None:
    counted = [s for s in samples if s.pages >= 0]
    print(f"\n{len(samples)} samples; memory in MiB (RSS of the crawl process, the sum over its tree, the tree's PSS)")
    print("| pages stored | % of site | elapsed s | crawl RSS | descendants' RSS | tree RSS | tree PSS |")
    print("| ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    marks: list[Sample] = []
    for share in (0.25, 0.5, 0.75, 1.0):
        hit = next((s for s in counted if s.pages >= share * total), counted[-1] if counted else None)
        if hit is None:
            continue
        marks.append(hit)
        each = ", ".join(f"{name} {mib(kib)}" for name, kib in sorted(hit.worker_rss)) or "-"
        print(f"| {hit.pages:,} | {100 * hit.pages / total:.0f} | {hit.seconds:.0f} | {mib(hit.crawl_rss)} | {each} | "
              f"{mib(hit.tree_rss)} | {mib(hit.tree_pss)} |")
    print(f"peak: crawl RSS {mib(max(s.crawl_rss for s in samples))} MiB, tree RSS "
          f"{mib(max(s.tree_rss for s in samples))} MiB, tree PSS {mib(max(s.tree_pss for s in samples))} MiB; "
          f"VmHWM crawl process {mib(max(s.crawl_hwm for s in samples))} MiB, largest worker "
          f"{mib(max(s.worker_hwm for s in samples))} MiB")
    if len(marks) >= 3 and marks[2].pages > marks[0].pages:
        first, last = marks[0], marks[2]
        pages = last.pages - first.pages
        print(f"growth from {first.pages:,} to {last.pages:,} pages: crawl process "
              f"{(last.crawl_rss - first.crawl_rss) * 1024 / pages:,.0f} bytes/page, tree PSS "
              f"{(last.tree_pss - first.tree_pss) * 1024 / pages:,.0f} bytes/page")


def probe_report(path: Path, began: float) -> None:
    if not path.exists():
        print("probe: none taken (the crawl was shorter than --probe)")
        return
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    print("\nprobes inside the crawl process (KiB; objects; Scrapy's live objects)")
    print("| s | RSS | malloc used | malloc free | pymalloc blocks | gc objects | batches queued for the writer "
          "| items alive | live refs | top types |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for p in lines:
        refs = ", ".join(f"{k} {v}" for k, v in sorted(p["live_refs"].items()))
        top = ", ".join(f"{name} {count}" for name, count in p["top_types"][:6])
        items = ", ".join(f"{k} {v}" for k, v in p["items"].items())
        print(f"| {p['t'] - began:.0f} | {p['rss']:,} | {p.get('malloc_used', 0):,} | {p.get('malloc_free', 0):,} | "
              f"{p['blocks']:,} | {p['gc_objects']:,} | {p['store_queue']} | {items} | {refs} | {top} |")


def trace_report(folder: Path, top: int = 15) -> None:
    import tracemalloc

    first, last = folder / "first.snap", folder / "last.snap"
    if not (first.exists() and last.exists()):
        print("tracemalloc: the crawl ended before two probes were taken (lower --probe)")
        return
    before, after = tracemalloc.Snapshot.load(str(first)), tracemalloc.Snapshot.load(str(last))
    keep = [tracemalloc.Filter(False, tracemalloc.__file__)]
    diff = after.filter_traces(keep).compare_to(before.filter_traces(keep), "traceback")
    print(f"\ntracemalloc: the {top} allocation sites that grew most between the first and the last snapshot")
    for stat in diff[:top]:
        frames = [f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback if "site-packages" not in f.filename]
        where = " <- ".join(frames[-3:][::-1]) or str(stat.traceback[-1])
        print(f"  {stat.size_diff / 1024:+10,.0f} KiB {stat.count_diff:+9,d} blocks  {where}  "
              f"[{Path(stat.traceback[-1].filename).name}:{stat.traceback[-1].lineno}]")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--workers", default="auto", help="provenance crawl --workers (auto: its default)")
    parser.add_argument("--hold-lock", type=float, default=0.0, metavar="FRACTION",
                        help="another connection holds the database's write lock this fraction of every 20 s")
    parser.add_argument("--probe", type=float, default=0.0, metavar="SECONDS",
                        help="look inside the crawl process every SECONDS (objects, live refs, malloc)")
    parser.add_argument("--tracemalloc", action="store_true", help="with --probe: trace Python allocations too")
    parser.add_argument("--samples", type=Path, default=None, help="write every sample here (JSON lines)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PROVENANCE_DB", None)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        site = tmp / "site"
        site.mkdir()
        write_site(site, args.articles, args.shared)
        total = sum(1 for _ in site.rglob("*.html"))
        print(f"site: {total} pages, {sum(p.stat().st_size for p in site.rglob('*.html')) / 2**20:.0f} MiB")
        server = subprocess.Popen([sys.executable, "-m", "tests.staticserver", f"site={site}"], cwd=REPO,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            base = json.loads(server.stdout.readline())["site"]  # type: ignore[union-attr]
            db = tmp / "bench.db"
            cli = ["crawl", f"{base}/index.html", "--role", "publisher", "--max-pages", str(total + 10), "--depth",
                   "3", "--warc-dir", str(tmp / "warc"), "--db", f"sqlite:///{db}", "--fresh", "--json"]
            if args.workers != "auto":
                cli += ["--workers", args.workers]
            if args.probe:
                env.update(BENCH_PROBE_EVERY=str(args.probe), BENCH_PROBE_DIR=str(tmp),
                           BENCH_TRACE="1" if args.tracemalloc else "")
                cmd = [sys.executable, "-c", PROBE_WRAPPER, *cli]
            else:
                cmd = [sys.executable, "-m", "compliance.cli", *cli]
            began = time.monotonic()
            with open(tmp / "crawl.out", "w") as out, open(tmp / "crawl.err", "w") as err:  # never a full pipe
                crawl = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=out, stderr=err)
            stop = threading.Event()
            if args.hold_lock:
                threading.Thread(target=hold_lock, args=(db, args.hold_lock, stop), daemon=True).start()
            samples: list[Sample] = []
            while crawl.poll() is None:
                samples.append(sample(crawl.pid, began, db))
                time.sleep(args.interval)
            stop.set()
            crawl.wait()
            if crawl.returncode != 0:
                print(f"exit {crawl.returncode}\n{(tmp / 'crawl.err').read_text()[-2000:]}", file=sys.stderr)
            printed = (tmp / "crawl.out").read_text().strip()
            summary = json.loads(printed.splitlines()[-1]) if printed else {}
            samples = [s for s in samples if s.crawl_rss]
            print(f"crawl: {summary.get('pages')} pages, {summary.get('errors')} failed, "
                  f"{summary.get('seconds')} s (2 shared cores: timings are noisy)")
            report(samples, total)
            if args.samples:
                args.samples.write_text("".join(json.dumps(asdict(s)) + "\n" for s in samples))
            if args.probe:
                probe_report(tmp / "probe.jsonl", began)
            if args.probe and args.tracemalloc:
                trace_report(tmp)
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
