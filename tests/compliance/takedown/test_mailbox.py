"""Mailboxes in: one ticket per message (never two merged), each message its own unit of work, no duplicates."""

from __future__ import annotations

import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

from tests.cli_helpers import assert_one_clear_error, run_cli


def _msg(n: int, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"Sender {n} <s{n}@example.org>", "desk@example.net", f"Notice {n}"
    msg["Message-ID"] = f"<n{n}@example.org>"
    msg.set_content(body)
    return msg


def test_an_mbox_of_two_messages_gives_two_tickets_once(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "inbox.mbox", create=True)
    box.add(_msg(1, "Please remove https://www.newsroundup.example/a, it infringes my photo.\nFrom the desk of Jo"))
    box.add(_msg(2, "Please remove https://www.newsroundup.example/b, it infringes my text."))
    box.flush()
    db = str(tmp_path / "m.db")
    for _ in range(2):  # ingesting the same mailbox again adds nothing
        proc = run_cli("--db", db, "takedown", "ingest", "--mbox", str(tmp_path / "inbox.mbox"), "--no-capture",
                       cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    tickets = json.loads(run_cli("--db", db, "takedown", "list", "--json", cwd=tmp_path).stdout)
    assert [t["complainant"] for t in tickets] == ["Sender 1", "Sender 2"]
    evidence = sorted(p.name for p in (tmp_path / "evidence" / "ticket-1").iterdir())
    assert len(evidence) == 1 and evidence[0].startswith("message-") and evidence[0].endswith(".eml")


def test_a_bad_message_is_one_error_line_and_the_others_are_ingested(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    box.add(_msg(1, "Please remove https://www.newsroundup.example/a, it infringes my photo."))
    box.add(b"")  # an empty message
    box.add(_msg(3, "Please remove https://www.newsroundup.example/c, it infringes my text."))
    db = str(tmp_path / "m.db")
    proc = run_cli("--db", db, "takedown", "ingest", "--maildir", str(tmp_path / "inbox"), "--no-capture", cwd=tmp_path)
    assert_one_clear_error(proc, "is empty")
    assert len(json.loads(run_cli("--db", db, "takedown", "list", "--json", cwd=tmp_path).stdout)) == 2
    proc = run_cli("--db", db, "takedown", "ingest", "--maildir", str(tmp_path / "nope"), cwd=tmp_path)
    assert_one_clear_error(proc, "is not a Maildir")
