"""Our simhash equals the `simhash` package bit for bit, without its numpy-2 overflow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import simhash as simhash_pkg
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.fingerprints.simhash import hamming, simhash, simhash_text
from compliance.fingerprints.text import simhash_features

feature = st.text(min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(feature, min_size=1, max_size=300))
def test_equal_to_package_unweighted(features: list[str]) -> None:
    assert simhash(features) == simhash_pkg.Simhash(features).value


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(feature, st.integers(min_value=1, max_value=255), min_size=1, max_size=300))
def test_equal_to_package_weighted(features: dict[str, int]) -> None:
    # Weights up to 255: beyond that the package itself overflows (see below). Mapping and pairs alike.
    assert simhash(features) == simhash_pkg.Simhash(features).value
    assert simhash(list(features.items())) == simhash_pkg.Simhash(list(features.items())).value


@given(st.integers(min_value=0, max_value=2**64 - 1), st.integers(min_value=0, max_value=2**64 - 1))
def test_hamming_properties(a: int, b: int) -> None:
    assert hamming(a, a) == 0
    assert hamming(a, b) == hamming(b, a)
    assert 0 <= hamming(a, b) <= 64


def test_package_overflows_where_we_do_not() -> None:
    """Why this module exists: under numpy 2 the package raises on any feature weight above 255."""
    with pytest.raises(OverflowError):
        simhash_pkg.Simhash([("the", 300)])
    with pytest.raises(OverflowError):
        simhash_pkg.Simhash("the cat sat " * 30_000)  # its own char 4-grams repeat > 255 times
    assert simhash([("the", 300)]) == simhash([("the", 1)])


def test_long_real_text_hashes(shared_dir: Path) -> None:
    bodies = json.loads((shared_dir / "data/aeb/ground-truth.json").read_text(encoding="utf-8"))
    text = "\n".join(v["articleBody"] for v in bodies.values())
    while len(text) < 250_000:
        text += text
    h = simhash_text(text[:250_000])
    assert 0 < h < 2**64
    assert h == simhash_pkg.Simhash(simhash_features(text[:250_000])).value  # weights stay small for trigrams


def test_empty_features() -> None:
    assert simhash([]) == 0 == simhash_pkg.Simhash([]).value


def test_rejects_negative_weight() -> None:
    with pytest.raises(ValueError):
        simhash([("a", -1)])
