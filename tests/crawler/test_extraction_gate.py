"""Quality gate: main-text extraction on the 140 AEB pages must not fall below pinned floors.

Measured with `python benchmarks/extraction_aeb.py` (scoring as the benchmark's evaluate.py):
ours P 0.9636 R 0.9758 F1 0.9697, mean per-page F1 0.9654; plain trafilatura.extract 0.9465 / 0.9358.
Floors sit 0.01 below the measurement; never lower them silently.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

F1_FLOOR = 0.959
MEAN_PAGE_F1_FLOOR = 0.955
PEER_MARGIN = 0.01  # ours must stay at least this far above plain trafilatura.extract's measured F1 (0.9465)

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction_aeb.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_aeb", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_aeb", module)
    spec.loader.exec_module(module)
    return module


def test_scoring_matches_evaluate_py() -> None:
    bench = _bench()
    assert bench.tp_fp_fn("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = bench.tp_fp_fn("one two three four five", "one two three four six")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert bench.tp_fp_fn("", "") == (0.0, 0.0, 0.0)


def test_extraction_quality_floor(shared_dir: Path) -> None:
    data = shared_dir / "data" / "aeb"
    if not (data / "ground-truth.json").is_file():
        pytest.skip("AEB pages not present")
    bench = _bench()
    pages = list(bench.load_pages(data))
    assert len(pages) == 140
    scores = bench.evaluate(bench.ours, pages)
    summary = f"P={scores.precision:.4f} R={scores.recall:.4f} F1={scores.f1:.4f} meanF1={scores.mean_page_f1:.4f}"
    assert scores.f1 >= F1_FLOOR, summary
    assert scores.mean_page_f1 >= MEAN_PAGE_F1_FLOOR, summary
    assert scores.f1 >= 0.9465 + PEER_MARGIN, summary
