"""The attribution report (plain data in the DESIGN.md JSON contract): its template view and its CSV rows.

Every string from a crawled page is untrusted: templates autoescape, links are made only for
http(s) URLs, Markdown text is backslash-escaped and CSV cells are formula-neutralised (`reports.filters`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.csvsafe import write_rows
from reports.filters import as_dict, as_list, clean, pct
from reports.render import FORMATS, render

SEVERITIES = ("high", "medium", "low", "info")

# The stable codes and their meaning, as in DESIGN.md "Attribution findings".
CODE_MEANINGS: dict[str, str] = {
    "credited_ok": "the copy credits the source of the original it was matched to",
    "missing_credit": "a copy of a publisher's article or image that credits no one for it",
    "misattributed": "the credit names a different source than the matched original's",
    "unverified_credit": "a credit is given but no original was found in the crawled corpus",
    "disclaimer_only": 'the page leans on a generic "aggregated from public sources" disclaimer'
    " instead of attribution",
    "metadata_stripped": "the original image carried embedded credit that the copy has lost",
    "substantial_copy": "most of the original's text is reproduced (containment above the policy"
    " threshold)",
}

CSV_HEADER = (
    "subject", "url", "page_url", "site", "title_or_credit", "code", "severity", "message",
    "original_url", "original_site", "method", "distance", "score",
)

_HASH_BITS = {"pdq": 256, "phash": 64, "phash-windows": 64, "simhash": 64}

def _flat(value: object) -> str | None:
    """An embedded metadata value (XMP bags are lists, some fields maps) as one line of text."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_flat(v) or ''}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(filter(None, map(_flat, value))) or None
    return str(value)


def _severity_rank(finding: Mapping[str, Any]) -> int:
    severity = finding.get("severity")
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _findings(raw: object) -> list[dict[str, Any]]:
    out = []
    for item in as_list(raw):
        f = as_dict(item)
        code = f.get("code") or ""
        out.append({**f, "code": code, "severity": f.get("severity") or "info",
                    "message": f.get("message") or "", "meaning": CODE_MEANINGS.get(code, "")})
    return sorted(out, key=_severity_rank)


def _originals(raw: object) -> list[dict[str, Any]]:
    keys = ("url", "page_url", "site", "method", "distance", "score", "containment", "reason", "direction")
    return [{k: as_dict(o).get(k) for k in keys} | {
        "embedded_credit": as_dict(as_dict(o).get("embedded_credit")),
        "passages": [{"copy": as_dict(p).get("copy"), "original": as_dict(p).get("original")}
                     for p in as_list(as_dict(o).get("passages"))],
    } for o in as_list(raw)]


def _document(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    capture = as_dict(raw.get("capture"))
    return {
        "anchor": f"doc-{index}", "kind": "document", "url": raw.get("url"),
        "site": raw.get("site"), "role": raw.get("role"), "title": raw.get("title"),
        "published": raw.get("published"), "first_seen": raw.get("first_seen"),
        "credits": as_list(raw.get("credits")),
        "credit_lines": [{"text": c.get("text"), "kind": c.get("kind"), "url": c.get("url")}
                         for c in map(as_dict, as_list(raw.get("credit_lines")))],
        "disclaimers": as_list(raw.get("disclaimers")),
        "alternates": [{"url": a.get("url"), "lang": a.get("lang"), "text": a.get("text")}
                       for a in map(as_dict, as_list(raw.get("alternates")))],
        "capture": {k: capture.get(k) for k in
                    ("status", "fetched_at", "sha256", "warc_file", "warc_offset")},
        "originals": _originals(raw.get("originals")),
        "findings": _findings(raw.get("findings")),
    }


def _image(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    originals = _originals(raw.get("originals"))
    copy_credit = as_dict(raw.get("embedded_credit"))
    original_credit = originals[0]["embedded_credit"] if originals else {}
    fields = list(dict.fromkeys([*copy_credit, *original_credit]))
    c2pa = as_dict(raw.get("c2pa"))
    return {
        "anchor": f"img-{index}", "kind": "image", "url": raw.get("url"),
        "page_url": raw.get("page_url"), "site": raw.get("site"), "role": raw.get("role"),
        "credit": raw.get("credit"), "credited_source": raw.get("credited_source"),
        "alt": raw.get("alt"), "sha256": raw.get("sha256"), "width": raw.get("width"),
        "height": raw.get("height"),
        "embedded": [{"field": k, "copy": _flat(copy_credit.get(k)),
                      "original": _flat(original_credit.get(k))} for k in fields],
        "c2pa": {"present": c2pa.get("present"), "state": c2pa.get("state")},
        "originals": originals,
        "findings": _findings(raw.get("findings")),
    }


def _policy_lines(policy: Mapping[str, Any]) -> list[str]:
    lines = []
    if isinstance(policy.get("containment_threshold"), (int, float)):
        lines.append(f"substantial copy = containment ≥ {pct(policy['containment_threshold'])}"
                     " of the original's text")
    if isinstance(policy.get("simhash_radius"), int):
        lines.append(f"text match = simhash distance ≤ {policy['simhash_radius']} of 64 bits")
    if isinstance(policy.get("confirm_containment"), (int, float)):
        lines.append(f"text match confirmed when ≥ {pct(policy['confirm_containment'])} of word 5-shingles are shared")
    if isinstance(policy.get("passage_coverage"), (int, float)):
        lines.append(f"rewritten or excerpted text matched when copied passages cover ≥ {pct(policy['passage_coverage'])}"
                     " of either text (shared quotations alone never count)")
    if isinstance(policy.get("image_threshold"), int):
        method = clean(policy.get("image_method") or "perceptual hash")
        bits = _HASH_BITS.get(method.lower())
        lines.append(f"image match = {method.upper()} distance ≤ {policy['image_threshold']}"
                     + (f" of {bits} bits" if bits else ""))
    return lines


def view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The template context: the contract's data with optional fields defaulted."""
    summary = as_dict(data.get("summary"))
    by_code = {str(k): v for k, v in as_dict(summary.get("by_code")).items()}
    codes = [*CODE_MEANINGS, *sorted(set(by_code) - set(CODE_MEANINGS))]
    documents = [_document(as_dict(d), i) for i, d in enumerate(as_list(data.get("documents")), 1)]
    images = [_image(as_dict(m), i) for i, m in enumerate(as_list(data.get("images")), 1)]
    attention = sorted(
        ({"item": item, "finding": f} for item in [*documents, *images]
         for f in item["findings"] if f["severity"] in ("high", "medium")),
        key=lambda a: _severity_rank(a["finding"]),
    )
    runs = as_dict(data.get("runs"))
    return {
        "generated_at": data.get("generated_at"),
        "policy": _policy_lines(as_dict(data.get("policy"))),
        "summary": {k: summary.get(k) for k in ("documents", "images", "copies", "matches")},
        "by_code": [{"code": c, "count": by_code.get(c, 0), "meaning": CODE_MEANINGS.get(c, "")}
                    for c in codes],
        "sites": [{"name": s.get("name"), "role": s.get("role"),
                   "origins": as_list(s.get("origins")), "aliases": as_list(s.get("aliases")),
                   "documents": s.get("documents"), "images": s.get("images")}
                  for s in map(as_dict, as_list(data.get("sites")))],
        "crawl_runs": [{"id": r.get("id"), "started_at": r.get("started_at"),
                        "finished_at": r.get("finished_at"), "status": r.get("status"),
                        "start_urls": as_list(r.get("start_urls")), "counts": as_dict(r.get("counts"))}
                       for r in map(as_dict, as_list(runs.get("crawl_runs")))],
        "audit_run": as_dict(runs.get("audit_run")),
        "documents": documents,
        "images": images,
        "attention": attention,
    }


def csv(data: Mapping[str, Any], _view: Mapping[str, Any]) -> str:
    rows: list[list[object]] = [list(CSV_HEADER)]
    for subject, items in (("document", data.get("documents")), ("image", data.get("images"))):
        for item in map(as_dict, as_list(items)):
            best = as_dict(as_list(item.get("originals"))[0]) if as_list(item.get("originals")) else {}
            described = item.get("title") if subject == "document" else item.get("credit")
            base = [subject, item.get("url"), item.get("page_url"), item.get("site"), described]
            tail = [best.get("url"), best.get("site"), best.get("method"), best.get("distance"),
                    best.get("score")]
            findings = as_list(item.get("findings")) or [{}]
            for f in map(as_dict, findings):
                rows.append([*base, f.get("code"), f.get("severity"), f.get("message"), *tail])
    return write_rows(rows)


def render_attribution(data: dict[str, Any], fmt: str) -> str:
    """Render the attribution report `data` (DESIGN.md JSON contract) in format `fmt`."""
    return render("attribution", data, fmt)


__all__ = ["CODE_MEANINGS", "CSV_HEADER", "FORMATS", "render_attribution", "view", "csv"]
