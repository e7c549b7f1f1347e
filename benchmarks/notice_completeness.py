"""Element and status accuracy of the completeness checks on the labelled dev notices, plus the ablation figures."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from compliance.notices.completeness import check_notice, dmca_status, element_spans
from compliance.notices.model import Completeness

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "notices" / "labels" / "elements.json"
CURE_ON = ("signature", "good_faith", "accuracy_under_perjury")  # 512(c)(3)(B)(ii): (ii)-(iv) still present


@dataclass
class Figures:
    notices: int = 0
    elements: int = 0
    elements_right: int = 0
    status_right: int = 0
    ablations: int = 0
    ablations_detected: int = 0
    ablations_exact_status: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def element_accuracy(self) -> float:
        return self.elements_right / self.elements

    @property
    def status_accuracy(self) -> float:
        return self.status_right / self.notices


def labelled_status(kind: str, present: dict[str, bool]) -> str:
    """The status the labels imply, by the same statutory rules as the checker."""
    if all(present.values()):
        return "complete"
    if kind == "notice" and all(present[k] for k in ("copyrighted_work", "infringing_material", "contact_info")):
        return "cure_needed"
    return "deficient"


def cut(text: str, spans: list[tuple[int, int]]) -> str:
    """Delete the spans (overlaps merged), leaving a line break where each was."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end > start:
            out += [text[pos:start], "\n"]
            pos = end
    return "".join(out + [text[pos:]])


def ablate(text: str, kind: str, regime: str, element: str) -> tuple[str, Completeness]:
    """Delete every span the checker takes as evidence of `element`, until it finds none (at most five rounds)."""
    for _ in range(5):
        spans = element_spans(text, kind, regime, element)
        if not spans:
            break
        text = cut(text, spans)
    return text, check_notice(text, kind, regime)


def measure(dev_dir: Path, labels_path: Path = LABELS) -> Figures:
    """Compare the checker with the labels, element by element, then ablate each element of the complete notices."""
    fig = Figures()
    for row in json.loads(labels_path.read_text(encoding="utf-8"))["notices"]:
        text = (dev_dir / row["file"]).read_text(encoding="utf-8")
        got = check_notice(text, row["kind"], row["regime"])
        fig.notices += 1
        for name, present in row["elements"].items():
            fig.elements += 1
            if got.elements[name].present == present:
                fig.elements_right += 1
            else:
                fig.errors.append(f"{row['file']}: {name} labelled {present}, got {got.elements[name].present}")
        fig.status_right += got.status == labelled_status(row["kind"], row["elements"])
        if not all(row["elements"].values()):
            continue
        for name in row["elements"]:
            fig.ablations += 1
            _, after = ablate(text, row["kind"], row["regime"], name)
            expected = "cure_needed" if row["kind"] == "notice" and name in CURE_ON else "deficient"
            rule = dmca_status(after.elements) if row["kind"] == "notice" else after.status
            if not after.elements[name].present and after.status != "complete" and after.status == rule:
                fig.ablations_detected += 1
            else:
                fig.errors.append(f"{row['file']}: ablating {name} not detected ({after.status})")
            fig.ablations_exact_status += after.status == expected
    return fig


def report(fig: Figures) -> str:
    """The figures as printed by the benchmark and the quality gate."""
    return (f"notices labelled: {fig.notices}, element decisions: {fig.elements}\n"
            f"element accuracy: {fig.element_accuracy:.4f} ({fig.elements_right}/{fig.elements})\n"
            f"status accuracy:  {fig.status_accuracy:.4f} ({fig.status_right}/{fig.notices})\n"
            f"ablations detected: {fig.ablations_detected}/{fig.ablations}; with the element's own status "
            f"(cure_needed for (i)/(v)/(vi), else deficient): {fig.ablations_exact_status}/{fig.ablations} "
            f"(the rest also lost a redacted contact line shared with the signature)")


def main(argv: list[str]) -> int:
    dev = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data" / "dmca-notices" / "dev"
    fig = measure(dev)
    print(report(fig))
    for line in fig.errors:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
