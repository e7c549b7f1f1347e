"""`takedown ingest`: notice files and mailboxes in, one ticket per notice, each file or message its own unit of work.

A message that answers an open ticket is attached to it; a copy of one of our own letters is never read as a
notice; what came with a notice (the message as received, its attachments within the caps) is kept as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from compliance.cli.common import UserFacingError, db_option, db_url, echo, echo_json, open_engine
from compliance.cli.takedown import ACTOR_HELP, PROFILE_HELP, actor_name, clock_now, notice_service, takedown_group
from compliance.errors import ComplianceError

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@takedown_group.command("ingest")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--maildir", "maildirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="A Maildir folder: one ticket per message (repeatable).")
@click.option("--mbox", "mboxes", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="An mbox file: one ticket per message (repeatable).")
@click.option("--actor", default=None, help=ACTOR_HELP)
@click.option("--capture/--no-capture", default=True, show_default=True,
              help="Capture evidence (WARC, SHA-256) of listed URLs the corpus lacks; non-public addresses are refused.")
@click.option("--warc-dir", default="warc", show_default=True, help="Folder for WARC evidence of intake captures.")
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--evidence-dir", default="evidence", show_default=True,
              help="Folder for each notice's message as received and its attachments (ticket-N/...).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON only.")
@click.option("--profile", default=None, metavar="NAME", help=PROFILE_HELP)
@db_option
@click.pass_context
def ingest_cmd(ctx: click.Context, files: tuple[Path, ...], maildirs: tuple[Path, ...], mboxes: tuple[Path, ...],
               actor: str | None, capture: bool, warc_dir: str, letters_dir: str, evidence_dir: str, as_json: bool,
               profile: str | None, db: str | None) -> None:
    """Ingest notices (.eml, .txt/.md letters, web-form dumps, JSON, CSV, a Maildir or an mbox): one ticket each.

    Each notice is checked against the law's elements (DMCA 512(c)(3), 512(g)(3), DSA Art. 16(2));
    complete ones are matched against the crawled corpus to find every copy, listed or not.
    Notices are read against the operator's own sites (`provenance sites add ... --operated`):
    URLs there are the material to act on. Re-ingesting the same notice (same bytes or same Message-ID)
    does not create a second ticket; a reply to an open ticket is attached to it.
    """
    from compliance.cli.letters import letters_folder
    from compliance.settings import policy
    from compliance.takedown.workflow import IngestResult

    if not (files or maildirs or mboxes):
        raise UserFacingError("nothing to ingest. Fix: pass notice files, --maildir DIR or --mbox FILE.")
    engine = open_engine(ctx, db)
    who, now, pol = actor_name(actor), clock_now(), policy()
    folders = {"letters": letters_folder(Path(letters_dir)), "evidence": Path(evidence_dir)}
    service = notice_service(engine, profile)
    results: list[IngestResult] = []
    failures: list[str] = []
    for name, load in _sources(files, maildirs, mboxes):
        try:  # each file or message is its own unit of work: its tickets, letters and evidence, or nothing
            results.extend(_ingest(engine, load(), now, who, pol, folders, service))
        except ComplianceError as exc:
            failures.append(exc.one_line() if name in exc.one_line() else f"{name}: {exc.one_line()}")
    if capture:
        _capture_missing(ctx, db, results, warc_dir, who)
    if as_json:
        echo_json([r.__dict__ for r in results])
    else:
        for r in results:
            state = "new" if r.created else r.note or "already ingested"
            extra = f", missing {', '.join(r.missing)}" if r.missing else ""
            extra += f", {r.copies} copies found" if r.copies else ""
            extra += f", asks for {r.remedy.replace('_', ' ')}" if r.remedy not in ("remove", "none") else ""
            extra += f", attached to ticket {r.attached_to}" if r.attached_to else ""
            echo(f"ticket {r.ticket_id} ({state}): {r.kind}, {r.status}{extra} <- {Path(r.source).name}")
    if failures:
        for line in failures[:-1]:
            echo(f"error: {line}", err=True)
        raise UserFacingError(failures[-1])


def _sources(files: tuple[Path, ...], maildirs: tuple[Path, ...],
             mboxes: tuple[Path, ...]) -> Iterator[tuple[str, Any]]:
    """(name, loader) for every file and every mailbox message; a loader returns the parsed notices."""
    import mailbox

    from compliance.takedown.notices.intake import MAX_FILE_BYTES

    for path in files:
        yield path.name, lambda path=path: ("file", path)
    for folder in maildirs:
        if not (folder / "cur").is_dir() and not (folder / "new").is_dir():
            raise UserFacingError(f"{folder} is not a Maildir (no cur/ or new/ folder). Fix: pass the mailbox "
                                  "folder that holds cur/, new/ and tmp/.")
        box = mailbox.Maildir(folder, factory=None, create=False)
        for key in sorted(box.iterkeys()):
            yield f"{folder.name}/{key}", lambda box=box, key=key, folder=folder: ("bytes", (
                box.get_bytes(key)[:MAX_FILE_BYTES + 1], f"{folder.name}/{key}.eml"))
    for path in mboxes:
        if not path.is_file():
            raise UserFacingError(f"{path} is not a file. Fix: pass an mbox file.")
        mbox = mailbox.mbox(path, factory=None, create=False)
        for index, key in enumerate(mbox.iterkeys(), 1):
            yield f"{path.name}#{index}", lambda mbox=mbox, key=key, path=path, index=index: ("bytes", (
                mbox.get_bytes(key)[:MAX_FILE_BYTES + 1], f"{path.name}#{index}.eml"))


def _ingest(engine: Any, source: tuple[str, Any], now: Any, actor: str, pol: dict[str, float],
            folders: dict[str, Path], service: Any) -> list[Any]:
    """One file or message: parse, then each notice ticketed, attached as a reply, or skipped as our own letter;
    the letters and evidence files written with the tickets, in one unit of work."""
    from compliance.cli.letters import add_letters, unit_of_work
    from compliance.settings import value
    from compliance.takedown.clock import cure_deadline, default_calendar, putback_window
    from compliance.takedown.notices.completeness import check_notice
    from compliance.takedown.notices.intake import parse_bytes, parse_file
    from compliance.takedown.putback import counter, countered_ticket
    from compliance.takedown.replies import attach_reply, own_letter, reply_target
    from compliance.takedown.workflow import IngestResult, find_ticket, ingest_notice, match_valid

    kind, what = source
    notices = parse_file(what, service) if kind == "file" else parse_bytes(what[0], what[1], service)
    results = []
    with unit_of_work(engine) as (session, outbox):
        for notice in notices:
            ours = own_letter(notice, service, str(value("operator_contact")))
            if ours is not None:
                results.append(IngestResult(ours, False, notice.source_file, "letter", "-",
                                            note=f"our own letter for ticket {ours}, not a notice"))
                continue
            target = reply_target(session, notice) if notice.kind != "counter_notice" else None
            if target is not None and find_ticket(session, notice) is None:
                reply = attach_reply(session, target, notice, now, actor,
                                     lambda text, k, r: check_notice(text, k, r, service))
                if reply.cured:
                    match_valid(session, target, now, actor, pol)
                results.append(IngestResult(target.id, False, notice.source_file, target.kind, target.status,
                                            note=f"reply to ticket {target.id}" + (", cured" if reply.cured else "")
                                            if reply.created else "reply already attached"))
                continue
            r = ingest_notice(session, notice, now, actor, pol, cure_due=cure_deadline(now, default_calendar()),
                              service=service)
            results.append(r)
            if not r.created:
                continue
            _keep_evidence(session, outbox, r.ticket_id, notice, folders["evidence"])
            letters = folders["letters"]
            if r.kind == "notice" or r.remedy == "credit":
                # 17 U.S.C. 512(c)(3)(B)(ii): a cure request only where work, material and contact were given
                kinds = ["acknowledgement"] + (["cure_request"] if r.completeness == "cure_needed" else [])
                add_letters(session, outbox, r.ticket_id, kinds, letters, now)
            elif r.kind == "counter_notice":
                add_letters(session, outbox, r.ticket_id, ["acknowledgement"], letters, now)
                parent = countered_ticket(session, notice)
                if parent is not None:  # it answers an actioned ticket: the 512(g) steps start at once
                    answer = counter(session, parent.id, notice, now, actor, putback_window(now, default_calendar()),
                                     service)
                    r.attached_to = parent.id
                    if answer.complete:
                        add_letters(session, outbox, parent.id, ["counter_forwarded"], letters, now)
    return results


def _keep_evidence(session: Any, outbox: Any, ticket_id: int, notice: Any, folder: Path) -> None:
    """The message as received and its kept attachments, under FOLDER/ticket-N/, named in the ticket."""
    import hashlib

    from compliance.models import Ticket

    if not notice.raw and not notice.files:
        return
    ticket = session.get(Ticket, ticket_id)
    base = folder / f"ticket-{ticket_id}"
    records = [dict(a) for a in ticket.attachments or []]
    if notice.raw:
        digest = hashlib.sha256(notice.raw).hexdigest()
        outbox.add(base / f"message-{digest[:16]}.eml", notice.raw)
        records.insert(0, {"name": "message as received", "content_type": "message/rfc822",
                           "size": len(notice.raw), "sha256": digest, "kept": True,
                           "file": f"ticket-{ticket_id}/message-{digest[:16]}.eml"})
    kept = [r for r in records if r.get("kept") and not r.get("file")]
    for record, (name, payload) in zip(kept, notice.files):
        digest = hashlib.sha256(payload).hexdigest()
        safe = _SAFE_NAME.sub("_", Path(name).name)[:80].strip("._") or "attachment"
        outbox.add(base / f"{digest[:16]}-{safe}", payload)
        record["file"] = f"ticket-{ticket_id}/{digest[:16]}-{safe}"
    ticket.attachments = records


def _capture_missing(ctx: click.Context, db: str | None, results: list[Any], warc_dir: str, actor: str) -> None:
    """Evidence for listed URLs the corpus lacks, through the guarded crawler (one crawl per command)."""
    from crawler.capture import capture_urls

    from compliance.db import session_scope
    from compliance.takedown.workflow import attach_evidence

    wanted = {u: r.ticket_id for r in results for u in r.to_capture}
    if not wanted:
        return
    outcome = capture_urls(sorted(wanted), db=db_url(ctx, db), warc_dir=warc_dir)
    engine = open_engine(ctx, db)
    with session_scope(engine) as session:
        for ticket_id in sorted(set(wanted.values())):
            attach_evidence(session, ticket_id, outcome.run_id, clock_now(), actor)


__all__ = ["ingest_cmd"]
