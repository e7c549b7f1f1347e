"""Adversarial notices: every intake and completeness pattern must run in linear time.

    python benchmarks/notice_adversarial.py [--size N] [--only NAME]

Each input kind (a 58 KB single-line letter, long runs of one character, long URL lists, JSON notices with
thousands of URLs...) is built at N and 2N characters and run through the whole pipeline a notice takes: parse
(`parse_bytes`), then the completeness check as a DMCA notice, a counter-notice and a DSA notice. Linear code takes
about twice as long at 2N; the script prints the seconds at both sizes and their ratio (a ratio near 4 is quadratic),
and the slowest case. Figures only: nothing is asserted here (the tests feed the same inputs for correctness).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.takedown.notices.completeness import check_notice  # noqa: E402
from compliance.takedown.notices.intake import parse_bytes  # noqa: E402
from tests.compliance.takedown.notices.adversarial import adversarial_inputs  # noqa: E402

def run(name: str, data: bytes) -> float:
    began = time.perf_counter()
    try:
        notices = parse_bytes(data, name)
    except Exception:  # noqa: BLE001 - a refused input is an answer too; the time is what is measured
        return time.perf_counter() - began
    for notice in notices:
        for kind, regime in (("notice", "dmca"), ("counter_notice", "dmca"), ("notice", "dsa")):
            check_notice(notice.text, kind, regime)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=30_000, help="characters of the smaller input (default 30,000)")
    parser.add_argument("--only", default=None, help="run one input kind")
    args = parser.parse_args(argv)
    worst: tuple[float, str] = (0.0, "")
    for (kind, fname, small), (_, _, large) in zip(adversarial_inputs(args.size), adversarial_inputs(2 * args.size)):
        if args.only and kind != args.only:
            continue
        a, b = run(fname, small), run(fname, large)
        worst = max(worst, (b, kind))
        print(json.dumps({"input": kind, "chars": [len(small), len(large)], "seconds": [round(a, 3), round(b, 3)],
                          "ratio": round(b / a, 2) if a > 1e-4 else None}), flush=True)
    print(json.dumps({"slowest": worst[1], "seconds": round(worst[0], 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
