"""`takedown ingest`: notice files in, one ticket per notice, each file its own unit of work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from compliance.cli.common import UserFacingError, db_option, db_url, echo, echo_json, open_engine
from compliance.errors import ComplianceError

from compliance.cli.takedown import ACTOR_HELP, PROFILE_HELP, actor_name, clock_now, notice_service, takedown_group


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
    who, now, pol = actor_name(actor), clock_now(), policy()
    folder = letters_folder(Path(letters_dir))
    service = notice_service(engine, profile)
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
            extra += f", asks for {r.remedy.replace('_', ' ')}" if r.remedy not in ("remove", "none") else ""
            extra += f", attached to ticket {r.attached_to}" if r.attached_to else ""
            echo(f"ticket {r.ticket_id} ({state}): {r.kind}, {r.status}{extra} <- {Path(r.source).name}")
    if failures:
        for line in failures[:-1]:
            echo(f"error: {line}", err=True)
        raise UserFacingError(failures[-1])


def _ingest_file(engine: Any, path: Path, now: Any, actor: str, pol: dict[str, float], folder: Path,
                 service: Any) -> list[Any]:
    """One notice file: parse, ticket each notice, write the acknowledgement (and cure request) letters."""
    from compliance.cli.letters import add_letters, unit_of_work
    from compliance.takedown.clock import cure_deadline, default_calendar, putback_window
    from compliance.takedown.notices.intake import parse_file
    from compliance.takedown.putback import counter, countered_ticket
    from compliance.takedown.workflow import ingest_notice

    notices = parse_file(path, service)
    results = []
    with unit_of_work(engine) as (session, outbox):
        for notice in notices:
            r = ingest_notice(session, notice, now, actor, pol, cure_due=cure_deadline(now, default_calendar()),
                              service=service)
            results.append(r)
            if not r.created:
                continue
            if r.kind == "notice" or r.remedy == "credit":
                # 17 U.S.C. 512(c)(3)(B)(ii): a cure request only where work, material and contact were given
                kinds = ["acknowledgement"] + (["cure_request"] if r.completeness == "cure_needed" else [])
                add_letters(session, outbox, r.ticket_id, kinds, folder, now)
            elif r.kind == "counter_notice":
                add_letters(session, outbox, r.ticket_id, ["acknowledgement"], folder, now)
                parent = countered_ticket(session, notice)
                if parent is not None:  # it answers an actioned ticket: the 512(g) steps start at once
                    answer = counter(session, parent.id, notice, now, actor, putback_window(now, default_calendar()),
                                     service)
                    r.attached_to = parent.id
                    if answer.complete:
                        add_letters(session, outbox, parent.id, ["counter_forwarded"], folder, now)
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
            attach_evidence(session, ticket_id, outcome.run_id, clock_now(), actor)
