"""The learned reader of kind and remedy: features, training, the shipped weights, and how it joins the rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from compliance.takedown.notices import classifier
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.kinds import (
    ASSERTED,
    combine,
    detect_kind,
    detect_remedy,
    learned_reading,
    read_request,
)
from compliance.takedown.notices.service import Service
from tests.compliance.takedown.notices.test_operator_quality import (
    BASE,
    TRAINED,
    batch_of,
    operator_service,
    trained_rows,
    trained_sha256,
)

OPERATOR = Service(names=("Daily Digest",), hosts=("dailydigest.example",))

# Made-up letters of three kinds, in three languages each: enough for the reader to learn from, none from the set.
TOY = {
    "notice/licence_fee": [
        "Please pay the licence fee invoice for the photo you used without a licence.",
        "Bitte zahlen Sie die Lizenzgebühr laut Rechnung für das Foto ohne Lizenz.",
        "Merci de payer la facture de licence pour la photo utilisée sans licence.",
    ],
    "other/credit": [
        "Please add a photo credit with my name under the picture, you may keep it up.",
        "Bitte ergänzen Sie die Namensnennung unter dem Bild, es darf online bleiben.",
        "Merci d'ajouter le crédit photo avec mon nom sous l'image, elle peut rester.",
    ],
    "notice/remove": [
        "Remove the copied article from your site at once; it infringes our copyright.",
        "Entfernen Sie den kopierten Artikel sofort von Ihrer Seite; er verletzt unser Urheberrecht.",
        "Retirez immédiatement l'article copié de votre site; il viole notre droit d'auteur.",
    ],
}


def toy_model() -> classifier.Classifier:
    texts = [t for letters in TOY.values() for t in letters]
    return classifier.train(
        texts, [label for label, letters in TOY.items() for _ in letters]
    )


def test_what_says_nothing_about_the_request_is_folded_away() -> None:
    text = "Dear Daily Digest, see https://dailydigest.example/a/1 and write to rights@agency.example by 12 May 2024."
    folded = classifier.normalise(text, OPERATOR)
    assert folded == "dear operator , see url and write to email by 00 may 0000."
    # another page, another sender's address, another day: the same letter to the reader
    other = "Dear Daily Digest, see https://www.dailydigest.example/b and write to x@y.example by 31 May 1999."
    assert np.array_equal(
        classifier.features(text, OPERATOR), classifier.features(other, OPERATOR)
    )
    # and the same letter sent to another operator
    elsewhere = Service(names=("Link Post",), hosts=("linkpost.example",))
    moved = text.replace("Daily Digest", "Link Post").replace("dailydigest", "linkpost")
    assert np.array_equal(
        classifier.features(moved, elsewhere), classifier.features(text, OPERATOR)
    )


def test_features_are_hashed_ngrams_inside_words() -> None:
    ids = classifier.features("Lizenzgebühr")
    assert ids.dtype == np.int64 and list(ids) == sorted(set(ids))
    assert all(0 <= i < classifier.BUCKETS for i in ids)
    # " lizenzgebühr " has 12 + 11 + 10 three-, four- and five-grams (fewer if two share a bucket)
    assert 25 <= len(ids) <= 33
    assert (
        len(classifier.features("de")) == 3
    )  # " de", "de ", " de ": a word no longer than n is one n-gram
    assert len(classifier.features("a")) == 1
    assert len(classifier.features("")) == 0


def test_training_learns_what_a_letter_asks_across_languages() -> None:
    model = toy_model()
    assert model.classes == tuple(sorted(TOY))
    assert model.predict(
        "Wir bitten um Zahlung der Rechnung für die Lizenzgebühr."
    ) == ("notice", "licence_fee")
    assert model.predict(
        "Please credit the photographer by name under the picture."
    ) == ("other", "credit")
    assert model.predict("Retirez l'article copié de votre site.") == (
        "notice",
        "remove",
    )
    probs = model.probabilities("anything at all")
    assert set(probs) == set(TOY) and abs(sum(probs.values()) - 1.0) < 1e-9


def test_training_is_deterministic_and_the_saved_weights_predict_the_same(
    tmp_path: Path,
) -> None:
    model, again = toy_model(), toy_model()
    assert np.array_equal(model.weights, again.weights) and np.array_equal(
        model.bias, again.bias
    )
    path = tmp_path / "model.npz"
    classifier.save(model, path, letters=9)
    loaded = classifier.load(path)
    assert loaded is not None and loaded.classes == model.classes
    for letters in TOY.values():
        for text in letters:
            assert loaded.predict(text) == model.predict(text)
    assert classifier.facts(path) == {"letters": 9}
    assert classifier.load(tmp_path / "absent.npz") is None


def test_the_rules_decide_when_a_specific_cue_fires_the_reader_otherwise() -> None:
    learned = ("other", "credit")
    for asserted in sorted(ASSERTED):
        assert combine(asserted, learned) == asserted
    assert combine(("notice", "remove"), learned) == learned
    assert combine(("other", "none"), ("notice", "licence_fee")) == (
        "notice",
        "licence_fee",
    )
    assert combine(("other", "none"), None) == ("other", "none")
    # too few words for the reader: the rules' answer stands
    assert learned_reading("Remove it.", OPERATOR, toy_model()) is None
    assert learned_reading("Remove it.", OPERATOR, None) is None
    assert read_request("") == ("other", "none")


def test_a_counter_notice_stays_with_the_rules_whatever_the_reader_says() -> None:
    text = (
        "I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a "
        "result of mistake or misidentification. I consent to the jurisdiction of the Federal District Court. "
        "Please restore the article."
    )
    assert (detect_kind(text), detect_remedy(text, "counter_notice")) == (
        "counter_notice",
        "restore",
    )
    assert read_request(text, service=OPERATOR) == ("counter_notice", "restore")


@pytest.fixture(scope="module")
def letters() -> dict[str, str]:
    """Each trained letter's text as the product reads its kind (subject line and body)."""
    service = operator_service()
    out = {}
    for row in trained_rows():
        notice = parse_bytes(
            (BASE / "letters" / row["file"]).read_bytes(), row["file"], service
        )[0]
        out[row["file"]] = (
            f"{notice.subject}\n{notice.text}" if notice.subject else notice.text
        )
    return out


def hints(name: str, text: str) -> dict[str, str | None]:
    """The hints intake gives the rules: the file name, and an e-mail's subject line."""
    return (
        {"name": name, "type": text.split("\n", 1)[0]}
        if name.endswith(".eml")
        else {"name": name}
    )


def test_the_shipped_weights_are_those_trained_on_the_labelled_batches(
    letters: dict[str, str],
) -> None:
    facts = classifier.facts()
    assert facts["trained_sha256"] == trained_sha256(), (
        "letters or labels changed: python benchmarks/notice_operator.py --train"
    )
    assert facts["letters"] == len(trained_rows()) and {
        batch_of(f) for f in letters
    } == set(range(1, TRAINED + 1))
    assert (facts["buckets"], facts["c"]) == (classifier.BUCKETS, classifier.C)
    shipped = classifier.load()
    assert shipped is not None
    service = operator_service()
    rows = trained_rows()
    retrained = classifier.train(
        [letters[r["file"]] for r in rows],
        [f"{r['kind']}/{r['remedy']}" for r in rows],
        service,
    )
    assert [shipped.predict(letters[r["file"]], service) for r in rows] == [
        retrained.predict(letters[r["file"]], service) for r in rows
    ]


# Batch 4 scored by the product's rules (tuned on batches 1-3 only, never on batch 4) joined with the reader trained
# on batches 1-3: 24/27 kind, 19/27 remedy when written (the rules alone: 18/27 and 15/27). Floors one letter under.
# This stays a measure of new letters only while the rules are not tuned on batch 4.
NEW_KIND_FLOOR = 0.85
NEW_REMEDY_FLOOR = 0.66


def test_the_reader_generalises_to_a_batch_it_was_not_trained_on(
    letters: dict[str, str],
) -> None:
    service = operator_service()
    train = [r for r in trained_rows() if batch_of(r["file"]) < TRAINED]
    tested = [r for r in trained_rows() if batch_of(r["file"]) == TRAINED]
    model = classifier.train(
        [letters[r["file"]] for r in train],
        [f"{r['kind']}/{r['remedy']}" for r in train],
        service,
    )
    kind_ok = remedy_ok = 0
    for row in tested:
        text = letters[row["file"]]
        rules_kind = detect_kind(text, hints(row["file"], text), service)
        got = combine(
            (rules_kind, detect_remedy(text, rules_kind)),
            learned_reading(text, service, model),
        )
        kind_ok += got[0] == row["kind"]
        remedy_ok += got[1] == row["remedy"]
    assert kind_ok / len(tested) >= NEW_KIND_FLOOR, kind_ok
    assert remedy_ok / len(tested) >= NEW_REMEDY_FLOOR, remedy_ok
