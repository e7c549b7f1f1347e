"""Completeness checks: each element's wording variants, redactions, DSA and counter-notice elements, status rules."""

from __future__ import annotations

import pytest

from compliance.takedown.notices.profiles import GITHUB
from compliance.takedown.notices.service import Service
from compliance.takedown.notices.completeness import (
    check_counter_notice,
    check_dmca,
    check_dsa,
    check_notice,
    element_spans,
)
from compliance.takedown.notices.model import COUNTER_ELEMENTS, DMCA_ELEMENTS, DSA_ELEMENTS

WORK = "The copyrighted work is our software Widgetizer, sold at https://example.com/widgetizer."
MATERIAL = "The infringing material is located at https://github.com/copycat/widgetizer"
CONTACT = "You may contact me at jane@example.com or +1 555 010 2000."
GOOD_FAITH = ("I have a good faith belief that use of the copyrighted materials described above is not authorized by the"
              " copyright owner, its agent, or the law.")
PERJURY = ("I swear, under penalty of perjury, that the information in this notification is accurate and that I am"
           " authorized to act on behalf of the owner.")
SIGNATURE = "Sincerely,\n\nJane Doe"


def letter(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


FULL = letter(WORK, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE)


def test_complete_letter_has_every_element_with_verbatim_evidence() -> None:
    result = check_dmca(FULL)
    assert result.status == "complete" and result.missing == []
    assert list(result.elements) == list(DMCA_ELEMENTS)
    for check in result.elements.values():
        assert check.present and check.evidence and check.evidence in FULL and len(check.evidence) <= 200


@pytest.mark.parametrize("signature", [
    "Sincerely,\n\nJane Doe", "Best regards,\n[private]", "/s/ Jane Doe", "/s/ [private]", "s/ [private]",
    "Signed: Jane Doe", "Signature: [REDACTED]", "Yours faithfully,\n[REDACTED]\nLegal Department",
    "**Please type your full legal name below to sign this request.**\n\nJane Doe",
    "**Please type your full legal name below to sign this request.**\n\n[private]",
    "//SIGNED//\n[private]", "Thanks\n[private]",
])
def test_signature_variants(signature: str) -> None:
    result = check_dmca(letter(WORK, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, signature))
    assert result.elements["signature"].present, signature
    assert result.status == "complete"


@pytest.mark.parametrize("closing", ["Truthfully,", "Thank you for your help."])
def test_a_closing_with_no_name_is_no_signature(closing: str) -> None:
    result = check_dmca(letter(WORK, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, closing))
    assert not result.elements["signature"].present
    assert result.status == "cure_needed" and result.missing == ["signature"]


@pytest.mark.parametrize("good_faith", [
    GOOD_FAITH, ("We are providing this notice in good faith and with the reasonable belief that our rights are being"
    " infringed."), "I have a good-faith belief that the page listed below is not authorized by law.",
    ("I am convinced that the materials described above are not used with the permission of the owner, its agent or"
    " under applicable law."), ("**I have a good faith belief that use of the copyrighted materials described above on"
    " the infringing web pages is not authorized by the copyright owner, or its agent, or the law.**"),
    "I have a good faith belief that use of the\ncopyrighted materials is not authorized\nby the copyright owner.",
])
def test_good_faith_variants(good_faith: str) -> None:
    assert check_dmca(letter(WORK, MATERIAL, CONTACT, good_faith, PERJURY, SIGNATURE)).status == "complete"


@pytest.mark.parametrize("accuracy", [
    PERJURY, ("I certify under penalty of perjury, that I am an agent authorized to act on behalf of the owner and that"
    " the information contained in this notice is accurate."), ("The information in this notification is accurate and,"
    " under penalty of perjury, we are authorized to act on behalf of the owner."),
    "I DECLARE UNDER THE PENALTY OF PERJURY THAT THIS INFORMATION IS FULLY ACCURATE.",
    "The information in this notice is accurate and I am authorized to act on behalf of the owner.",
])
def test_accuracy_under_perjury_variants(accuracy: str) -> None:
    assert check_dmca(letter(WORK, MATERIAL, CONTACT, GOOD_FAITH, accuracy, SIGNATURE)).status == "complete"


@pytest.mark.parametrize("contact", [
    CONTACT, "Email: [private]", "Phone: [REDACTED]", "My contact information is as follows:\n[private]",
    "Acme Ltd, 12 High Street, Springfield", ("**So that we can get back to you, please provide either your telephone"
    " number or physical address:**\n\n[private]"), "PO Box 206, Vermont Victoria 3133, Australia",
])
def test_contact_variants_and_redactions(contact: str) -> None:
    assert check_dmca(letter(WORK, MATERIAL, contact, GOOD_FAITH, PERJURY, SIGNATURE)).status == "complete"


def test_the_service_providers_own_address_is_not_the_complainants_contact() -> None:
    text = letter("GitHub, Inc.\nAttn: DMCA Agent\n88 Colin P Kelly Jr St\nSan Francisco, CA 94107", WORK, MATERIAL,
                  GOOD_FAITH, PERJURY, SIGNATURE)
    result = check_dmca(text, GITHUB)
    assert not result.elements["contact_info"].present and result.status == "deficient"


def test_a_news_operators_own_address_and_mailbox_are_not_the_complainants_contact() -> None:
    operator = Service(names=("News Roundup",), hosts=("newsroundup.example",), contact_lines=("1 Quay Road, Porthaven",))
    text = letter("News Roundup\nAttn: Legal\n1 Quay Road, Porthaven\ncopyright@newsroundup.example", WORK,
                  "The infringing copy is at https://www.newsroundup.example/world/harbour-fire", GOOD_FAITH, PERJURY,
                  SIGNATURE)
    result = check_dmca(text, operator)
    assert not result.elements["contact_info"].present and result.status == "deficient"
    assert check_dmca(text + "\n" + CONTACT, operator).status == "complete"
    # the location element quotes the location on the operator's site, not another URL of the letter
    located = check_dmca(text.replace(WORK, "Our original: https://photos.example/harbour-fire") + "\n" + CONTACT,
                         operator)
    assert located.elements["infringing_material"].evidence == "https://www.newsroundup.example/world/harbour-fire"


@pytest.mark.parametrize("work", [
    WORK, "Original Work: IEEE Std 830", "The original code is our product Foo.",
    "**What work was allegedly infringed? If possible, please provide a URL:**\n\n[private]",
    ("**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**"
    "\n\nhttps://example.com/products/"), "Representative List of Titles:\nC++ PRIMER",
])
def test_copyrighted_work_variants(work: str) -> None:
    assert check_dmca(letter(work, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE)).status == "complete"


@pytest.mark.parametrize("material", [
    MATERIAL, "https://github.com/copycat/widgetizer", "Infringing URL: https://gist.github.com/abc/123",
    "Please remove the repository \"copycat/widgetizer\".",
    "**What files should be taken down? Please provide URLs for each file.**\n\nhttps://github.com/a/b",
])
def test_infringing_material_variants(material: str) -> None:
    assert check_dmca(letter(WORK, material, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE), GITHUB).status == "complete"


@pytest.mark.parametrize(("dropped", "status"), [
    ("signature", "cure_needed"), ("good_faith", "cure_needed"), ("accuracy_under_perjury", "cure_needed"),
    ("copyrighted_work", "deficient"), ("infringing_material", "deficient"), ("contact_info", "deficient"),
])
def test_status_rules_512_c_3_b_ii(dropped: str, status: str) -> None:
    parts = dict(zip(DMCA_ELEMENTS, (SIGNATURE, WORK, MATERIAL, CONTACT, GOOD_FAITH, PERJURY)))
    del parts[dropped]
    order = ("copyrighted_work", "infringing_material", "contact_info", "good_faith", "accuracy_under_perjury",
             "signature")
    result = check_dmca(letter(*(parts[k] for k in order if k in parts)))
    assert result.missing == [dropped]
    assert result.status == status
    assert result.elements[dropped].evidence is None


def test_ablation_spans_remove_the_element() -> None:
    for element in DMCA_ELEMENTS:
        spans = element_spans(FULL, "notice", "dmca", element)
        assert spans
        text = FULL
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + "\n" + text[end:]
        assert not check_dmca(text).elements[element].present, element


def test_a_form_prompt_alone_is_not_the_statement() -> None:
    prompt = ('**Type (or copy and paste) the following statement: "I swear, under penalty of perjury, that the'
              ' information in this notification is accurate."**\n\n')
    result = check_dmca(letter(WORK, MATERIAL, CONTACT, GOOD_FAITH, prompt, SIGNATURE))
    assert not result.elements["accuracy_under_perjury"].present


COUNTER = letter(
    "The repository https://github.com/me/widget was disabled.",
    "I swear, under penalty of perjury, that I have a good-faith belief that the material was removed or disabled as"
    " a result of a mistake or misidentification of the material to be removed or disabled.",
    "I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located,"
    " and I will accept service of process from the person who provided the DMCA notification or an agent of such"
    " person.", "Name: [private]\nAddress: [private]\nTelephone: [private]", "Sincerely,\n[private]")


def test_counter_notice_elements_512_g_3() -> None:
    result = check_counter_notice(COUNTER, GITHUB)
    assert list(result.elements) == list(COUNTER_ELEMENTS)
    assert result.status == "complete", result.missing


@pytest.mark.parametrize("element", COUNTER_ELEMENTS)
def test_counter_notice_missing_anything_is_deficient(element: str) -> None:
    text = COUNTER
    for start, end in sorted(element_spans(COUNTER, "counter_notice", "dmca", element), reverse=True):
        text = text[:start] + "\n" + text[end:]
    result = check_counter_notice(text)
    assert not result.elements[element].present
    assert result.status == "deficient"  # 512(g) has no cure provision


def test_counter_notice_mistake_needs_perjury() -> None:
    text = COUNTER.replace("I swear, under penalty of perjury, that I", "I")
    assert not check_counter_notice(text).elements["mistake_statement_under_perjury"].present


DSA_PARTS = {
    "dsa_explanation": "The post reproduces my photograph without licence; this is illegal because it infringes my"
                       " copyright under Article 2 of Directive 2001/29/EC.",
    "dsa_exact_location": "Exact location: https://example.org/posts/4711",
    "dsa_notifier_identity": "Name: Jane Doe\nEmail: jane@example.com",
    "dsa_bona_fide_statement": "I confirm my bona fide belief that the information and allegations in this notice are"
                               " accurate and complete.",
}


def test_dsa_notice_complete() -> None:
    result = check_notice(letter(*DSA_PARTS.values()), "notice", "dsa")
    assert list(result.elements) == list(DSA_ELEMENTS)
    assert result.status == "complete", result.missing


@pytest.mark.parametrize("element", DSA_ELEMENTS)
def test_dsa_each_element_removed_is_deficient(element: str) -> None:
    result = check_dsa(letter(*(v for k, v in DSA_PARTS.items() if k != element)))
    assert result.missing == [element]
    assert result.status == "deficient"


def test_dsa_identity_needs_name_and_email() -> None:
    parts = dict(DSA_PARTS, dsa_notifier_identity="Name: Jane Doe")
    assert check_dsa(letter(*parts.values())).missing == ["dsa_notifier_identity"]


def test_dsa_identity_not_required_for_child_sexual_abuse_material() -> None:
    parts = dict(DSA_PARTS, dsa_explanation="This image is child sexual abuse material, illegal under Article 5 of"
                                            " Directive 2011/93/EU.")
    del parts["dsa_notifier_identity"]
    result = check_dsa(letter(*parts.values()))
    assert result.status == "complete"
    assert result.elements["dsa_notifier_identity"].present


@pytest.mark.parametrize("kind", ["retraction", "reversal", "other", "counter-retraction"])
def test_non_requests_have_no_elements(kind: str) -> None:
    result = check_notice("We withdraw our notice of 2019-01-01.", kind, "dmca")
    assert result.status == "complete" and result.elements == {} and result.missing == []


def test_dispatch() -> None:
    assert check_notice(FULL, "notice", "dmca") == check_dmca(FULL)
    assert check_notice(COUNTER, "counter-notice", "dmca") == check_counter_notice(COUNTER)
    assert list(check_notice(FULL, "notice", "other").elements) == list(DMCA_ELEMENTS)


# --- held-out review (other years of the same public source): general rules, synthetic cases --------------------

@pytest.mark.parametrize("material", [
    "The infringing material is located at:\n\n[invalid]\n[invalid]",
    "The infringing copies are at https://github.com/[invalid]",
    ("**What files should be taken down? Please provide URLs for each file, or if the entire repository, the"
     " repository’s URL.**\n\n[invalid]"),
])
def test_a_location_the_platform_replaced_with_invalid_counts_as_given(material: str) -> None:
    result = check_dmca(letter(WORK.split(", sold at")[0] + ".", material, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE))
    assert result.elements["infringing_material"].present, material
    assert result.status == "complete"


def test_invalid_stands_for_a_url_never_for_contact_details() -> None:
    text = letter(WORK, "The infringing material is located at:\n\n[invalid]\n[invalid]", GOOD_FAITH, PERJURY,
                  "Sincerely,\n\nJane Doe")
    result = check_dmca(text, GITHUB)
    assert not result.elements["contact_info"].present and result.status == "deficient"


def test_a_link_the_notice_names_as_infringing_locates_it_on_any_host() -> None:
    text = letter("Original work: Moon Atlas", "We found copyright infringements on the pages below:",
                  "URL: http://fan-pages.example/moon-atlas.htm", CONTACT, GOOD_FAITH, PERJURY, SIGNATURE)
    assert check_dmca(text).elements["infringing_material"].present
    forum = letter(WORK, "The code was discussed at https://forum.example/thread/9", CONTACT, GOOD_FAITH, PERJURY,
                   SIGNATURE)
    assert not check_dmca(forum).elements["infringing_material"].present


def test_works_named_by_what_the_rights_attach_to() -> None:
    work = ("We act for Acme Radio's copyrights and trademarks, registered or not, associated with their radio"
            " stations, including Acme One and Acme Jazz (the \"Stations\").")
    assert check_dmca(letter(work, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE)).status == "complete"
    vague = "We act for the owner of the rights."
    assert not check_dmca(letter(vague, MATERIAL, CONTACT, GOOD_FAITH, PERJURY, SIGNATURE)
                          ).elements["copyrighted_work"].present
