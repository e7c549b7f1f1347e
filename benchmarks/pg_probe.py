"""Candidate probes on PostgreSQL with 10 million stored fingerprints: latency per document, and the plan.

    python benchmarks/pg_probe.py --server postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--postings N]

Builds (or reuses) the database `provenance_probe` on that server: synthetic documents (benchmarks/link_scale.py's
generator) stored as a crawl stores them, then `provenance link`'s function, which indexes their winnowed
postings in `text_posting`, until it holds --postings rows (default 10,000,000). Then stores --probes new documents
(half copies of stored ones: verbatim, 10% of words replaced, first half, reordered; half unrelated), and times the
incremental link's probe (`compliance.attribution.candidates.probe`: the documents holding each of a new document's
fingerprints, boilerplate capped, through the primary-key index) once per document. Prints one JSON line (p50, p95,
p99, max in ms, candidates per probe, copies whose original was among their candidates) and the plan of one probe
(EXPLAIN ANALYZE, BUFFERS). `--drop` removes the database afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from link_scale import (  # the same generator and store path
    AGG,
    PUB,
    Store,
    _article,
    _copy,
    _item,
)
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from compliance.attribution.candidates import probe, take_pending
from compliance.attribution.linking import link
from compliance.db import open_db, session_scope
from compliance.models import Document, TextPosting
from compliance.records import SiteSpec
from compliance.runs import start_run
from compliance.settings import policy
from compliance.sites import register_all

DATABASE = "provenance_probe"


def _database(server: str) -> str:
    """The benchmark database's URL on the server, created when missing."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}).scalar():
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(server).set(database=DATABASE).render_as_string(hide_password=False)


def _fill(engine: object, postings: int, pool: ProcessPoolExecutor, rng: random.Random) -> int:
    """Store documents and link them until text_posting holds `postings` rows; returns the documents stored."""
    register_all(engine, [SiteSpec("pub", "publisher", [PUB]), SiteSpec("agg", "aggregator", [AGG])])  # type: ignore[arg-type]
    run_id = start_run(engine, {"bench": "pg_probe"}, {})  # type: ignore[arg-type]
    with session_scope(engine) as session:  # type: ignore[arg-type]
        have = int(session.scalar(select(func.count()).select_from(TextPosting)) or 0)
        start = int(session.scalar(select(func.count()).select_from(Document)) or 0)
    store = Store(engine, run_id, pool)
    while have < postings:
        count = max(2_000, min(50_000, (postings - have) // 70))
        for i in range(start, start + count):
            store.add(_item("pub", PUB, f"a/{i}", _article(rng)))
        store.flush()
        link(engine, policy())  # type: ignore[arg-type]
        start += count
        with session_scope(engine) as session:  # type: ignore[arg-type]
            have = int(session.scalar(select(func.count()).select_from(TextPosting)) or 0)
        print(f"{start:,} documents, {have:,} postings", file=sys.stderr, flush=True)
    return start


def _probes(engine: object, count: int, pool: ProcessPoolExecutor, rng: random.Random) -> dict[int, int | None]:
    """Store `count` new documents (half copies); {new document id: the id of its original, or None}."""
    with session_scope(engine) as session:  # type: ignore[arg-type]
        top = int(session.scalar(select(func.max(Document.id))) or 0)
        originals = [(d, t) for d, t in session.execute(select(Document.id, Document.text).where(
            Document.id.in_(rng.sample(range(1, top + 1), count // 2))))]
    run_id = start_run(engine, {"bench": "pg_probe", "part": "probes"}, {})  # type: ignore[arg-type]
    store = Store(engine, run_id, pool)
    tag = f"{time.time_ns()}"
    wanted: dict[str, int | None] = {}
    for j, (doc_id, body) in enumerate(originals):
        url = f"c/{tag}-{j}"
        store.add(_item("agg", AGG, url, _copy(body, j % 4, rng)))
        wanted[f"{AGG}/{url}"] = doc_id
    for j in range(count - len(originals)):
        url = f"n/{tag}-{j}"
        store.add(_item("agg", AGG, url, _article(rng)))
        wanted[f"{AGG}/{url}"] = None
    store.flush()
    with session_scope(engine) as session:  # type: ignore[arg-type]
        ids = {u: d for d, u in session.execute(select(Document.id, Document.url).where(Document.url.in_(wanted)))}
    return {ids[u]: o for u, o in wanted.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="a PostgreSQL URL on the server (its database is not used)")
    parser.add_argument("--postings", type=int, default=10_000_000)
    parser.add_argument("--probes", type=int, default=1_000)
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database afterwards")
    args = parser.parse_args(argv)
    rng = random.Random(20261128)
    url = _database(args.server)
    engine = open_db(url)
    with ProcessPoolExecutor() as pool:
        documents = _fill(engine, args.postings, pool, rng)
        new = _probes(engine, args.probes, pool, rng)
    with session_scope(engine) as session:
        own = take_pending(session, list(new))  # the incremental link's own step: index them, keep their prints
        stored = int(session.scalar(select(func.count()).select_from(TextPosting)) or 0)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) text_posting"))  # what autovacuum does for a table this size
    times, counts, found = [], [], 0
    with session_scope(engine) as session:
        for doc_id, original in new.items():
            began = time.perf_counter()
            candidates = probe(session, {doc_id: own[doc_id]})[doc_id]
            times.append((time.perf_counter() - began) * 1000)
            counts.append(len(candidates))
            found += original is not None and original in candidates
        sample = sorted(own[next(iter(new))])
        plan = [row[0] for row in session.execute(text(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT t.fingerprint, t.document_id FROM text_posting t WHERE t.fingerprint "
            f"IN ({', '.join(str(v) for v in sample)}) AND (SELECT COUNT(*) FROM (SELECT 1 FROM text_posting c "
            "WHERE c.fingerprint = t.fingerprint LIMIT 51) held) <= 50"))]
    engine.dispose()
    if args.drop:
        admin = create_engine(args.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{DATABASE}"'))
        admin.dispose()
    quantiles = statistics.quantiles(times, n=100)
    copies = sum(o is not None for o in new.values())
    print("\n".join(plan))
    print(json.dumps({"documents": documents + len(new), "postings": stored, "probes": len(times),
                      "fingerprints_per_probe": round(statistics.mean(len(v) for v in own.values()), 1),
                      "p50_ms": round(quantiles[49], 2), "p95_ms": round(quantiles[94], 2),
                      "p99_ms": round(quantiles[98], 2), "max_ms": round(max(times), 2),
                      "candidates_mean": round(statistics.mean(counts), 2), "candidates_max": max(counts),
                      "copies": copies, "copies_with_original_candidate": found}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
