"""Main-text extraction quality and speed on the Article Extraction Benchmark subset: ours vs plain trafilatura.

Scoring follows the benchmark's evaluate.py (scrapinghub/article-extraction-benchmark): tokens are ``\\w+`` runs
(case kept), shingles are 4-token n-grams counted as a multiset; per page tp/fp/fn are normalised to sum to 1;
precision and recall are means over pages (precision over pages with tp+fp > 0, recall over tp+fn > 0; an exact
match scores 1) and F1 is their harmonic mean. We also report the mean per-page F1.

The pages are split by outlet so that no template is on both sides (`split_pages`): a tuning part (about 60% of
the pages) where rules may be fitted, and a held-back part that only decides whether a rule stays.

Usage: python benchmarks/extraction_aeb.py [--data ../shared/data/aeb] [--repeats 3] [--ablate] [--worst N]
       python benchmarks/extraction_aeb.py --data OTHER_PAGES --no-split   (same layout: ground-truth.json, html/)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import itertools
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "aeb"
_TOKEN = re.compile(r"\w+", re.UNICODE)
TUNING_SHARE = 0.6  # of the pages; the rest is held back
SAME_TEMPLATE = 0.5  # overlap of two outlets' rare class names above which they share one template
RARE_CLASS = 0.05  # a class name on more outlets than this share is generic ("container", "clearfix")

Page = tuple[str, str, str, str]  # id, url, html, true article body
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
    """Benchmark figures for one extractor over a page set."""

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

    def line(self) -> str:
        return (f"pages={self.pages:<3} P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
                f"meanF1={self.mean_page_f1:.4f}")


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


def load_pages(data: Path = DEFAULT_DATA) -> Iterator[Page]:
    """(id, url, html, true article body) for every page of the subset."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
        yield key, truth[key].get("url", ""), html, truth[key].get("articleBody", "")


# --- the split -------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _suffixes() -> Any:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_key(url: str) -> str:
    """The outlet of a page: its registrable domain (Public Suffix List snapshot shipped with tldextract)."""
    parts = _suffixes()(url)
    return parts.top_domain_under_public_suffix or parts.fqdn or url


def template_families(pages: list[Page]) -> dict[str, str]:
    """Outlet -> family: outlets whose pages share most of their rare CSS class names run one template."""
    import lxml.html

    classes: dict[str, set[str]] = defaultdict(set)
    for _, url, html, _ in pages:
        tree = lxml.html.document_fromstring(html)
        for value in tree.xpath("//body//@class"):
            classes[site_key(url)].update(str(value).split())
    spread = Counter(name for names in classes.values() for name in names)
    limit = max(2, int(len(classes) * RARE_CLASS))
    rare = {site: {c for c in names if spread[c] < limit} for site, names in classes.items()}
    family = {site: site for site in rare}

    def root(site: str) -> str:
        while family[site] != site:
            site = family[site]
        return site

    for a, b in itertools.combinations(sorted(rare), 2):
        if rare[a] and rare[b] and len(rare[a] & rare[b]) / min(len(rare[a]), len(rare[b])) >= SAME_TEMPLATE:
            ra, rb = root(a), root(b)
            family[max(ra, rb)] = min(ra, rb)
    return {site: root(site) for site in rare}


def split_pages(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    """(tuning, held back): template families in SHA-256 order of their key fill the tuning part up to 60%."""
    families = template_families(pages)
    members: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        members[families[site_key(page[1])]].append(page)
    tuning: list[Page] = []
    held: list[Page] = []
    for key in sorted(members, key=lambda k: hashlib.sha256(k.encode("utf-8")).hexdigest()):
        (tuning if len(tuning) < TUNING_SHARE * len(pages) else held).extend(members[key])
    return sorted(tuning), sorted(held)


# --- extractors ------------------------------------------------------------------------------------------------


def evaluate(extractor: Extractor, pages: list[Page]) -> Scores:
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


def trafilatura_our_options(html: str, url: str) -> str:
    """trafilatura.extract with the options extract_article passes to trafilatura (metadata aside)."""
    import trafilatura

    from crawler.extract.article import TRAFILATURA_OPTIONS

    options = {k: v for k, v in TRAFILATURA_OPTIONS.items() if k != "with_metadata"}
    return trafilatura.extract(html, url=url, **options) or ""


EXTRACTORS: dict[str, Extractor] = {
    "ours": ours, "trafilatura": trafilatura_default, "traf+our-opts": trafilatura_our_options,
}


def speed(pages: list[Page], repeats: int) -> dict[str, Any]:
    """Ours against trafilatura.extract, page by page side by side (the order alternates), in wall and CPU time.

    Each repeat gives one ratio (ours pages/s over trafilatura's); on a machine shared with other work the
    per-page interleaving keeps both under the same load. Returns medians of pages/s and the ratios per repeat.
    """
    names = ("ours", "trafilatura")
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        spent = {name: [0.0, 0.0] for name in names}
        for index, (_, url, html, _) in enumerate(pages):
            for name in names if index % 2 == 0 else names[::-1]:
                start, start_cpu = time.perf_counter(), time.process_time()
                EXTRACTORS[name](html, url)
                spent[name][0] += time.perf_counter() - start
                spent[name][1] += time.process_time() - start_cpu
        for name in names:
            wall[name].append(spent[name][0])
            cpu[name].append(spent[name][1])
    return {
        **{name: len(pages) / statistics.median(wall[name]) for name in names},
        "ratios": [t / o for o, t in zip(wall["ours"], wall["trafilatura"])],
        "cpu_ratios": [t / o for o, t in zip(cpu["ours"], cpu["trafilatura"])],
    }


def ablations() -> dict[str, Extractor]:
    """Ours with one main-text pass switched off or one trafilatura option flipped (decided on held-back pages)."""
    from crawler.extract import article

    def variant(passes: frozenset[str], options: dict[str, Any]) -> Extractor:
        return lambda html, url: article.extract_with(html, url, passes=passes, options=options).text

    out: dict[str, Extractor] = {}
    base = dict(article.TRAFILATURA_OPTIONS)
    for name in sorted(article.ALL_PASSES):
        out[f"{name}{'-' if name in article.MAIN_TEXT_PASSES else '+'}"] = variant(
            article.MAIN_TEXT_PASSES ^ {name}, base)
    out["no passes"] = variant(frozenset(), base)
    for option in ("favor_precision", "include_comments", "include_tables"):
        out[f"{option}={not base[option]}"] = variant(article.MAIN_TEXT_PASSES, {**base, option: not base[option]})
    out["no passes, trafilatura defaults"] = variant(
        frozenset(), {**base, "favor_precision": False, "include_comments": True, "include_tables": True})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=3, help="timing repeats (median); 0 skips the speed run")
    parser.add_argument("--ablate", action="store_true", help="also score each pass off / option flipped")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst tuning pages of ours")
    parser.add_argument("--no-split", action="store_true", help="score all pages as one set (pages never tuned on)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    pages = list(load_pages(args.data))
    if args.no_split:
        for name, extractor in EXTRACTORS.items():
            print(f"{name:<34} all {evaluate(extractor, pages).line()}")
        return 0
    tuning, held = split_pages(pages)
    print(f"split: tuning {len(tuning)} pages / {len({site_key(p[1]) for p in tuning})} outlets, "
          f"held back {len(held)} / {len({site_key(p[1]) for p in held})}")
    extractors = dict(EXTRACTORS)
    if args.ablate:
        extractors.update({f"ours {k}": v for k, v in ablations().items()})
    scores: dict[str, tuple[Scores, Scores]] = {}
    for name, extractor in extractors.items():
        extractor(pages[0][2], pages[0][1])  # warm up imports and caches
        scores[name] = evaluate(extractor, tuning), evaluate(extractor, held)
        print(f"{name:<34} tuning {scores[name][0].line()} | held back {scores[name][1].line()}")
    if args.repeats:
        for label, part in (("held back", held), ("all", pages)):
            rates = speed(part, args.repeats)
            wall, cpu = sorted(rates["ratios"]), sorted(rates["cpu_ratios"])
            print(f"speed on {label} pages (median of {args.repeats}): ours {rates['ours']:.1f} pages/s, "
                  f"trafilatura.extract {rates['trafilatura']:.1f} pages/s, ratio {statistics.median(wall):.3f} "
                  f"({wall[0]:.3f}-{wall[-1]:.3f}), CPU-time ratio {statistics.median(cpu):.3f} "
                  f"({cpu[0]:.3f}-{cpu[-1]:.3f})")
    if args.worst:
        for key, value in sorted(scores["ours"][0].per_page.items(), key=lambda kv: kv[1])[: args.worst]:
            print(f"  {value:.3f} {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
