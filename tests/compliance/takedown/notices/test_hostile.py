"""Hostile and broken letters: each is read for what it holds, with the fault recorded, in linear time.

The time budget is measured by `benchmarks/notice_adversarial.py` (seconds at N and 2N characters, and their
ratio); here the same inputs are fed for correctness, so a pattern that backtracks shows up as a slow suite.
"""

from __future__ import annotations

import json

import pytest

from compliance.errors import InputError
from compliance.takedown.notices.completeness import check_notice
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.notices.mail import MAX_HEADER_BYTES
from tests.compliance.takedown.notices.adversarial import adversarial_inputs


@pytest.mark.parametrize(("kind", "name", "data"), list(adversarial_inputs(30_000)), ids=lambda v: str(v)[:20])
def test_adversarial_inputs_are_read_and_checked(kind: str, name: str, data: bytes) -> None:
    try:
        notices = parse_bytes(data, name)
    except InputError:
        return  # refused in one line is an answer too
    for notice in notices:
        for check_kind, regime in (("notice", "dmca"), ("counter_notice", "dmca"), ("notice", "dsa")):
            result = check_notice(notice.text, check_kind, regime)
            assert result.status in ("complete", "cure_needed", "deficient")


def test_a_long_single_line_letter_keeps_its_elements() -> None:
    letter = ("I am the owner of the photograph. I have a good faith belief that use of the material in the manner "
              "complained of is not authorized by the copyright owner, its agent, or the law. " * 400)
    [notice] = parse_bytes(letter.encode(), "long.txt")
    result = check_notice(notice.text, "notice", "dmca")
    assert len(notice.text) > 58_000 and "\n" not in notice.text.strip()
    assert result.elements["good_faith"].present and not result.elements["accuracy_under_perjury"].present


def test_thousands_of_urls_in_a_json_notice() -> None:
    urls = [f"https://www.newsroundup.example/p/{i}" for i in range(10_000)]
    [notice] = parse_bytes(json.dumps({"body": "Please remove the infringing copies.", "infringing_urls": urls}).encode(),
                           "bulk.json")
    assert len([u for u in notice.urls if u.role == "infringing"]) == 10_000


def test_json_nested_too_deeply_is_one_clear_error() -> None:
    with pytest.raises(InputError) as info:
        parse_bytes(b"[" * 100_000 + b"]" * 100_000, "deep.json")
    assert "deep.json nests JSON too deeply" in info.value.one_line() and "Fix:" in info.value.one_line()


def test_a_subject_of_twenty_thousand_encoded_words_is_cut_before_parsing() -> None:
    subject = " ".join("=?utf-8?q?abc?=" for _ in range(20_000))
    data = f"From: a@b.example\nTo: c@d.example\nSubject: {subject}\n\nPlease remove https://x.example/a\n".encode()
    [notice] = parse_bytes(data, "subject.eml")
    assert notice.subject is not None and len(notice.subject) <= MAX_HEADER_BYTES
    assert any("header Subject" in d and "cut" in d for d in notice.defects)
    assert "Please remove" in notice.text


def test_a_date_in_year_9999_is_a_defect_not_a_date() -> None:
    data = b"From: a@b.example\nSubject: x\nDate: Fri, 31 Dec 9999 23:59:59 GMT\n\nPlease remove https://x.example/a\n"
    [notice] = parse_bytes(data, "date.eml")
    assert notice.received_at is None and any("Date header" in d for d in notice.defects)


BROKEN = {
    "boundary": (b"From: a@b.example\nSubject: DMCA\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XYZ\""
                 b"\n\n--ABC\nContent-Type: text/plain\n\nPlease remove https://www.newsroundup.example/a now.\n--ABC--\n",
                 "MIME structure broken"),
    "base64": (b"From: a@b.example\nSubject: DMCA\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
               b"Content-Transfer-Encoding: base64\n\nPlease remove https://www.newsroundup.example/a now. ####\n",
               "outside base64"),
    "charset": ("From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=klingon\n\nPlease remove "
                "https://www.newsroundup.example/a now. Jos\u00e9\n".encode("latin-1"), "read as cp1252"),
    "ascii-label": ("From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=us-ascii\n\nPlease remove "
                    "https://www.newsroundup.example/a now. Jos\u00e9\n".encode("utf-8"), "read as utf-8"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_mail_keeps_its_text_and_records_the_defect(case: str) -> None:
    data, defect = BROKEN[case]
    [notice] = parse_bytes(data, f"{case}.eml")
    assert "Please remove https://www.newsroundup.example/a now." in notice.text
    assert "\ufffd" not in notice.text and (case in ("boundary", "base64") or "José" in notice.text)
    assert any(defect in d for d in notice.defects), notice.defects
    assert [u.normalised for u in notice.urls] == ["https://www.newsroundup.example/a"]


def test_message_identity_headers_are_kept() -> None:
    data = (b"From: a@b.example\nSubject: Re: ticket\nMessage-ID: <m2@b.example>\nIn-Reply-To: <m1@ops.example>\n"
            b"References: <m0@b.example> <m1@ops.example>\n\nSee below.\n")
    [notice] = parse_bytes(data, "reply.eml")
    assert notice.message == {"message_id": "<m2@b.example>", "in_reply_to": ["<m1@ops.example>"],
                              "references": ["<m0@b.example>", "<m1@ops.example>"]}
