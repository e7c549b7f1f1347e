"""The corpus as linking, audit, copy-finding and reports read it: one definition of each shared query."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models import Document, Image, ImageAppearance, Match, Site


def current_documents(session: Session, *conditions: Any) -> list[tuple[Document, str]]:
    """Current document versions with their site's role."""
    rows = session.execute(
        select(Document, Site.role).join(Site, Site.id == Document.site_id).where(Document.is_current.is_(True),
                                                                                    *conditions)
    ).all()
    return [(doc, role) for doc, role in rows]


def current_appearances(session: Session, *, hashed_only: bool = False) -> list[tuple[ImageAppearance, Image, Document, str]]:
    """Every image shown on a current document, with the page and its site's role (page, then position order)."""
    query = (
        select(ImageAppearance, Image, Document, Site.role)
        .join(Image, Image.id == ImageAppearance.image_id)
        .join(Document, Document.id == ImageAppearance.document_id)
        .join(Site, Site.id == Document.site_id)
        .where(Document.is_current.is_(True))
        .order_by(Document.id, ImageAppearance.position)
    )
    if hashed_only:
        query = query.where(Image.phash.is_not(None))
    return [(app, image, doc, role) for app, image, doc, role in session.execute(query).all()]


def matches_by_copy(session: Session) -> dict[tuple[str, int], list[Match]]:
    """Matches grouped by (kind, copy id), best first (smallest distance, then highest score)."""
    out: dict[tuple[str, int], list[Match]] = defaultdict(list)
    for m in session.scalars(select(Match).order_by(Match.distance, Match.score.desc())):
        out[(m.kind, m.copy_id)].append(m)
    return out
