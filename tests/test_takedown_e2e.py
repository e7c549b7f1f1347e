"""A takedown from notice to restoration on the demo corpus, with the clock set, through the real CLI."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import assert_one_clear_error, count, run_cli

T0 = "2026-03-10T10:00:00+00:00"  # a Tuesday
T1 = "2026-03-12T15:00:00+00:00"  # counter-notice received (Thursday)
TOO_EARLY = "2026-03-19T09:00:00+00:00"  # 5 business days later
WINDOW_OPEN = "2026-03-26T09:00:00+00:00"  # 10 business days after T1

COUNTER = """Subject: DMCA counter-notification

I, Sam Uploader, request that the material removed under ticket {ticket} be put back.
The material was located at {url} before it was removed or disabled.
I swear, under penalty of perjury, that I have a good faith belief that the material was removed or disabled
as a result of mistake or misidentification of the material to be removed or disabled.
I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is
located, and I will accept service of process from the person who provided the notification or an agent of
such person.
Name: Sam Uploader
Address: 12 Quay Street, Porthaven
Telephone: +1 555 0100
Signed: /s/ Sam Uploader
"""


def _copy_db(src: Path, dst: Path) -> None:
    """Copy the demo database with SQLite's backup API (WAL included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def _origin(db: Path, site: str) -> str:
    con = sqlite3.connect(db)
    try:
        row = con.execute("select origin from site_origin so join site s on s.id = so.site_id where s.name = ? "
                          "order by so.id desc", (site,)).fetchone()
        return str(row[0])
    finally:
        con.close()


@pytest.fixture()
def takedown_env(demo_run: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    db = tmp_path / "t.db"
    _copy_db(demo_run["db"], db)
    publisher, aggregator = _origin(db, "Northgate Herald"), _origin(db, "DailyDigest")
    notice = tmp_path / "notice-dsa.txt"
    notice.write_text(
        "Subject: Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065)\n\n"
        "I write on behalf of Northgate Herald, publisher of the article \"Valdoria Casts Doubt on Immediate "
        f"Summit\", originally published at {publisher}/news/valdoria-summit-doubts.html\n\n"
        "Explanation of why the content is illegal: the page listed below reproduces our article's text and our "
        "photographer's photograph without a licence, which infringes our copyright.\n\n"
        f"Exact location of the illegal content:\n{aggregator}/articles/valdoria-summit-doubts.html\n\n"
        "Notifier: Jane Editor, Rights Desk, Northgate Herald, rights@northgate.example\n\n"
        "I confirm my bona fide belief that the information and allegations contained in this notice are "
        "accurate and complete.\n\nJane Editor\n",
        encoding="utf-8",
    )
    return {"db": db, "work": tmp_path, "notice": notice, "publisher": publisher, "aggregator": aggregator}


def cli(env: dict[str, Any], *args: str, now: str = T0) -> Any:
    return run_cli("--db", str(env["db"]), *args, cwd=env["work"], env={"PROVENANCE_NOW": now})


def show(env: dict[str, Any], ticket: int) -> dict[str, Any]:
    proc = cli(env, "takedown", "show", str(ticket), "--json")
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def test_dsa_notice_to_restoration(takedown_env: dict[str, Any]) -> None:
    env = takedown_env
    proc = cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture")
    assert proc.returncode == 0, proc.stderr
    ticket = show(env, 1)
    assert (ticket["kind"], ticket["regime"], ticket["status"]) == ("notice", "dsa", "matched")
    assert ticket["completeness"]["status"] == "complete"
    listed = f"{env['aggregator']}/articles/valdoria-summit-doubts.html"
    assert listed in ticket["urls"]["infringing"]
    by_url = {c["url"]: c for c in ticket["copies"]}
    assert by_url[listed]["found_by"] == "listed"
    unlisted = [c for c in ticket["copies"] if c["found_by"] != "listed"]
    assert any(c["found_by"] == "image_hash" and c["url"].endswith("a1f3-summit.jpg") for c in unlisted), unlisted
    assert [e["to_status"] for e in ticket["events"]] == ["received", "valid", "matched"]

    again = cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture")
    assert again.returncode == 0 and "already ingested" in again.stdout
    assert count(env["db"], "ticket") == 1

    illegal = cli(env, "takedown", "restore", "1")
    assert_one_clear_error(illegal, "ticket 1 is matched")

    proc = cli(env, "takedown", "act", "1", "--remove", "--reason", "copy of Northgate's article and photo")
    assert proc.returncode == 0, proc.stderr
    removal = list(csv.DictReader((env["work"] / "removal-list-ticket-1.csv").open(encoding="utf-8")))
    assert {r["url"] for r in removal} >= {listed} and len(removal) == len(ticket["copies"])
    assert count(env["db"], "document", "taken_down_at is not null") >= 1
    letters = env["work"] / "letters"
    for name in ("acknowledgement", "decision-complainant", "notice-to-uploader", "statement-of-reasons"):
        assert (letters / f"ticket-1-{name}.txt").is_file(), name
    sor = (letters / "ticket-1-statement-of-reasons.json").read_text(encoding="utf-8")
    assert "DECISION_VISIBILITY_CONTENT_REMOVED" in sor and "SOURCE_ARTICLE_16" in sor
    for personal in ("rights@northgate.example", "Jane Editor"):
        assert personal not in sor

    counter_file = env["work"] / "counter.txt"
    counter_file.write_text(COUNTER.format(ticket=1, url=listed), encoding="utf-8")
    proc = cli(env, "takedown", "counter", "1", str(counter_file), now=T1)
    assert proc.returncode == 0, proc.stderr
    ticket = show(env, 1)
    assert ticket["status"] == "countered"
    assert ticket["deadlines"]["putback_earliest"] == "2026-03-26"  # 10 business days after 12 March
    assert ticket["deadlines"]["putback_latest"] == "2026-04-01"  # 14 business days
    assert (letters / "ticket-1-counter-forwarded.txt").is_file()

    early = cli(env, "takedown", "restore", "1", now=TOO_EARLY)
    assert_one_clear_error(early, "cannot be restored before 2026-03-26")
    due = cli(env, "takedown", "due", "--json", now=WINDOW_OPEN)
    assert any(r["ticket"] == 1 and r["state"] == "due" for r in json.loads(due.stdout))
    proc = cli(env, "takedown", "restore", "1", now=WINDOW_OPEN)
    assert proc.returncode == 0, proc.stderr
    assert show(env, 1)["status"] == "restored"
    assert count(env["db"], "document", "taken_down_at is not null") == 0
    assert count(env["db"], "capture") > 0  # evidence is never deleted

    proc = cli(env, "report", "transparency", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout)
    assert figures["notices"]["by_regime"]["dsa"] == 1
    assert figures["copies"]["found_beyond_listed"] >= 1
    # the image copy was found by fingerprint: derived from the stored copies, not a hard-coded zero
    assert figures["dsa"]["art15_1_b"]["processed_by_automated_means"] == 1
    assert figures["automation"]["notices_with_automated_detection"] == 1
    assert figures["automation"]["decided_automatically"] == 0
    assert figures["counter_notices"]["restored"] == 1
    for fmt in ("html", "md", "csv"):
        out = env["work"] / f"t.{fmt}"
        assert cli(env, "report", "transparency", "--from", "2026-03-01", "--to", "2026-03-31", "--format", fmt,
                   "-o", str(out)).returncode == 0
        assert out.stat().st_size > 200


def test_real_dev_notices_ingest_once(shared_dir: Path, tmp_path: Path) -> None:
    files = sorted((shared_dir / "data" / "dmca-notices" / "dev").glob("2019-*.md"))[:6]
    db = str(tmp_path / "n.db")
    proc = run_cli("--db", db, "takedown", "ingest", *map(str, files), "--no-capture", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert count(Path(db), "ticket") == len(files)
    again = run_cli("--db", db, "takedown", "ingest", *map(str, files), "--no-capture", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.count("already ingested") == len(files)
    assert count(Path(db), "ticket") == len(files)
    listed = json.loads(run_cli("--db", db, "takedown", "list", "--json", cwd=tmp_path).stdout)
    assert {row["id"] for row in listed} == set(range(1, len(files) + 1))


def test_bad_notice_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    proc = run_cli("--db", str(tmp_path / "n.db"), "takedown", "ingest", str(bad), "--no-capture", cwd=tmp_path)
    assert_one_clear_error(proc, "broken.json")


def test_intake_captures_listed_urls_and_refuses_internal_ones(mockserver: dict[str, str], tmp_path: Path) -> None:
    """Listed URLs missing from the corpus get WARC evidence; an internal address named in a notice is refused."""
    faults = mockserver["faults"]
    page = f"{faults}/page"
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "DMCA notice. Our copyrighted work is the article at https://publisher.example/story.\n"
        f"The infringing material is located at:\n{page}\nhttp://169.254.169.254/latest/meta-data/\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, its agent, "
        "or the law. The information in this notice is accurate, and under penalty of perjury, I am authorized "
        "to act on behalf of the owner.\nContact: rights@publisher.example, +1 555 0199, 1 Main St, Springfield\n"
        "Signed: /s/ Pat Rights\n",
        encoding="utf-8",
    )
    host = page.split("/")[2]
    proc = run_cli("--db", str(tmp_path / "c.db"), "takedown", "ingest", str(notice), "--warc-dir",
                   str(tmp_path / "warc"), cwd=tmp_path, env={"PROVENANCE_ALLOW_HOSTS": host})
    assert proc.returncode == 0, proc.stderr
    shown = run_cli("--db", str(tmp_path / "c.db"), "takedown", "show", "1", "--json", cwd=tmp_path)
    copies = {c["url"]: c for c in json.loads(shown.stdout)["copies"]}
    captured = copies[page]["evidence"]
    assert captured["status"] == 200 and len(captured["sha256"]) == 64 and captured["warc_file"]
    refused = copies["http://169.254.169.254/latest/meta-data/"]["evidence"]
    assert "not public" in (refused.get("error") or ""), refused


def test_court_action_keeps_content_down(takedown_env: dict[str, Any]) -> None:
    env = takedown_env
    assert cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture").returncode == 0
    assert cli(env, "takedown", "act", "1", "--disable", "--reason", "copy").returncode == 0
    listed = f"{env['aggregator']}/articles/valdoria-summit-doubts.html"
    counter_file = env["work"] / "counter.txt"
    counter_file.write_text(COUNTER.format(ticket=1, url=listed), encoding="utf-8")
    assert cli(env, "takedown", "counter", "1", str(counter_file), now=T1).returncode == 0
    proc = cli(env, "takedown", "court-action", "1", "--reason", "complaint filed, case 26-cv-001", now=TOO_EARLY)
    assert proc.returncode == 0, proc.stderr
    ticket = show(env, 1)
    assert ticket["status"] == "closed" and ticket["events"][-1]["action"] == "court_action"
    assert ticket["events"][-1]["data"]["clock"].startswith("clock set by PROVENANCE_NOW")
    assert_one_clear_error(cli(env, "takedown", "restore", "1", now=WINDOW_OPEN), "ticket 1 is closed")
    assert count(env["db"], "document", "taken_down_at is not null") >= 1


def test_incomplete_counter_notice_is_recorded_and_changes_nothing(takedown_env: dict[str, Any]) -> None:
    env = takedown_env
    assert cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture").returncode == 0
    assert cli(env, "takedown", "act", "1", "--remove", "--reason", "copy").returncode == 0
    thin = env["work"] / "thin-counter.txt"
    thin.write_text("Counter notice: please put my page back, it was removed by mistake.\n", encoding="utf-8")
    proc = cli(env, "takedown", "counter", "1", str(thin), now=T1)
    assert_one_clear_error(proc, "counter-notice is incomplete")
    ticket = show(env, 1)
    assert ticket["status"] == "actioned" and ticket["events"][-1]["action"] == "counter_deficient"


def test_a_notice_before_the_crawl_is_matched_again_after_it(mockserver: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    listed = f"{mockserver['digest']}/articles/valdoria-summit-doubts.html"
    notice = tmp_path / "n.txt"
    notice.write_text(
        "DMCA notice. Our copyrighted work is the article at "
        f"{mockserver['northgate']}/news/valdoria-summit-doubts.html\nThe infringing material is located at:\n"
        f"{listed}\nI have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law. The information in this notice is accurate, and under penalty of perjury, I am "
        "authorized to act on behalf of the owner.\nContact: rights@northgate.example, +1 555 0100\n"
        "Signed: /s/ Jane Editor\n", encoding="utf-8")
    assert run_cli("--db", db, "takedown", "ingest", str(notice), "--no-capture", cwd=tmp_path).returncode == 0
    for site, role in (("northgate", "publisher"), ("digest", "aggregator")):
        proc = run_cli("--db", db, "crawl", mockserver[site] + "/", "--role", role, "--name", site,
                       "--warc-dir", str(tmp_path / "warc"), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    proc = run_cli("--db", db, "takedown", "match", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    ticket = json.loads(run_cli("--db", db, "takedown", "show", "1", "--json", cwd=tmp_path).stdout)
    copies = {c["url"]: c for c in ticket["copies"]}
    assert copies[listed]["document_id"] is not None and copies[listed]["evidence"]["sha256"]
    assert any(c["found_by"] == "image_hash" for c in ticket["copies"])
    assert ticket["events"][-1]["action"] == "rematched"


def _date_every_document(db: Path, written: str) -> None:
    """What the crawler stores for a page that writes its date so: the text as written and the parsed instant."""
    from compliance.dates import parse_lenient
    from compliance.db import make_engine, session_scope
    from compliance.models import Document

    with session_scope(make_engine(str(db))) as session:
        for doc in session.query(Document):
            doc.published, doc.published_at = written, parse_lenient(written, doc.language)


@pytest.mark.parametrize(("written", "content_date"), [
    ("March 4, 2026", "2026-03-04"),
    ("04/03/2026", "2026-04-03"),  # an English page without a region: month first
    ("2026/03/04", "2026-03-04"),
    ("Wed, 04 Mar 2026 08:30:00 GMT", "2026-03-04"),
    ("sometime last spring", None),  # no date: the first-seen day stands in
])
def test_act_on_copies_dated_as_pages_write_it(takedown_env: dict[str, Any], written: str,
                                                content_date: str | None) -> None:
    env = takedown_env
    _date_every_document(env["db"], written)
    later = "2030-01-02T10:00:00+00:00"  # decided after every date involved (content cannot postdate the decision)
    assert cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture", now=later).returncode == 0
    proc = cli(env, "takedown", "act", "1", "--remove", "--reason", "copy", now=later)
    assert proc.returncode == 0, proc.stderr
    sor = json.loads((env["work"] / "letters" / "ticket-1-statement-of-reasons.json").read_text(encoding="utf-8"))
    first_seen = sqlite3.connect(env["db"]).execute("select min(substr(first_seen, 1, 10)) from document").fetchone()
    assert sor["content_date"] == (content_date or first_seen[0])


def test_a_decision_is_all_or_nothing(takedown_env: dict[str, Any]) -> None:
    """A decision whose removal list cannot be written is not recorded: no event, nothing taken down, no letters."""
    env = takedown_env
    assert cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture").returncode == 0
    events = count(env["db"], "ticket_event")
    proc = cli(env, "takedown", "act", "1", "--remove", "--reason", "copy",  # a file where its folder should be
               "--export", str(env["notice"] / "removal.csv"))
    assert_one_clear_error(proc, "cannot write", "nothing was recorded")
    assert show(env, 1)["status"] == "matched"
    assert count(env["db"], "ticket_event") == events
    assert count(env["db"], "document", "taken_down_at is not null") == 0
    assert sorted(p.name for p in (env["work"] / "letters").iterdir()) == ["ticket-1-acknowledgement.txt"]
    proc = cli(env, "takedown", "act", "1", "--remove", "--reason", "copy")  # the retry is not refused
    assert proc.returncode == 0, proc.stderr
    assert show(env, 1)["status"] == "actioned"
    assert (env["work"] / "letters" / "ticket-1-statement-of-reasons.txt").is_file()


def test_a_counter_notice_arriving_by_ingest_attaches_to_its_ticket(takedown_env: dict[str, Any]) -> None:
    """Counter-notices arrive in the same mailbox as notices: one that answers an actioned ticket starts the 512(g)
    steps itself, its own ticket closed as attached, its sender named."""
    env = takedown_env
    assert cli(env, "takedown", "ingest", str(env["notice"]), "--no-capture").returncode == 0
    assert cli(env, "takedown", "act", "1", "--remove", "--reason", "copy").returncode == 0
    listed = f"{env['aggregator']}/articles/valdoria-summit-doubts.html"
    counter_file = env["work"] / "counter-by-mail.txt"
    counter_file.write_text(COUNTER.format(ticket=1, url=listed), encoding="utf-8")
    proc = cli(env, "takedown", "ingest", str(counter_file), "--no-capture", now=T1)
    assert proc.returncode == 0, proc.stderr
    assert "ticket 2 (new): counter_notice" in proc.stdout and "attached to ticket 1" in proc.stdout
    parent, child = show(env, 1), show(env, 2)
    assert parent["status"] == "countered" and parent["deadlines"]["putback_earliest"] == "2026-03-26"
    assert (child["status"], child["parent_id"], child["remedy"]) == ("closed", 1, "restore")
    assert child["parties"]["complainant"] == "Sam Uploader"
    listing = cli(env, "takedown", "list", "--json")
    assert {r["id"]: r["complainant"] for r in json.loads(listing.stdout)}[2] == "Sam Uploader"
    assert (env["work"] / "letters" / "ticket-1-counter-forwarded.txt").is_file()
