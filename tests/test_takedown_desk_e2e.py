"""The takedown desk of a news site, end to end: its own sites registered, letters read against them.

Real HTTP servers (tests.staticserver) for a photographer's site and the operator's aggregator, real Scrapy,
real SQLite, the real CLI. A photographer asks for a credit, not a removal; the fix is verified by crawling again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.cli_helpers import REPO, assert_one_clear_error, run_cli
from tests.services import json_line_server

PHOTO = REPO / "compliance" / "demo" / "sites" / "harbour" / "img" / "shelter-cat.jpg"
STORY = " ".join(f"Sentence {i}: the harbour fire burned through the night and crews saved {i} boats." for i in range(30))
UNCREDITED = '<figure><img src="/img/fire.jpg" alt="the fire"></figure>'
CREDITED = UNCREDITED + '<p class="credit">Photo: Jo Smith / Harbourlight Photography</p>'


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body><article>'
            f"<h1>{title}</h1>{body}<p>{STORY}</p></article></body></html>")


def _sites(root: Path) -> tuple[Path, Path]:
    pub, agg = root / "pub", root / "agg"
    for site in (pub, agg):
        (site / "img").mkdir(parents=True)
        shutil.copy(PHOTO, site / "img" / "fire.jpg")
    (pub / "fire.html").write_text(_page("Harbour fire", UNCREDITED), encoding="utf-8")
    (agg / "fire.html").write_text(_page("Harbour fire (roundup)", UNCREDITED), encoding="utf-8")
    return pub, agg


def test_a_credit_request_is_fixed_and_verified_by_crawling_again(tmp_path: Path) -> None:
    pub, agg = _sites(tmp_path)
    db = str(tmp_path / "d.db")

    def cli(*args: str) -> Any:
        return run_cli("--db", db, *args, cwd=tmp_path, env={"PROVENANCE_NOW": "2026-03-10T10:00:00Z"})

    with json_line_server("-m", "tests.staticserver", f"pub={pub}", f"agg={agg}") as urls:
        assert cli("sites", "add", "News Roundup", "--role", "aggregator", "--origin", urls["agg"],
                   "--operated").returncode == 0
        for key, role, name in (("pub", "publisher", "Harbourlight Photography"), ("agg", "aggregator", "")):
            proc = cli("crawl", f"{urls[key]}/fire.html", "--role", role, "--depth", "0",
                       *(("--name", name) if name else ()), "--warc-dir", str(tmp_path / "warc"))
            assert proc.returncode == 0, proc.stderr
        letter = tmp_path / "credit.txt"
        letter.write_text(
            f"Hello,\n\nYou used my photograph of the harbour fire at {urls['agg']}/fire.html without any credit.\n"
            "I am happy for you to use it, but please add a photo credit: Photo: Jo Smith / Harbourlight "
            f"Photography.\nThe original is here: {urls['pub']}/fire.html\n\nThanks,\nJo Smith\n"
            "jo@harbourlight.example\n", encoding="utf-8")
        proc = cli("takedown", "ingest", str(letter), "--no-capture", "--letters-dir", str(tmp_path / "letters"))
        assert proc.returncode == 0, proc.stderr
        assert "asks for credit" in proc.stdout
        ticket = json.loads(cli("takedown", "show", "1", "--json").stdout)
        assert (ticket["kind"], ticket["remedy"], ticket["status"]) == ("other", "credit", "matched")
        assert ticket["urls"]["infringing"] == [f"{urls['agg']}/fire.html"]
        assert ticket["urls"]["original_work"] == [f"{urls['pub']}/fire.html"]
        ack = (tmp_path / "letters" / "ticket-1-acknowledgement.txt").read_text(encoding="utf-8")
        assert "Dear Jo Smith," in ack and "not a takedown notice" in ack

        assert cli("takedown", "act", "1", "--fix-credit", "--reason", "credit added under the photo",
                   "--letters-dir", str(tmp_path / "letters")).returncode == 0
        proc = cli("takedown", "verify", "1", "--warc-dir", str(tmp_path / "warc"))
        assert_one_clear_error(proc, "ticket 1 stays open")  # the page was not changed yet
        assert json.loads(cli("takedown", "show", "1", "--json").stdout)["status"] == "actioned"

        (agg / "fire.html").write_text(_page("Harbour fire (roundup)", CREDITED), encoding="utf-8")
        proc = cli("takedown", "verify", "1", "--warc-dir", str(tmp_path / "warc"))
        assert proc.returncode == 0, proc.stderr
    ticket = json.loads(cli("takedown", "show", "1", "--json").stdout)
    assert ticket["status"] == "closed"
    assert [e["action"] for e in ticket["events"]][-2:] == ["verify_failed", "verified"]
