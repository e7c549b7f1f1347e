"""`provenance demo` end to end: every planted case on the bundled sites gets its expected finding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.cli_helpers import count, run_cli

SCHEMA = Path(__file__).resolve().parents[1] / "reports" / "schemas" / "attribution.schema.json"

# Planted cases on the aggregator (compliance/demo/SAMPLES.md): page path -> expected document / image codes.
EXPECTED_DOCUMENTS = {
    "/articles/valdoria-summit-doubts.html": {"missing_credit", "disclaimer_only", "substantial_copy"},
    "/articles/northsat-3-launch.html": {"credited_ok", "substantial_copy"},
    "/articles/harbour-shelter-cats.html": {"missing_credit", "substantial_copy"},
    "/articles/mill-street-cafes.html": {"misattributed", "substantial_copy"},
    "/articles/rail-operator-new-trains.html": {"unverified_credit"},
    "/articles/eye-screening-weekend.html": set(),
}
EXPECTED_IMAGES = {
    "/articles/valdoria-summit-doubts.html": {"credited_ok"},
    "/articles/northsat-3-launch.html": {"credited_ok"},
    "/articles/harbour-shelter-cats.html": {"missing_credit"},
    "/articles/mill-street-cafes.html": {"misattributed"},
    "/articles/weekend-pick-space-portraits.html": {"credited_ok", "metadata_stripped"},
    "/articles/eye-screening-weekend.html": set(),
}


def _by_path(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    out = {}
    for item in items:
        if item.get("role") == "aggregator":
            path = "/" + item[key].split("/", 3)[3]
            out[path] = item
    return out


def test_report_json_validates_against_the_contract(demo_run: dict[str, Any]) -> None:
    jsonschema.validate(demo_run["report"], json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", sorted(EXPECTED_DOCUMENTS))
def test_planted_document_cases(demo_run: dict[str, Any], path: str) -> None:
    doc = _by_path(demo_run["report"]["documents"], "url")[path]
    assert {f["code"] for f in doc["findings"]} == EXPECTED_DOCUMENTS[path], doc
    if EXPECTED_DOCUMENTS[path] - {"unverified_credit"}:
        assert doc["originals"] and all(o["site"] != "DailyDigest" for o in doc["originals"])
    else:
        assert doc["originals"] == []


@pytest.mark.parametrize("path", sorted(EXPECTED_IMAGES))
def test_planted_image_cases(demo_run: dict[str, Any], path: str) -> None:
    images = [i for i in demo_run["report"]["images"] if i["page_url"].endswith(path)]
    assert images, path
    assert {f["code"] for i in images for f in i["findings"]} == EXPECTED_IMAGES[path], images


def test_seed_page_image_is_linked_to_the_publishers_original(demo_run: dict[str, Any]) -> None:
    seed = [i for i in demo_run["report"]["images"] if i["page_url"].endswith("/articles/valdoria-summit-doubts.html")][0]
    assert seed["credit"] == "Image from Northgate Herald" and seed["credited_source"] == "Northgate Herald"
    assert seed["originals"][0]["site"] == "Northgate Herald"
    assert "/news/valdoria-summit-doubts.html" in seed["originals"][0]["page_url"]


def test_seed_page_keeps_its_translation_and_disclaimer(demo_run: dict[str, Any]) -> None:
    doc = _by_path(demo_run["report"]["documents"], "url")["/articles/valdoria-summit-doubts.html"]
    assert any("contact us for removal" in d for d in doc["disclaimers"])
    assert any(a["url"].endswith("valdoria-summit-doubts-zh.html") for a in doc["alternates"])
    assert doc["title"] and doc["title"].count("Valdoria") >= 1


def test_demo_summary_is_printed(demo_run: dict[str, Any]) -> None:
    out = demo_run["stdout"]
    for word in ("pages", "documents", "images", "matches", "findings:", "report:", "time:"):
        assert word in out, out
    assert (demo_run["out"] / "attribution.html").stat().st_size > 1000


def test_demo_stores_warc_evidence(demo_run: dict[str, Any]) -> None:
    from warcio.archiveiterator import ArchiveIterator

    warcs = list((demo_run["out"] / "warc").glob("*.warc.gz"))
    assert warcs
    for doc in demo_run["report"]["documents"]:
        cap = doc["capture"]
        with open(cap["warc_file"], "rb") as fh:
            fh.seek(cap["warc_offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == "response"
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == cap["sha256"]


def test_second_demo_run_adds_a_run_but_no_duplicate_rows(demo_run: dict[str, Any]) -> None:
    db: Path = demo_run["db"]
    tables = ("site", "site_origin", "document", "image", "image_appearance", "match")
    before = {t: count(db, t) for t in tables}
    proc = run_cli("demo", "--out", str(demo_run["out"]), "--db", str(db), cwd=demo_run["work"], timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert {t: count(db, t) for t in tables} == before
    assert count(db, "crawl_run") == 2
    assert count(db, "document", "is_current") == count(db, "document")


def test_a_linked_copy_shows_its_copied_passages(demo_run: dict[str, Any]) -> None:
    copies = _by_path(demo_run["report"]["documents"], "url")
    original = copies["/articles/harbour-shelter-cats.html"]["originals"][0]
    assert original["passages"] and original["reason"] and "publisher" in original["direction"]
    longest = original["passages"][0]
    assert longest["copy"] and longest["original"]
    html = (demo_run["out"] / "attribution.html").read_text(encoding="utf-8")
    assert "Copied passages from" in html and html.count("<mark>") >= 4 and "Why this is the original" in html
