"""Linking at scale: N distinct documents with 1% planted copies, linked from empty, then M new ones.

    python benchmarks/link_scale.py --documents 20000 --new 1000 [--db URL]

Documents are synthetic (seeded random prose over a 6,000-word vocabulary, 250-450 words each) and stored as a
crawl stores them: their fingerprints computed by `compliance.fingerprints.prints.text_prints` in worker processes
(the crawl's workers call the same function), then `compliance.store.store_items` in transactions of 50 items
(the crawl's writer), so the simhash and winnowed postings are the product's own. 1% of them are planted copies on an aggregator site, in rotation: verbatim, 10% of the
words replaced, the first half (an excerpt), sentences reordered. `provenance link`'s function then runs from empty
(`link_seconds`); M more documents (1% planted) are stored and linking runs again (`incremental_seconds`: only the
new documents are confirmed against the corpus). Prints one JSON line: documents, planted_copies,
planted_found, false_links, link_seconds, incremental_seconds, peak_rss_mb (of this process, including the
synthetic corpus it builds). Storing is not timed.

`--corpus DIR` keeps the stored corpus (`corpus.db` and `planted.json`, before any linking) and reuses it when it
is already there: linking a million documents can then be re-measured without storing them again (the run links a
copy of the file).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select
from sqlalchemy.orm import aliased

from compliance.attribution.linking import link
from compliance.db import open_db, session_scope
from compliance.fingerprints.prints import text_prints
from compliance.models import Document, Match
from compliance.records import CaptureRecord, ExtractedArticle, PageItem, SiteSpec
from compliance.runs import start_run
from compliance.settings import policy
from compliance.sites import register_all
from compliance.store import store_items

PUB, AGG = "https://pub.scale.example", "https://agg.scale.example"
VOCAB = [f"w{i:04d}{'abcdefghij'[i % 10]}" for i in range(6000)]


def _article(rng: random.Random) -> str:
    sentences = [" ".join(rng.choices(VOCAB, k=rng.randint(10, 22))).capitalize() + "." for _ in range(rng.randint(18, 26))]
    return "\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def _copy(text: str, how: int, rng: random.Random) -> str:
    words = text.split(" ")
    if how == 1:  # 10% of the words replaced
        for i in rng.sample(range(len(words)), len(words) // 10):
            words[i] = rng.choice(VOCAB)
        return " ".join(words)
    if how == 2:  # the first half
        return " ".join(words[: len(words) // 2])
    if how == 3:  # sentences reordered within each paragraph
        paras = []
        for para in text.split("\n"):
            parts = para.split(". ")
            rng.shuffle(parts)
            paras.append(". ".join(parts))
        return "\n".join(paras)
    return text


def _item(site: str, origin: str, path: str, text: str) -> PageItem:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return PageItem(site=site, capture=CaptureRecord(requested_url=f"{origin}/{path}", final_url=f"{origin}/{path}",
                                                    status=200, fetched_at=now, content_type="text/html"),
                    article=ExtractedArticle(title=path, text=text, language="en"))


class Store:
    """Items go in transactions of 50 with their fingerprints computed in worker processes, as a crawl stores."""

    BATCH = 50

    def __init__(self, engine: object, run_id: int, pool: ProcessPoolExecutor) -> None:
        self.engine, self.run_id, self.pool = engine, run_id, pool
        self.items: list[PageItem] = []

    def add(self, item: PageItem) -> None:
        self.items.append(item)
        if len(self.items) >= 2_000:
            self.flush()

    def flush(self) -> None:
        texts = [item.article.text for item in self.items if item.article is not None]
        for item, prints in zip(self.items, self.pool.map(text_prints, texts, chunksize=50), strict=True):
            item.prints = prints
        for at in range(0, len(self.items), self.BATCH):
            with session_scope(self.engine) as session:  # type: ignore[arg-type]
                store_items(session, self.run_id, self.items[at:at + self.BATCH])
        self.items = []


def build(store: Store, start: int, count: int, rng: random.Random) -> dict[str, str]:
    """Store `count` publisher documents and 1% planted copies; {copy url: original url}."""
    planted: dict[str, str] = {}
    sample = set(rng.sample(range(start, start + count), max(1, count // 100)))
    chosen: list[tuple[str, str]] = []
    for i in range(start, start + count):
        text = _article(rng)
        store.add(_item("pub", PUB, f"a/{i}", text))
        if i in sample:
            chosen.append((f"{PUB}/a/{i}", text))
        if i % 50_000 == 0 and count >= 100_000:
            print(f"stored {i - start:,} of {count:,}", file=sys.stderr, flush=True)
    for j, (url, text) in enumerate(chosen):
        path = f"c/{start}-{j}"
        store.add(_item("agg", AGG, path, _copy(text, j % 4, rng)))
        planted[f"{AGG}/{path}"] = url
    store.flush()
    return planted


def score(engine: object, planted: dict[str, str]) -> tuple[int, int]:
    """Planted copies found, and document matches that are not planted (never the whole URL table in memory)."""
    copy, original = aliased(Document), aliased(Document)
    with session_scope(engine) as session:  # type: ignore[arg-type]
        pairs = set(session.execute(
            select(copy.url, original.url).select_from(Match).join(copy, copy.id == Match.copy_id)
            .join(original, original.id == Match.original_id).where(Match.kind == "document")).all())
    found = sum((c, o) in pairs for c, o in planted.items())
    return found, len(pairs - set(planted.items()))


def _corpus(engine_url: str, documents: int, store_pool: ProcessPoolExecutor,
            rng: random.Random) -> tuple[object, int, dict[str, str]]:
    engine = open_db(engine_url)
    register_all(engine, [SiteSpec("pub", "publisher", [PUB]), SiteSpec("agg", "aggregator", [AGG])])
    run_id = start_run(engine, {"bench": "link_scale"}, {})
    return engine, run_id, build(Store(engine, run_id, store_pool), 0, documents, rng)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--db", default=None, help="a database URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="keep the stored SQLite corpus here and reuse it when present (not with --db)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes computing fingerprints")
    args = parser.parse_args(argv)
    rng = random.Random(20261127)
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.workers) as pool:
        if args.corpus is not None and not args.db:
            kept, planted_file = args.corpus / "corpus.db", args.corpus / "planted.json"
            if not planted_file.exists():
                args.corpus.mkdir(parents=True, exist_ok=True)
                engine, _, planted = _corpus(str(kept), args.documents, pool, rng)
                engine.dispose()  # type: ignore[attr-defined]
                planted_file.write_text(json.dumps({"planted": planted}))
                (args.corpus / "rng.json").write_text(json.dumps(_rng_state(rng)))
            planted = json.loads(planted_file.read_text())["planted"]
            rng.setstate(_rng_from(json.loads((args.corpus / "rng.json").read_text())))
            shutil.copyfile(kept, Path(tmp) / "scale.db")
            engine = open_db(str(Path(tmp) / "scale.db"))
            run_id = start_run(engine, {"bench": "link_scale", "part": "new"}, {})
        else:
            engine, run_id, planted = _corpus(args.db or str(Path(tmp) / "scale.db"), args.documents, pool, rng)
        began = time.perf_counter()
        link(engine, policy())  # type: ignore[arg-type]
        link_seconds = time.perf_counter() - began
        planted.update(build(Store(engine, run_id, pool), args.documents, args.new, rng))
        began = time.perf_counter()
        link(engine, policy())  # type: ignore[arg-type]
        incremental_seconds = time.perf_counter() - began
        found, false_links = score(engine, planted)
        engine.dispose()  # type: ignore[attr-defined]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"documents": args.documents + args.new + len(planted), "planted_copies": len(planted),
                      "planted_found": found, "false_links": false_links, "link_seconds": round(link_seconds, 2),
                      "incremental_seconds": round(incremental_seconds, 2), "peak_rss_mb": round(peak, 1)}))
    return 0


def _rng_state(rng: random.Random) -> list[object]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def _rng_from(state: list[object]) -> tuple[object, ...]:
    version, internal, gauss = state
    return (version, tuple(internal), gauss)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
