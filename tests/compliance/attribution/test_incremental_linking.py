"""Incremental linking on a real SQLite file: a run links only what is new, leaves other matches untouched, drops
the matches of versions no longer current, and `full` recomputes without rewriting unchanged rows."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from compliance.attribution.linking import link
from compliance.db import open_db, session_scope
from compliance.models import Match
from compliance.records import CaptureRecord, ExtractedArticle, PageItem, SiteSpec
from compliance.runs import start_run
from compliance.settings import policy
from compliance.sites import register_all
from compliance.store import store_page

PUB, AGG = "https://pub.example", "https://agg.example"
WORDS = [f"word{i}" for i in range(3000)]


def _text(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choices(WORDS, k=15)).capitalize() + "." for _ in range(20))


def _store(engine: Engine, run: int, site: str, url: str, text: str) -> int:
    item = PageItem(site=site, capture=CaptureRecord(requested_url=url, final_url=url, status=200,
                                                     fetched_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
                    article=ExtractedArticle(title=url, text=text, language="en"))
    doc_id = store_page(engine, run, item)
    assert doc_id is not None
    return doc_id


def _matches(engine: Engine) -> dict[tuple[int, int], tuple[int, datetime]]:
    with session_scope(engine) as session:
        return {(c, o): (i, t) for i, c, o, t in session.execute(
            select(Match.id, Match.copy_id, Match.original_id, Match.created_at).where(Match.kind == "document"))}


def test_a_link_run_links_only_what_is_new_and_keeps_other_rows(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "p.db"))
    register_all(engine, [SiteSpec("pub", "publisher", [PUB]), SiteSpec("agg", "aggregator", [AGG])])
    run = start_run(engine, {}, {})
    originals = [_store(engine, run, "pub", f"{PUB}/a{i}", _text(i)) for i in range(6)]
    copy_a = _store(engine, run, "agg", f"{AGG}/c0", _text(0))
    excerpt = " ".join(_text(1).split(" ")[:120])
    copy_b = _store(engine, run, "agg", f"{AGG}/c1", excerpt)
    first = link(engine, policy())
    assert first.documents_linked == 8 and first.new == 2
    before = _matches(engine)
    assert set(before) == {(copy_a, originals[0]), (copy_b, originals[1])}

    again = link(engine, policy())  # nothing new: nothing confirmed, nothing rewritten
    assert again.documents_linked == 0 and again.new == 0
    assert _matches(engine) == before

    copy_c = _store(engine, run, "agg", f"{AGG}/c2", _text(2))
    third = link(engine, policy())
    assert third.documents_linked == 1 and third.new == 1
    after = _matches(engine)
    assert {k: after[k] for k in before} == before  # same rows, same creation times
    assert (copy_c, originals[2]) in after

    changed = _store(engine, run, "agg", f"{AGG}/c0", _text(99))  # the copy was rewritten into something else
    fourth = link(engine, policy())
    assert fourth.documents_linked == 1
    now = _matches(engine)
    assert (copy_a, originals[0]) not in now and not any(c == changed for c, _ in now)
    assert now[(copy_b, originals[1])] == before[(copy_b, originals[1])]

    heard: list[tuple[int, int]] = []
    full = link(engine, policy(), full=True, progress=lambda done, total: heard.append((done, total)))
    assert heard and heard[-1][0] == heard[-1][1] > 0  # a terminal hears the pairs confirmed, to the last
    assert full.documents_linked == 9 and full.new == 0  # six originals, three current copies
    assert _matches(engine) == now


def test_a_site_whose_role_changes_is_linked_again(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "p.db"))
    register_all(engine, [SiteSpec("a", "unknown", ["https://a.example"]), SiteSpec("b", "unknown", [PUB])])
    run = start_run(engine, {}, {})
    early = _store(engine, run, "a", "https://a.example/s", _text(5))
    late = _store(engine, run, "b", f"{PUB}/s", _text(5))
    link(engine, policy())
    assert set(_matches(engine)) == {(late, early)}  # same role: the first stored is the original
    register_all(engine, [SiteSpec("a", "aggregator", ["https://a.example"])], update=True)
    again = link(engine, policy())
    assert again.documents_linked == 1
    assert set(_matches(engine)) == {(early, late)}  # the aggregator's page is the copy now
