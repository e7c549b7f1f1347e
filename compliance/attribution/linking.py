"""Linking copies to originals, incrementally: a link run confirms only the pairs that involve documents it has not
linked before, drops the matches of documents that are no longer current, and leaves every other match untouched
(same row, same creation time). `--full` recomputes everything, as after a change of a matching setting.

Texts: `text_links.py` (simhash and winnowed postings, confirmed by containment or passages). Images:
`image_links.py` (exact bytes and window pHashes), recomputed each run and written as a difference, so unchanged
image matches keep their rows too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.attribution.direction import DocFacts, order_pair
from compliance.attribution.image_links import link_images
from compliance.attribution.text_links import ELIGIBLE, Progress, link_documents
from compliance.db import session_scope
from compliance.models import Document, Match

logger = logging.getLogger(__name__)

__all__ = ["DocFacts", "LinkResult", "link", "order_pair"]


@dataclass
class LinkResult:
    document_matches: int  # stored after this run
    image_matches: int
    documents_indexed: int
    images_indexed: int
    by_method: dict[str, int] = field(default_factory=dict)  # "document:winnow" -> matches stored
    new: int = 0  # matches that were not there before this run
    documents_linked: int = 0  # documents confirmed against the corpus in this run (all of them with --full)


Key = tuple[str, int, int]


def _key(row: dict[str, Any]) -> Key:
    return (str(row["kind"]), int(row["copy_id"]), int(row["original_id"]))


def _write(session: Session, kind: str, rows: list[dict[str, Any]], *, replace: bool,
           keep: set[int] | None = None) -> int:
    """Insert the rows not stored yet; with `replace`, also delete this kind's stored matches not among the rows.
    With `keep`, matches whose copy and original are both in it survive `replace` (not recomputed). Returns how
    many rows were new."""
    stored = {(k, c, o): i for i, k, c, o in session.execute(
        select(Match.id, Match.kind, Match.copy_id, Match.original_id).where(Match.kind == kind))}
    wanted = {_key(r): r for r in rows}
    if replace:
        gone = [i for k, i in stored.items() if k not in wanted
                and not (keep is not None and k[1] in keep and k[2] in keep)]
        for at in range(0, len(gone), 500):
            session.execute(delete(Match).where(Match.id.in_(gone[at:at + 500])))
    fresh = [r for k, r in wanted.items() if k not in stored]
    if fresh:
        session.execute(insert(Match), fresh)
    return len(fresh)


def link(engine: Engine, pol: dict[str, float], *, full: bool = False,
         progress: Progress | None = None) -> LinkResult:
    """Link what is new (or, with `full`, everything) in one unit of work; say what was stored and what is new.
    `progress` hears how many candidate text pairs are confirmed so far (a terminal shows it)."""
    with session_scope(engine) as session:
        pending = set(session.scalars(select(Document.id).where(*ELIGIBLE, Document.linked.is_(False))))
        doc_rows, current = link_documents(session, pol, None if full else pending, progress)
        if full:
            new_docs = _write(session, "document", doc_rows, replace=True)
        else:  # drop the matches of versions no longer current; pairs among already-linked documents stay
            settled = current - pending
            new_docs = _write(session, "document", doc_rows, replace=True, keep=settled)
        done = sorted(pending)
        for at in range(0, len(done), 500):
            session.execute(update(Document).where(Document.id.in_(done[at:at + 500])).values(linked=True))
        img_rows, n_imgs = link_images(session, pol)
        new_imgs = _write(session, "image", img_rows, replace=True)
        by_method = {f"{kind}:{method}": int(n) for kind, method, n in session.execute(
            select(Match.kind, Match.method, func.count()).group_by(Match.kind, Match.method))}
        n_doc_matches = sum(n for key, n in by_method.items() if key.startswith("document:"))
    logger.info("linked %d documents; %d document and %d image matches new", len(pending), new_docs, new_imgs)
    return LinkResult(n_doc_matches, len(img_rows), len(current), n_imgs, dict(sorted(by_method.items())),
                      new_docs + new_imgs, len(current) if full else len(pending & current))
