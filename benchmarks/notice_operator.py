"""Letters to a news site's takedown desk: intake and completeness figures on the labelled operator set.

    python benchmarks/notice_operator.py [--misses]     the figures of the product as it is
    python benchmarks/notice_operator.py --forward      kind and remedy forward-chained by batch
    python benchmarks/notice_operator.py --train        write the learned reader's weights (batches 1-4)

The default prints the dev figures (batches 1-4) and the held-out fifth batch's side by side (kind, regime, remedy,
infringing-URL P/R/F1, element and status accuracy); `--misses` lists the dev files that differ from their labels.
The learned reader is trained on batches 1-4, never on the fifth.

`--forward` is the honest figure for letters never seen: for each batch k+1 it takes the kind rules as they stood
when that batch was first scored (the commits in FOLD_RULES, read from git into a temporary folder and run there)
and the learned reader trained on batches 1..k only, combined as the product combines them; it prints the rules
alone ("before"), the reader alone, and the two combined ("after"), per batch and their mean. The scorer and the
service are the quality gate's own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.takedown.notices import classifier
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.kinds import combine, learned_reading
from compliance.takedown.notices.service import Service
from tests.compliance.takedown.notices.scoring import score_labels
from tests.compliance.takedown.notices.test_operator_quality import (
    BASE,
    batch_of,
    labels,
    operator_service,
    trained_rows,
    trained_sha256,
)

# The rules each batch was first scored with ("fresh" in benchmarks/RESULTS.md): batch 2 with the rules tuned on
# batch 1, batch 3 with those tuned on 1-2, batch 4 with those tuned on 1-3 (the last commit before the learned
# reader; batch 4 was never read while tuning them).
FOLD_RULES = {2: "7e14c3c", 3: "85bf6ed", 4: "c0e0fe7"}

_OLD_RULES = """
import json, sys
from pathlib import Path
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.service import Service, service_host
base, names = Path(sys.argv[1]), json.loads(sys.argv[2])
meta = json.loads((base / "labels.json").read_text(encoding="utf-8"))
service = Service(names=(meta["operator"]["name"],), hosts=tuple(service_host(o) for o in meta["operator"]["origins"]))
out = {}
for name in names:
    notice = parse_bytes((base / "letters" / name).read_bytes(), name, service)[0]
    out[name] = [notice.kind, notice.remedy]
print(json.dumps(out))
"""


def scope(name: str, service: Service) -> str:
    """The text the product reads a letter's kind from: the subject line and the body."""
    notice = parse_bytes((BASE / "letters" / name).read_bytes(), name, service)[0]
    return f"{notice.subject}\n{notice.text}" if notice.subject else notice.text


def joint(row: dict[str, Any]) -> str:
    return f"{row['kind']}/{row['remedy']}"


def rules_at(commit: str, names: list[str]) -> dict[str, tuple[str, str]]:
    """Each letter's (kind, remedy) by the code of `commit` (its compliance package, unpacked and run apart)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "compliance"], capture_output=True,
                             check=True).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        done = subprocess.run([sys.executable, "-c", _OLD_RULES, str(BASE), json.dumps(names)], cwd=folder,
                              capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": folder})
    return {name: (kind, remedy) for name, (kind, remedy) in json.loads(done.stdout).items()}


def forward() -> None:
    service = operator_service()
    rows = trained_rows()
    texts = {row["file"]: scope(row["file"], service) for row in rows}
    table: dict[str, list[tuple[float, float]]] = {"rules as they stood (before)": [], "learned reader alone": [],
                                                   "combined (after)": []}
    for test, commit in FOLD_RULES.items():
        train = [row for row in rows if batch_of(row["file"]) < test]
        tested = [row for row in rows if batch_of(row["file"]) == test]
        model = classifier.train([texts[r["file"]] for r in train], [joint(r) for r in train], service)
        old = rules_at(commit, [r["file"] for r in tested])
        readings = {r["file"]: learned_reading(texts[r["file"]], service, model) for r in tested}
        answers = {"rules as they stood (before)": old,
                   "learned reader alone": {r["file"]: model.predict(texts[r["file"]], service) for r in tested},
                   "combined (after)": {f: combine(old[f], readings[f]) for f in old}}
        for label, got in answers.items():
            kind = sum(got[r["file"]][0] == r["kind"] for r in tested) / len(tested)
            remedy = sum(got[r["file"]][1] == r["remedy"] for r in tested) / len(tested)
            table[label].append((kind, remedy))
    heads = "  ".join(f"{'1' if t == 2 else f'1-{t - 1}'} -> {t} ({sum(batch_of(r['file']) == t for r in rows)})"
                      .ljust(16) for t in FOLD_RULES)
    print(f"forward-chained by batch (trained on batches 1..k, scored on k+1): kind / remedy\n{'':30s}{heads}mean")
    for label, figures in table.items():
        cells = "  ".join(f"{k:.3f} / {m:.3f}".ljust(16) for k, m in figures)
        mean_k = sum(k for k, _ in figures) / len(figures)
        mean_m = sum(m for _, m in figures) / len(figures)
        print(f"{label:30s}{cells}{mean_k:.3f} / {mean_m:.3f}")


def train_and_write() -> None:
    service = operator_service()
    rows = trained_rows()
    model = classifier.train([scope(r["file"], service) for r in rows], [joint(r) for r in rows], service)
    classifier.save(model, classifier.MODEL_FILE, letters=len(rows), trained_sha256=trained_sha256(),
                    buckets=classifier.BUCKETS, c=classifier.C)
    print(f"wrote {classifier.MODEL_FILE.relative_to(REPO)}: {len(rows)} letters, classes {', '.join(model.classes)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the dev files that differ from their labels")
    parser.add_argument("--forward", action="store_true", help="kind and remedy forward-chained by batch")
    parser.add_argument("--train", action="store_true", help="write the learned reader's weights")
    args = parser.parse_args(argv)
    if args.train:
        train_and_write()
        return 0
    if args.forward:
        forward()
        return 0
    for split, title in (("dev", "dev, batches 1-4"), ("heldout", "batch 5, held out")):
        rows = labels(split)
        score = score_labels(BASE / "letters", rows, service=operator_service())
        print(f"{title} ({len(rows)} letters)\n{score.summary()}\n")
        if args.misses and split == "dev":
            for line in score.misses:
                print("  miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
