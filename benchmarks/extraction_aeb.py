"""Main-text extraction quality on the Article Extraction Benchmark subset: ours vs plain trafilatura.

Scoring follows the benchmark's evaluate.py (scrapinghub/article-extraction-benchmark): tokens are ``\\w+`` runs
(case kept), shingles are 4-token n-grams counted as a multiset; per page tp/fp/fn are normalised to sum to 1;
precision and recall are means over pages (precision over pages with tp+fp > 0, recall over tp+fn > 0; an exact
match scores 1) and F1 is their harmonic mean. We also report the mean per-page F1.

Usage: python benchmarks/extraction_aeb.py [--data ../shared/data/aeb] [--only ours|trafilatura] [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "aeb"
_TOKEN = re.compile(r"\w+", re.UNICODE)

Extractor = Callable[[str, str], str]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles, as evaluate.py's _all_shingles (short texts give one short shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised shingle counts for one page (evaluate.py's string_shingle_matching)."""
    truth, guess = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in truth.keys() | guess.keys():
        t, p = truth.get(key, 0), guess.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))


@dataclass
class Scores:
    """Benchmark figures for one extractor over the page set."""

    precision: float
    recall: float
    f1: float
    mean_page_f1: float
    pages: int
    seconds: float
    per_page: dict[str, float]

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else float("inf")


def summarise(results: dict[str, tuple[float, float, float]], seconds: float) -> Scores:
    """evaluate.py's metrics_from_tp_fp_fns plus the mean of per-page F1."""
    rows = list(results.values())
    precision = statistics.mean([_precision(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*r) for r in rows if r[0] + r[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_page = {}
    for key, r in results.items():
        p, q = _precision(*r), _recall(*r)
        per_page[key] = 2 * p * q / (p + q) if p + q else 0.0
    return Scores(precision, recall, f1, statistics.mean(per_page.values()), len(rows), seconds, per_page)


def load_pages(data: Path = DEFAULT_DATA) -> Iterator[tuple[str, str, str, str]]:
    """(id, url, html, true article body) for every page of the subset."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
        yield key, truth[key].get("url", ""), html, truth[key].get("articleBody", "")


def evaluate(extractor: Extractor, pages: list[tuple[str, str, str, str]]) -> Scores:
    """Run one extractor over the pages and score it; time covers extraction only."""
    results: dict[str, tuple[float, float, float]] = {}
    elapsed = 0.0
    for key, url, html, truth in pages:
        start = time.perf_counter()
        predicted = extractor(html, url) or ""
        elapsed += time.perf_counter() - start
        results[key] = tp_fp_fn(truth, predicted)
    return summarise(results, elapsed)


def ours(html: str, url: str) -> str:
    """provenance's extractor: the text the fingerprints are computed from."""
    from crawler.extract import extract_article

    return extract_article(html, url).text


def trafilatura_default(html: str, url: str) -> str:
    """The peer: trafilatura.extract with its default settings."""
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


EXTRACTORS: dict[str, Extractor] = {"ours": ours, "trafilatura": trafilatura_default}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", choices=sorted(EXTRACTORS))
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of ours")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    pages = list(load_pages(args.data))
    names = [args.only] if args.only else list(EXTRACTORS)
    scores = {}
    for name in names:
        EXTRACTORS[name](pages[0][2], pages[0][1])  # warm up imports and caches outside the timing
        scores[name] = s = evaluate(EXTRACTORS[name], pages)
        print(
            f"{name:<12} pages={s.pages} P={s.precision:.4f} R={s.recall:.4f} F1={s.f1:.4f} "
            f"meanF1={s.mean_page_f1:.4f} pages/s={s.pages_per_second:.1f}"
        )
    if len(scores) == 2:
        a, b = scores["ours"], scores["trafilatura"]
        print(f"ratio ours/trafilatura: F1={a.f1 / b.f1:.4f} meanF1={a.mean_page_f1 / b.mean_page_f1:.4f} "
              f"speed={a.pages_per_second / b.pages_per_second:.2f}")
    if args.worst and "ours" in scores:
        for key, value in sorted(scores["ours"].per_page.items(), key=lambda kv: kv[1])[: args.worst]:
            print(f"  {value:.3f} {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
