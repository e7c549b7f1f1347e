"""Benchmark: notice intake quality on the labelled GitHub DMCA sample, and parsing speed.

Run from the repository root:
    python benchmarks/notice_intake.py            # figures + files/second
    python benchmarks/notice_intake.py --misses   # also list every file that differs from its label
Prints figures; never asserts (the floors live in
tests/compliance/takedown/notices/test_intake_quality.py; the scorer is the gate's own, scoring.py beside it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.takedown.notices.intake import parse_bytes  # noqa: E402
from compliance.takedown.notices.profiles import GITHUB  # noqa: E402  (the archive these notices come from)
from tests.compliance.takedown.notices.scoring import load_labels, score_labels  # noqa: E402

DEV = REPO.parent / "shared" / "data" / "dmca-notices" / "dev"
LABELS = REPO / "tests" / "compliance" / "takedown" / "notices" / "labels" / "dev-labels.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list files whose parse differs from the label")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over all dev files")
    args = parser.parse_args()
    if not DEV.is_dir():
        sys.exit(f"shared data not found: {DEV.name}/ beside the repository")
    result = score_labels(DEV, load_labels(LABELS), service=GITHUB)
    print("quality:\n" + result.summary())
    for line in result.misses if args.misses else []:
        print("  miss:", line)
    files = sorted(p for p in DEV.iterdir() if p.suffix in (".md", ".markdown") and p.name != "README.md")
    blobs = [(p.name, p.read_bytes()) for p in files]
    size = sum(len(b) for _, b in blobs)
    for round_number in range(args.rounds):
        started = time.perf_counter()
        for name, data in blobs:
            parse_bytes(data, name)
        elapsed = time.perf_counter() - started
        label = "cold (first pass)" if round_number == 0 else f"warm pass {round_number}"
        if round_number in (0, args.rounds - 1):
            print(f"speed, {label}: {len(blobs)} files ({size / 1024:.0f} kB) in {elapsed:.2f} s = "
                  f"{len(blobs) / elapsed:.0f} files/s, {size / elapsed / 1048576:.2f} MB/s")
    many = "\n".join(f"https://host.example/file/{i}?a=1&amp;b=%26" for i in range(5000)).encode()
    started = time.perf_counter()
    [notice] = parse_bytes(b"Please remove the following infringing URLs:\n" + many, "bulk.txt")
    print(f"bulk letter: {len(notice.urls)} URLs classified in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
