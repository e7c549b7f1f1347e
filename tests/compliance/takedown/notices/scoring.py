"""The one scorer of labelled notices, shared by the quality gates and the benchmark scripts.

A label is `{"file", "kind", "regime", "infringing_urls": [...], "elements": {name: bool} | null}`; files without
`infringing_urls` are not scored on URLs, files without `elements` not on completeness. URLs are compared by
`compliance.urls.match_key`; redacted label URLs have no key and are not scored. Completeness is checked with the
labelled kind and regime (so intake errors do not count twice) unless `pipeline` asks for the parsed ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.takedown.notices.completeness import check_notice, dmca_status, element_spans
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.model import Completeness
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.takedown.workflow import completeness_text
from compliance.urls import match_key

CURE_ELEMENTS = ("copyrighted_work", "infringing_material", "contact_info")  # 512(c)(3)(B)(ii): (ii)-(iv)
CURE_ON = ("signature", "good_faith", "accuracy_under_perjury")  # losing one of these leaves a curable notice


@dataclass
class Score:
    """Kind/regime accuracy, micro P/R/F1 over infringing-URL keys, element and status accuracy, ablations."""

    files: int = 0
    kind_ok: int = 0
    regime_ok: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    remedies: int = 0
    remedy_ok: int = 0
    elements: int = 0
    elements_ok: int = 0
    statuses: int = 0
    status_ok: int = 0
    ablations: int = 0
    ablations_detected: int = 0
    ablations_exact_status: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self._ratio(self.kind_ok, self.files)

    @property
    def regime_accuracy(self) -> float:
        return self._ratio(self.regime_ok, self.files)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def remedy_accuracy(self) -> float:
        return self._ratio(self.remedy_ok, self.remedies)

    @property
    def element_accuracy(self) -> float:
        return self._ratio(self.elements_ok, self.elements)

    @property
    def status_accuracy(self) -> float:
        return self._ratio(self.status_ok, self.statuses)

    def summary(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.4f} ({a}/{b})" if b else "n/a"

        lines = []
        if self.files:
            lines += [f"files: {self.files}",
                      f"kind accuracy:    {ratio(self.kind_ok, self.files)}",
                      f"regime accuracy:  {ratio(self.regime_ok, self.files)}",
                      *([f"remedy accuracy:  {ratio(self.remedy_ok, self.remedies)}"] if self.remedies else []),
                      f"infringing URLs:  precision {self.precision:.3f} recall {self.recall:.3f} f1 {self.f1:.3f} "
                      f"(tp={self.tp} fp={self.fp} fn={self.fn})"]
        if self.elements:
            lines += [f"element accuracy: {ratio(self.elements_ok, self.elements)}",
                      f"status accuracy:  {ratio(self.status_ok, self.statuses)}"]
        if self.ablations:
            lines += [f"ablations detected: {self.ablations_detected}/{self.ablations}; with the element's own status "
                      f"(cure_needed for (i)/(v)/(vi), else deficient): {self.ablations_exact_status}/{self.ablations}"]
        return "\n".join(lines)


def labelled_status(kind: str, present: Mapping[str, bool]) -> str:
    """The status the labels imply, by the same statutory rules as the checker."""
    if all(present.values()):
        return "complete"
    if kind == "notice" and all(present.get(k, False) for k in CURE_ELEMENTS):
        return "cure_needed"
    return "deficient"


def url_keys(urls: Iterable[str]) -> set[str]:
    return {key for key in (match_key(u) for u in urls) if key}


def cut(text: str, spans: list[tuple[int, int]]) -> str:
    """Delete the spans (overlaps merged), leaving a line break where each was."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end > start:
            out += [text[pos:start], "\n"]
            pos = end
    return "".join(out + [text[pos:]])


def ablate(text: str, kind: str, regime: str, element: str,
           service: Service = NO_SERVICE) -> tuple[str, Completeness]:
    """Delete every span the checker takes as evidence of `element`, until it finds none (at most five rounds)."""
    for _ in range(5):
        spans = element_spans(text, kind, regime, element, service)
        if not spans:
            break
        text = cut(text, spans)
    return text, check_notice(text, kind, regime, service)


def _score_elements(score: Score, name: str, text: str, kind: str, regime: str, elements: Mapping[str, bool],
                    ablations: bool, service: Service) -> None:
    got = check_notice(text, kind, regime, service)
    for element, present in elements.items():
        score.elements += 1
        found = got.elements.get(element)
        if found is not None and found.present == bool(present):
            score.elements_ok += 1
        else:
            score.misses.append(f"{name}: {element} labelled {present}, got {found.present if found else 'n/a'}")
    score.statuses += 1
    expected = labelled_status(kind, elements)
    if got.status == expected:
        score.status_ok += 1
    else:
        score.misses.append(f"{name}: status {got.status}, labelled {expected}")
    if not ablations or not all(elements.values()):
        return
    for element in elements:
        score.ablations += 1
        _, after = ablate(text, kind, regime, element, service)
        own = "cure_needed" if kind == "notice" and element in CURE_ON else "deficient"
        rule = dmca_status(after.elements) if kind == "notice" else after.status
        if not after.elements[element].present and after.status != "complete" and after.status == rule:
            score.ablations_detected += 1
        else:
            score.misses.append(f"{name}: ablating {element} not detected ({after.status})")
        score.ablations_exact_status += after.status == own


def score_labels(folder: Path, labels: Iterable[Mapping[str, Any]], *, pipeline: bool = False,
                 ablations: bool = False, service: Service = NO_SERVICE) -> Score:
    """Parse each labelled file as sent to `service` and compare it with its label (see the module docstring)."""
    score = Score()
    for label in labels:
        name = str(label["file"])
        raw = (folder / name).read_bytes()
        notice = parse_bytes(raw, name, service)[0]
        if "infringing_urls" in label:
            score.files += 1
            score.kind_ok += notice.kind == label["kind"]
            score.regime_ok += notice.regime == label["regime"]
            got = url_keys(u.normalised for u in notice.urls if u.role == "infringing" and u.normalised)
            want = url_keys(str(u) for u in label.get("infringing_urls") or [])
            score.tp += len(got & want)
            score.fp += len(got - want)
            score.fn += len(want - got)
            if "remedy" in label:
                score.remedies += 1
                score.remedy_ok += notice.remedy == label["remedy"]
                if notice.remedy != label["remedy"]:
                    score.misses.append(f"{name}: remedy {notice.remedy}, labelled {label['remedy']}")
            if notice.kind != label["kind"] or notice.regime != label["regime"]:
                score.misses.append(f"{name}: kind {notice.kind}/{label['kind']} regime {notice.regime}/"
                                    f"{label['regime']}")
            if got != want:
                score.misses.append(f"{name}: url fp={sorted(got - want)[:8]} fn={sorted(want - got)[:8]}")
        elements = label.get("elements")
        if isinstance(elements, Mapping) and elements:
            kind, regime = (notice.kind, notice.regime) if pipeline else (str(label["kind"]), str(label["regime"]))
            text = completeness_text(notice)
            _score_elements(score, name, text, kind, regime, {k: bool(v) for k, v in elements.items()}, ablations,
                            service)
    return score


def load_labels(path: Path) -> list[dict[str, Any]]:
    """A labels file: a list of records, or `{"notices": [...]}`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["notices"] if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValueError(f"{path.name}: expected a list of label records")
    return rows
