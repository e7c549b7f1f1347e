"""Letters to a news site's takedown desk: intake and completeness figures on the labelled operator set.

    python benchmarks/notice_operator.py [--misses]

Prints the dev figures and the held-out ones side by side (kind, regime, remedy, infringing-URL P/R/F1, element and
status accuracy); `--misses` lists the dev files that differ from their labels (never the held-out ones, which are
not read while tuning). The scorer and the service are the quality gate's own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.compliance.takedown.notices.scoring import score_labels  # noqa: E402
from tests.compliance.takedown.notices.test_operator_quality import BASE, labels, operator_service  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the dev files that differ from their labels")
    args = parser.parse_args(argv)
    for split in ("dev", "heldout"):
        rows = labels(split)
        score = score_labels(BASE / "letters", rows, service=operator_service())
        print(f"{split} ({len(rows)} letters)\n{score.summary()}\n")
        if args.misses and split == "dev":
            for line in score.misses:
                print("  miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
