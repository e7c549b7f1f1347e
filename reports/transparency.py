"""Render the takedown transparency report (DSA Articles 15 and 24 figures) as HTML, JSON, CSV or Markdown.

`data` is plain numbers computed by compliance code; JSON output is `data` itself. Shape:

    {"generated_at": "2026-01-05T09:00:00Z",
     "period": {"from": "2025-07-01", "to": "2025-12-31"},
     "provider": {"name": "Harbour Digest", "contact": "copyright@digest.example"},     # optional
     "calendar": "US federal",                                   # business-day calendar used
     "notices": {"total": 14,
                 "by_kind": {"notice": 10, "counter_notice": 2, "retraction": 1, "reversal": 0, "other": 1},
                 "by_regime": {"dmca": 9, "dsa": 4, "other": 1},
                 "by_outcome": {"removed": 6, "disabled": 1, "rejected": 2, "credit_fixed": 1, "pending": 4},
                 "cure_requests_sent": 3},
     "counter_notices": {"received": 2, "forwarded": 2, "restored": 1, "court_action_reported": 0},
     "copies": {"listed": 12, "found_beyond_listed": 5, "by_method": {"simhash": 3, "image_hash": 2}},
     "automation": {"detected_by_fingerprint": 5, "detected_manually": 12, "notices_with_automated_detection": 3,
                    "decided_automatically": 0},
     "timing": {"to_action":   {"n": 7, "median_hours": 20.5, "p90_hours": 47.0,
                                "median_business_days": 1, "p90_business_days": 2},
                "to_decision": {...same keys...}},
     "dsa": {"art15_1_b": {"notices_by_category": {"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": 4},
                           "trusted_flagger_notices": 0, "actions_on_legal_ground": 3,
                           "actions_on_contractual_ground": 0, "processed_by_automated_means": 0,
                           "median_hours_to_action": 18.0},
             "art15_1_d": {"complaints_received": 0, "decisions_reversed": 0, "median_days_to_decide": null},
             "art24_1_a": {"disputes_submitted": 0, "outcomes": {}, "median_days_to_complete": null,
                           "share_implemented": null},
             "art24_1_b": {"manifestly_illegal_content": 0, "manifestly_unfounded_notices": 0,
                           "manifestly_unfounded_complaints": 0}},
     "method": ["medians are ...; p90 is nearest-rank ..."]}                 # optional notes

Missing counts print as 0: the rules want zeros stated, and a figure the tool does not record is
zero by construction. Missing medians print as "n/a" (no cases to take a median of).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.csvsafe import write_rows
from reports.filters import as_dict
from reports.render import FORMATS, render
CSV_HEADER = ("section", "metric", "key", "value", "unit")

KINDS = ("notice", "counter_notice", "retraction", "reversal", "complaint", "other")
REGIMES = ("dmca", "dsa", "other")
OUTCOMES = ("removed", "disabled", "rejected", "credit_fixed", "pending")
TIMINGS = (("to_action", "Receipt to action (content removed or disabled)"),
           ("to_decision", "Receipt to decision (any outcome)"))
TIMING_KEYS = ("n", "median_hours", "p90_hours", "median_business_days", "p90_business_days")
ART24_1_B = (("manifestly_illegal_content", "for frequently providing manifestly illegal content"),
             ("manifestly_unfounded_notices", "for frequently submitting manifestly unfounded notices"),
             ("manifestly_unfounded_complaints", "for frequently submitting manifestly unfounded complaints"))

CATEGORY_WORDS = {"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": "Intellectual property infringements"}


def _counts(raw: object, known: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Rows {"key", "count"}: the known keys first (0 when absent), then any others in order given."""
    table = as_dict(raw)
    keys = [*known, *(k for k in table if k not in known)]
    return [{"key": k, "count": table.get(k, 0)} for k in keys]


def view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The template context: every section present, optional numbers defaulted."""
    notices = as_dict(data.get("notices"))
    timing = as_dict(data.get("timing"))
    dsa = as_dict(data.get("dsa"))
    b = as_dict(dsa.get("art15_1_b"))
    d = as_dict(dsa.get("art15_1_d"))
    a24 = as_dict(dsa.get("art24_1_a"))
    s24 = as_dict(dsa.get("art24_1_b"))
    method = data.get("method")
    return {
        "generated_at": data.get("generated_at"),
        "period": {k: as_dict(data.get("period")).get(k) for k in ("from", "to")},
        "provider": {k: as_dict(data.get("provider")).get(k) for k in ("name", "contact")},
        "calendar": data.get("calendar"),
        "notices": {"total": notices.get("total", 0), "cure_requests_sent": notices.get("cure_requests_sent", 0),
                    "by_kind": _counts(notices.get("by_kind"), KINDS),
                    "by_regime": _counts(notices.get("by_regime"), REGIMES),
                    "by_outcome": _counts(notices.get("by_outcome"), OUTCOMES)},
        "counter": {k: as_dict(data.get("counter_notices")).get(k, 0)
                    for k in ("received", "forwarded", "restored", "court_action_reported")},
        "copies": {"listed": as_dict(data.get("copies")).get("listed", 0),
                   "found_beyond_listed": as_dict(data.get("copies")).get("found_beyond_listed", 0),
                   "by_method": _counts(as_dict(data.get("copies")).get("by_method"))},
        "automation": {k: as_dict(data.get("automation")).get(k, 0)
                       for k in ("detected_by_fingerprint", "detected_manually", "notices_with_automated_detection",
                                 "decided_automatically")},
        "timing": [{"key": key, "label": label, **{k: as_dict(timing.get(key)).get(k) for k in TIMING_KEYS}}
                   for key, label in TIMINGS],
        "art15_1_b": {
            "by_category": [{**row, "label": CATEGORY_WORDS.get(row["key"], row["key"])}
                            for row in _counts(b.get("notices_by_category"))],
            **{k: b.get(k, 0) for k in ("trusted_flagger_notices", "actions_on_legal_ground",
                                        "actions_on_contractual_ground", "processed_by_automated_means")},
            "median_hours_to_action": b.get("median_hours_to_action")},
        "art15_1_d": {"complaints_received": d.get("complaints_received", 0),
                      "decisions_reversed": d.get("decisions_reversed", 0),
                      "median_days_to_decide": d.get("median_days_to_decide")},
        "art24_1_a": {"disputes_submitted": a24.get("disputes_submitted", 0),
                      "outcomes": _counts(a24.get("outcomes")),
                      "median_days_to_complete": a24.get("median_days_to_complete"),
                      "share_implemented": a24.get("share_implemented")},
        "art24_1_b": [{"key": k, "label": label, "count": s24.get(k, 0)} for k, label in ART24_1_B],
        "method": [str(m) for m in method] if isinstance(method, (list, tuple)) else [],
    }


def csv(_data: Mapping[str, Any], view: Mapping[str, Any]) -> str:
    rows: list[list[object]] = [list(CSV_HEADER)]
    rows.append(["period", "from", "", view["period"]["from"], "date"])
    rows.append(["period", "to", "", view["period"]["to"], "date"])
    n = view["notices"]
    rows.append(["notices", "total", "", n["total"], "count"])
    rows.append(["notices", "cure_requests_sent", "", n["cure_requests_sent"], "count"])
    for group in ("by_kind", "by_regime", "by_outcome"):
        rows.extend(["notices", group, r["key"], r["count"], "count"] for r in n[group])
    rows.extend(["counter_notices", k, "", v, "count"] for k, v in view["counter"].items())
    c = view["copies"]
    rows.append(["copies", "listed", "", c["listed"], "count"])
    rows.append(["copies", "found_beyond_listed", "", c["found_beyond_listed"], "count"])
    rows.extend(["copies", "by_method", r["key"], r["count"], "count"] for r in c["by_method"])
    rows.extend(["automation", k, "", v, "count"] for k, v in view["automation"].items())
    for t in view["timing"]:
        for k in TIMING_KEYS:
            unit = "count" if k == "n" else "hours" if k.endswith("hours") else "business days"
            rows.append(["timing", t["key"], k, t[k], unit])
    b = view["art15_1_b"]
    rows.extend(["dsa_art15_1_b", "notices_by_category", r["key"], r["count"], "count"] for r in b["by_category"])
    rows.extend(["dsa_art15_1_b", k, "", b[k], "count"] for k in (
        "trusted_flagger_notices", "actions_on_legal_ground", "actions_on_contractual_ground",
        "processed_by_automated_means"))
    rows.append(["dsa_art15_1_b", "median_hours_to_action", "", b["median_hours_to_action"], "hours"])
    d = view["art15_1_d"]
    rows.append(["dsa_art15_1_d", "complaints_received", "", d["complaints_received"], "count"])
    rows.append(["dsa_art15_1_d", "decisions_reversed", "", d["decisions_reversed"], "count"])
    rows.append(["dsa_art15_1_d", "median_days_to_decide", "", d["median_days_to_decide"], "days"])
    a = view["art24_1_a"]
    rows.append(["dsa_art24_1_a", "disputes_submitted", "", a["disputes_submitted"], "count"])
    rows.extend(["dsa_art24_1_a", "outcomes", r["key"], r["count"], "count"] for r in a["outcomes"])
    rows.append(["dsa_art24_1_a", "median_days_to_complete", "", a["median_days_to_complete"], "days"])
    rows.append(["dsa_art24_1_a", "share_implemented", "", a["share_implemented"], "ratio"])
    rows.extend(["dsa_art24_1_b", "suspensions", r["key"], r["count"], "count"] for r in view["art24_1_b"])
    return write_rows(rows)


def render_transparency(data: dict[str, Any], fmt: str) -> str:
    """Render the transparency report `data` (shape in the module docstring) in format `fmt`."""
    return render("transparency", data, fmt)


__all__ = ["CSV_HEADER", "FORMATS", "csv", "render_transparency", "view"]
