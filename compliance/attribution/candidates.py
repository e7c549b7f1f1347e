"""Candidate pairs for text linking, from fingerprints and postings only: never from the texts.

Two sources, both answered by indexes:
- the 64-bit simhash within the policy radius (near-identical copies): the current documents' simhashes are held
  as two numpy arrays (ids and prints, 16 bytes a document) and searched exactly by `pairs_within`;
- the winnowed-fingerprint postings (`text_posting`, rewritten and excerpted copies). A link run first moves the
  postings stored since the last run (`text_posting_pending`, appended by the crawl) into the index in fingerprint
  order. A link of most of the corpus then streams every shared fingerprint once, in index order; an incremental
  link probes the index with each new document's own fingerprints. Each probe's candidates are counted, logged
  and capped (the documents sharing the most fingerprints are kept).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from compliance.fingerprints.index import pairs_within
from compliance.models import Document, PendingPosting, TextPosting

logger = logging.getLogger(__name__)

ELIGIBLE = (Document.is_current.is_(True), Document.taken_down_at.is_(None), Document.simhash.is_not(None))
# A fingerprint shared by more current documents than this is boilerplate (a footer, a wire-service sign-off): it
# proposes no candidates. Copies share many fingerprints, so losing one costs nothing.
POSTING_CAP = 50
# A probe keeps at most this many candidate documents (those sharing the most fingerprints with it): a page made
# of many articles' excerpts still gets every source it copied from, a pathological page cannot flood linking.
PROBE_CAP = 500

Pair = tuple[int, int]


def current_prints(session: Session) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """Ids and simhashes of the linkable documents, streamed into two arrays (no row objects kept)."""
    ids: list[int] = []
    prints: list[int] = []
    rows = session.execute(select(Document.id, Document.simhash).where(*ELIGIBLE).order_by(Document.id)
                           .execution_options(yield_per=50_000))
    for doc_id, simhash in rows:
        ids.append(doc_id)
        prints.append(int(simhash or 0))
    return np.array(ids, dtype=np.int64), np.array(prints, dtype=np.uint64)


def simhash_pairs(keys: npt.NDArray[np.int64], prints: npt.NDArray[np.uint64], radius: int,
                  only: Collection[int] | None = None) -> set[Pair]:
    """Pairs of documents whose simhashes are within the radius (with `only`: pairs involving one of those)."""
    if only is None:
        return pairs_within(keys, prints, radius)
    among = np.flatnonzero(np.isin(keys, np.fromiter(only, dtype=np.int64, count=len(only))))
    return pairs_within(keys, prints, radius, among=among)


def take_pending(session: Session, keep: Collection[int] = ()) -> dict[int, list[int]]:
    """Move the pending postings into the index, sorted by fingerprint, in this transaction; return the moved
    fingerprints of the documents in `keep` (an incremental link's own probes)."""
    kept: dict[int, list[int]] = defaultdict(list)
    if keep:  # at the driver: hundreds of rows per document, two integers each
        wanted = set(keep)
        for doc_id, fingerprint in _rows(session, "SELECT document_id, fingerprint FROM text_posting_pending", ()):
            if doc_id in wanted:
                kept[doc_id].append(fingerprint)
    if session.get_bind().dialect.name == "postgresql":  # one statement: rows stored meanwhile stay pending
        session.execute(text(
            "WITH moved AS (DELETE FROM text_posting_pending RETURNING fingerprint, document_id) "
            "INSERT INTO text_posting (fingerprint, document_id) SELECT fingerprint, document_id FROM moved "
            "ORDER BY fingerprint, document_id ON CONFLICT DO NOTHING"))
    else:  # SQLite: this transaction holds the write lock from the first statement to the commit
        session.execute(text(
            "INSERT OR IGNORE INTO text_posting (fingerprint, document_id) SELECT fingerprint, document_id "
            "FROM text_posting_pending ORDER BY fingerprint, document_id"))
        # In id ranges: one DELETE of the whole table collects every rowid first (24 bytes a row: 1.8 GB for a
        # million documents' postings; the foreign key rules out SQLite's truncation). Not the ORM's bulk delete,
        # which would fetch the ids to synchronise the session.
        low, high = session.execute(select(func.min(PendingPosting.id), func.max(PendingPosting.id))).one()
        for start in range(int(low or 0), int(high or -1) + 1, 1_000_000):
            session.execute(delete(PendingPosting).where(PendingPosting.id.between(start, start + 999_999))
                            .execution_options(synchronize_session=False))
    return dict(kept)


def posting_pairs(session: Session, eligible: npt.NDArray[np.int64], only: Collection[int] | None = None,
                  own: dict[int, list[int]] | None = None) -> set[Pair]:
    """Pairs of current documents sharing a winnowed fingerprint that at most POSTING_CAP documents hold (with
    `only`: each of those documents probed with its fingerprints, from `own`, else winnowed from its text)."""
    if only is None:
        return _all_shared(session, eligible)
    own = own or {}
    pairs: set[Pair] = set()
    ids = sorted(only)
    for at in range(0, len(ids), 100):
        part = ids[at:at + 100]
        prints = {d: own[d] if d in own else _winnowed(session, d) for d in part}
        for doc_id, others in probe(session, prints).items():
            pairs.update((min(doc_id, o), max(doc_id, o)) for o in others if _holds(eligible, o))
    return pairs


def _winnowed(session: Session, doc_id: int) -> list[int]:
    from compliance.fingerprints.passages import winnow

    body = session.scalar(select(Document.text).where(Document.id == doc_id)) or ""
    return sorted({fp.value for fp in winnow(body)})


def _holds(sorted_ids: npt.NDArray[np.int64], doc_id: int) -> bool:
    at = int(np.searchsorted(sorted_ids, doc_id))
    return at < len(sorted_ids) and int(sorted_ids[at]) == doc_id


# The documents holding some fingerprints, each fingerprint kept only when few documents hold it (the count stops
# at POSTING_CAP + 1, inside the fingerprint index), run at the driver (a probe returns hundreds of rows):
# PostgreSQL takes the fingerprints as one array parameter, SQLite as a list of parameters.
_HOLDING = ("SELECT t.fingerprint, t.document_id FROM text_posting t WHERE t.fingerprint {match} "
            "AND (SELECT COUNT(*) FROM (SELECT 1 FROM text_posting c WHERE c.fingerprint = t.fingerprint "
            "LIMIT {over}) held) <= {cap}")


def _holders_sql(dialect: str, n: int) -> str:
    match = "= ANY(%s)" if dialect == "postgresql" else f"IN ({', '.join('?' * n)})"
    return _HOLDING.format(match=match, over=POSTING_CAP + 1, cap=POSTING_CAP)


def _rows(session: Session, sql: str, params: Any) -> list[tuple[int, int]]:
    """Integer pairs from a statement run on the session's connection, in its transaction."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return [(int(a), int(b)) for a, b in cursor.fetchall()]
    finally:
        cursor.close()


def probe(session: Session, prints: dict[int, list[int]]) -> dict[int, list[int]]:
    """For each document (its fingerprints given), the other documents sharing its non-boilerplate fingerprints,
    most shared first, at most PROBE_CAP (each probe's count is logged; a capped probe says so)."""
    values = sorted({v for vs in prints.values() for v in vs})
    holders: dict[int, list[int]] = defaultdict(list)
    dialect = session.get_bind().dialect.name
    for at in range(0, len(values), 5_000):
        chunk = values[at:at + 5_000]
        params = (chunk,) if dialect == "postgresql" else tuple(chunk)
        for fingerprint, doc_id in _rows(session, _holders_sql(dialect, len(chunk)), params):
            holders[fingerprint].append(doc_id)
    out: dict[int, list[int]] = {}
    for doc_id, mine in prints.items():
        shared: dict[int, int] = defaultdict(int)
        for v in mine:
            for other in holders.get(v, ()):
                if other != doc_id:
                    shared[other] += 1
        found = sorted(shared, key=lambda o: (-shared[o], o))
        if len(found) > PROBE_CAP:
            logger.warning("document %d: %d candidate documents share its fingerprints; the %d sharing most are kept",
                           doc_id, len(found), PROBE_CAP)
        else:
            logger.debug("document %d: %d candidate documents", doc_id, len(found))
        out[doc_id] = found[:PROBE_CAP]
    return out


def _all_shared(session: Session, eligible: npt.NDArray[np.int64]) -> set[Pair]:
    """Every pair sharing a non-boilerplate fingerprint: one pass over the shared fingerprints' postings in
    fingerprint order (the index's order), streamed: only the pairs are held, never the postings or the texts."""
    shared = (select(TextPosting.fingerprint).group_by(TextPosting.fingerprint)
              .having(func.count() > 1, func.count() <= POSTING_CAP).subquery())
    rows = session.execute(
        select(TextPosting.fingerprint, TextPosting.document_id)
        .join(shared, shared.c.fingerprint == TextPosting.fingerprint)
        .order_by(TextPosting.fingerprint, TextPosting.document_id)
        .execution_options(yield_per=10_000)
    )
    pairs: set[Pair] = set()
    for group in _groups(rows):
        members = [d for d in group if _holds(eligible, d)]
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return pairs


def _groups(rows: Iterable[Any]) -> Iterator[list[int]]:
    """Document ids grouped by consecutive equal fingerprints."""
    group: list[int] = []
    current: int | None = None
    for fingerprint, doc_id in rows:
        if fingerprint != current:
            if group:
                yield group
            group, current = [], fingerprint
        group.append(doc_id)
    if group:
        yield group
