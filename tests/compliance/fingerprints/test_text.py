"""Normalisation, tokens, shingles and containment behave as the fingerprint rules need."""

from __future__ import annotations

from compliance.fingerprints.text import containment, normalise, shingles, simhash_features, words


def test_normalise_folds_form_case_and_space() -> None:
    assert normalise("Ｆｕｌｌ\u00a0WIDTH\n\n  Straße") == "full width strasse"


def test_words_drop_punctuation_and_split_cjk() -> None:
    assert words("Hello, World! It's 2024.") == ["hello", "world", "it", "s", "2024"]
    assert words("東京は晴れ") == ["東", "京", "は", "晴", "れ"]


def test_simhash_features_are_counted_word_trigrams() -> None:
    assert simhash_features("a b c a b c") == [("a b c", 2), ("b c a", 1), ("c a b", 1)]
    assert simhash_features("short text") == [("short text", 1)]
    assert simhash_features("") == []


def test_shingles_and_containment() -> None:
    whole = shingles("one two three four five six seven eight nine ten", k=3)
    part = shingles("One two THREE four five", k=3)
    assert len(whole) == 8 and containment(part, whole) == 1.0
    assert containment(shingles("eleven twelve thirteen", k=3), whole) == 0.0
    assert containment(set(), whole) == 0.0
    assert shingles("a b c", k=5) == shingles("A  b c", k=5)  # short text is one shingle, stable across runs
