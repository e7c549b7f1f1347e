"""Builds the attribution report's plain data (DESIGN.md JSON contract) from the store; renderers never query."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from compliance.errors import ReportError
from compliance.queries import current_appearances, matches_by_copy
from compliance.dates import utcnow
from compliance.models import (
    AuditRun,
    Capture,
    CrawlRun,
    Document,
    Finding,
    Match,
    Site,
)

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _findings(session: Session, run_id: int) -> dict[tuple[str, int], list[dict[str, Any]]]:
    out: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for f in session.scalars(select(Finding).where(Finding.audit_run_id == run_id).order_by(Finding.id)):
        out[(f.subject, f.subject_id)].append(
            {"code": f.code, "severity": f.severity, "message": f.message, "evidence": f.evidence}
        )
    for items in out.values():
        items.sort(key=lambda f: SEVERITY_ORDER.get(f["severity"], 9))
    return out


def _capture(c: Capture | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"status": c.status, "fetched_at": _iso(c.fetched_at), "sha256": c.body_sha256,
            "warc_file": c.warc_file, "warc_offset": c.warc_offset, "redirect_chain": c.redirect_chain}


def report_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """The audit's policy as people read it: whole numbers as ints, plus the names the report uses."""
    out: dict[str, Any] = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in policy.items()}
    if "substantial_containment" in out:
        out["containment_threshold"] = out["substantial_containment"]
    from compliance.fingerprints.passages import DEFAULT as PASSAGES

    out.setdefault("passage_coverage", PASSAGES.min_coverage)  # rewrites and excerpts (text_links.py)
    if "image_window_threshold" in out:  # window prints decide; a single pHash only for rows stored before them
        out.setdefault("image_method", "phash-windows")
        out["image_threshold"] = out["image_window_threshold"]
    out.setdefault("image_method", "phash")
    return out


PASSAGES_SHOWN = 5  # per original, longest first; the match's evidence keeps them all
PASSAGE_CHARS = 600


def _passages(original: str, copy: str, spans: object) -> list[dict[str, Any]]:
    """The copied passages as text (copy side and original side, cut to PASSAGE_CHARS), longest first."""
    out = []
    for span in spans if isinstance(spans, list) else []:
        if not (isinstance(span, list) and len(span) == 4 and all(isinstance(v, int) for v in span)):
            continue
        o0, o1, c0, c1 = span
        out.append({"copy": copy[c0:c1][:PASSAGE_CHARS], "original": original[o0:o1][:PASSAGE_CHARS],
                    "copy_offsets": [c0, c1], "original_offsets": [o0, o1], "chars": c1 - c0})
    return sorted(out, key=lambda p: -int(p["chars"]))[:PASSAGES_SHOWN]


def build_attribution_report(session: Session) -> dict[str, Any]:
    """The whole report as plain data, from the latest audit run."""
    audit = session.scalars(select(AuditRun).order_by(AuditRun.id.desc())).first()
    if audit is None:
        raise ReportError("there is no audit to report on yet.", "run `provenance crawl ...`, `provenance link` and "
                          "`provenance audit` first (or `provenance demo`).")
    sites = {s.id: s for s in session.scalars(select(Site))}
    findings = _findings(session, audit.id)
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.is_current.is_(True)).order_by(Document.id))}
    captures = {c.id: c for c in session.scalars(select(Capture).where(Capture.id.in_(
        [d.capture_id for d in docs.values() if d.capture_id]
    )))}
    matches = matches_by_copy(session)

    documents = []
    for d in docs.values():
        site = sites[d.site_id]
        originals = []
        for m in matches[("document", d.id)]:
            o = docs.get(m.original_id)
            if o is not None:
                originals.append({"url": o.url, "site": sites[o.site_id].name, "method": m.method,
                                  "distance": m.distance, "score": m.score,
                                  "containment": m.evidence.get("containment"), "reason": m.evidence.get("reason"),
                                  "direction": m.evidence.get("direction"),
                                  "passages": _passages(o.text, d.text, m.evidence.get("passages"))})
        credit_lines = [c for c in d.credits if c.get("kind") not in ("image_credit", "caption")]
        documents.append({
            "id": d.id, "url": d.url, "site": site.name, "role": site.role, "title": d.title,
            "published": d.published, "published_at": _iso(d.published_at), "first_seen": _iso(d.first_seen),
            "language": d.language,
            "credits": list(dict.fromkeys(c.get("name") or c.get("text", "") for c in credit_lines)),
            "credit_lines": [{"text": c.get("text", ""), "kind": c.get("kind", ""), "url": c.get("url")}
                             for c in credit_lines],
            "disclaimers": list(d.disclaimers), "alternates": list(d.alternates),
            "capture": _capture(captures.get(d.capture_id or -1)),
            "originals": originals, "findings": findings.get(("document", d.id), []),
        })

    rows = [(a, i, d) for a, i, d, _role in current_appearances(session)]
    apps = {a.id: (a, i, d) for a, i, d in rows}
    images = []
    for app, img, doc in rows:
        site = sites[doc.site_id]
        originals = []
        for m in matches[("image", app.id)]:
            if m.original_id not in apps:
                continue
            _oa, oi, od = apps[m.original_id]
            originals.append({"url": oi.url, "page_url": od.url, "site": sites[od.site_id].name, "method": m.method,
                              "distance": m.distance, "score": m.score, "embedded_credit": oi.embedded})
        images.append({
            "id": app.id, "url": img.url, "page_url": doc.url, "site": site.name, "role": site.role,
            "credit": app.credit_line or app.jsonld_credit, "credited_source": app.credited_source,
            "alt": app.alt, "caption": app.caption, "sha256": img.sha256, "width": img.width,
            "height": img.height, "embedded_credit": {k: v for k, v in (img.embedded or {}).items()
                                                      if not k.startswith("_")},
            "c2pa": img.c2pa, "error": img.error,
            "originals": originals, "findings": findings.get(("image", app.id), []),
        })

    by_code: Counter[str] = Counter()
    for items in findings.values():
        by_code.update(f["code"] for f in items)
    crawl_runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(10)).all()
    doc_counts = Counter(d.site_id for d in docs.values())
    img_counts = Counter(doc.site_id for _a, _i, doc in rows)
    return {
        "generated_at": utcnow().isoformat(),
        "policy": report_policy(audit.policy),
        "runs": {
            "crawl_runs": [{"id": r.id, "started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at),
                            "status": r.status,
                            "start_urls": [u for t in r.request.get("targets", []) for u in t.get("start_urls", [])],
                            "counts": r.counts} for r in crawl_runs],
            "audit_run": {"id": audit.id, "started_at": _iso(audit.started_at)},
        },
        "sites": [{"name": s.name, "role": s.role, "origins": [o.origin for o in s.origins],
                   "aliases": list(s.aliases), "documents": doc_counts.get(s.id, 0),
                   "images": img_counts.get(s.id, 0)} for s in sites.values()],
        "summary": {
            "documents": len(documents), "images": len(images),
            "copies": sum(1 for d in documents if d["originals"]) + sum(1 for i in images if i["originals"]),
            "matches": int(session.scalar(select(func.count()).select_from(Match)) or 0),
            "by_code": dict(sorted(by_code.items())),
        },
        "documents": documents,
        "images": images,
    }
