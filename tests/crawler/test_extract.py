"""extract_article and find_images on small inline pages, the seed page, and hostile input."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import extract_article, extract_page, find_images
from crawler.extract.markup import decode_html, parse_html

URL = "https://digest.example/news/story.html"
PARA = (
    "The council approved the new harbour plan on Tuesday after a long debate about costs, jobs and the "
    "future of the old fish market, which has stood empty for most of the past decade."
)


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>"


def seed_page(shared_dir: Path) -> tuple[str, str]:
    """The seed article as an aggregator would serve it: headline 4x, image credit, link, disclaimer."""
    lines = [ln.strip() for ln in (shared_dir / "seed/aggregated-article.txt").read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    title = lines[0]
    body = [ln for ln in lines if ln != title and not ln.startswith(("Image from", "阅读中文版", "Disclaimer:"))]
    disclaimer = next(ln for ln in lines if ln.startswith("Disclaimer:"))
    t = escape(title)
    html = page(
        f"<header><a href='/'>Digest</a></header><article><h1>{t}</h1><div class='share'><p>{t}</p></div>"
        f"<div class='related'><p>{t}</p></div><div class='social'><p>{t}</p></div>"
        "<img src='/media/kremlin.jpg' alt='Kremlin'><p>Image from BBC</p>"
        + "".join(f"<p>{escape(p)}</p>" for p in body)
        + "<p><a href='/zh/kremlin.html'>阅读中文版 (Read Chinese Version)</a></p>"
        f"<p class='disclaimer'>{escape(disclaimer)}</p></article>",
        head=f"<title>{t} - Digest</title><meta property='og:site_name' content='Digest'>",
    )
    return html, title


def test_seed_page(shared_dir: Path) -> None:
    html, title = seed_page(shared_dir)
    art = extract_article(html.encode("utf-8"), URL)
    assert art.title == title
    # repeated_title_count counts every block that is the headline, the <h1> included: the seed shows it 4 times.
    assert art.repeated_title_count == 4
    assert title not in art.text
    assert "Disclaimer" not in art.text and "aggregated from public sources" not in art.text
    assert "Read Chinese Version" not in art.text
    # Credit lines stay in the text (removing them did not help on held-back pages); they are read as credits.
    assert art.text.startswith("Image from BBC\nHopes for a swift resolution")
    assert art.text.endswith("close ties to Moscow.")
    assert len(art.disclaimers) == 1 and art.disclaimers[0].startswith("Disclaimer: This content is aggregated")
    assert [(i.src, i.credit_line, i.credited_source) for i in art.images] == [
        ("https://digest.example/media/kremlin.jpg", "Image from BBC", "BBC")
    ]
    assert [(a.url, a.lang) for a in art.alternates] == [("https://digest.example/zh/kremlin.html", "zh")]
    assert art.credits == []  # "Image from BBC" credits the image, not the text
    assert art.language == "en" and art.site_name == "Digest"
    assert art.warnings == []


def test_metadata_from_jsonld_opengraph_and_links() -> None:
    head = """<title>Harbour plan approved | Northgate Herald</title>
    <link rel="canonical" href="/news/harbour-plan.html">
    <meta property="og:site_name" content="Northgate Herald"><meta property="og:locale" content="en_GB">
    <meta property="article:modified_time" content="2026-03-05T10:00:00Z">
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
      "headline": "Harbour plan approved", "datePublished": "2026-03-04T07:30:00Z", "inLanguage": "en-GB",
      "author": {"@type": "Person", "name": "A. Reporter"},
      "publisher": {"@type": "Organization", "name": "Northgate Herald"},
      "image": {"@type": "ImageObject", "url": "https://cdn.example/harbour.jpg", "creditText": "Northgate Herald"}}
    </script>"""
    body = f"""<nav><a href="https://twitter.com/nh">Twitter</a></nav><article><h1>Harbour plan approved</h1>
      <p>{PARA} <a href="https://council.example/minutes">The minutes</a> are online.</p><p>{PARA}</p>
      <p>{PARA} See <a href="/news/other.html">our earlier story</a> and
      <a href="https://www.digest.example/x">this</a>.</p>
      <figure><img src="https://cdn.example/harbour.jpg?w=800" alt="The harbour"><figcaption>The old fish market.
      Photo: Northgate Herald / A. Reporter</figcaption></figure></article>"""
    art = extract_article(page(body, head, lang=""), URL)
    assert art.title == "Harbour plan approved"
    assert art.byline == "A. Reporter"
    assert art.published == "2026-03-04T07:30:00Z" and art.modified == "2026-03-05T10:00:00Z"
    assert art.language == "en-GB"
    assert art.canonical_url == "https://digest.example/news/harbour-plan.html"
    assert art.site_name == "Northgate Herald"
    assert art.outbound_links == ["https://council.example/minutes"]  # not nav, not own host (www. aside)
    (image,) = art.images
    assert image.caption == "The old fish market. Photo: Northgate Herald / A. Reporter"
    assert image.credit_line == "Photo: Northgate Herald / A. Reporter"
    assert image.credited_source == "Northgate Herald"
    assert image.jsonld_credit == "Northgate Herald"
    assert "Harbour plan approved" not in art.text and art.repeated_title_count == 1


def test_source_line_and_is_based_on_become_credits() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Launch",'
            ' "isBasedOn": "https://northgate.example/launch"}</script>')
    body = (f"<article><p>{PARA}</p><p>{PARA}</p>"
            "<p>Source: <a href='https://northgate.example/launch'>Northgate Herald</a></p></article>")
    art = extract_article(page(body, head), URL)
    assert art.text.endswith("Source: Northgate Herald")  # read as a credit; the text keeps it as written
    assert [(c.kind, c.name, c.url) for c in art.credits] == [
        ("source_line", "Northgate Herald", "https://northgate.example/launch"),
        ("is_based_on", None, "https://northgate.example/launch"),
    ]
    assert art.outbound_links == ["https://northgate.example/launch"]


def test_broken_jsonld_is_a_warning_not_a_failure() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Still found"}</script>')
    art = extract_article(page(f"<article><p>{PARA}</p><p>{PARA}</p></article>", head), URL)
    assert art.title == "Still found"
    assert any(w.startswith("json-ld") for w in art.warnings)


def test_images_src_variants_and_noise() -> None:
    tree = parse_html(page("""
      <img src="data:image/gif;base64,R0lGOD" data-src="/lazy.jpg" alt="Lazy">
      <img src="/small.jpg" srcset="/a-400.jpg 400w, /a-1200.jpg 1200w, /a-800.jpg 800w">
      <picture><source srcset="/p-2x.webp 2x, /p-1x.webp 1x"><img src="/p.jpg"></picture>
      <img src="/pixel.gif" width="1" height="1"><img src="/icons/menu.svg"><img src="data:image/png;base64,xx">
      <img src="https://t.example/b/ss/track" width="1" height="1">
      <div class="pic"><img src="/x.jpg"><span class="credit">Reuters</span></div>
      <p><img src="/y.jpg"></p><p>Photo: Jane Doe/AP</p>
      <img src="/z.jpg"><p>A sentence of body text that follows the image and is no credit at all.</p>
      <img src="/lazy.jpg" alt="Duplicate">"""))
    assert tree is not None
    images = find_images(tree, URL, [])
    by_src = {i.src.rsplit("/", 1)[-1]: i for i in images}
    assert list(by_src) == ["lazy.jpg", "a-1200.jpg", "p-2x.webp", "x.jpg", "y.jpg", "z.jpg"]
    assert by_src["lazy.jpg"].alt == "Lazy"
    assert (by_src["x.jpg"].credit_line, by_src["x.jpg"].credited_source) == ("Reuters", "Reuters")
    assert (by_src["y.jpg"].credit_line, by_src["y.jpg"].credited_source) == ("Photo: Jane Doe/AP", "AP")
    assert by_src["z.jpg"].credit_line is None and by_src["z.jpg"].credited_source is None


def test_jsonld_image_credit_matched_by_url() -> None:
    tree = parse_html(page('<img src="https://cdn.example/2026/summit-photo.jpg?w=300">'))
    assert tree is not None
    jsonld = [{"@type": "NewsArticle", "image": [{"@type": "ImageObject",
               "contentUrl": "https://cdn.example/2026/summit-photo.jpg", "copyrightHolder": {"name": "NH Ltd"}}]}]
    (image,) = find_images(tree, URL, jsonld)
    assert image.jsonld_credit == "NH Ltd"


def test_no_article_gives_empty_text_and_warning() -> None:
    art = extract_article(page("<nav><a href='/'>Home</a></nav>"), URL)
    assert art.text == ""
    assert art.warnings


@pytest.mark.parametrize("html", ["", b"", "   ", b"\x00\x00", "<html></html>", "<!-- only a comment -->"])
def test_empty_inputs(html: str | bytes) -> None:
    art = extract_article(html, URL)
    assert art.text == "" and art.warnings


def test_nul_bytes_and_control_characters() -> None:
    html = page(f"<article><p>{PARA}\x00\x01</p><p>{PARA}</p></article>").encode("utf-8").replace(b"council", b"coun\x00cil")
    art = extract_article(html, URL)
    assert "council approved" in art.text


def test_latin1_bytes_declared_and_undeclared() -> None:
    text = f"<article><p>Café owners in Münster said {PARA}</p><p>{PARA}</p></article>"
    declared = page(text).replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1")
    assert "Café owners in Münster" in extract_article(declared, URL).text
    undeclared = page(text).replace('<meta charset="utf-8">', "").encode("latin-1")
    assert "Café owners in Münster" in extract_article(undeclared, URL).text


def test_decode_unknown_or_lying_charset() -> None:
    assert decode_html('<meta charset="x-unknown">é'.encode())[0].endswith("é")
    text, warnings = decode_html('<meta charset="utf-8">Café'.encode("latin-1"))
    assert text.endswith("Café") and warnings
    assert decode_html("\ufeffhello".encode("utf-8"))[0] == "hello"
    assert decode_html("hello".encode("utf-16"))[0] == "hello"


def test_explicit_encoding_wins() -> None:
    html = page(f"<article><p>Вести: {PARA}</p><p>{PARA}</p></article>").encode("cp1251")
    assert "Вести" in extract_article(html, URL, encoding="cp1251").text


def test_broken_markup() -> None:
    html = f"<html><body><div><p>{PARA}<p>{PARA}<b><i>unclosed <table><tr><td>{PARA}</div></span></body>"
    art = extract_article(html, URL)
    assert "council approved" in art.text


def test_large_page() -> None:
    paragraphs = "".join(f"<p>Paragraph {i}. {PARA}</p>" for i in range(1300))
    html = page(f"<article>{paragraphs}</article>")
    assert len(html) > 200_000
    art = extract_article(html, URL)
    assert len(art.text) > 100_000


def test_deep_nesting_does_not_crash() -> None:
    html = page("<div>" * 5000 + PARA + "</div>" * 5000)
    extract_article(html, URL)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_never_raises_on_arbitrary_input(data: str | bytes) -> None:
    art = extract_article(data, URL)
    assert isinstance(art.text, str)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<img src='", "<a href='//x'>", "é", "\x00", "&#0;",
                                 "<script>", "Photo: AP", "<meta charset='", "'>", PARA]), max_size=40))
def test_never_raises_on_markup_soup(parts: list[str]) -> None:
    extract_article("".join(parts), URL)
    extract_article("".join(parts).encode("utf-8", "surrogatepass"), URL)


def test_extract_page_returns_the_article_and_every_href_from_one_parse() -> None:
    body = (f"<nav><a href='/'>Home</a><a href='https://other.example/x?a=1&amp;b=2'>Other</a><a>none</a></nav>"
            f"<article><p>{PARA} <a href='minutes.html'>minutes</a></p><p>{PARA}</p></article>")
    art, hrefs = extract_page(page(body).encode("utf-8"), URL)
    assert hrefs == ["/", "https://other.example/x?a=1&b=2", "minutes.html"]  # as written, in page order
    assert art == extract_article(page(body).encode("utf-8"), URL)
    assert extract_page(b"", URL)[1] == []


def test_byline_and_date_fall_back_to_what_the_page_shows() -> None:
    # No author or date declared in <meta> or JSON-LD: trafilatura's reading of the page supplies them.
    body = (f"<article><h1>Harbour plan approved</h1><p class='byline'>By Jane Smith</p>"
            f"<time datetime='2026-03-04'>4 March 2026</time><p>{PARA}</p><p>{PARA}</p></article>")
    art = extract_article(page(body), URL)
    assert art.byline == "Jane Smith"
    assert art.published == "2026-03-04"


def test_scripts_do_not_reach_the_text_and_json_ld_is_still_read() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Launch day"}</script>'
    body = f"<article><p>{PARA}<script>var tracking = 'x';</script> Tail text stays.</p><p>{PARA}</p></article>"
    art = extract_article(page(body, head), URL)
    assert art.title == "Launch day"
    assert "tracking" not in art.text and "Tail text stays." in art.text


def test_parse_reads_decoded_text_whatever_charset_the_markup_declares() -> None:
    # The text is already decoded: a declared charset must not make libxml2 decode it a second time.
    http_equiv = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    for declared in ('<meta charset="windows-1251">', http_equiv, '<meta charset="utf-16">'):
        tree = parse_html(f"<html><head>{declared}</head><body><p>Café Вести 中文 😀</p></body></html>")
        assert tree is not None
        assert tree.findtext(".//p") == "Café Вести 中文 😀"


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_parse_drops_what_libxml2_rejects_as_the_cleaning_does(bad: str) -> None:
    from lxml import etree

    from crawler.extract.markup import clean_markup

    text = f"<html><body><p>coun{bad}cil é</p>{bad}<p>tail</p></body></html>"
    tree, cleaned = parse_html(text), parse_html(clean_markup(text))
    assert tree is not None and cleaned is not None
    assert etree.tostring(tree) == etree.tostring(cleaned)
    assert tree.findtext(".//p") == "council é"
    assert parse_html(f"{bad}  {bad}") is None  # nothing left once cleaned


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                        max_size=30), max_size=12))
def test_screen_keys_of_a_page_are_each_line_s_screen_key(lines: list[str]) -> None:
    from crawler.extract.markup import line_key, screen_key, screen_keys

    keys = screen_keys(lines)
    assert keys == [screen_key(line) for line in lines]
    # The headline count reads line keys off these keys (case folding commutes with whitespace folding).
    assert [" ".join(k.split()).strip(" .:;,!?\"'“”‘’|-–—") for k in keys] == [line_key(line) for line in lines]


def test_trafilatura_settings_built_once_give_what_bare_extraction_builds() -> None:
    from trafilatura import bare_extraction

    from crawler.extract.article import TRAFILATURA_OPTIONS
    from crawler.extract.trafilatura_pass import _extractor, extract_main_text

    body = (f"<nav><a href='/'>Home</a></nav><article><h1>Harbour plan</h1><p>{PARA}</p><p>{PARA} Second.</p>"
            "<div class='comments'><p>First comment, a long one about the fish market and its future.</p></div>"
            f"<table><tr><td>{PARA}</td></tr></table></article>")
    for options in (TRAFILATURA_OPTIONS, {**TRAFILATURA_OPTIONS, "favor_precision": False, "include_tables": False},
                    {**TRAFILATURA_OPTIONS, "include_comments": True}):
        tree = parse_html(page(body))
        assert tree is not None
        ours = extract_main_text(tree, URL, [], options)
        theirs = bare_extraction(tree, url=URL, **{**options, "with_metadata": False})
        assert ours is not None and theirs is not None
        assert ours.text == theirs.text and ours.text
        settings = _extractor(tuple(sorted(options.items())))
        assert (settings.focus, settings.comments, settings.tables, settings.links, settings.dedup) == (
            "precision" if options["favor_precision"] else "balanced", options["include_comments"],
            options["include_tables"], options["include_links"], options["deduplicate"])
        assert (settings.format, settings.with_metadata, settings.fast) == ("python", False, False)


def test_declared_fields_are_trafilatura_metadata_for_the_fields_read() -> None:
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    from crawler.extract.trafilatura_pass import _declared_fields

    pages = [  # byline and date only in the page's markup; then a lower-case site name, spaced title, text date
        page(f"<article><h1>Harbour plan approved</h1><p class='byline'>By Jane Smith</p><time datetime='2026-03-04'>"
             f"4 March 2026</time><p>{PARA}</p><p>{PARA}</p></article>",
             "<title>Harbour plan approved - Northgate Herald</title><meta name='author' content='Jane'>"),
        page(f"<article><p>Published on 4 March 2026.</p><p>{PARA}</p></article>",
             "<meta property='og:site_name' content='northgate herald'>"
             "<meta property='og:title' content='  Harbour   plan &amp;amp; fish market '>"),
    ]
    for html in pages:
        tree = parse_html(html)
        assert tree is not None
        whole = extract_metadata(tree, URL, set_date_params(False), False)
        flags = ((True, True, True), (True, False, False), (False, True, False), (False, False, True))
        for author, date, site in flags:
            doc = _declared_fields(tree, URL, author=author, date=date, site=site)
            assert doc.title == whole.title
            assert (doc.author == whole.author) if author else True
            assert (doc.date == whole.date) if date else True
            assert (doc.sitename, doc.hostname) == (whole.sitename, whole.hostname) if site else True
    assert (whole.sitename, whole.title, whole.date) == ("Northgate Herald", "Harbour plan & fish market", None)
