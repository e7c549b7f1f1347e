"""Element and status accuracy of the completeness checks on the labelled dev notices, plus the ablation figures.

Run from the repository root: `python benchmarks/notice_completeness.py [DEV_DIR]`. The scoring is the quality
gate's own (`tests/compliance/takedown/notices/scoring.py`); the floors live in `test_completeness_quality.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.takedown.notices.profiles import GITHUB  # noqa: E402  (the archive these notices come from)
from tests.compliance.takedown.notices.scoring import load_labels, score_labels  # noqa: E402

LABELS = REPO / "tests" / "compliance" / "takedown" / "notices" / "labels" / "elements.json"


def main(argv: list[str]) -> int:
    dev = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data" / "dmca-notices" / "dev"
    score = score_labels(dev, load_labels(LABELS), ablations=True, service=GITHUB)
    print(f"notices labelled: {score.statuses}, element decisions: {score.elements}")
    print(score.summary())
    for line in score.misses:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
