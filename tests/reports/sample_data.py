"""A realistic attribution report, with hostile strings where a crawled page could put them."""

from __future__ import annotations

from collections import Counter
from typing import Any

NORTHGATE = "http://127.0.0.1:40001"
LAKESIDE = "http://127.0.0.1:40002"
DIGEST = "http://127.0.0.1:40003"

XSS_TITLE = "<script>alert(1)</script> Mayor resigns"
MD_TITLE = "Breaking [x](javascript:alert(1)) <img src=x onerror=alert(1)> **now**"
FORMULA = '=HYPERLINK("http://x")'
RTL_CREDIT = "Source: \u202eedlareH etagrohtroN"


def _finding(code: str, severity: str, message: str) -> dict[str, str]:
    return {"code": code, "severity": severity, "message": message}


def _capture(status: int, sha: str, offset: int, run: int = 1) -> dict[str, Any]:
    return {"status": status, "fetched_at": "2026-11-25T14:02:%02d+00:00" % (offset % 60),
            "sha256": sha * 64, "warc_file": f"run-{run}.warc.gz", "warc_offset": offset}


def _documents() -> list[dict[str, Any]]:
    flood_original = {"url": f"{NORTHGATE}/news/2026/08/council-approves-flood-barrier",
                      "site": "Northgate Herald", "method": "simhash", "distance": 2, "score": 0.93,
                      "containment": 0.91}
    ferry_original = {"url": f"{LAKESIDE}/local/ferry-fares-rise", "site": "Lakeside Gazette",
                      "method": "simhash", "distance": 4, "score": 0.88, "containment": 0.84}
    school_original = {"url": f"{NORTHGATE}/news/2026/09/school-roof-repairs",
                       "site": "Northgate Herald", "method": "simhash", "distance": 5,
                       "score": 0.81, "containment": 0.46}
    base: dict[str, Any] = {"credits": [], "credit_lines": [], "disclaimers": [], "alternates": [],
                            "originals": [], "findings": [], "published": None}
    docs: list[dict[str, Any]] = [
        {"id": 1, "url": flood_original["url"], "site": "Northgate Herald", "role": "publisher",
         "title": "Council approves riverside flood barrier", "published": "2026-08-18",
         "first_seen": "2026-11-25T14:01:05+00:00", "credits": [],
         "credit_lines": [{"text": "By Ana Ruiz, Northgate Herald", "kind": "byline_org",
                           "url": None}],
         "capture": _capture(200, "a", 1024)},
        {"id": 2, "url": ferry_original["url"], "site": "Lakeside Gazette", "role": "publisher",
         "title": "Ferry fares to rise in spring", "published": "2026-08-19",
         "first_seen": "2026-11-25T14:01:09+00:00", "capture": _capture(200, "b", 20480)},
        {"id": 7, "url": f"{DIGEST}/a/flood-barrier-approved", "site": "DailyDigest",
         "role": "aggregator", "title": "Flood barrier approved by council",
         "published": "2026-08-20", "first_seen": "2026-11-25T14:03:11+00:00",
         "credits": ["Northgate Herald"],
         "credit_lines": [{"text": "Source: Northgate Herald", "kind": "source_line",
                           "url": flood_original["url"]}],
         "capture": _capture(200, "c", 40960), "originals": [flood_original],
         "findings": [
             _finding("credited_ok", "info", "Credits Northgate Herald, the matched original's site."),
             _finding("substantial_copy", "low", "91% of the original's text is reproduced (credited)."),
         ]},
        {"id": 8, "url": f"{DIGEST}/a/ferry-fares", "site": "DailyDigest", "role": "aggregator",
         "title": "Ferry fares going up", "first_seen": "2026-11-25T14:03:15+00:00",
         "disclaimers": ["This content is aggregated from public sources for informational purposes."],
         "alternates": [{"url": f"{DIGEST}/zh/a/ferry-fares", "lang": "zh", "text": "阅读中文版"}],
         "capture": _capture(200, "d", 61440), "originals": [ferry_original],
         "findings": [
             _finding("missing_credit", "high", "Copy of a Lakeside Gazette article with no credit."),
             _finding("disclaimer_only", "medium", "Relies on a generic aggregation disclaimer."),
             _finding("substantial_copy", "medium", "84% of the original's text is reproduced."),
         ]},
        {"id": 9, "url": f"{DIGEST}/a/school-roof", "site": "DailyDigest", "role": "aggregator",
         "title": "School roof to be repaired before winter", "published": "2026-09-03",
         "first_seen": "2026-11-25T14:03:20+00:00", "credits": ["BBC"],
         "credit_lines": [{"text": "Originally published by BBC News", "kind": "source_line",
                           "url": None}],
         "capture": _capture(200, "e", 81920), "originals": [school_original],
         "findings": [_finding("misattributed", "high",
                               "Credits BBC, but the matched original is Northgate Herald's.")]},
        {"id": 10, "url": f"{DIGEST}/a/markets-wrap", "site": "DailyDigest", "role": "aggregator",
         "title": "Markets close higher", "first_seen": "2026-11-25T14:03:25+00:00",
         "credits": ["Reuters"],
         "credit_lines": [{"text": "(c) Reuters", "kind": "byline_org", "url": None}],
         "capture": _capture(200, "f", 102400),
         "findings": [_finding("unverified_credit", "low",
                               "Credits Reuters; no original found in the crawled corpus.")]},
        {"id": 11, "url": "javascript:alert(1)", "site": "DailyDigest", "role": "aggregator",
         "title": XSS_TITLE, "first_seen": "2026-11-25T14:03:30+00:00",
         "credits": [FORMULA],
         "credit_lines": [{"text": FORMULA, "kind": "source_line", "url": "javascript:alert(2)"},
                          {"text": RTL_CREDIT, "kind": "source_line", "url": None}],
         "disclaimers": ["Aggregated <b>content</b>\nfrom the web"],
         "alternates": [{"url": "data:text/html,<script>alert(3)</script>", "lang": "en\"><x",
                         "text": "Read it here"}],
         "capture": _capture(200, "0", 122880), "originals": [dict(school_original, score=0.62)],
         "findings": [_finding("missing_credit", "high",
                               "No credit for a copy of <script>alert(4)</script>\nNorthgate text.")]},
        {"id": 12, "url": f"{DIGEST}/a/breaking", "site": "DailyDigest", "role": "aggregator",
         "title": MD_TITLE, "first_seen": "2026-11-25T14:03:35+00:00",
         "capture": {"status": 404, "fetched_at": "2026-11-25T14:03:35+00:00", "sha256": None,
                     "warc_file": "run-1.warc.gz", "warc_offset": 143360},
         "findings": [_finding("unverified_credit", "low", "Credit `x` | *unverified*.")]},
    ]
    return [{**base, **d} for d in docs]


def _images() -> list[dict[str, Any]]:
    barrier_credit = {"exif_artist": "Jane Roe", "iptc_credit_line": "Northgate Herald",
                      "iptc_copyright_notice": "(c) 2026 Northgate Herald"}
    barrier = {"url": f"{NORTHGATE}/img/flood-barrier.jpg",
               "page_url": f"{NORTHGATE}/news/2026/08/council-approves-flood-barrier",
               "site": "Northgate Herald", "method": "pdq", "distance": 12,
               "embedded_credit": barrier_credit}
    ferry = {"url": f"{LAKESIDE}/media/ferry.jpg", "page_url": f"{LAKESIDE}/local/ferry-fares-rise",
             "site": "Lakeside Gazette", "method": "pdq", "distance": 18,
             "embedded_credit": {"exif_artist": "Tom Lake", "xmp_rights": "Lakeside Gazette"}}
    harbour = {"url": f"{LAKESIDE}/media/harbour.png", "page_url": f"{LAKESIDE}/local/harbour",
               "site": "Lakeside Gazette", "method": "pdq", "distance": 8, "embedded_credit": {}}
    no_c2pa = {"present": False, "state": "absent"}
    return [
        {"id": 1, "url": barrier["url"], "page_url": barrier["page_url"], "site": "Northgate Herald",
         "role": "publisher", "credit": "Photo: Jane Roe / Northgate Herald",
         "credited_source": "Northgate Herald", "alt": "Workers at the flood barrier site",
         "sha256": "1" * 64, "width": 1280, "height": 853, "embedded_credit": barrier_credit,
         "c2pa": {"present": True, "state": "valid"}, "originals": [], "findings": []},
        {"id": 3, "url": f"{DIGEST}/cdn/flood.jpg", "page_url": f"{DIGEST}/a/flood-barrier-approved",
         "site": "DailyDigest", "role": "aggregator", "credit": "Photo: Northgate Herald",
         "credited_source": "Northgate Herald", "alt": "Flood barrier", "sha256": "3" * 64,
         "width": 640, "height": 427, "embedded_credit": dict(barrier_credit), "c2pa": no_c2pa,
         "originals": [barrier],
         "findings": [_finding("credited_ok", "info", "Credits Northgate Herald.")]},
        {"id": 4, "url": f"{DIGEST}/cdn/ferry.jpg", "page_url": f"{DIGEST}/a/ferry-fares",
         "site": "DailyDigest", "role": "aggregator", "credit": None, "credited_source": None,
         "alt": "A ferry", "sha256": "4" * 64, "width": 640, "height": 360,
         "embedded_credit": {}, "c2pa": no_c2pa, "originals": [ferry],
         "findings": [
             _finding("missing_credit", "high", "Copy of a Lakeside Gazette image with no credit."),
             _finding("metadata_stripped", "medium",
                      "The original's EXIF Artist and XMP rights are missing from the copy."),
         ]},
        {"id": 5, "url": f"{DIGEST}/cdn/harbour.png", "page_url": f"{DIGEST}/a/harbour",
         "site": "DailyDigest", "role": "aggregator", "credit": "Image from BBC",
         "credited_source": "BBC", "alt": None, "sha256": "5" * 64, "width": 800, "height": 600,
         "embedded_credit": {}, "c2pa": no_c2pa, "originals": [harbour],
         "findings": [_finding("misattributed", "high",
                               "Credits BBC, but the matched original is Lakeside Gazette's.")]},
        {"id": 6, "url": "javascript:alert(5)", "page_url": "data:text/html,<script>alert(6)</script>",
         "site": "DailyDigest", "role": "aggregator", "credit": '=HYPERLINK("http://x","click")',
         "credited_source": "-2+3", "alt": '"><script>alert(7)</script>', "sha256": None,
         "width": None, "height": None, "embedded_credit": {"exif_artist": "<b>x</b>"},
         "c2pa": {"present": False, "state": None}, "originals": [],
         "findings": [_finding("unverified_credit", "low", "@SUM(1+1) credit has no original.")]},
    ]


def sample_data() -> dict[str, Any]:
    """A fresh report dict in the attribution JSON contract (plus the added fields)."""
    documents, images = _documents(), _images()
    codes = Counter(f["code"] for item in [*documents, *images] for f in item["findings"])
    return {
        "generated_at": "2026-11-25T15:00:00+00:00",
        "policy": {"containment_threshold": 0.5, "simhash_radius": 6, "image_threshold": 31,
                   "image_method": "pdq"},
        "runs": {"crawl_runs": [
            {"id": 1, "started_at": "2026-11-25T14:00:00+00:00",
             "finished_at": "2026-11-25T14:04:00+00:00", "status": "finished",
             "start_urls": [f"{NORTHGATE}/", f"{LAKESIDE}/", f"{DIGEST}/"],
             "counts": {"pages": 12, "images": 9, "errors": 1}}],
            "audit_run": {"id": 3, "started_at": "2026-11-25T14:59:00+00:00"}},
        "sites": [
            {"name": "Northgate Herald", "role": "publisher", "origins": [NORTHGATE],
             "aliases": ["The Northgate Herald", "northgateherald.example"], "documents": 1,
             "images": 1},
            {"name": "Lakeside Gazette", "role": "publisher", "origins": [LAKESIDE], "aliases": [],
             "documents": 1, "images": 0},
            {"name": "DailyDigest", "role": "aggregator", "origins": [DIGEST],
             "aliases": ["Daily Digest"], "documents": 6, "images": 4},
        ],
        "summary": {"documents": len(documents), "images": len(images), "copies": 7,
                    "matches": 7, "by_code": dict(sorted(codes.items()))},
        "documents": documents,
        "images": images,
    }
