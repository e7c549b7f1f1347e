"""End to end: an aggregator's lightly rewritten and excerpted copies of real articles are linked to their originals
with the matched passages as evidence, while another outlet's own report of the same event is not.

Real article bodies (the shared AEB set), served as pages on 127.0.0.1, crawled with real Scrapy into a real
SQLite file, linked by the `link` command.
"""

from __future__ import annotations

import html
import json
import random
import re
import sqlite3
from pathlib import Path

from tests.cli_helpers import crawl_and_link
from tests.compliance.fingerprints.copy_corpus import reorder, substitute

# Gizmodo and Live Science on the same "feather duvet lung" case: two outlets' own reports of one event.
GIZMODO = "7bb1ca90354313840329d2f569ea9fb3a582df2aa0a5e3669f8fc567eb6ea61b"
LIVESCIENCE = "bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54"
REUTERS = "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85"


def _page(title: str, body: str) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body><article><h1>{html.escape(title)}</h1>{paras}</article></body></html>")


def _rewrite(text: str, share: float, seed: int) -> str:
    """A light rewrite: a share of the words replaced, and the sentences of each paragraph reordered."""
    rng = random.Random(seed)
    return reorder(substitute(text, share, "meanwhile", rng), rng)


def _excerpt(text: str, share: float) -> str:
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", text)]
    cut = next(e for e in ends if e >= len(text) * share)
    return text[:cut]


def test_rewritten_and_excerpted_copies_link_and_an_independent_report_does_not(
        tmp_path: Path, shared_dir: Path) -> None:
    bodies = {k: v["articleBody"] for k, v in
              json.loads((shared_dir / "data/aeb/ground-truth.json").read_text(encoding="utf-8")).items()}
    pub, agg = tmp_path / "pub", tmp_path / "agg"
    pub.mkdir()
    agg.mkdir()
    (pub / "duvet.html").write_text(_page("Feather duvet lung", bodies[GIZMODO]), encoding="utf-8")
    (pub / "wework.html").write_text(_page("WeWork inquiry", bodies[REUTERS]), encoding="utf-8")
    rewritten = _rewrite(bodies[REUTERS], 0.10, seed=7)
    excerpt = _excerpt(bodies[GIZMODO], 0.35)
    (agg / "wework.html").write_text(_page("WeWork inquiry widens", rewritten), encoding="utf-8")
    (agg / "duvet.html").write_text(_page("Duvet lung: what we know", excerpt), encoding="utf-8")
    (agg / "duvet-own.html").write_text(_page("A duvet made a man ill", bodies[LIVESCIENCE]), encoding="utf-8")
    db = tmp_path / "p.db"
    crawl_and_link(tmp_path, db, {"pub": ("publisher", pub, ["duvet.html", "wework.html"]),
                                  "agg": ("aggregator", agg, ["wework.html", "duvet.html", "duvet-own.html"])})
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "select c.url, c.text, o.url, o.text, m.method, m.evidence from match m "
            "join document c on c.id = m.copy_id join document o on o.id = m.original_id "
            "where m.kind = 'document'").fetchall()
    finally:
        con.close()
    linked = {(c.rsplit("/", 1)[1], o.rsplit("/", 1)[1]): (ct, ot, method, json.loads(ev))
              for c, ct, o, ot, method, ev in rows}
    assert set(linked) == {("wework.html", "wework.html"), ("duvet.html", "duvet.html")}, sorted(linked)
    for copy_text, original_text, method, evidence in linked.values():
        assert method == "winnow"  # the simhash alone misses both
        assert evidence["passages"] and evidence["reason"]
        for o0, o1, c0, c1 in evidence["passages"]:  # offsets name the same prose in both stored texts
            same = set(re.findall(r"\w+", original_text[o0:o1])) & set(re.findall(r"\w+", copy_text[c0:c1]))
            assert len(same) >= 5
    excerpt_evidence = linked[("duvet.html", "duvet.html")][3]
    assert excerpt_evidence["copy_covered"] > 0.9 > excerpt_evidence["original_covered"]
