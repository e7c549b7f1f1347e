"""Bulk records: structured columns (works, URLs, e-mail) count as the notice's elements."""

from __future__ import annotations

from compliance.takedown.notices.completeness import check_notice
from compliance.takedown.notices.intake import parse_bytes
from compliance.takedown.workflow import completeness_text

CSV = (
    "title,date_received,sender_name,principal_name,works,infringing_urls,original_urls,body,email\n"
    "Copied review,2026-03-02,Agent Co,Studio A,Film review text,https://digest.example/a;https://digest.example/b,"
    "https://studio.example/review,\"I have a good faith belief that use of the material is not authorized by the "
    "copyright owner, its agent, or the law. Under penalty of perjury, the information is accurate and I am "
    "authorized to act. /s/ Agent\",agent@agent.example\n"
).encode()


def test_csv_columns_complete_the_notice() -> None:
    notice = parse_bytes(CSV, "bulk.csv")[0]
    assert check_notice(notice.text, notice.kind, notice.regime).status != "complete"  # the body alone lacks them
    result = check_notice(completeness_text(notice), notice.kind, notice.regime)
    assert result.status == "complete", result.missing
    # the evidence quotes where the material is (a listed URL), not a description of it
    assert result.elements["infringing_material"].evidence == "https://digest.example/a"


def test_letters_keep_their_own_text() -> None:
    notice = parse_bytes(b"Please remove https://digest.example/a now.\n", "letter.txt")[0]
    assert completeness_text(notice) == notice.text
