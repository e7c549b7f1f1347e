"""The attribution rules, one planted situation per finding code (pure functions, no database)."""

from __future__ import annotations

from compliance.attribution.rules import CreditFacts, Facts, OriginalFacts, SiteFacts, attribution_findings

NORTHGATE = SiteFacts("Northgate Herald", ("The Northgate Herald",), ("http://127.0.0.1:8001",))
HARBOUR = SiteFacts("Harbour Times", (), ("http://127.0.0.1:8002",))
DIGEST = SiteFacts("DailyDigest", (), ("http://127.0.0.1:8003",))
ORIGINAL = OriginalFacts("http://127.0.0.1:8001/a.html", NORTHGATE, containment=0.9)
DISCLAIMER = "This content is aggregated from public sources online. Contact us for removal."


def codes(facts: Facts, kind: str = "document", threshold: float | None = 0.5) -> list[str]:
    return [f.code for f in attribution_findings(facts, kind, threshold)]


def copy(**kw: object) -> Facts:
    base: dict[str, object] = dict(url="http://127.0.0.1:8003/c.html", own_site=DIGEST, credits=(), originals=(ORIGINAL,))
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def test_credited_copy_is_ok_and_still_a_substantial_copy_of_low_severity() -> None:
    found = attribution_findings(copy(credits=(CreditFacts("Source: Northgate Herald", "Northgate Herald", None),)),
                                 "document", 0.5)
    assert [f.code for f in found] == ["credited_ok", "substantial_copy"]
    assert found[1].severity == "low"


def test_credit_by_alias_or_link_counts() -> None:
    assert codes(copy(credits=(CreditFacts("via The Northgate Herald", "The Northgate Herald", None),)))[0] == "credited_ok"
    assert codes(copy(outbound_links=("http://127.0.0.1:8001/a.html",)))[0] == "credited_ok"


def test_uncredited_copy_is_missing_credit_and_disclaimer_only_when_it_leans_on_one() -> None:
    assert codes(copy()) == ["missing_credit", "substantial_copy"]
    assert codes(copy(disclaimers=(DISCLAIMER,))) == ["missing_credit", "disclaimer_only", "substantial_copy"]


def test_crediting_another_publisher_is_misattributed() -> None:
    found = codes(copy(credits=(CreditFacts("Source: Harbour Times", "Harbour Times", None),)))
    assert found[0] == "misattributed"


def test_crediting_an_outlet_not_crawled_while_matched_is_misattributed() -> None:
    assert codes(copy(credits=(CreditFacts("Source: Reuters", "Reuters", None),)))[0] == "misattributed"


def test_credit_without_any_original_is_unverified() -> None:
    assert codes(copy(originals=(), credits=(CreditFacts("Source: Associated Wire", "Associated Wire", None),))) == [
        "unverified_credit"
    ]


def test_unrelated_item_without_credit_or_original_has_no_findings() -> None:
    assert codes(copy(originals=(), disclaimers=(DISCLAIMER,))) == []


def test_self_credit_is_not_attribution() -> None:
    assert codes(copy(credits=(CreditFacts("Source: DailyDigest", "DailyDigest", None),)))[0] == "missing_credit"


def test_containment_below_threshold_is_not_substantial() -> None:
    low = OriginalFacts(ORIGINAL.url, NORTHGATE, containment=0.2)
    assert "substantial_copy" not in codes(copy(originals=(low,)))


def test_image_metadata_stripped_when_copy_lost_all_embedded_credit() -> None:
    original = OriginalFacts("http://127.0.0.1:8001/p.jpg", NORTHGATE, 0.0, (("exif_artist", "A. Reporter"),))
    credit = (CreditFacts("Image from Northgate Herald", "Northgate Herald", None),)
    stripped = copy(originals=(original,), credits=credit, embedded_credit=())
    assert codes(stripped, "image", None) == ["credited_ok", "metadata_stripped"]
    kept = copy(originals=(original,), credits=credit, embedded_credit=(("exif_artist", "A. Reporter"),))
    assert codes(kept, "image", None) == ["credited_ok"]
    same_bytes = copy(originals=(original,), credits=credit, same_bytes_as_original=True)
    assert codes(same_bytes, "image", None) == ["credited_ok"]
