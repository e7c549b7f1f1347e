"""Held-out check of notice intake and completeness: a folder of notices against a labels JSON, figures only.

    python benchmarks/notice_heldout.py NOTICES_DIR LABELS.json [--misses] [--pipeline]

LABELS.json is a list (or `{"notices": [...]}`) of records
`{"file", "kind", "regime", "infringing_urls": [...], "elements": {name: bool} | null}`; `elements` is given for
takedown notices (512(c)(3)(A)) and counter-notices (512(g)(3)) only. URLs are compared by `match_key`, as the dev
quality gate does; labelled URLs that are redacted (`[private]`, `[invalid]`) have no key and are not scored.
Completeness is checked with the labelled kind and regime (so intake errors do not count twice) unless `--pipeline`
asks for the parsed ones. No data lives here: the notices and labels are read from the paths given.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.notices.completeness import check_notice
from compliance.notices.intake import parse_bytes
from compliance.notices.urls import match_key

_CURE = ("copyrighted_work", "infringing_material", "contact_info")


@dataclass
class Figures:
    files: int = 0
    kind_ok: int = 0
    regime_ok: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    elements: int = 0
    elements_ok: int = 0
    statuses: int = 0
    status_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return (f"files: {self.files}\nkind accuracy:    {ratio(self.kind_ok, self.files)}\n"
                f"regime accuracy:  {ratio(self.regime_ok, self.files)}\n"
                f"infringing URLs:  precision {p:.3f} recall {r:.3f} f1 {f1:.3f} "
                f"(tp={self.tp} fp={self.fp} fn={self.fn})\n"
                f"element accuracy: {ratio(self.elements_ok, self.elements)}\n"
                f"status accuracy:  {ratio(self.status_ok, self.statuses)}")


def labelled_status(kind: str, present: dict[str, bool]) -> str:
    """The status the labels imply: all present complete; (ii)-(iv) present cure_needed (notices); else deficient."""
    if all(present.values()):
        return "complete"
    if kind == "notice" and all(present.get(k, False) for k in _CURE):
        return "cure_needed"
    return "deficient"


def _keys(urls: list[str]) -> set[str]:
    return {key for key in (match_key(u) for u in urls) if key}


def measure(folder: Path, labels: list[dict[str, Any]], *, pipeline: bool = False) -> Figures:
    """Parse each labelled file and compare kind, regime, infringing URLs, elements and status with its label."""
    fig = Figures()
    for label in labels:
        name = str(label["file"])
        notice = parse_bytes((folder / name).read_bytes(), name)[0]
        fig.files += 1
        fig.kind_ok += notice.kind == label["kind"]
        fig.regime_ok += notice.regime == label["regime"]
        got = _keys([u.normalised for u in notice.urls if u.role == "infringing" and u.normalised])
        want = _keys([str(u) for u in label.get("infringing_urls") or []])
        fig.tp += len(got & want)
        fig.fp += len(got - want)
        fig.fn += len(want - got)
        problems: list[str] = []
        if notice.kind != label["kind"] or notice.regime != label["regime"]:
            problems.append(f"kind {notice.kind}/{label['kind']} regime {notice.regime}/{label['regime']}")
        if got != want:
            problems.append(f"url fp={sorted(got - want)[:8]} fn={sorted(want - got)[:8]}")
        elements = label.get("elements")
        if isinstance(elements, dict) and elements:
            kind, regime = (notice.kind, notice.regime) if pipeline else (label["kind"], label["regime"])
            result = check_notice(notice.text, kind, regime)
            for element, present in elements.items():
                fig.elements += 1
                found = result.elements.get(element)
                if found is not None and found.present == bool(present):
                    fig.elements_ok += 1
                else:
                    problems.append(f"{element} labelled {present}, got {found.present if found else 'n/a'}")
            fig.statuses += 1
            expected = labelled_status(str(label["kind"]), {k: bool(v) for k, v in elements.items()})
            if result.status == expected:
                fig.status_ok += 1
            else:
                problems.append(f"status {result.status}/{expected}")
        if problems:
            fig.misses.append(f"{name}: " + "; ".join(problems))
    return fig


def load(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["notices"] if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise SystemExit(f"{path.name}: expected a list of label records")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding the notice files named in the labels")
    parser.add_argument("labels", type=Path, help="labels JSON")
    parser.add_argument("--misses", action="store_true", help="list every file that differs from its label")
    parser.add_argument("--pipeline", action="store_true", help="check completeness with the parsed kind/regime")
    args = parser.parse_args(argv)
    fig = measure(args.folder, load(args.labels), pipeline=args.pipeline)
    print(fig.summary())
    if args.misses:
        for line in fig.misses:
            print("  miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
