"""Every statement of reasons we write would be stored by the DSA Transparency Database (its own store rules)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from compliance.errors import ReportError
from reports.statement_of_reasons import statement_of_reasons_json
from reports.tdb_rules import store_request_errors
from tests.reports.takedown_data import SOR

# A minimal body the database accepts: a copyright removal after an Article 16 notice, detection automated.
VALID: dict[str, Any] = {
    "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
    "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
    "illegal_content_legal_ground": "Copyright (Directive 2001/29/EC, Arts. 2 and 3)",
    "illegal_content_explanation": "The text reproduces a protected article without a licence.",
    "content_type": ["CONTENT_TYPE_TEXT"],
    "category": "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "category_specification": ["KEYWORD_COPYRIGHT_INFRINGEMENT"],
    "territorial_scope": ["AT", "DE"],
    "content_date": "2025-03-04",
    "application_date": "2025-11-25",
    "decision_facts": "A notice identified the work; a reviewer confirmed the match.",
    "source_type": "SOURCE_ARTICLE_16",
    "automated_detection": "Yes",
    "automated_decision": "AUTOMATED_DECISION_PARTIALLY",
    "puid": "ticket-12-item-doc-17",
}


def test_the_minimal_body_is_accepted() -> None:
    assert store_request_errors(VALID) == []


@pytest.mark.parametrize(("field", "value", "why"), [
    ("content_language", "en", "content_language"),
    ("content_date", "1999-12-31", "outside"),
    ("application_date", "2019-12-31", "outside"),
    ("application_date", "2025-02-30", "YYYY-MM-DD"),
    ("puid", "a.b", "puid"),
    ("automated_detection", True, "automated_detection"),
    ("decision_visibility", [], "no restriction"),
    ("decision_visibility", ["DECISION_VISIBILITY_BOGUS"], "does not know"),
    ("illegal_content_explanation", "   ", "illegal_content_explanation"),
    ("territorial_scope", ["EL"], "territorial_scope"),
    ("category_specification", ["KEYWORD_DANGEROUS_TOYS"], "category_specification"),
    ("content_type", ["CONTENT_TYPE_OTHER"], "content_type_other"),
    ("decision_ground_reference_url", "https://e.org/{x}", "decision_ground_reference_url"),
    ("category", "STATEMENT_CATEGORY_FOO", "category"),
    ("decision_facts", "", "decision_facts"),
    ("end_date_visibility_restriction", "2040-01-01", "end_date_visibility_restriction"),
])
def test_what_the_database_refuses_is_refused(field: str, value: Any, why: str) -> None:
    body = {**VALID, field: value}
    errors = store_request_errors(body)
    assert errors and any(why in e for e in errors), errors


def test_every_statement_we_write_is_accepted() -> None:
    for source in ("article_16", "voluntary", "other_notification"):
        for visibility in ("removed", "disabled"):
            data = copy.deepcopy(SOR)
            data["source"], data["decision"]["visibility"] = source, visibility
            assert store_request_errors(statement_of_reasons_json(data)) == []


def test_a_statement_the_database_would_refuse_is_never_written() -> None:
    data = copy.deepcopy(SOR)
    data["item"]["content_date"] = "1999-06-01"
    with pytest.raises(ReportError) as info:
        statement_of_reasons_json(data)
    assert "would be refused by the DSA Transparency Database" in info.value.one_line()
    data = copy.deepcopy(SOR)
    data["decision"]["explanation"] = "   "
    with pytest.raises(ReportError):
        statement_of_reasons_json(data)


def test_puids_are_distinct_per_decision_and_never_collide_by_spelling() -> None:
    a, b = copy.deepcopy(SOR), copy.deepcopy(SOR)
    a["item"]["id"], b["item"]["id"] = "doc.17", "doc-17"
    assert statement_of_reasons_json(a)["puid"] != statement_of_reasons_json(b)["puid"]
    first, second = copy.deepcopy(SOR), copy.deepcopy(SOR)
    first["decision"]["id"], second["decision"]["id"] = 41, 57  # a second decision about the same item
    assert statement_of_reasons_json(first)["puid"] != statement_of_reasons_json(second)["puid"]
    data = copy.deepcopy(SOR)
    data["automated"]["detection"] = "false"
    assert statement_of_reasons_json(data)["automated_detection"] == "No"
