"""Held-out check of notice intake and completeness: a folder of notices against a labels JSON, figures only.

    python benchmarks/notice_heldout.py NOTICES_DIR LABELS.json [--misses] [--pipeline]

LABELS.json is a list (or `{"notices": [...]}`) of records
`{"file", "kind", "regime", "infringing_urls": [...], "elements": {name: bool} | null}`; `elements` is given for
takedown notices (512(c)(3)(A)) and counter-notices (512(g)(3)) only. URLs are compared by `match_key`, as the dev
quality gate does (the scorer is the gate's own: tests/compliance/takedown/notices/scoring.py); labelled URLs that are redacted (`[private]`, `[invalid]`) have no key and are not scored.
Completeness is checked with the labelled kind and regime (so intake errors do not count twice) unless `--pipeline`
asks for the parsed ones. No data lives here: the notices and labels are read from the paths given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.takedown.notices.profiles import GITHUB  # noqa: E402  (the archive these notices come from)
from tests.compliance.takedown.notices.scoring import load_labels, score_labels  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding the notice files named in the labels")
    parser.add_argument("labels", type=Path, help="labels JSON")
    parser.add_argument("--misses", action="store_true", help="list every file that differs from its label")
    parser.add_argument("--pipeline", action="store_true", help="check completeness with the parsed kind/regime")
    args = parser.parse_args(argv)
    fig = score_labels(args.folder, load_labels(args.labels), pipeline=args.pipeline, service=GITHUB)
    print(fig.summary())
    if args.misses:
        for line in fig.misses:
            print("  miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
