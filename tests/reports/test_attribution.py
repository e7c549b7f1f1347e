"""Attribution report renderers: contract, escaping of crawled strings, goldens."""

from __future__ import annotations

import csv
import io
import json
import re
import html as htmllib
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reports.csvsafe import safe_cell, write_rows
from reports.attribution import CODE_MEANINGS, CSV_HEADER, FORMATS, render_attribution
from tests.reports.sample_data import FORMULA, MD_TITLE, XSS_TITLE, sample_data

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture
def data() -> dict[str, Any]:
    return sample_data()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = resources.files("reports").joinpath("schemas/attribution.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def minimal_data() -> dict[str, Any]:
    """Only the fields the DESIGN.md contract names: every renderer must cope without the extras."""
    return {
        "generated_at": "2026-11-25T15:00:00+00:00",
        "summary": {"documents": 1, "images": 1, "by_code": {"missing_credit": 1}},
        "documents": [{"url": "http://a.test/x", "site": "A", "title": None, "credits": [],
                       "originals": [{"url": "http://b.test/y", "site": "B", "method": "simhash",
                                      "distance": 3, "score": 0.9}],
                       "findings": [{"code": "missing_credit", "severity": "high",
                                     "message": "No credit."}]}],
        "images": [{"url": "http://a.test/i.jpg", "page_url": "http://a.test/x", "credit": None,
                    "credited_source": None, "originals": [], "findings": []}],
    }


def test_formats_and_unknown_format() -> None:
    assert set(FORMATS) == {"html", "json", "csv", "md"}
    with pytest.raises(ValueError, match="pdf"):
        render_attribution(sample_data(), "pdf")


# --- JSON ---------------------------------------------------------------------------------------

def test_json_validates_and_round_trips(data: dict[str, Any], schema: dict[str, Any]) -> None:
    text = render_attribution(data, "json")
    loaded = json.loads(text)
    jsonschema.validate(loaded, schema, cls=jsonschema.Draft202012Validator)
    assert loaded == data
    assert list(loaded) == list(data)  # key order kept, not sorted
    assert "阅读中文版" in text  # ensure_ascii=False


def test_schema_accepts_minimal_and_rejects_broken(schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(minimal_data()))
    bad_code = minimal_data()
    bad_code["documents"][0]["findings"][0]["code"] = "looks_fine"
    no_title = minimal_data()
    del no_title["documents"][0]["title"]
    no_page = minimal_data()
    del no_page["images"][0]["page_url"]
    no_score = minimal_data()
    del no_score["documents"][0]["originals"][0]["score"]
    for broken in (bad_code, no_title, no_page, no_score):
        assert list(validator.iter_errors(broken))


# --- HTML ---------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_html_untrusted_strings_are_inert(data: dict[str, Any]) -> None:
    html = render_attribution(data, "html")
    lowered = html.lower()
    assert "<script" not in lowered
    assert 'href="javascript:' not in lowered and "src=\"javascript:" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mayor resigns" in html
    assert "\u202e" not in html and "U+202E" in html  # a bidi override is shown, not obeyed
    tags = _tags(html)
    assert not [t for t, _a in tags if t in ("script", "iframe", "object", "embed", "form")]
    for tag, attrs in tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith(("http://", "https://", "#")), href
            if not href.startswith("#"):
                assert attrs.get("rel") == "noopener noreferrer nofollow"
        if tag == "img":
            assert (attrs.get("src") or "").startswith(("http://", "https://"))
            assert attrs.get("referrerpolicy") == "no-referrer" and attrs.get("loading") == "lazy"


def test_html_head_is_locked_down(data: dict[str, Any]) -> None:
    html = render_attribution(data, "html")
    assert '<meta charset="utf-8">' in html
    assert ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: http: https:"
            in html.replace("&#39;", "'"))
    assert '<meta name="referrer" content="no-referrer">' in html
    assert "<link" not in html  # self-contained: no external stylesheet


def test_html_shows_every_code_policy_and_evidence(data: dict[str, Any]) -> None:
    html = render_attribution(data, "html")
    codes = {f["code"] for item in [*data["documents"], *data["images"]] for f in item["findings"]}
    assert codes == set(CODE_MEANINGS)  # the sample exercises every code
    for code in codes:
        assert code in html
    assert "containment ≥ 50%" in html
    assert "run-1.warc.gz" in html and "143360" in html
    assert "Needs attention" in html
    shown = htmllib.unescape(html)
    for item in [*data["documents"], *data["images"]]:
        for finding in item["findings"]:
            assert finding["message"].replace("\n", " ") in shown


def test_html_minimal_and_empty_data() -> None:
    html = render_attribution(minimal_data(), "html")
    assert "missing_credit" in html and "(untitled)" in html
    empty = {"generated_at": "x", "summary": {"documents": 0, "images": 0, "by_code": {}},
             "documents": [], "images": []}
    html = render_attribution(empty, "html")
    assert "No high or medium severity findings." in html
    assert "No documents were audited." in html and "No images were audited." in html


# --- Markdown -----------------------------------------------------------------------------------

def test_md_neutralises_links_and_html(data: dict[str, Any]) -> None:
    text = render_attribution(data, "md")
    assert MD_TITLE in str(data)
    unescaped = re.compile(r"(?<!\\)(\]\(|<[a-z/])", re.IGNORECASE)
    assert not unescaped.findall(text.replace("<http://", "").replace("<https://", ""))
    assert r"Breaking \[x\](javascript:alert(1)) \<img src=x onerror=alert(1)\> \*\*now\*\*" in text
    assert "\u202e" not in text
    # autolinks only for web URLs; a javascript: URL stays plain escaped text
    assert "<javascript:" not in text and "- URL: javascript:alert(1)" in text


def test_md_renders_to_inert_html(data: dict[str, Any]) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(
        render_attribution(data, "md"))
    tags = _tags(html)
    assert not [t for t, _a in tags if t not in {"h1", "h2", "h3", "p", "ul", "li", "strong", "code",
                                                   "a", "table", "thead", "tbody", "tr", "th", "td"}]
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "<script" not in html.lower() and "Breaking [x](javascript:alert(1))" in htmllib.unescape(html)


def test_md_minimal_data() -> None:
    text = render_attribution(minimal_data(), "md")
    assert "`missing_credit`" in text and "<http://b.test/y>" in text


# --- CSV ----------------------------------------------------------------------------------------

def test_csv_neutralises_formulas_and_parses_back(data: dict[str, Any]) -> None:
    text = render_attribution(data, "csv")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    expected = sum(max(1, len(i["findings"])) for i in [*data["documents"], *data["images"]])
    assert len(rows) == 1 + expected
    assert all(len(r) == len(CSV_HEADER) for r in rows)
    cells = [c for r in rows for c in r]
    assert '\'=HYPERLINK("http://x","click")' in cells
    assert "'@SUM(1+1) credit has no original." in cells
    assert not [c for c in cells if c and c[0] in "=+-@\t\r"]
    assert XSS_TITLE in cells  # CSV is data: kept as written
    quiet = [r for r in rows[1:] if r[CSV_HEADER.index("code")] == ""]
    assert len(quiet) == 3  # the three originals without findings still get a row


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("\uff0b1", "'\uff0b1"), ("\uff0d1", "'\uff0d1"), ("\uff20x", "'\uff20x"),
    (FORMULA, "'" + FORMULA), ("BBC", "BBC"), ("a=b", "a=b"), ("", ""), (None, ""),
    (-3, "-3"), (0.5, "0.5"), (12, "12"),
])
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_write_rows_quotes_and_crlf() -> None:
    text = write_rows([["a", "b,c", 'say "hi"', "line\nbreak", None]])
    assert text == 'a,"b,c","say ""hi""","line\nbreak",\r\n'


# --- Goldens ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_golden(fmt: str, data: dict[str, Any], regen_golden: bool) -> None:
    path = GOLDEN / f"attribution.{fmt}"
    rendered = render_attribution(data, fmt)
    if regen_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(rendered)
    if not path.exists():
        pytest.fail(f"{path.name} missing: run pytest --regen-golden and review the diff")
    with path.open(encoding="utf-8", newline="") as fh:
        assert rendered == fh.read(), f"{path.name} changed: run pytest --regen-golden, review the diff"


def test_renders_shapes_the_store_produces(schema: dict[str, Any]) -> None:
    """None where a capture or C2PA read is missing, XMP lists, extra keys: no format breaks."""
    data = minimal_data()
    data["documents"][0].update(capture=None, language="en", alternates=[{"url": "http://a.test/zh",
                                "lang": None, "text": None}], credit_lines=[], disclaimers=[])
    data["documents"][0]["findings"][0]["evidence"] = {"containment": 0.7}
    data["images"][0].update(c2pa=None, error="timeout", caption=None, width=None, height=None,
                             embedded_credit={"xmp_creator": ["Ann", "Bo"], "_raw": {"a": 1}},
                             originals=[{"url": "http://b.test/i.jpg", "page_url": "http://b.test/",
                                         "site": "B", "method": "pdq", "distance": 0, "score": 1.0,
                                         "embedded_credit": None}])
    data["runs"] = {"crawl_runs": [], "audit_run": None}
    jsonschema.validate(json.loads(render_attribution(data, "json")), schema)
    for fmt in FORMATS:
        assert render_attribution(data, fmt)
    assert "Ann; Bo" in render_attribution(data, "html")
