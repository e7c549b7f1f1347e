"""`takedown act|counter|complaint|court-action|restore|verify`: decisions, each with its letters in one unit of work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from compliance.cli.common import UserFacingError, db_option, db_url, echo, open_engine

from compliance.cli.takedown import ACTOR_HELP, PROFILE_HELP, actor_name, clock_now, notice_service, takedown_group


@takedown_group.command("act")
@click.argument("ticket_id", type=int)
@click.option("--remove", "action", flag_value="remove", help="Remove the content (all copies found).")
@click.option("--disable", "action", flag_value="disable", help="Disable access to the content.")
@click.option("--reject", "action", flag_value="reject", help="Reject the request.")
@click.option("--fix-credit", "action", flag_value="fix_credit", help="Keep the content and correct its credit.")
@click.option("--uphold", "action", flag_value="uphold", help="A complaint: the decision complained about stands.")
@click.option("--reverse", "action", flag_value="reverse",
              help="A complaint: reverse the decision complained about (its content is put back).")
@click.option("--reason", required=True, help="Why (recorded in the event and the letters).")
@click.option("--export", default=None, metavar="FILE", help="Removal list CSV (default: removal-list-ticket-ID.csv).")
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def act_cmd(ctx: click.Context, ticket_id: int, action: str | None, reason: str, export: str | None,
            letters_dir: str, actor: str | None, db: str | None) -> None:
    """Decide a matched ticket (--remove, --disable, --reject or --fix-credit) or a complaint (--uphold or
    --reverse), with --reason.

    Removing marks every copy taken down (evidence is kept), exports the removal list and writes
    the decision letter, the notice to the uploader and the DSA statement of reasons.
    """
    from compliance.cli.letters import add_letters, letters_folder, unit_of_work
    from compliance.takedown.workflow import act

    if action is None:
        raise UserFacingError("say what to do. Fix: add --remove, --disable, --reject or --fix-credit (a complaint: "
                              "--uphold or --reverse).")
    engine = open_engine(ctx, db)
    folder = letters_folder(Path(letters_dir))
    now = clock_now()
    if action in ("uphold", "reverse"):
        _decide_complaint(engine, ticket_id, action, reason, now, actor_name(actor), folder)
        return
    kinds = ["decision_complainant"]
    if action in ("remove", "disable"):  # DSA Art. 17: a statement of reasons goes with a restriction only
        kinds += ["notice_to_uploader", "statement_of_reasons"]
    removal_path = Path(export or f"removal-list-ticket-{ticket_id}.csv")
    with unit_of_work(engine) as (session, outbox):  # the decision, its removal list and its letters together
        removal = act(session, ticket_id, action, reason, now, actor_name(actor))
        if removal:
            outbox.add(removal_path, _removal_csv(removal))
        letters = add_letters(session, outbox, ticket_id, kinds, folder, now)
    if removal:
        echo(f"removal list: {removal_path} ({len(removal)} items)")
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"ticket {ticket_id}: {action.replace('_', ' ')} recorded")


def _decide_complaint(engine: Any, complaint_id: int, action: str, reason: str, now: Any, actor: str,
                      folder: Path) -> None:
    from compliance.cli.letters import add_letters, unit_of_work
    from compliance.takedown.complaints import decide

    with unit_of_work(engine) as (session, outbox):  # the decision on the complaint and its reasoned letter
        decide(session, complaint_id, action, reason, now, actor)
        letters = add_letters(session, outbox, complaint_id, ["complaint_decision"], folder, now)
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"complaint {complaint_id}: decision {'reversed' if action == 'reverse' else 'upheld'}")


@takedown_group.command("complaint")
@click.argument("ticket_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--letters-dir", default="letters", show_default=True, help="Folder for the letters written.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def complaint_cmd(ctx: click.Context, ticket_id: int, file: Path, letters_dir: str, actor: str | None,
                  db: str | None) -> None:
    """Lodge an internal complaint against a decided ticket (DSA Art. 20): within six months of the decision.

    The complaint becomes a ticket of its own; decide it with `takedown act COMPLAINT_ID --uphold|--reverse`.
    """
    from compliance.cli.letters import add_letters, letters_folder, unit_of_work
    from compliance.takedown.complaints import lodge
    from compliance.takedown.notices.intake import parse_file

    engine = open_engine(ctx, db)
    notices = parse_file(file, notice_service(engine, None))
    if len(notices) != 1:
        raise UserFacingError(f"{file} holds {len(notices)} messages; a complaint file must hold one.")
    folder = letters_folder(Path(letters_dir))
    now = clock_now()
    with unit_of_work(engine) as (session, outbox):
        result = lodge(session, ticket_id, notices[0], now, actor_name(actor))
        letters = add_letters(session, outbox, result.complaint_id, ["acknowledgement"], folder, now)
    for path_written in letters:
        echo(f"letter: {path_written}")
    if not result.admissible:
        raise UserFacingError(f"the complaint (ticket {result.complaint_id}) came after the window closed on "
                              f"{result.deadline} (DSA Art. 20(1)); recorded as rejected. Fix: nothing to do; the "
                              "complainant may still go to an out-of-court body or a court.")
    echo(f"complaint {result.complaint_id} against ticket {ticket_id}: admissible (window until {result.deadline});"
         f" decide it with `provenance takedown act {result.complaint_id} --uphold|--reverse --reason ...`")


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
    service = notice_service(engine, profile)
    notices = parse_file(file, service)
    if len(notices) != 1:
        raise UserFacingError(f"{file} holds {len(notices)} notices; a counter-notice file must hold one.")
    folder = letters_folder(Path(letters_dir))
    now = clock_now()
    letters: list[Path] = []
    with unit_of_work(engine) as (session, outbox):
        result = counter(session, ticket_id, notices[0], now, actor_name(actor), putback_window(now, default_calendar()),
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
        court_action(session, ticket_id, reason, clock_now(), actor_name(actor))
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
    now = clock_now()
    with unit_of_work(engine) as (session, outbox):
        restored = restore(session, ticket_id, now, actor_name(actor))
        letters = add_letters(session, outbox, ticket_id, ["restoration"], folder, now)
    for path_written in letters:
        echo(f"letter: {path_written}")
    echo(f"ticket {ticket_id}: restored {len(restored)} items")


@takedown_group.command("verify")
@click.argument("ticket_id", type=int)
@click.option("--warc-dir", default="warc", show_default=True, help="Folder for the WARC evidence of the recrawl.")
@click.option("--actor", default=None, help=ACTOR_HELP)
@db_option
@click.pass_context
def verify_cmd(ctx: click.Context, ticket_id: int, warc_dir: str, actor: str | None, db: str | None) -> None:
    """Crawl a credit-fixed ticket's pages again; close it only when every page now credits the claimant."""
    from crawler.runner import CrawlTarget, run_crawl

    from compliance.db import session_scope
    from compliance.records import SiteSpec
    from compliance.takedown.credit import pages_to_check, verify_credit

    engine = open_engine(ctx, db)
    with session_scope(engine) as session:
        pages = pages_to_check(session, ticket_id)
    by_site: dict[tuple[str, str], list[str]] = {}
    for page in pages:
        by_site.setdefault((page.site, page.role), []).append(page.url)
    if by_site:  # the operator's own pages, crawled as they are now (evidence of the fix)
        targets = [CrawlTarget(SiteSpec(name=site, role=role), urls) for (site, role), urls in by_site.items()]
        run_crawl(targets, db=db_url(ctx, db), warc_dir=warc_dir, max_pages=len(pages), depth=0,
                  register_origins=False)
    with session_scope(open_engine(ctx, db)) as session:
        result = verify_credit(session, ticket_id, clock_now(), actor_name(actor))
    for url in result.credited:
        echo(f"  credited: {url}")
    for url in result.uncredited:
        echo(f"  not credited yet: {url}")
    if not result.closed:
        raise UserFacingError(f"ticket {ticket_id} stays open: {len(result.uncredited)} page(s) do not credit the "
                              "claimant yet. Fix: correct the credit on those pages, then run verify again.")
    echo(f"ticket {ticket_id}: credit verified on {len(result.credited)} page(s); closed")
