"""Regressions found by crawling real news pages (tests/test_real_pages.py): credits that were not credits."""

from __future__ import annotations

import lxml.html

from crawler.extract.article import extract_article
from crawler.extract.credits import find_document_credits, parse_credit_line

URL = "https://news.example/2019/11/story.html"
BODY = "<p>" + " ".join(f"Sentence number {i} of a long enough article body about the council." for i in range(30)) + "</p>"


def _credits(body: str, byline: str | None = None) -> list[str | None]:
    tree = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    return [c.name or c.url for c in find_document_credits(tree, URL, [], byline)]


def test_a_first_published_date_and_time_is_not_a_source() -> None:
    assert parse_credit_line("First published on November 19, 2019 / 8:16 AM") is None
    assert parse_credit_line("First Published on Nov 20, 2019 01:38 pm") is None
    assert parse_credit_line("Originally published on 20 Nov 2019 10:02 GMT") is None
    assert parse_credit_line("Originally published on Live Science.") == "Live Science"


def test_a_profile_url_byline_names_no_organisation() -> None:
    assert _credits("<p>x</p>", byline="https://www.facebook.com/some.author") == []
    assert _credits("<p>x</p>", byline="https://site.example/#/schema/person/4749d9b7") == []
    assert _credits("<p>x</p>", byline="Troy L. Smith, Cleveland.com") == ["Cleveland.com"]
    page = (f'<html><head><meta property="article:author" content="https://www.facebook.com/some.author">'
            f'<meta name="author" content="Jane Doe"></head><body><article>{BODY}</article></body></html>')
    assert extract_article(page, URL).byline == "Jane Doe"


def test_post_nominal_letters_are_not_an_organisation() -> None:
    assert _credits("<p>x</p>", byline="Ilana Muhlstein, MS, RDN") == []
    assert _credits("<p>x</p>", byline="Jane Doe, MD | Reuters") == ["Reuters"]


def test_links_inside_an_embedded_post_are_not_source_links() -> None:
    embed = ('<div class="social-embed"><a class="embed-original-post-link" '
             'href="https://twitter.com/someone/status/1">View original tweet</a></div>')
    assert _credits(embed) == []
    assert _credits('<p><a class="source-link" href="https://wire.example/a">Wire</a></p>') == ["https://wire.example/a"]
