"""`takedown list|show|match|due`: where tickets stand, and searching the corpus again for copies."""

from __future__ import annotations


import click

from compliance.cli.common import db_option, echo, echo_json, open_engine

from compliance.cli.takedown import ACTOR_HELP, actor_name, clock_now, takedown_group


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
    echo(f"ticket {data['id']}: {data['kind']} ({data['regime']}), asks for {data['remedy'].replace('_', ' ')}, "
         f"{data['status']}, received {data['received_at']}")
    if data["parent_id"]:
        echo(f"answers ticket {data['parent_id']}")
    for defect in data["defects"][:5]:
        echo(f"  defect: {defect}")
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
        added = rematch(session, ticket_id, clock_now(), actor_name(actor), policy())
    echo(f"ticket {ticket_id}: {len(added)} more copies found")
    for url in added:
        echo(f"  {url}")




@takedown_group.command("due")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@db_option
@click.pass_context
def due_cmd(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """What is due or late today: cure deadlines and put-back windows (business-day calendar)."""
    from compliance.db import session_scope
    from compliance.takedown.putback import due

    with session_scope(open_engine(ctx, db)) as session:
        rows = due(session, clock_now().date())
    if as_json:
        echo_json(rows)
        return
    if not rows:
        echo("nothing due")
    for r in rows:
        echo(f"ticket {r['ticket']}: {r['state']:<5} {r['due']}  {r['what']}")
