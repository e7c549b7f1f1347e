"""The audit pass: gathers facts from the store, applies the attribution rules, records findings per run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.attribution.rules import CreditFacts, Facts, OriginalFacts, SiteFacts, attribution_findings
from compliance.db import session_scope
from compliance.dates import utcnow
from compliance.models import AuditRun, Document, Finding, Image, ImageAppearance, Match, Site
from compliance.queries import current_appearances, matches_by_copy

DOCUMENT_CREDIT_KINDS = ("source_line", "link", "byline_org", "is_based_on", "jsonld_credit")


@dataclass
class AuditResult:
    audit_run_id: int
    by_code: dict[str, int]
    documents: int
    images: int


def site_facts(session: Session) -> dict[int, SiteFacts]:
    out = {}
    for site in session.scalars(select(Site)):
        out[site.id] = SiteFacts(site.name, tuple(site.aliases), tuple(o.origin for o in site.origins))
    return out


def embedded_credit(image: Image) -> tuple[tuple[str, str], ...]:
    from compliance.fingerprints.imagemeta import credit_fields

    fields = credit_fields(image.embedded or {})
    c2pa = image.c2pa or {}
    if c2pa.get("state") == "valid" and c2pa.get("author"):
        fields = {**fields, "c2pa_author": str(c2pa["author"])}
    return tuple(sorted(fields.items()))


def _of_kind(matches: dict[tuple[str, int], list[Match]], kind: str) -> dict[int, list[Match]]:
    return {copy_id: ms for (k, copy_id), ms in matches.items() if k == kind}


def document_facts(session: Session, sites: dict[int, SiteFacts],
                   all_matches: dict[tuple[str, int], list[Match]]) -> list[tuple[Document, Facts]]:
    matches = _of_kind(all_matches, "document")
    docs = session.scalars(select(Document).where(Document.is_current.is_(True))).all()
    by_id = {d.id: d for d in docs}
    roles = {s.id: s.role for s in session.scalars(select(Site))}
    out = []
    for doc in docs:
        if roles.get(doc.site_id) == "publisher" and doc.id not in matches:
            continue  # a publisher's own article is an original unless it matched an earlier one
        originals = tuple(
            OriginalFacts(by_id[m.original_id].url, sites[by_id[m.original_id].site_id],
                          float(m.evidence.get("containment", m.score)))
            for m in matches.get(doc.id, []) if m.original_id in by_id
        )
        credits = tuple(
            CreditFacts(c.get("text", ""), c.get("name"), c.get("url"))
            for c in doc.credits if c.get("kind") in DOCUMENT_CREDIT_KINDS
        )
        out.append((doc, Facts(doc.url, sites[doc.site_id], credits, originals, tuple(doc.disclaimers),
                               tuple(doc.outbound_links))))
    return out


def image_facts(session: Session, sites: dict[int, SiteFacts],
                all_matches: dict[tuple[str, int], list[Match]]) -> list[tuple[ImageAppearance, Facts]]:
    matches = _of_kind(all_matches, "image")
    rows = current_appearances(session)
    by_app = {app.id: (app, image, doc) for app, image, doc, _ in rows}
    out = []
    for app, image, doc, role in rows:
        if role == "publisher" and app.id not in matches:
            continue
        originals = []
        same = False
        for m in matches.get(app.id, []):
            if m.original_id not in by_app:
                continue
            _o_app, o_image, o_doc = by_app[m.original_id]
            same = same or o_image.id == image.id
            originals.append(OriginalFacts(o_image.url, sites[o_doc.site_id], 0.0, embedded_credit(o_image)))
        credit_text = app.credit_line or app.jsonld_credit
        credit_name = app.credited_source or (app.jsonld_credit if not app.credit_line else None)
        credits = (CreditFacts(credit_text or "", credit_name, None),) if (credit_text or credit_name) else ()
        out.append((app, Facts(image.url, sites[doc.site_id], credits, tuple(originals), tuple(doc.disclaimers),
                               (), embedded_credit(image), same)))
    return out


def audit(engine: Engine, pol: dict[str, float]) -> AuditResult:
    """Run the rules over every copy and store the findings under a new AuditRun (older runs are kept)."""
    with session_scope(engine) as session:
        run = AuditRun(policy=dict(pol))
        session.add(run)
        session.flush()
        sites = site_facts(session)
        counter: Counter[str] = Counter()
        rows: list[dict[str, Any]] = []
        all_matches = matches_by_copy(session)
        docs = document_facts(session, sites, all_matches)
        for doc, facts in docs:
            for f in attribution_findings(facts, "document", pol["substantial_containment"]):
                rows.append({"audit_run_id": run.id, "subject": "document", "subject_id": doc.id, "code": f.code,
                             "severity": f.severity, "message": f.message, "evidence": f.evidence})
                counter[f.code] += 1
        images = image_facts(session, sites, all_matches)
        for app, facts in images:
            for f in attribution_findings(facts, "image", None):
                rows.append({"audit_run_id": run.id, "subject": "image", "subject_id": app.id, "code": f.code,
                             "severity": f.severity, "message": f.message, "evidence": f.evidence})
                counter[f.code] += 1
        if rows:
            session.execute(insert(Finding), rows)
        run.counts = {"documents": len(docs), "images": len(images), "by_code": dict(counter)}
        run.finished_at = utcnow()
        return AuditResult(run.id, dict(counter), len(docs), len(images))
