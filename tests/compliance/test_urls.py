"""The one URL module: one stored spelling whichever way a URL was written, and the keys built on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from w3lib.url import safe_url_string

from compliance.urls import (
    absolute,
    host_key,
    match_key,
    normalise,
    origin_of,
    port_of,
    registrable_domain,
    same_origin,
    same_site,
    site_key,
)

# Path and query text as pages write it: ASCII punctuation, spaces, non-ASCII, stray and valid escapes.
_PIECES = st.lists(
    st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/ \"<>[]\\^`{|}%") + ["%20", "%2F", "%7e", "%7C", "%e9", "é",
                                                                        "中", "ß", "%", "%zz", "\u202e"]),
    max_size=25,
).map("".join)
_HOSTS = st.sampled_from(["example.com", "EXAMPLE.com", "www.example.com", "bücher.example", "127.0.0.1:8080",
                          "example.com:80", "example.com.", "[::1]:8443", "xn--bcher-kva.example"])
_SCHEMES = st.sampled_from(["http", "https", "HTTP"])


@st.composite
def page_urls(draw: st.DrawFn) -> str:
    url = f"{draw(_SCHEMES)}://{draw(_HOSTS)}/{draw(_PIECES)}"
    query = draw(_PIECES)
    return url + (f"?{query.replace('#', '')}" if query else "")


@settings(max_examples=400, deadline=None)
@given(page_urls())
def test_normalise_is_idempotent(url: str) -> None:
    once = normalise(url)
    assert once is not None
    assert normalise(once) == once


@settings(max_examples=400, deadline=None)
@given(page_urls())
def test_the_page_spelling_and_the_fetched_spelling_agree(url: str) -> None:
    """A page's raw <img src> and the URL Scrapy requests (w3lib's safe form) are stored as one row."""
    assert normalise(safe_url_string(url)) == normalise(url)


@settings(max_examples=200, deadline=None)
@given(page_urls())
def test_keys_are_stable_under_normalisation(url: str) -> None:
    norm = normalise(url)
    assert norm is not None
    assert match_key(norm) == match_key(url)
    assert origin_of(norm) == origin_of(url)
    assert host_key(norm) == host_key(url)


@pytest.mark.parametrize(("raw", "expected"), [
    # The spellings that differed before (space, non-ASCII, brackets, pipe): the page's raw reference and the
    # percent-encoded request URL now meet.
    ("https://img.example/photo 1.jpg", "https://img.example/photo%201.jpg"),
    ("https://img.example/photo%201.jpg", "https://img.example/photo%201.jpg"),
    ("https://img.example/café.jpg", "https://img.example/caf%C3%A9.jpg"),
    ("https://img.example/caf%c3%a9.jpg", "https://img.example/caf%C3%A9.jpg"),
    ("https://img.example/a[1].jpg", "https://img.example/a%5B1%5D.jpg"),
    ("https://img.example/a|b.jpg", "https://img.example/a%7Cb.jpg"),
    ("https://img.example/%7Euser/", "https://img.example/~user/"),
    ("https://img.example/a?q=it's", "https://img.example/a?q=it%27s"),
    ("HTTPS://Img.Example:443/a#top", "https://img.example/a"),
    ("http://img.example", "http://img.example/"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ("http://img.example/100%", "http://img.example/100%25"),
    ("ftp://img.example/a", None),
    ("javascript:alert(1)", None),
    ("https:///nohost", None),
    ("http://img.example:99999/", None),
])
def test_normalise_examples(raw: str, expected: str | None) -> None:
    assert normalise(raw) == expected


def test_origin_of_is_empty_for_what_is_not_a_web_url() -> None:
    # Two definitions disagreed: one gave "http://" for garbage, the other "". One rule now: "".
    assert origin_of("not a url") == ""
    assert origin_of("HTTP://Example.com:80/a") == "http://example.com"
    assert origin_of("http://127.0.0.1:8001/x") == "http://127.0.0.1:8001"
    assert same_origin("http://a.example/x", "HTTP://A.example:80/y")
    assert not same_origin("http://a.example/x", "https://a.example/x")


def test_host_key_and_port_of() -> None:
    assert host_key("https://www.BBC.co.uk:443/news") == "bbc.co.uk"
    assert host_key("www.bbc.co.uk") == "bbc.co.uk"
    assert host_key("bücher.example") == "xn--bcher-kva.example"
    assert host_key("") == ""
    assert port_of("127.0.0.1:8001") == 8001 and port_of("https://x.example") == 443 and port_of("x.example") is None


def test_match_key_ignores_scheme_www_and_trailing_slash() -> None:
    assert match_key("http://www.Example.com/a/") == match_key("https://example.com/a") == "example.com/a"
    # the takedown copy search and the notice scorer used two keys; a query and an escape now agree too
    assert match_key("https://example.com/a%7e?x=1") == match_key("http://example.com/a~?x=1")
    assert match_key("example.com/a") is None


def test_absolute_resolves_against_the_page_and_normalises() -> None:
    assert absolute("img/a b.jpg", "https://site.example/news/") == "https://site.example/news/img/a%20b.jpg"
    assert absolute("#top", "https://site.example/") is None
    assert absolute("mailto:x@y.example", "https://site.example/") is None
    assert absolute("  //cdn.example/x.png ", "https://site.example/") == "https://cdn.example/x.png"


@pytest.mark.parametrize(("given", "expected"), [
    ("https://www.bbc.co.uk/news/a", "bbc.co.uk"),
    ("news.BBC.co.uk:8080", "bbc.co.uk"),
    ("https://a.b.c.kawasaki.jp/", "b.c.kawasaki.jp"),  # wildcard rule *.kawasaki.jp
    ("city.kawasaki.jp", "city.kawasaki.jp"),  # exception rule !city.kawasaki.jp
    ("https://alice.github.io/blog", "alice.github.io"),  # private suffix: one person's site, not all of GitHub
    ("foo.blogspot.com", "foo.blogspot.com"),
    ("github.io", "github.io"),  # a public suffix itself
    ("co.uk", "co.uk"),
    ("https://news.example.test/", "example.test"),  # unlisted TLD: the list's default rule "*"
    ("http://bücher.example/", "xn--bcher-kva.example"),
    ("http://www.сайт.рф/", "xn--80aswg.xn--p1ai"),
    ("http://127.0.0.1:8001/a", "127.0.0.1"),
    ("http://[::1]:8001/", "::1"),
    ("http://localhost:8000/", "localhost"),
    ("", ""),
    ("http://", ""),
])
def test_registrable_domain(given: str, expected: str) -> None:
    assert registrable_domain(given) == expected


def test_the_suffix_list_is_the_shipped_one_never_downloaded(tmp_path: Path) -> None:
    """With every socket refused and a suffix-list URL in the environment, the shipped list still answers."""
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from compliance.urls import registrable_domain\n"
        "print(registrable_domain('https://news.bbc.co.uk/'), registrable_domain('https://alice.github.io/'))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "https://suffix-list.invalid/list.dat"}
    out = subprocess.run([sys.executable, "-c", script], check=False, env=env, capture_output=True, text=True,
                         timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["bbc.co.uk", "alice.github.io"]
    assert "network used" not in out.stderr
    assert not any(tmp_path.rglob("*")), "no cache files are written"


def test_site_key_keeps_the_port_only_for_hosts_without_a_registrable_domain() -> None:
    assert site_key("https://www.news.example/") == site_key("http://cdn.news.example:8080/x") == "news.example"
    assert site_key("http://127.0.0.1:8001/") == "127.0.0.1:8001"
    assert site_key("http://127.0.0.1/") == "127.0.0.1:80"
    assert site_key("http://[::1]:8001/") == "[::1]:8001"
    assert site_key("http://localhost:9000/") == "localhost:9000"


def test_same_site_scope() -> None:
    origins = ["https://www.news.example"]
    assert same_site("https://www.news.example/a", origins)
    assert same_site("http://cdn.news.example:8443/img.jpg", origins)  # a subdomain of the same site
    assert not same_site("https://news.example.evil.test/a", origins)
    assert not same_site("https://othernews.example/a", origins)
    assert not same_site("mailto:desk@news.example", origins)
    assert not same_site("https://alice.github.io/", ["https://bob.github.io"])  # two sites on one host service
    # One test or demo machine serves several sites on different ports: each origin stays its own site.
    local = ["http://127.0.0.1:8001"]
    assert same_site("http://127.0.0.1:8001/page", local)
    assert not same_site("http://127.0.0.1:8002/page", local)
    assert not same_site("http://localhost:8001/page", local)
    # The allow-list: a host with its subdomains, optionally one port.
    allow = ["partner.example", "127.0.0.1:8002", "https://media.example:9000"]
    assert same_site("https://img.partner.example/a.jpg", origins, allow)
    assert not same_site("https://notpartner.example/a.jpg", origins, allow)
    assert same_site("http://127.0.0.1:8002/x", local, allow)
    assert not same_site("http://127.0.0.1:8003/x", local, allow)
    assert same_site("http://media.example:9000/x", origins, allow)
    assert not same_site("https://media.example/x", origins, allow)
