"""Credit lines, disclaimers and alternate-language links as real pages write them."""

from __future__ import annotations

import pytest

from crawler.extract.credits import (
    classify_credit_line,
    find_alternates,
    find_disclaimers,
    find_document_credits,
    guess_alternate_lang,
    parse_credit_line,
)
from crawler.extract.markup import parse_html

# Decisions documented here:
# - "Photo by X on Unsplash" names the platform (Unsplash): that is the site a credit can be verified against.
# - "X via Getty Images" names the distributor after "via"; "Jane Doe/AP" and "Reuters/John Smith" name the agency.
# - A bare name ("Reuters") is not a credit line: without a marker it is just text.
# - "The" is kept as written ("The Harbour Times"); compliance.credits.source_key compares without it.
CREDIT_LINES = [
    ("Image from BBC", "BBC"),
    ("Image from the BBC", "the BBC"),
    ("Photo: Reuters/John Smith", "Reuters"),
    ("Photograph: Jane Doe/AP", "AP"),
    ("Source: Northgate Herald", "Northgate Herald"),
    ("Originally published by The Harbour Times", "The Harbour Times"),
    ("This article was originally published on The Conversation.", "The Conversation"),
    ("This story first appeared in The Harbour Times", "The Harbour Times"),
    ("via Reuters", "Reuters"),
    ("Courtesy of NASA", "NASA"),
    ("(c) 2024 Northgate Herald", "Northgate Herald"),
    ("© Harbour Times", "Harbour Times"),
    ("Copyright 2023 The Associated Press. All rights reserved.", "The Associated Press"),
    ("Credit: Getty Images", "Getty Images"),
    ("Credit...Doug Mills/The New York Times", "The New York Times"),
    ("Image: Getty Images", "Getty Images"),
    ("Images: EPA-EFE", "EPA-EFE"),
    ("Photo credit: AFP", "AFP"),
    ("Photo: AFP via Getty Images", "Getty Images"),
    ("Photo by Markus Spiske on Unsplash", "Unsplash"),
    ("Illustration by Jane Doe for The Verge", "The Verge"),
    ("Video: CNN", "CNN"),
    ("Source: Reuters, 12 May 2024", "Reuters"),
    ("Sources: Reuters, AP", "Reuters"),
    ("Protesters march in the capital. Photograph: Jane Doe/AP", "AP"),
    ("File photo: a press photographer at work. Photo: Northgate Herald / A. Reporter", "Northgate Herald"),
    ("图片来自BBC", "BBC"),
    ("来源：新华社", "新华社"),
    # negatives
    ("Share this image", None),
    ("Reuters", None),
    ("Source code is on GitHub", None),
    ("source: internal documents", None),
    ("Pictures from the event were shared widely", None),
    ("From Monday, trains will run every ten minutes", None),
    ("Photos courtesy of the artist", None),
    ("Read more: the full report", None),
    ("", None),
    ("Source: " + "x" * 400, None),
]


@pytest.mark.parametrize(("line", "expected"), CREDIT_LINES)
def test_parse_credit_line(line: str, expected: str | None) -> None:
    assert parse_credit_line(line) == expected


def test_credit_kinds_separate_image_credits_from_text_sources() -> None:
    assert classify_credit_line("Image from BBC") == ("image", "BBC", "Image from BBC")
    assert classify_credit_line("Source: Northgate Herald")[0] == "source"  # type: ignore[index]
    assert classify_credit_line("© 2026 DailyDigest")[0] == "copyright"  # type: ignore[index]


DISCLAIMER = (
    "Disclaimer: This content is aggregated from public sources online. Please verify information independently. "
    "If you believe your rights have been infringed, contact us for removal."
)


@pytest.mark.parametrize(
    "block",
    [
        DISCLAIMER,
        "We do not own any of the images on this site.",
        "All rights belong to their respective owners.",
        "If you believe your copyright has been infringed, please write to us.",
        "Articles are collected from the internet; please contact us to request removal.",
        "本文来源于网络，版权归原作者所有，如有侵权请联系删除。",
        "免责声明：本内容汇集自网络公开来源，请自行核实信息。如您认为您的权利受到侵犯，请联系我们删除。",
    ],
)
def test_disclaimers_found(block: str) -> None:
    assert find_disclaimers(["Some ordinary paragraph.", block]) == [block]


@pytest.mark.parametrize(
    "block",
    [
        "© 2024 Northgate Herald. All rights reserved.",
        "The ministry said it would contact us if anything changed.",
        "Sources said the talks collapsed on Tuesday.",
        "We aggregated the figures from three surveys.",
    ],
)
def test_ordinary_lines_are_not_disclaimers(block: str) -> None:
    assert find_disclaimers([block]) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("阅读中文版 (Read Chinese Version)", "zh"),
        ("Read Chinese Version", "zh"),
        ("閱讀中文版", "zh"),
        ("Read in English", "en"),
        ("English", "en"),
        ("Version française", "fr"),
        ("Leer en español", "es"),
        ("Auf Deutsch lesen", "de"),
        ("Chinese officials said on Monday that talks would resume next week", None),
        ("Home", None),
    ],
)
def test_guess_alternate_lang(text: str, lang: str | None) -> None:
    assert guess_alternate_lang(text) == lang


def test_find_alternates_hreflang_and_anchor() -> None:
    tree = parse_html(
        """<html><head>
        <link rel="alternate" hreflang="en" href="https://d.example/a.html">
        <link rel="alternate" hreflang="fr" href="/fr/a.html">
        <link rel="alternate" hreflang="x-default" href="/a.html">
        <link rel="alternate" type="application/rss+xml" href="/feed.xml">
        </head><body><p><a href="/zh/a.html">阅读中文版 (Read Chinese Version)</a></p>
        <p><a href="/story">Chinese officials met on Monday</a></p></body></html>"""
    )
    assert tree is not None
    alternates = find_alternates(tree, "https://d.example/a.html")
    assert [(a.url, a.lang) for a in alternates] == [
        ("https://d.example/fr/a.html", "fr"),
        ("https://d.example/zh/a.html", "zh"),
    ]
    assert alternates[1].text == "阅读中文版 (Read Chinese Version)"


def test_find_document_credits_all_kinds() -> None:
    tree = parse_html(
        """<html><head><meta name="original-source" content="https://orig.example/meta"></head><body>
        <p>Body text of the story, long enough to be prose rather than a credit line at all.</p>
        <p>Source: <a href="https://northgate.example/story">Northgate Herald</a></p>
        <p>Originally published by The Harbour Times</p>
        <p><a href="https://wire.example/original">Read the original article</a></p>
        <figure><img src="/i.jpg"><figcaption>Source: Picture Desk</figcaption></figure>
        <img src="/j.jpg"><p>Image from BBC</p>
        </body></html>"""
    )
    assert tree is not None
    jsonld = [{"@type": "NewsArticle", "isBasedOn": {"@type": "NewsArticle", "url": "https://orig.example/x",
                                                     "name": "Orig Daily"},
               "author": {"@type": "NewsMediaOrganization", "name": "Wire Service"}}]
    credits = find_document_credits(tree, "https://agg.example/a", jsonld, byline="By Jane Doe, Reuters")
    got = [(c.kind, c.name, c.url) for c in credits]
    assert ("source_line", "Northgate Herald", "https://northgate.example/story") in got
    assert ("source_line", "The Harbour Times", None) in got
    assert ("link", None, "https://wire.example/original") in got
    assert ("link", None, "https://orig.example/meta") in got
    assert ("is_based_on", "Orig Daily", "https://orig.example/x") in got
    assert ("byline_org", "Wire Service", None) in got
    assert ("byline_org", "Reuters", None) in got
    # Image credits belong to the image, not the text (DESIGN.md): neither the figcaption nor the line under <img>.
    assert not any(c.name in ("Picture Desk", "BBC") for c in credits)


def test_screens_from_page_keys_find_what_each_line_finds() -> None:
    from crawler.extract.markup import screen_keys, text_blocks_with_elements

    tree = parse_html(
        "<html><body><article><p>The council met on Tuesday.</p><p>Source: <a href='https://nh.example/a'>Northgate "
        "Herald</a></p><p>ＳＯＵＲＣＥ： Reuters</p><p>Originally published by The Courier.</p><p>This content is "
        "aggregated from public sources. Contact us for removal.</p><p>© 2024 Northgate Herald</p></article>"
        "</body></html>"
    )
    assert tree is not None
    blocks = text_blocks_with_elements(tree)
    lines = [line for line, _ in blocks]
    keys = screen_keys(lines)
    with_keys = find_document_credits(tree, "https://agg.example/a", [], None, blocks=blocks, keys=keys)
    assert with_keys == find_document_credits(tree, "https://agg.example/a", [], None)
    assert [c.name for c in with_keys] == ["Northgate Herald", "Reuters", "The Courier"]
    assert find_disclaimers(lines, keys=keys) == find_disclaimers(lines) != []
