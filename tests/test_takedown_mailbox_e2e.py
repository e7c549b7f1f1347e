"""The takedown desk's mailbox, end to end, about the demo's copies.

The demo sites are copied to a temporary folder and served by the demo's own server (so a page can be corrected
between crawls); the aggregator is registered as the operator's own site; a Maildir receives a DMCA letter, an
agency's licence claim, a credit request, a DSA notice, a reply to the open licence claim and a copy of one of the
tool's own letters. Each is walked to its outcome through the real CLI.
"""

from __future__ import annotations

import json
import mailbox
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from compliance.demo.server import DEMO_SITES, SiteServers, sites_dir
from reports.tdb_rules import store_request_errors
from tests.cli_helpers import run_cli

NOW = "2026-03-10T10:00:00+00:00"
STATEMENTS = ("I have a good faith belief that use of the material in the manner complained of is not authorized by "
              "the copyright owner, its agent, or the law. The information in this notification is accurate, and "
              "under penalty of perjury, I am authorized to act on behalf of the owner of the copyright.")


def _message(sender: str, subject: str, body: str, message_id: str, in_reply_to: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "rights@dailydigest.example", subject
    msg["Date"], msg["Message-ID"] = "Tue, 10 Mar 2026 09:00:00 +0000", message_id
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    msg.set_content(body)
    return msg


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[dict[str, Any]]:
    sites = tmp_path / "sites"
    shutil.copytree(sites_dir(), sites)
    db = tmp_path / "desk.db"
    env = {"PROVENANCE_NOW": NOW, "PROVENANCE_OPERATOR_NAME": "DailyDigest rights desk",
           "PROVENANCE_OPERATOR_CONTACT": "rights@dailydigest.example"}

    def cli(*args: str, now: str = NOW) -> Any:
        return run_cli("--db", str(db), *args, cwd=tmp_path, env={**env, "PROVENANCE_NOW": now})

    with SiteServers(DEMO_SITES, root=sites) as servers:
        urls = dict(servers.urls)
        assert cli("sites", "add", "DailyDigest", "--role", "aggregator", "--origin", urls["digest"],
                   "--operated").returncode == 0
        for site in DEMO_SITES:
            proc = cli("crawl", urls[site.key] + "/", "--role", site.role, "--name", site.name, "--depth", "2",
                       "--warc-dir", str(tmp_path / "warc"))
            assert proc.returncode == 0, proc.stderr
        assert cli("link").returncode == 0
        yield {"tmp": tmp_path, "sites": sites, "urls": urls, "cli": cli, "inbox": tmp_path / "inbox"}


def _show(desk: dict[str, Any], ticket: int) -> dict[str, Any]:
    proc = desk["cli"]("takedown", "show", str(ticket), "--json")
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def test_a_mailbox_walked_to_its_outcomes(desk: dict[str, Any]) -> None:
    u, tmp, cli = desk["urls"], desk["tmp"], desk["cli"]
    box = mailbox.Maildir(desk["inbox"], create=True)
    box.add(_message(
        "Jane Editor <jane@northgate.example>", "Copyright infringement: Valdoria summit article",
        f"To whom it may concern,\n\nNorthgate Herald owns the article \"Valdoria Casts Doubt on Immediate Summit\" "
        f"and its photograph, originally published at {u['northgate']}/news/valdoria-summit-doubts.html\n\n"
        f"Your site republished both without permission at {u['digest']}/articles/valdoria-summit-doubts.html\n"
        f"Please remove it.\n\n{STATEMENTS}\n\nJane Editor, Rights Desk, Northgate Herald\n1 Quay Street, "
        "Northgate\njane@northgate.example\n\n/s/ Jane Editor\n", "<dmca-1@northgate.example>"))
    box.add(_message(
        "Licensing <licensing@pictureworks.example>", "Unlicensed use of our image - case 4471",
        f"Dear Sir or Madam,\n\nOur image monitoring found our client's photograph \"Mill Street coffee\" on your "
        f"website at {u['digest']}/articles/mill-street-cafes.html without a licence.\n\nThe licence fee for this "
        "use is EUR 450. Please pay the attached invoice within 14 days or remove the image.\n\nPictureWorks "
        "Licensing, 9 Dock Road, Harbourtown, licensing@pictureworks.example, +44 20 7946 0000\n",
        "<claim-4471@pictureworks.example>"))
    box.add(_message(
        "Marta Quayle <m.quayle@harbourtimes.example>", "Please credit our story",
        f"Hello,\n\nYou republished our story on record shelter adoptions at {u['digest']}/articles/"
        "harbour-shelter-cats.html without any credit. We are happy for you to use it, but please add a credit "
        f"naming Harbour Times and link back to the original: {u['harbour']}/stories/shelter-record-adoptions.html"
        "\n\nThanks,\nMarta Quayle\nHarbour Times\n", "<credit-1@harbourtimes.example>"))
    box.add(_message(
        "Anna Novak <anna.novak@eu-photo.example>", "Notice under Article 16 of the Digital Services Act",
        "Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065)\n\nExplanation: the page "
        "below shows my photograph of the library exhibition without a licence, which infringes my copyright under "
        f"Directive 2001/29/EC Article 2.\n\nExact location: {u['digest']}/articles/weekend-pick-space-portraits.html"
        "\n\nNotifier: Anna Novak, anna.novak@eu-photo.example\n\nI confirm my bona fide belief that the "
        "information and allegations contained in this notice are accurate and complete.\n\nAnna Novak\n",
        "<dsa-1@eu-photo.example>"))
    box.add(_message(
        "Licensing <licensing@pictureworks.example>", "Re: Unlicensed use of our image - case 4471",
        f"Further to our letter: the work is our client's photograph Mill Street coffee.\n\n{STATEMENTS}\n\n"
        "/s/ Pat Licensing, PictureWorks Licensing\n", "<claim-4471-2@pictureworks.example>",
        in_reply_to="<claim-4471@pictureworks.example>"))
    proc = cli("takedown", "ingest", "--maildir", str(desk["inbox"]), "--no-capture")
    assert proc.returncode == 0, proc.stderr
    assert "reply to ticket 2, cured" in proc.stdout, proc.stdout

    dmca, claim, credit, dsa = (_show(desk, n) for n in (1, 2, 3, 4))
    assert (dmca["kind"], dmca["regime"], dmca["remedy"], dmca["status"]) == ("notice", "dmca", "remove", "matched")
    assert dmca["urls"]["infringing"] == [f"{u['digest']}/articles/valdoria-summit-doubts.html"]
    assert dmca["attachments"][0]["file"].startswith("ticket-1/message-")  # the message as received, kept
    assert (claim["remedy"], claim["status"]) == ("licence_fee", "matched")  # cured by the reply
    assert [e["action"] for e in claim["events"]][:4] == ["received", "checked", "reply_received", "cured"]
    assert (credit["kind"], credit["remedy"], credit["status"]) == ("other", "credit", "matched")
    assert (dsa["regime"], dsa["status"]) == ("dsa", "matched")
    letters = tmp / "letters"
    assert (letters / "ticket-2-cure-request.txt").is_file()  # the claim, as first received, could be cured
    assert "A valid notice would still need" in (letters / "ticket-2-acknowledgement.txt").read_text("utf-8")

    # One of our own letters comes back into the mailbox (a Bcc copy): never read as a notice.
    own = _message("DailyDigest rights desk <rights@dailydigest.example>", "We received your notice (ticket 1)",
                   (letters / "ticket-1-acknowledgement.txt").read_text("utf-8"), "<ack-1@dailydigest.example>")
    box.add(own)
    proc = cli("takedown", "ingest", "--maildir", str(desk["inbox"]), "--no-capture")
    assert proc.returncode == 0, proc.stderr
    assert "our own letter for ticket 1" in proc.stdout and "(new)" not in proc.stdout  # nothing ingested twice
    assert len(json.loads(cli("takedown", "list", "--json").stdout)) == 4

    # Outcomes: removal; Art. 17 statement of reasons; credit fixed and verified by crawling the page again.
    assert cli("takedown", "act", "1", "--remove", "--reason", "copy of Northgate's article").returncode == 0
    assert cli("takedown", "act", "4", "--remove", "--reason", "photo used without licence").returncode == 0
    sor = json.loads((letters / "ticket-4-statement-of-reasons.json").read_text("utf-8"))
    assert sor["source_type"] == "SOURCE_ARTICLE_16" and sor["decision_visibility"]
    assert store_request_errors(sor) == []  # the EU Transparency Database would store it
    assert cli("takedown", "act", "3", "--fix-credit", "--reason", "credit line added").returncode == 0
    page = desk["sites"] / "digest" / "articles" / "harbour-shelter-cats.html"
    page.write_text(page.read_text("utf-8").replace(
        "</article>", '<p class="source">Source: <a href="{{site:harbour}}/stories/shelter-record-adoptions.html">'
                      "Harbour Times</a></p></article>", 1), encoding="utf-8")
    proc = cli("takedown", "verify", "3", "--warc-dir", str(tmp / "warc"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [_show(desk, n)["status"] for n in (1, 3, 4)] == ["actioned", "closed", "actioned"]

    # The uploader complains about the DSA removal (Art. 20): admissible within six months, decided with reasons.
    complaint = tmp / "complaint.txt"
    complaint.write_text("I complain about your decision to remove my page weekend-pick-space-portraits: the photo is "
                         "licensed to us by the photographer.\n\nSam Uploader\nsam@dailydigest-writers.example\n",
                         encoding="utf-8")
    proc = cli("takedown", "complaint", "4", str(complaint))
    assert proc.returncode == 0 and "complaint 5 against ticket 4: admissible" in proc.stdout, proc.stderr
    proc = cli("takedown", "act", "5", "--reverse", "--reason", "the uploader showed the photographer's licence")
    assert proc.returncode == 0, proc.stderr
    assert _show(desk, 4)["status"] == "restored" and _show(desk, 5)["outcome"] == "reversed"
    decision = (letters / "ticket-5-complaint-decision.txt").read_text("utf-8")
    assert "We have reversed our decision" in decision and "Article 21" in decision
    late = tmp / "late.txt"
    late.write_text("I complain about your decision on the Valdoria page.\n\nJo Reader\n", encoding="utf-8")
    proc = cli("takedown", "complaint", "1", str(late), now="2026-10-01T10:00:00+00:00")
    assert proc.returncode == 1 and "after the window closed on 2026-09-10" in proc.stderr
    figures = json.loads(cli("report", "transparency", "--from", "2026-01-01", "--to", "2026-12-31",
                             "--format", "json", now="2026-10-02T10:00:00+00:00").stdout)
    assert figures["dsa"]["art15_1_d"]["complaints_received"] == 2
    assert figures["dsa"]["art15_1_d"]["decisions_reversed"] == 1
    assert figures["dsa"]["art15_1_d"]["rejected_out_of_time"] == 1
