"""Quality gate: letters as a news site's takedown desk receives them, read against the operator's own sites.

169 real letters to website operators in five batches (tests/compliance/takedown/notices/operator/: sources in
SOURCES.md, labelling rules in RULES.md), their infringing URLs pointed at a test aggregator's hosts. Each batch was
scored once before any of it was tuned on. The first four (139 letters) are the dev part: the rules were tuned on
batches 1-3 and the learned reader of kind and remedy (`compliance/takedown/notices/classifier.py`) is trained on all
four (TRAINED); the fifth (30 letters from 29 sites not used before) is held out. How kind and remedy do on letters
never seen is measured forward-chained by batch (`python benchmarks/notice_operator.py --forward`,
benchmarks/RESULTS.md). Figures: `python benchmarks/notice_operator.py`. Floors sit at or just under the measured dev
figures and are never lowered silently (when a held-out batch joins the dev part, its fresh figures are recorded in
RULES.md first); the issue's targets (elements >= 0.97, status >= 0.95, URL F1 >= 0.95) are tracked on the held-out
part in benchmarks/RESULTS.md."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.service import Service, service_host
from tests.compliance.takedown.notices.scoring import Score, load_labels, score_labels

BASE = Path(__file__).resolve().parent / "operator"
# The batches as they came (file numbers); the learned reader is trained on the first four, never on a later one.
BATCHES = ((1, 53), (54, 83), (84, 112), (113, 139), (140, 169))
TRAINED = 4
# On letters the learned reader is trained on (batches 1-4 here) kind and remedy are 1.000: these floors say it
# still reads them, not how it does on new letters (that is `--forward`).
KIND_FLOOR = 0.99
REGIME_FLOOR = 0.99
REMEDY_FLOOR = 0.99
# Batch 4 joined the dev part with its held-out figures (URL F1 0.900, elements 0.879, RULES.md) and was never tuned
# on for URLs or elements: on batches 1-3 alone these floors were 0.98 and 0.97; on 1-4 the set measures 0.971 and 0.960.
URL_F1_FLOOR = 0.97
ELEMENT_FLOOR = 0.955
STATUS_FLOOR = 0.99


def operator_service() -> Service:
    """The test aggregator the letters were pointed at, as the sites registry would describe it."""
    meta = json.loads((BASE / "labels.json").read_text(encoding="utf-8"))["operator"]
    return Service(names=(meta["name"],), hosts=tuple(service_host(o) for o in meta["origins"]))


def labels(split: str) -> list[dict[str, Any]]:
    return [row for row in load_labels(BASE / "labels.json") if row["split"] == split]


def batch_of(name: str) -> int:
    """The batch a letter came in (by its file number); a letter past the known batches is in a later one."""
    number = int(name[:3])
    return next((i for i, (lo, hi) in enumerate(BATCHES, 1) if lo <= number <= hi), len(BATCHES) + 1)


def trained_rows() -> list[dict[str, Any]]:
    """The labelled letters the shipped reader is trained on: batches 1..TRAINED, whatever their split."""
    return [row for row in load_labels(BASE / "labels.json") if batch_of(str(row["file"])) <= TRAINED]


def trained_sha256() -> str:
    """The identity of the reader's training set: each trained letter's bytes and its kind and remedy labels (a new
    batch added to labels.json leaves it alone; a relabelled or edited letter changes it, and the reader is retrained)."""
    items = [[row["file"], row["kind"], row["remedy"], hashlib.sha256((BASE / "letters" / row["file"]).read_bytes())
              .hexdigest()] for row in trained_rows()]
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


@pytest.fixture(scope="module")
def dev() -> Score:
    score = score_labels(BASE / "letters", labels("dev"), service=operator_service())
    print("\noperator letters, dev:\n" + score.summary())
    held = score_labels(BASE / "letters", labels("heldout"), service=operator_service())
    print("operator letters, held out:\n" + held.summary())
    return score


def test_the_set_covers_what_an_operator_receives() -> None:
    rows = load_labels(BASE / "labels.json")
    assert len(rows) >= 50 and all((BASE / "letters" / r["file"]).is_file() for r in rows)
    assert {r["remedy"] for r in rows} >= {"remove", "credit", "licence_fee", "restore", "none"}
    assert {r["regime"] for r in rows} == {"dmca", "dsa", "other"}
    assert len(labels("heldout")) >= 25


def test_operator_floors(dev: Score) -> None:
    assert dev.kind_accuracy >= KIND_FLOOR, dev.misses
    assert dev.regime_accuracy >= REGIME_FLOOR, dev.misses
    assert dev.remedy_accuracy >= REMEDY_FLOOR, dev.misses
    assert dev.f1 >= URL_F1_FLOOR, dev.misses
    assert dev.element_accuracy >= ELEMENT_FLOOR, dev.misses
    assert dev.status_accuracy >= STATUS_FLOOR, dev.misses


def test_no_url_on_the_operators_own_sites_is_ever_the_claimants_original() -> None:
    service = operator_service()
    wrong = []
    for row in load_labels(BASE / "labels.json"):
        notice = parse_bytes((BASE / "letters" / row["file"]).read_bytes(), row["file"], service)[0]
        wrong += [(row["file"], u.as_written) for u in notice.urls
                  if u.role == "original_work" and u.normalised and service.on_service(u.normalised)]
    assert wrong == []
