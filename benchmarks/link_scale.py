"""Linking at scale: N distinct documents with 1% planted copies, linked from empty, then M new ones.

    python benchmarks/link_scale.py --documents 20000 --new 1000 [--db URL]

Documents are synthetic (seeded random prose over a 6,000-word vocabulary, 250-450 words each) and stored through
`compliance.store.store_page`, the function a crawl calls, so their simhash and winnowed postings are computed by
the product's own code. 1% of them are planted copies on an aggregator site, in rotation: verbatim, 10% of the
words replaced, the first half (an excerpt), sentences reordered. `provenance link`'s function then runs from empty
(`link_seconds`); M more documents (1% planted) are stored and linking runs again (`incremental_seconds`: only the
new documents are confirmed against the corpus). Prints one JSON line: documents, planted_copies,
planted_found, false_links, link_seconds, incremental_seconds, peak_rss_mb (of this process, including the
synthetic corpus it builds). Storing is not timed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select

from compliance.attribution.linking import link
from compliance.db import open_db, session_scope
from compliance.models import Document, Match
from compliance.records import CaptureRecord, ExtractedArticle, PageItem, SiteSpec
from compliance.runs import start_run
from compliance.settings import policy
from compliance.sites import register_all
from compliance.store import store_page

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


def _store(engine: object, run_id: int, site: str, origin: str, path: str, text: str) -> int | None:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    item = PageItem(site=site, capture=CaptureRecord(requested_url=f"{origin}/{path}", final_url=f"{origin}/{path}",
                                                    status=200, fetched_at=now, content_type="text/html"),
                    article=ExtractedArticle(title=path, text=text, language="en"))
    return store_page(engine, run_id, item)  # type: ignore[arg-type]


def build(engine: object, run_id: int, start: int, count: int, rng: random.Random) -> dict[str, str]:
    """Store `count` publisher documents and 1% planted copies; {copy url: original url}."""
    planted: dict[str, str] = {}
    texts: list[tuple[str, str]] = []
    for i in range(start, start + count):
        text = _article(rng)
        _store(engine, run_id, "pub", PUB, f"a/{i}", text)
        texts.append((f"{PUB}/a/{i}", text))
    for j, (url, text) in enumerate(rng.sample(texts, max(1, count // 100))):
        path = f"c/{start}-{j}"
        _store(engine, run_id, "agg", AGG, path, _copy(text, j % 4, rng))
        planted[f"{AGG}/{path}"] = url
    return planted


def score(engine: object, planted: dict[str, str]) -> tuple[int, int]:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        urls = dict(session.execute(select(Document.id, Document.url)).all())
        pairs = {(urls[c], urls[o]) for c, o in session.execute(
            select(Match.copy_id, Match.original_id).where(Match.kind == "document")).all()}
    found = sum((c, o) in pairs for c, o in planted.items())
    return found, len(pairs - set(planted.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--db", default=None, help="a database URL (default: a new SQLite file in a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_db(args.db or str(Path(tmp) / "scale.db"))
        register_all(engine, [SiteSpec("pub", "publisher", [PUB]), SiteSpec("agg", "aggregator", [AGG])])
        run_id = start_run(engine, {"bench": "link_scale"}, {})
        rng = random.Random(20261127)
        planted = build(engine, run_id, 0, args.documents, rng)
        began = time.perf_counter()
        link(engine, policy())
        link_seconds = time.perf_counter() - began
        planted.update(build(engine, run_id, args.documents, args.new, rng))
        began = time.perf_counter()
        link(engine, policy())
        incremental_seconds = time.perf_counter() - began
        found, false_links = score(engine, planted)
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"documents": args.documents + args.new + len(planted), "planted_copies": len(planted),
                      "planted_found": found, "false_links": false_links, "link_seconds": round(link_seconds, 2),
                      "incremental_seconds": round(incremental_seconds, 2), "peak_rss_mb": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
