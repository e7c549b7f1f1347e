"""Letters as a news operator receives them: wording the GitHub archive never had, each rule on a minimal letter.

The labelled set (`operator/`) measures these rules; these tests say what each one is for and fail if it goes.
"""

from __future__ import annotations

import pytest

from compliance.takedown.notices.completeness import (
    check_dmca,
    check_dsa,
    element_spans,
)
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.kinds import detect_kind, detect_regime, detect_remedy
from compliance.takedown.notices.service import Service
from compliance.takedown.notices.urls import classify_urls

OPERATOR = Service(names=("Daily Digest",), hosts=("dailydigest.example",))
COPY = "https://www.dailydigest.example/world/2025/03/harbour-fire"


def present(text: str, element: str, regime: str = "other") -> bool:
    return bool(element_spans(text, "notice", regime, element, OPERATOR))


def test_a_display_name_with_an_at_sign_keeps_the_address_in_angle_brackets() -> None:
    raw = (b"From: Olivia @ Copyright Agent <olivia@agent.example>\r\nSubject: =?utf-8?q?Ang=C3=A5ende?=\r\n"
           b"Content-Type: text/plain\r\n\r\nVi ber er besvara detta krav.\r\n")
    notice = parse_bytes(raw, "n.eml", OPERATOR)[0]
    assert notice.sender == "olivia@agent.example"
    assert notice.parties["complainant"] == "Olivia @ Copyright Agent"
    encoded = (b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jm@verlag.example>\r\nSubject: Urheberrecht\r\n\r\n"
               b"Bitte entfernen Sie den Artikel.\r\n")
    assert parse_bytes(encoded, "m.eml", OPERATOR)[0].parties["complainant"] == "Jörg Müller"


def test_a_link_elsewhere_is_never_material_the_operator_can_act_on() -> None:
    text = (f"Our article was copied in full. Please remove the infringing page: {COPY}\n"
            "The infringing copies are also at https://scraper.example/harbour-fire\n"
            "Het oorspronkelijke artikel staat op https://www.havenkrant.example/regio/brand\n")
    roles = {u.as_written: u.role for u in classify_urls(text, service=OPERATOR)}
    assert roles[COPY] == "infringing"
    assert roles["https://scraper.example/harbour-fire"] != "infringing"
    assert roles["https://www.havenkrant.example/regio/brand"] != "infringing"


def test_threats_of_statutory_damages_do_not_make_a_removal_demand_a_fee_claim() -> None:
    text = ("You can be liable for statutory damages of up to $150,000 under 17 USC 504. I demand that you remove "
            f"the infringing photograph at {COPY} immediately.")
    assert detect_remedy(text, "notice") == "remove"
    assert detect_remedy("Please pay the licence fee of £450 within 14 days to settle this matter.", "notice") \
        == "licence_fee"


@pytest.mark.parametrize(("text", "remedy"), [
    ("Pixsy acts as the authorized licensing and copyright agent of the photographer; the use is unlicensed.",
     "licence_fee"),
    ("Der Artikel übernimmt unseren Bericht ohne Lizenz. Das verletzt unser Urheberrecht. Bitte entfernen Sie ihn.",
     "remove"),
    ("Wir fordern eine Lizenzgebühr von 800 Euro für die Nutzung des Fotos, die unser Urheberrecht verletzt.", "licence_fee"),
    ("If you don't get rid of the images mentioned above, I'll file a complaint: it is unlawful to use them.",
     "remove"),
])
def test_what_the_sender_asks_for(text: str, remedy: str) -> None:
    assert detect_kind(text) == "notice"
    assert detect_remedy(text, "notice") == remedy


def test_a_credit_request_asks_to_be_credited_with_removal_only_as_the_fallback() -> None:
    text = ("I'd like to be credited in my photos on this site. How can I make sure this happens?\n"
            "Failing that how can I ensure uncredited photos are removed?")
    assert detect_kind(text) == "other" and detect_remedy(text, "other") == "credit"


def test_title_17_alone_is_the_copyright_act_not_a_512_notice() -> None:
    assert detect_regime("This is infringement in violation of Title 17 U.S.C.S., the Copyright Act of 1976.") \
        == "other"
    assert detect_regime("This notice is sent under 17 U.S.C. § 512(c)(3).") == "dmca"
    assert detect_regime("Notice pursuant to 17 USC 512.") == "dmca"


@pytest.mark.parametrize("work", [
    "X's copyrighted image (Image ID: 490055-001) was discovered on your website.",
    "Link to where the image was stolen from: https://harbourlight.example/gallery/harbour-fire",
    "You have several of my articles such as Not Your Childhood Cheddar on your web site.",
])
def test_works_named_as_news_and_photo_letters_name_them(work: str) -> None:
    assert present(work, "copyrighted_work")


@pytest.mark.parametrize("vague", [
    "My copyrights have been severely infringed and I am trying to protect my intellectual property.",
    "Your use of Mr. Doe's image is a violation of his exclusive right to prepare derivatives of his copyrighted work.",
    "PA owns the copyright to images taken by our photographers in the course of their employment.",
])
def test_generic_references_name_no_work(vague: str) -> None:
    assert not present(vague, "copyrighted_work")


@pytest.mark.parametrize(("text", "located"), [
    ("A post by “coffee260” on Daily Digest today repeats the statement.", True),
    ("This image is on a writing contest website that you own or operate, week 84. It is image #2.", True),
    ("We found our photograph on your website.", False),
])
def test_material_located_by_description_on_the_operators_site(text: str, located: bool) -> None:
    assert present(text, "infringing_material") is located


def test_a_redaction_that_stood_for_a_link_is_no_contact_detail() -> None:
    text = ("Check out this document with the links to my images you used at [WEBSITE REDACTED].\n"
            "[REDACTED LINK – NEVER CLICK ON THIS LINK!]\n")
    assert not present(text, "contact_info")
    assert present("Questions? Please call me at 310-828-8284.", "contact_info")
    assert present("Kontakta oss per telefon på +46 856-280967 måndag–fredag.", "contact_info")


@pytest.mark.parametrize("closing", ["Med vänliga hälsningar,", "Mit freundlichen Grüßen", "Met vriendelijke groet,",
                                     "Cordialement,", "Distinti saluti,", "Atentamente,"])
def test_european_closings_sign_a_letter(closing: str) -> None:
    assert present(f"Bitte entfernen Sie das Foto.\n\n{closing}\nAnna Petersen, Redaktion", "signature")


def test_dsa_notice_forms_in_member_state_languages() -> None:
    german = ("Bitte erläutern und begründen Sie, warum Sie die Information als rechtswidrige Inhalte ansehen:\n"
              "Der Artikel übernimmt unseren Bericht fast wörtlich und ohne Lizenz.\n\n"
              f"Bitte geben Sie den genauen Speicherort der Information an:\n{COPY}\n\n"
              "Ihr Name\nAnna Petersen\n\nIhre E-Mail-Adresse\nredaktion@hafenbote.example\n")
    result = check_dsa(german, OPERATOR)
    assert [k for k, v in result.elements.items() if v.present] == ["dsa_explanation", "dsa_exact_location",
                                                                    "dsa_notifier_identity"]
    dutch = ("Een gemotiveerde verklaring waarom het illegale inhoud is:\nHet artikel is integraal overgenomen; dat is een "
             f"inbreuk op ons auteursrecht (artikel 1 Auteurswet).\n\nDe exacte URL:\n{COPY}\n\n"
             "Uw naam en emailadres:\nPieter de Wit, redactie@havenkrant.example\n\n"
             "Een verklaring dat u naar waarheid heeft gemeld:\nIk verklaar dat ik deze melding naar waarheid heb gedaan.\n")
    assert check_dsa(dutch, OPERATOR).status == "complete"
    english = dutch.replace("Ik verklaar dat ik deze melding naar waarheid heb gedaan.",
                            "I confirm my genuine belief that the information in this report is accurate and complete.")
    assert check_dsa(english, OPERATOR).elements["dsa_bona_fide_statement"].present


def test_an_agency_claim_that_names_the_image_and_the_page_can_be_cured() -> None:
    text = (f"Our client's photograph (Image ID: 88121) is displayed at {COPY} without a licence.\n"
            "Please contact us at claims@agency.example.\n\nKind regards,\nLicense Compliance Team\n")
    assert check_dmca(text, OPERATOR).status == "cure_needed"


@pytest.mark.parametrize("text", [
    "Thank you for your message. I can confirm that both cases have been closed.\nBest regards\nLegal Department",
    "Sorry for the confusion. It is perfectly OK to embed our videos on your site.",
])
def test_a_claimant_closing_its_own_claim_is_a_retraction(text: str) -> None:
    assert detect_kind(text, service=OPERATOR) == "retraction"
    assert detect_kind("It is not perfectly OK to copy our photos. Please remove them.", service=OPERATOR) \
        == "notice"


def test_an_appeal_to_restore_a_removed_blog_is_a_counter_notice() -> None:
    text = "It is time to restore a blog that you removed two weeks ago without any explanation."
    assert detect_kind(text, service=OPERATOR) == "counter_notice"
    assert detect_remedy(text, "counter_notice") == "restore"


@pytest.mark.parametrize("text", [
    ("Votre reprise déloyale de nos marques dénigre l'image de notre client, qui ne peut évidemment pas tolérer "
     "cette atteinte."),
    ("Die Meldung verletzt das Persönlichkeitsrecht unseres Mandanten. Sollte die Frist ungenutzt verstreichen, "
     "werden wir weitere rechtliche Schritte einleiten."),
    ("Your site has engaged in misappropriating our articles; we will monitor it for any continued "
     "infringement."),
])
def test_demands_that_name_no_remedy_are_still_notices(text: str) -> None:
    assert detect_kind(text, service=OPERATOR) == "notice"
    assert detect_remedy(text, "notice") == "remove"


def test_a_free_licence_notice_asked_for_is_a_credit_request() -> None:
    gfdl = (f"Your page {COPY} uses our encyclopedia's content. To use it you should also include a GFDL notice "
            "and a link to the licence text.")
    assert detect_kind(gfdl, service=OPERATOR) == "other"
    assert detect_remedy(gfdl, "other") == "credit"
    swedish = ("Bilden är licensierad under en Creative Commons-licens. Ange fotografens namn och länka till "
               "licenstexten: https://creativecommons.org/licenses/by-sa/4.0/")
    assert detect_remedy(swedish, "other") == "credit"


@pytest.mark.parametrize(("text", "remedy"), [
    # "I will seek ... damages" threatens across wrapped lines; the demand is removal
    (("Please remove it immediately. If you do not, I will\nseek statutory (which right now are a\nminimum of "
     "$25,000) and other damages against you.\n\nAgain, please remove the photo."), "remove"),
    # "without any compensation" says what is wrong, it asks for nothing to be paid
    (("You publish our news content daily without any compensation to our clients, in violation of the Copyright "
     "Act. We will seek relief if no corrective action is taken."), "remove"),
    # a licensing agent's claim with a case reference and nothing to remove: the opening of a fee claim
    ("Vi har uppmärksammat att ni publicerat material olovligen. Vi ber er besvara detta krav inom 14 dagar.",
     "licence_fee"),
])
def test_what_is_threatened_or_complained_of_is_not_what_is_asked(text: str, remedy: str) -> None:
    assert detect_remedy(text, "notice") == remedy


def test_the_operators_home_page_locates_nothing() -> None:
    whole_site = "Your website https://www.dailydigest.example/ copies our articles. Stop it."
    assert not present(whole_site, "infringing_material")
    assert present(f"Our photo is used without a licence at {COPY}.", "infringing_material")


def test_a_located_copy_of_the_senders_own_photo_identifies_the_work() -> None:
    text = f"The unauthorized copy of my photo is hosted at:\n{COPY}\nPlease remove it."
    spans = element_spans(text, "notice", "other", "copyrighted_work", OPERATOR)
    assert [text[a:b] for a, b in spans] == [COPY]
    assert not present(f"Please remove all our content from {COPY}.", "copyrighted_work")


def test_a_statement_of_the_law_names_no_work() -> None:
    assert not present("US Copyright Law provides strong protection for owners of copyrighted material.",
                       "copyrighted_work")
    assert not present('Because the Copyright Act is a "strict liability" statute, you do not need to know the work '
                       "is protected.", "copyrighted_work")
    assert present("Our copyrighted photographs of the harbour fire are used without a licence.", "copyrighted_work")


def test_no_legal_basis_for_the_use_is_a_good_faith_statement() -> None:
    assert present("I have a good faith belief that there is no legal basis for use of these images on these sites.",
                   "good_faith")


@pytest.mark.parametrize("text", [
    "Our copyrighted image continues to be displayed on X\n\nPlease pay the fee.",
    ("We ask that you immediately remove the posted article from your website. This article is regarding the "
     "harbour fire that destroyed the old warehouse."),
])
def test_a_location_redacted_by_its_publisher_or_described_in_two_sentences_counts(text: str) -> None:
    assert present(text, "infringing_material")
    assert not present("Our copyrighted image is displayed on your website.", "infringing_material")


def test_a_dsa_notifier_may_answer_with_a_name_and_address_on_one_line() -> None:
    text = (f"Die Veröffentlichung verletzt mein Urheberrecht (Art. 16 DSA). {COPY}\n"
            "Wenn Du möchtest, kannst Du uns Deinen Namen und Deine E-Mail-Adresse mitteilen.\n"
            "Lena Beispiel, mail@fotografie.example\n")
    assert check_dsa(text, OPERATOR).elements["dsa_notifier_identity"].present
    assert not check_dsa(text.replace("mail@fotografie.example", ""), OPERATOR).elements[
        "dsa_notifier_identity"].present


def test_a_wrong_complained_of_is_a_notice_unless_the_letter_only_asks_a_question() -> None:
    quoted_in_part = ("Your site republished our photograph without permission. This is a copyright infringement "
                      "and our client has instructed us in the matter.")
    assert detect_kind(quoted_in_part, service=OPERATOR) == "notice"
    enquiry = ("We do not appear to have licensed this portrait for your website. We wondered whether you would let "
               "us know the source from which you obtained it. Unauthorised reproduction may infringe copyright.")
    assert detect_kind(enquiry, service=OPERATOR) == "other"


@pytest.mark.parametrize("text", [
    ("Now that we have a better understanding of your website, we regret sending you the demand letter. We do not "
     "object to fair reporting."),
    ("Some posts were inadvertently caught up in the sweep. That was never our intention and we apologize to those "
     "who were incorrectly targeted."),
])
def test_regret_for_a_demand_is_a_retraction(text: str) -> None:
    assert detect_kind(text, service=OPERATOR) == "retraction"


@pytest.mark.parametrize(("text", "remedy"), [
    ("Fotografia została skopiowana bez mojej zgody i narusza moje prawa autorskie. Proszę o usunięcie zdjęcia.",
     "remove"),
    (("Auf Ihrer Internetseite ist eine Aufnahme veröffentlicht, für die Sie keine Nutzungsgenehmigung haben. Bitte "
      "überweisen Sie den Betrag von 450 EUR bis zum 17.12."), "licence_fee"),
    ("To clarify, I expect the invoice of £180 to be paid in full by 4 February, or I will make a court claim.",
     "licence_fee"),
])
def test_letters_in_other_words_and_languages_are_notices(text: str, remedy: str) -> None:
    assert detect_kind(text, service=OPERATOR) == "notice"
    assert detect_remedy(text, "notice") == remedy


@pytest.mark.parametrize("text", [
    "The content was originally published March 18, 2013 at https://www.harbourblog.example/redesigns/.",
    "Please take down the piece, it copies Mr. Walton's February 12 column in The Harbour Times.",
    "I am the author of the harbour fire article you pasted onto your blog.",
    "The image is by Jane Doe/Harbour Times and is a photo of the quay.",
    "Nutzung meiner Aufnahmen „Herkules im Bergpark“ 2010/417",
])
def test_works_named_as_letters_name_them(text: str) -> None:
    assert present(text, "copyrighted_work")


@pytest.mark.parametrize("text", [
    "We would ask that you please promptly take down Mr. Farrell's piece.",
    "Please delete this article from your website immediately.",
])
def test_an_item_named_by_its_author_or_pointed_at_is_located(text: str) -> None:
    assert present(text, "infringing_material")


@pytest.mark.parametrize("text", [
    "Please pay the fee.\n\nTimothy Walton\nAssociate Counsel\nThe Harbour Times\n",
    "Please remove it.\n\nThanks, WL\n",
])
def test_signatures_with_titles_under_them_or_on_the_closing_line(text: str) -> None:
    assert present(text, "signature")
    assert not present("Please remove it.\n\nThanks!\n", "signature")


@pytest.mark.parametrize("text", [
    "If you have questions I can be reached at 212-555-0156.",
    "Moreau, Julien; photographer; 12 rue des Tanneurs, 69001 Lyon, France",
    "Beispiel Verlag, Hafenstraße 12, 20459 Hamburg",
])
def test_contact_details_as_european_and_american_letters_give_them(text: str) -> None:
    assert present(text, "contact_info")


def test_a_polish_dsa_form_gives_its_reasons_and_notifier() -> None:
    text = (f"1. Podaj dokładny adres URL treści *\n{COPY}\n\n3. Wyjaśnij, dlaczego uważasz, że zgłaszane treści są "
            "niezgodne z prawem *\nZdjęcie zostało skopiowane, co narusza moje prawa (art. 16 ustawy o prawie "
            "autorskim).\n\nPodaj swoje dane\nMarta Przykładowa\nmarta@foto.example\n")
    elements = check_dsa(text, OPERATOR).elements
    assert elements["dsa_explanation"].present and elements["dsa_notifier_identity"].present
