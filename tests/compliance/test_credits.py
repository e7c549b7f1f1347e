"""Credit-name matching rules (DESIGN.md: a credit names a site by name, alias, host or origin)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.credits import credit_names_site, source_key
from compliance.urls import host_key, origin_of, port_of


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("BBC News", "BBC"),
        ("bbc.co.uk", "BBC"),
        ("www.bbc.co.uk", "BBC News Online"),
        ("The Northgate Herald", "Northgate Herald"),
        ("© 2024 The Harbour Times Ltd.", "Harbour Times"),
        ("(c) Harbour Times", "harbour times"),
        ("via Reuters", "Reuters"),
        ("Photo: Reuters", "REUTERS"),
        ("Image from BBC", "BBC"),
        ("Source: Northgate Herald", "Northgate Herald"),
        ("Copyright 2026 DailyDigest", "DailyDigest"),
        ("The New York Times Co.", "New York Times"),
        ("ＢＢＣ", "BBC"),
    ],
)
def test_same_source(a: str, b: str) -> None:
    assert source_key(a) == source_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Harbour Times", "Northgate Herald"), ("Harbour Times", "The Times"), ("Sky News", "BBC News"),
     ("Associated Press", "AP"), ("Daily Digest", "Northgate Herald")],
)
def test_different_sources(a: str, b: str) -> None:
    assert source_key(a) != source_key(b)


def test_suffix_stripping_keeps_one_word() -> None:
    assert source_key("News") == "news"
    assert source_key("Media Group") == "media"


@given(st.text(max_size=80))
def test_source_key_total_and_idempotent(name: str) -> None:
    key = source_key(name)
    assert source_key(key) == key


def test_host_key_and_ports() -> None:
    assert host_key("https://www.BBC.co.uk:443/news") == "bbc.co.uk"
    assert host_key("www.bbc.co.uk") == "bbc.co.uk"
    assert host_key("127.0.0.1:8001") == "127.0.0.1"
    assert host_key("") == ""
    assert port_of("127.0.0.1:8001") == 8001 and port_of("https://x.example") == 443 and port_of("x.example") is None
    assert origin_of("HTTP://Example.com:80/a") == "http://example.com"
    assert origin_of("http://127.0.0.1:8001/x") == "http://127.0.0.1:8001"


NORTHGATE = {
    "site_names": ["Northgate Herald", "The Northgate Herald", "Northgate"],
    "site_origins": ["http://127.0.0.1:8001"],
    "site_hosts": ["northgate.example", "127.0.0.1:8001"],
}


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        ("Northgate Herald", None, True),
        ("The Northgate Herald", None, True),
        ("northgate herald.", None, True),
        ("Northgate Herald / A. Reporter", None, True),
        ("A. Reporter, Northgate Herald", None, True),
        ("Harbour Times", None, False),
        ("Harbour Times / A. Reporter", None, False),
        ("Associated Wire Service", None, False),
        ("Herald", None, False),
        ("northgate.example", None, True),
        ("www.northgate.example/news", None, True),
        ("news.northgate.example", None, True),
        ("evilnorthgate.example", None, False),
        (None, "http://127.0.0.1:8001/news/x.html", True),
        (None, "http://127.0.0.1:8002/news/x.html", False),
        (None, "https://www.northgate.example/a", True),
        (None, "https://notnorthgate.example/a", False),
        (None, None, False),
        ("", "", False),
    ],
)
def test_credit_names_site(name: str | None, url: str | None, expected: bool) -> None:
    assert credit_names_site(name, url, **NORTHGATE) is expected


def test_alias_host_and_single_word_rules() -> None:
    assert credit_names_site("BBC News", None, ["BBC"], [], [])
    assert credit_names_site("bbc.co.uk", None, ["BBC"], [], [])
    assert credit_names_site("Image courtesy of bbc.co.uk", None, ["British Broadcasting"], [], ["bbc.co.uk"])
    # one-word site keys match whole credits or credit parts only: "The Times" is not named by "Harbour Times".
    assert not credit_names_site("Harbour Times", None, ["The Times"], [], [])
    assert credit_names_site("Jane Doe / The Times", None, ["The Times"], [], [])
