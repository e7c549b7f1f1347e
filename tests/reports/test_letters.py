"""Takedown letters and DSA statements of reasons: what each must say, hostile values inert, no personal data."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from compliance.errors import ReportError
from compliance.takedown.notices.model import COUNTER_ELEMENTS as COUNTER_NAMES
from compliance.takedown.notices.model import DMCA_ELEMENTS, DSA_ELEMENTS
from reports.letters import (
    COUNTER_ELEMENTS,
    LETTER_KINDS,
    NOTICE_ELEMENTS,
    render_letter,
    render_statement_of_reasons,
    statement_of_reasons_json,
)
from reports.environment import environment
from tests.reports.takedown_data import SOR, dsa_letter, letter

HOSTILE = "Eve\nSubject: pwned {{ 7*7 }}\x1b[31m\u202e & <b>bold</b>\r\nBcc: all@example.org"


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_letter_renders_with_ticket_sender_and_recipient(kind: str) -> None:
    text = render_letter(kind, letter())
    assert "ticket 12" in text and "Harbour Digest <copyright@digest.example>" in text
    assert text.startswith("From: ") and "\nDate: Monday 24 November 2025\n" in text
    to_uploader = kind in ("notice_to_uploader", "restoration")
    assert ("Dear Sam Uploader," if to_uploader else "Dear Northgate Post,") in text
    assert "&amp;" not in text and "{{" not in text and "{%" not in text


def test_acknowledgement_says_when_and_what_next() -> None:
    text = render_letter("acknowledgement", letter())
    assert "24 November 2025, 15:02 UTC" in text and "What happens next" in text
    assert "17 U.S.C. 512(c)(3)(A)" in text
    assert "Article 16(4)" in render_letter("acknowledgement", dsa_letter())


def test_cure_request_names_each_missing_element_and_the_deadline() -> None:
    text = render_letter("cure_request", letter())
    assert "a physical or electronic signature" in text and "(17 U.S.C. 512(c)(3)(A)(i))" in text
    assert "believe in good faith that the use is not authorised" in text and "512(c)(3)(A)(v)" in text
    assert "512(c)(3)(B)(ii)" in text and "Tuesday 9 December 2025" in text
    assert "our own policy" in text  # the cure period is ours, not the statute's
    assert "512(c)(3)(A)(iv)" not in text  # only what is missing


def test_cure_request_only_invokes_512c3Bii_when_the_notice_substantially_complies() -> None:
    text = render_letter("cure_request", letter(missing=["contact_info"]))
    assert "512(c)(3)(B)(ii)" not in text and "512(c)(3)(A)(iv)" in text


def test_cure_request_for_dsa_and_counter_notices_and_custom_labels() -> None:
    text = render_letter("cure_request", dsa_letter())
    assert "DSA Art. 16(2)(a)" in text and "your name and e-mail address" in text
    counter = letter(missing=["signature", {"element": "consent_to_jurisdiction", "label": "consent to court"}])
    counter["ticket"]["kind"] = "counter_notice"
    text = render_letter("cure_request", counter)
    assert "your physical or electronic signature (17 U.S.C. 512(g)(3)(A))" in text
    assert "consent to court (17 U.S.C. 512(g)(3)(D))" in text and "counter-notice" in text


def test_decision_to_complainant_lists_unlisted_copies_and_reason() -> None:
    text = render_letter("decision_complainant", letter())
    assert "we removed the material" in text and "without licence" in text
    assert "2 copies your notice did not list" in text
    assert "https://digest.example/amp/harbour-shelter-cats.html (found by text fingerprint, distance 3)" in text
    assert "found by image fingerprint" in text
    rejected = letter(decision={"outcome": "rejected", "reason": "Quotation with credit."})
    assert "did not remove or disable" in render_letter("decision_complainant", rejected)
    fixed = letter(decision={"outcome": "credit_fixed"})
    assert "crediting its source" in render_letter("decision_complainant", fixed)
    assert "Article 20" in render_letter("decision_complainant", dsa_letter())


def test_notice_to_uploader_lists_the_512g3_elements() -> None:
    text = render_letter("notice_to_uploader", letter())
    for name, (words, cite) in COUNTER_ELEMENTS.items():
        assert words in text and cite in text, name
    assert "https://digest.example/media/c9d4-cat.jpg" in text and "from Northgate Post" in text
    assert "512(f)" in text and "Article 20" not in text


def test_notice_to_uploader_under_dsa_gives_the_complaint_deadline() -> None:
    text = render_letter("notice_to_uploader", dsa_letter())
    assert "Monday 25 May 2026" in text and "Article 20(1)" in text
    assert "Northgate Post" not in text.split("Why:")[1].split("\n")[0]  # notifier withheld by default
    data = dsa_letter()
    del data["dates"]["complaint_deadline"]
    with pytest.raises(ReportError, match="complaint_deadline"):
        render_letter("notice_to_uploader", data)


def test_counter_forwarded_gives_both_window_dates_and_court_option() -> None:
    text = render_letter("counter_forwarded", letter())
    assert "no earlier than Thursday 4 December 2025" in text
    assert "no later than Wednesday 10 December 2025" in text
    assert "512(g)(2)(B)" in text and "512(g)(2)(C)" in text and "court order" in text
    assert "    | I, Sam Uploader, swear under penalty of perjury..." in text


def test_restoration_gives_the_date() -> None:
    text = render_letter("restoration", letter())
    assert "On 5 December 2025, 09:00 UTC we restored" in text and "512(g)(2)(C)" in text
    custom = letter(restoration={"reason": "Our decision was reversed on your complaint (Art. 20(4))."})
    assert "reversed on your complaint" in render_letter("restoration", custom)


def test_missing_data_and_unknown_kinds_are_clear_errors() -> None:
    data = letter()
    del data["dates"]["cure_deadline"]
    with pytest.raises(ReportError, match=r"dates\.cure_deadline"):
        render_letter("cure_request", data)
    with pytest.raises(ReportError, match="Unknown letter kind"):
        render_letter("summons", letter())
    with pytest.raises(ReportError, match="outcome"):
        render_letter("decision_complainant", letter(decision={"outcome": "vaporised"}))


def _hostile_letter() -> dict[str, Any]:
    data = letter(parties={"complainant": HOSTILE, "uploader": HOSTILE}, works=[HOSTILE])
    data["sender"] = {**data["sender"], "address": HOSTILE}
    data["urls"]["infringing"] = [f"=HYPERLINK(\"http://evil\")\n{HOSTILE}"]
    data["copies"] = [{"url": HOSTILE, "found_by": HOSTILE, "distance": HOSTILE}]
    data["missing"] = [{"element": HOSTILE, "label": HOSTILE, "cite": HOSTILE}]
    data["decision"] = {"outcome": "removed", "reason": f"Fine.\nKind regards,\n{HOSTILE}"}
    data["counter_notice"] = {"text": HOSTILE}
    return data


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_hostile_values_stay_inert(kind: str) -> None:
    text = render_letter(kind, _hostile_letter())
    lines = text.split("\n")
    assert not any(line.startswith(("Subject:", "Bcc:")) for line in lines)  # no forged header lines
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", text)  # controls and bidi overrides shown, not kept
    assert "49" not in text and "&amp;" not in text
    assert "{{ 7*7 }}" in text and "<b>bold</b>" in text and "\u27e8U+001B\u27e9" in text
    # Multi-line untrusted text is indented: it cannot pass for the letter's own sign-off.
    assert all(line.startswith(" ") for line in lines if "Kind regards" in line and line.strip() != "Kind regards,")
    assert sum(1 for line in lines if line == "Kind regards,") == 1


def test_every_element_name_of_the_notice_model_has_plain_words() -> None:
    assert set(DMCA_ELEMENTS) | set(DSA_ELEMENTS) <= set(NOTICE_ELEMENTS)
    assert set(COUNTER_NAMES) == set(COUNTER_ELEMENTS)


def test_environment_autoescapes_every_template() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.get_template("letters/acknowledgement.txt.j2").render is not None


# ---- statement of reasons --------------------------------------------------------------------

def test_statement_of_reasons_text_covers_article_17_3() -> None:
    text = render_statement_of_reasons(SOR)
    for part in ("(a)", "(b)", "(c)", "(d)", "(e)", "(f)"):
        assert f"{part} " in text and f"Art. 17(3){part}" in text
    assert "removal of the content" in text and "the European Economic Area" in text and "no end date" in text
    assert "notice submitted under Article 16" in text and "text fingerprint (simhash) matching" in text
    assert "Directive 2001/29/EC" in text and "Monday 25 May 2026" in text and "Art. 21" in text


def test_statement_of_reasons_is_also_a_letter_kind() -> None:
    assert render_letter("statement_of_reasons", SOR) == render_statement_of_reasons(SOR)


def test_statement_of_reasons_json_uses_the_database_vocabulary() -> None:
    out = statement_of_reasons_json(SOR)
    assert out["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert out["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert out["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    assert out["category_specification"] == ["KEYWORD_COPYRIGHT_INFRINGEMENT"]
    assert out["content_type"] == ["CONTENT_TYPE_TEXT"]
    assert out["automated_detection"] == "Yes" and out["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert out["source_type"] == "SOURCE_ARTICLE_16"
    assert out["application_date"] == "2025-11-25" and out["content_date"] == "2025-03-04"
    assert len(out["territorial_scope"]) == 30 and "NO" in out["territorial_scope"]
    assert out["illegal_content_legal_ground"].startswith("Copyright")
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,500}", out["puid"]) and out["puid"] == "ticket-12-item-doc-17"
    assert out["content_language"] == "EN"


def test_statement_of_reasons_json_has_no_personal_data() -> None:
    data = json.loads(json.dumps(SOR))
    data["decision"]["explanation"] = "Sam Uploader (sam@uploader.example, 555-0100 123) copied Jane's text."
    data["item"]["id"] = "sam@uploader.example"
    dumped = json.dumps(statement_of_reasons_json(data))
    for private in ("jane@northgate.example", "sam@uploader.example", "+44 20 7946 0958", "7946", "555-0100",
                    "Jane Complainant", "Sam Uploader", "Jane", "Sam", "Northgate Post", "digest.example"):
        assert private not in dumped, private
    assert "2025-11-24" in dumped  # dates are not mistaken for phone numbers
    assert "[private]" in dumped


def test_statement_of_reasons_json_variants() -> None:
    data = json.loads(json.dumps(SOR))
    data["item"]["content_type"] = ["image", "CONTENT_TYPE_TEXT"]
    data["decision"] = {"visibility": "DECISION_VISIBILITY_CONTENT_DISABLED", "ground": "incompatible",
                        "contractual_ground": "Terms s. 4 (credit required)", "territorial_scope": ["de", "FR"],
                        "contractual_explanation": "No credit given.", "application_date": "2025-11-26",
                        "reference_url": "https://digest.example/terms"}
    data["source"], data["automated"] = "voluntary", {"detection": False, "decision": "partially"}
    out = statement_of_reasons_json(data)
    assert out["content_type"] == ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"]
    assert out["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert out["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert "illegal_content_legal_ground" not in out
    assert out["incompatible_content_ground"] == "Terms s. 4 (credit required)"
    assert out["territorial_scope"] == ["DE", "FR"] and out["source_type"] == "SOURCE_VOLUNTARY"
    assert out["automated_detection"] == "No" and out["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert "(e) Contractual ground" in render_statement_of_reasons(data)


@pytest.mark.parametrize(("path", "value", "needle"), [
    (("decision", "territorial_scope"), ["US"], "EU/EEA"),
    (("decision", "visibility"), "burned", "visibility"),
    (("item", "content_type"), "hologram", "content type"),
    (("item", "content_date"), None, "content_date"),
])
def test_statement_of_reasons_rejects_what_the_database_would(path: tuple[str, str], value: Any,
                                                              needle: str) -> None:
    data = json.loads(json.dumps(SOR))
    data[path[0]][path[1]] = value
    with pytest.raises(ReportError, match=needle):
        statement_of_reasons_json(data)


def test_statement_of_reasons_text_keeps_hostile_facts_inert() -> None:
    data = json.loads(json.dumps(SOR))
    data["facts"] = HOSTILE
    data["decision"]["legal_ground"] = HOSTILE
    text = render_statement_of_reasons(data)
    assert not any(line.startswith(("Subject:", "Bcc:")) for line in text.split("\n"))
    assert "{{ 7*7 }}" in text and "\x1b" not in text and "&amp;" not in text


def test_the_greeting_uses_the_name_the_notice_gave_and_never_misnames() -> None:
    named = render_letter("acknowledgement", letter())
    assert "Dear Northgate Post," in named
    anonymous = letter(parties={"complainant": None, "agent": None, "uploader": None})
    text = render_letter("acknowledgement", anonymous)
    assert "Dear Sir or Madam," in text and "Dear the complainant" not in text


def test_a_licence_fee_claim_is_told_plainly_what_a_valid_notice_would_still_need() -> None:
    data = letter()
    data["ticket"]["remedy"] = "licence_fee"
    data["missing"] = ["good_faith", "accuracy_under_perjury"]
    text = render_letter("acknowledgement", data)
    assert "You ask for payment" in text and "A valid notice would still need:" in text
    assert "17 U.S.C. 512(c)(3)(A)(v)" in text and "17 U.S.C. 512(c)(3)(A)(vi)" in text


def test_a_credit_request_is_acknowledged_as_not_a_takedown() -> None:
    data = letter(missing=[])
    data["ticket"].update(kind="other", remedy="credit")
    text = render_letter("acknowledgement", data)
    assert "We received your request" in text and "not a takedown notice" in text
    assert "A valid notice would still need" not in text
