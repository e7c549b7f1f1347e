"""Candidate pairs from fingerprints and postings, on a real SQLite file and on the machine's PostgreSQL: the
incremental probe finds what the full pass finds for the new documents, boilerplate fingerprints propose nothing,
and a crowded probe is capped (and says so)."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from compliance.attribution import candidates
from compliance.attribution.candidates import (
    current_prints,
    posting_pairs,
    probe,
    simhash_pairs,
    take_pending,
)
from compliance.db import open_db, session_scope
from compliance.records import CaptureRecord, ExtractedArticle, PageItem, SiteSpec
from compliance.runs import start_run
from compliance.sites import register_all
from compliance.store import store_items
from tests.services import PG_SKIP, PG_URL, throwaway_postgres

PUB, AGG = "https://pub.example", "https://agg.example"
WORDS = [f"term{i}" for i in range(4000)]
FOOTER = "Sign up to our newsletter for the day's top stories delivered to your inbox every morning without fail."


def _text(seed: int, footer: bool = True) -> str:
    rng = random.Random(seed)
    body = " ".join(" ".join(rng.choices(WORDS, k=14)).capitalize() + "." for _ in range(16))
    return f"{body} {FOOTER}" if footer else body


def _item(site: str, url: str, text: str) -> PageItem:
    return PageItem(site=site, capture=CaptureRecord(requested_url=url, final_url=url, status=200,
                                                     fetched_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
                    article=ExtractedArticle(title=url, text=text, language="en"))


def _corpus(engine: Engine) -> dict[str, int]:
    """60 originals sharing a footer (boilerplate: more than POSTING_CAP documents hold it), an excerpt and a
    verbatim copy of two of them; {url: document id}."""
    register_all(engine, [SiteSpec("pub", "publisher", [PUB]), SiteSpec("agg", "aggregator", [AGG])])
    run = start_run(engine, {}, {})
    items = [_item("pub", f"{PUB}/a{i}", _text(i)) for i in range(60)]
    items += [_item("agg", f"{AGG}/excerpt", " ".join(_text(3, footer=False).split()[:90])),
              _item("agg", f"{AGG}/verbatim", _text(7))]
    with session_scope(engine) as session:
        store_items(session, run, items)
    from sqlalchemy import select

    from compliance.models import Document

    with session_scope(engine) as session:
        return {url: doc_id for doc_id, url in session.execute(select(Document.id, Document.url))}


def _check(engine: Engine) -> None:
    ids = _corpus(engine)
    new = [ids[f"{AGG}/excerpt"], ids[f"{AGG}/verbatim"]]
    with session_scope(engine) as session:
        keys, prints = current_prints(session)
        assert len(keys) == 62 and list(keys) == sorted(keys)
        assert posting_pairs(session, keys) == set()  # postings stay pending until a link run takes them
        own = take_pending(session, new[:1])
        assert set(own) == {new[0]} and len(own[new[0]]) > 10
        everything = posting_pairs(session, keys)
        some = posting_pairs(session, keys, new, own)  # the second probes with fingerprints winnowed from its text
        assert take_pending(session, new) == {}
        near_all = simhash_pairs(keys, prints, 8)
        near_new = simhash_pairs(keys, prints, 8, new)
    want = {(min(ids[f"{PUB}/a3"], new[0]), max(ids[f"{PUB}/a3"], new[0])),
            (min(ids[f"{PUB}/a7"], new[1]), max(ids[f"{PUB}/a7"], new[1]))}
    assert want <= everything
    capped, uncapped = _reference(engine)
    assert everything == capped
    assert len(uncapped) >= 1830 > len(capped)  # the footer all 61 pages winnow proposes nothing
    assert some == {p for p in everything if set(p) & set(new)}
    assert near_new == {p for p in near_all if set(p) & set(new)}
    assert (min(ids[f"{PUB}/a7"], new[1]), max(ids[f"{PUB}/a7"], new[1])) in near_new


def _reference(engine: Engine) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Brute force over every posting: pairs sharing a fingerprint held by at most POSTING_CAP documents, and
    pairs sharing any fingerprint."""
    from collections import defaultdict
    from itertools import combinations

    from sqlalchemy import select

    from compliance.models import TextPosting

    holders: dict[int, set[int]] = defaultdict(set)
    with session_scope(engine) as session:
        for doc_id, fingerprint in session.execute(select(TextPosting.document_id, TextPosting.fingerprint)):
            holders[fingerprint].add(doc_id)
    capped, uncapped = set(), set()
    for docs in holders.values():
        pairs = set(combinations(sorted(docs), 2))
        uncapped |= pairs
        if len(docs) <= candidates.POSTING_CAP:
            capped |= pairs
    return capped, uncapped


def test_candidates_on_sqlite(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "c.db"))
    try:
        _check(engine)
    finally:
        engine.dispose()


@pytest.fixture()
def pg_engine() -> Iterator[Engine]:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    with throwaway_postgres() as url:
        engine = open_db(url)
        try:
            yield engine
        finally:
            engine.dispose()


def test_candidates_on_postgresql(pg_engine: Engine) -> None:
    _check(pg_engine)


def test_a_crowded_probe_keeps_the_documents_sharing_most_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    engine = open_db(str(tmp_path / "c.db"))
    ids = _corpus(engine)
    monkeypatch.setattr(candidates, "PROBE_CAP", 3)  # the footer some pages share makes ~45 candidates each
    copy = ids[f"{AGG}/verbatim"]
    with session_scope(engine) as session:
        own = take_pending(session, [copy])
    with caplog.at_level(logging.WARNING, logger="compliance.attribution.candidates"), session_scope(engine) as s:
        found = probe(s, own)
    assert len(found[copy]) == 3 and found[copy][0] == ids[f"{PUB}/a7"]  # its source shares the most
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [f"document {copy}"]
    engine.dispose()
