"""`provenance takedown ...`: notices in, tickets through their workflow, letters and removal lists out."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click

from compliance.cli.common import UserFacingError, db_option, db_url, echo, echo_json, open_engine
from compliance.errors import ComplianceError

ACTOR_HELP = "Who is acting (recorded in every event; default: the login name)."
PROFILE_HELP = ("Also read notices with a named profile of a published notice archive (github); the operator's own "
                "sites come from `provenance sites`.")


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "operator"


def _now() -> Any:
    from compliance.takedown.clock import system_clock

    return system_clock().now()


@click.group("takedown")
def takedown_group() -> None:
    """Takedown tickets: ingest notices, find every copy, act, handle counter-notices, see what is due."""


@takedown_group.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help=ACTOR_HELP)
@click.option("--capture/--no-capture", default=True, show_default=True,
              help="Capture evidence (WARC, SHA-256) of listed URLs the corpus lacks; non-public addresses are refused.")
@click.option("--warc-dir", default="warc", show_default=True, help="Folder for WARC evidence of intake captures.")
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON only.")
@click.option("--profile", default=None, metavar="NAME", help=PROFILE_HELP)
@db_option
@click.pass_context
def ingest_cmd(ctx: click.Context, files: tuple[Path, ...], actor: str | None, capture: bool, warc_dir: str,
               letters_dir: str, as_json: bool, profile: str | None, db: str | None) -> None:
    """Ingest notices (.eml, .txt/.md letters, web-form dumps, JSON, CSV): one ticket per notice.

    Each notice is checked against the law's elements (DMCA 512(c)(3), 512(g)(3), DSA Art. 16(2));
    complete ones are matched against the crawled corpus to find every copy, listed or not.
    Notices are read against the operator's own sites (`provenance sites add ... --operated`):
    URLs there are the material to act on. Re-ingesting the same notice does not create a second ticket.
    """
    from compliance.cli.letters import letters_folder
    from compliance.settings import policy
    from compliance.takedown.workflow import IngestResult

    engine = open_engine(ctx, db)
    who, now, pol = _actor(actor), _now(), policy()
    folder = letters_folder(Path(letters_dir))
    service = _service(engine, profile)
    results: list[IngestResult] = []
    failures: list[str] = []
    for path in files:
        try:  # each file is its own unit of work: its tickets and their letters, or nothing
            results.extend(_ingest_file(engine, path, now, who, pol, folder, service))
        except ComplianceError as exc:
            failures.append(exc.one_line())
    if capture:
        _capture_missing(ctx, db, results, warc_dir, who)
    if as_json:
        echo_json([r.__dict__ for r in results])
    else:
        for r in results:
            state = "new" if r.created else "already ingested"
            extra = f", missing {', '.join(r.missing)}" if r.missing else ""
            extra += f", {r.copies} copies found" if r.copies else ""
            echo(f"ticket {r.ticket_id} ({state}): {r.kind}, {r.status}{extra} <- {Path(r.source).name}")
    if failures:
        for line in failures[:-1]:
            echo(f"error: {line}", err=True)
        raise UserFacingError(failures[-1])


def _service(engine: Any, profile: str | None) -> Any:
    """The service notices are read against: the operator's own sites, plus a named profile if one is chosen."""
    from compliance.db import session_scope
    from compliance.takedown.addressee import operator_service

    with session_scope(engine) as session:
        return operator_service(session, profile)


def _ingest_file(engine: Any, path: Path, now: Any, actor: str, pol: dict[str, float], folder: Path,
                 service: Any) -> list[Any]:
    """One notice file: parse, ticket each notice, write the acknowledgement (and cure request) letters."""
    from compliance.cli.letters import add_letters, unit_of_work
    from compliance.takedown.clock import cure_deadline, default_calendar
    from compliance.takedown.notices.intake import parse_file
    from compliance.takedown.workflow import ingest_notice

    notices = parse_file(path, service)
    results = []
    with unit_of_work(engine) as (session, outbox):
        for notice in notices:
            r = ingest_notice(session, notice, now, actor, pol, cure_due=cure_deadline(now, default_calendar()),
                              service=service)
            results.append(r)
            if r.created and r.kind == "notice":
                # 17 U.S.C. 512(c)(3)(B)(ii): a cure request only where work, material and contact were given
                kinds = ["acknowledgement"] + (["cure_request"] if r.completeness == "cure_needed" else [])
                add_letters(session, outbox, r.ticket_id, kinds, folder, now)
    return results


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
            attach_evidence(session, ticket_id, outcome.run_id, _now(), actor)


@takedown_group.command("list")
@click.option("--status", default=None, help="Only tickets in this status (received, incomplete, valid, matched, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@db_option
@click.pass_context
def list_cmd(ctx: click.Context, status: str | None, as_json: bool, db: str | None) -> None:
    """List tickets: id, kind, status, received, complainant, URLs listed."""
    from compliance.db import session_scope
    from compliance.takedown.view import ticket_rows

    with session_scope(open_engine(ctx, db)) as session:
        rows = ticket_rows(session, status)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        echo("no tickets" + (f" with status {status}" if status else ""))
    for r in rows:
        echo(f"{r['id']:>5}  {r['kind']:<15} {r['status']:<11} {(r['received_at'] or '')[:19]}  "
                   f"{(r['complainant'] or '-')[:40]:<40} {r['urls']} URLs")


@takedown_group.command("show")
@click.argument("ticket_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the ticket JSON (the documented contract) only.")
@db_option
@click.pass_context
def show_cmd(ctx: click.Context, ticket_id: int, as_json: bool, db: str | None) -> None:
    """Show one ticket: parties, completeness element by element, URLs, copies and its history."""
    from compliance.db import session_scope
    from compliance.takedown.workflow import get_ticket
    from compliance.takedown.view import ticket_json

    with session_scope(open_engine(ctx, db)) as session:
        data = ticket_json(session, get_ticket(session, ticket_id))
    if as_json:
        echo_json(data)
        return
    echo(f"ticket {data['id']}: {data['kind']} ({data['regime']}), {data['status']}, received {data['received_at']}")
    c = data["completeness"]
    echo(f"completeness: {c['status']}" + (f" (missing {', '.join(c['missing'])})" if c["missing"] else ""))
    for name, el in c["elements"].items():
        echo(f"  {'✓' if el['present'] else '✗'} {name}: {(el.get('evidence') or '')[:90]!r}")
    echo(f"URLs: {len(data['urls']['infringing'])} to remove, {len(data['urls']['original_work'])} original")
    for copy in data["copies"]:
        echo(f"  copy {copy['url']} (found by {copy['found_by']}, distance {copy['distance']})")
    for e in data["events"]:
        echo(f"  {e['at'][:19]} {e['actor']}: {e['action']} {e['from_status']} -> {e['to_status']}: {e['reason']}")


@takedown_group.command("match")
@click.argument("ticket_id", type=int)
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def match_cmd(ctx: click.Context, ticket_id: int, actor: str | None, db: str | None) -> None:
    """Search the crawled corpus again for copies of a matched ticket's work (after new crawls)."""
    from compliance.db import session_scope
    from compliance.settings import policy
    from compliance.takedown.workflow import rematch

    with session_scope(open_engine(ctx, db)) as session:
        added = rematch(session, ticket_id, _now(), _actor(actor), policy())
    echo(f"ticket {ticket_id}: {len(added)} more copies found")
    for url in added:
        echo(f"  {url}")


@takedown_group.command("act")
@click.argument("ticket_id", type=int)
@click.option("--remove", "action", flag_value="remove", help="Remove the content (all copies found).")
@click.option("--disable", "action", flag_value="disable", help="Disable access to the content.")
@click.option("--reject", "action", flag_value="reject", help="Reject the request.")
@click.option("--fix-credit", "action", flag_value="fix_credit", help="Keep the content and correct its credit.")
@click.option("--reason", required=True, help="Why (recorded in the event and the letters).")
@click.option("--export", default=None, metavar="FILE", help="Removal list CSV (default: removal-list-ticket-ID.csv).")
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def act_cmd(ctx: click.Context, ticket_id: int, action: str | None, reason: str, export: str | None,
            letters_dir: str, actor: str | None, db: str | None) -> None:
    """Decide a matched ticket: --remove, --disable, --reject or --fix-credit, with --reason.

    Removing marks every copy taken down (evidence is kept), exports the removal list and writes
    the decision letter, the notice to the uploader and the DSA statement of reasons.
    """
    from compliance.cli.letters import add_letters, letters_folder, unit_of_work
    from compliance.takedown.workflow import act

    if action is None:
        raise UserFacingError("say what to do. Fix: add --remove, --disable, --reject or --fix-credit.")
    engine = open_engine(ctx, db)
    folder = letters_folder(Path(letters_dir))
    now = _now()
    kinds = ["decision_complainant"]
    if action in ("remove", "disable"):  # DSA Art. 17: a statement of reasons goes with a restriction only
        kinds += ["notice_to_uploader", "statement_of_reasons"]
    removal_path = Path(export or f"removal-list-ticket-{ticket_id}.csv")
    with unit_of_work(engine) as (session, outbox):  # the decision, its removal list and its letters together
        removal = act(session, ticket_id, action, reason, now, _actor(actor))
        if removal:
            outbox.add(removal_path, _removal_csv(removal))
        letters = add_letters(session, outbox, ticket_id, kinds, folder, now)
    if removal:
        echo(f"removal list: {removal_path} ({len(removal)} items)")
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"ticket {ticket_id}: {action.replace('_', ' ')} recorded")


def _removal_csv(rows: list[dict[str, Any]]) -> str:
    from reports.csvsafe import write_rows

    header = ["ticket", "url", "found_by", "distance", "action", "at", "sha256", "in_corpus"]
    return write_rows([header] + [[r[h] for h in header] for r in rows])


@takedown_group.command("counter")
@click.argument("ticket_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@click.option("--profile", default=None, metavar="NAME", help=PROFILE_HELP)
@db_option
@click.pass_context
def counter_cmd(ctx: click.Context, ticket_id: int, file: Path, letters_dir: str, actor: str | None,
                profile: str | None, db: str | None) -> None:
    """Attach a counter-notice to an actioned ticket; a complete one starts the put-back window.

    The content may be put back no earlier than 10 and no later than 14 business days after
    receipt unless the complainant reports a court action (17 U.S.C. 512(g)(2)(C)).
    """
    from compliance.cli.letters import add_letters, letters_folder, unit_of_work
    from compliance.takedown.clock import default_calendar, putback_window
    from compliance.takedown.notices.intake import parse_file
    from compliance.takedown.putback import counter

    engine = open_engine(ctx, db)
    service = _service(engine, profile)
    notices = parse_file(file, service)
    if len(notices) != 1:
        raise UserFacingError(f"{file} holds {len(notices)} notices; a counter-notice file must hold one.")
    folder = letters_folder(Path(letters_dir))
    now = _now()
    letters: list[Path] = []
    with unit_of_work(engine) as (session, outbox):
        result = counter(session, ticket_id, notices[0], now, _actor(actor), putback_window(now, default_calendar()),
                         service)
        if result.complete:
            letters = add_letters(session, outbox, ticket_id, ["counter_forwarded"], folder, now)
    if not result.complete:  # recorded (committed above), then reported
        raise UserFacingError(f"the counter-notice is incomplete (missing {', '.join(result.missing)}; "
                              "17 U.S.C. 512(g)(3)); recorded, content stays down. Fix: ask the uploader to complete it.")
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"ticket {ticket_id}: countered; put back between {result.putback_earliest} and {result.putback_latest}")


@takedown_group.command("court-action")
@click.argument("ticket_id", type=int)
@click.option("--reason", default="", help="What the complainant reported (court, case number).")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def court_cmd(ctx: click.Context, ticket_id: int, reason: str, actor: str | None, db: str | None) -> None:
    """Record that the complainant filed a court action: the content stays down, the ticket closes."""
    from compliance.db import session_scope
    from compliance.takedown.putback import court_action

    with session_scope(open_engine(ctx, db)) as session:
        court_action(session, ticket_id, reason, _now(), _actor(actor))
    echo(f"ticket {ticket_id}: court action recorded; content stays down")


@takedown_group.command("restore")
@click.argument("ticket_id", type=int)
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def restore_cmd(ctx: click.Context, ticket_id: int, letters_dir: str, actor: str | None, db: str | None) -> None:
    """Put the content back after a counter-notice, once the business-day window allows it."""
    from compliance.cli.letters import add_letters, letters_folder, unit_of_work
    from compliance.takedown.putback import restore

    engine = open_engine(ctx, db)
    folder = letters_folder(Path(letters_dir))
    now = _now()
    with unit_of_work(engine) as (session, outbox):
        restored = restore(session, ticket_id, now, _actor(actor))
        letters = add_letters(session, outbox, ticket_id, ["restoration"], folder, now)
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"ticket {ticket_id}: restored {len(restored)} items")


@takedown_group.command("due")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@db_option
@click.pass_context
def due_cmd(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """What is due or late today: cure deadlines and put-back windows (business-day calendar)."""
    from compliance.db import session_scope
    from compliance.takedown.putback import due

    with session_scope(open_engine(ctx, db)) as session:
        rows = due(session, _now().date())
    if as_json:
        echo_json(rows)
        return
    if not rows:
        echo("nothing due")
    for r in rows:
        echo(f"ticket {r['ticket']}: {r['state']:<5} {r['due']}  {r['what']}")

