"""`provenance report ...`: render reports from the store."""

from __future__ import annotations

from pathlib import Path

import click

from compliance.cli.common import db_option, echo, open_engine
from compliance.errors import ReportError


@click.group("report")
def report_group() -> None:
    """Write reports: attribution (per copy: credit present and true?) and takedown transparency."""


def write_output(text: str, output: str | None) -> None:
    """Write to -o FILE (folder must exist) or stdout."""
    if output in (None, "-"):
        click.echo(text, nl=not text.endswith("\n"))  # a rendered document: its renderer made it inert
        return
    assert output is not None
    path = Path(output)
    if not path.parent.resolve().is_dir():
        raise ReportError(f"cannot write {output}: folder {path.parent} does not exist.", "create it or pick another -o path.")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write {output}: {exc.strerror}.", "pick a writable -o path.") from None
    echo(f"wrote {output}", err=True)


@report_group.command("attribution")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "csv", "md"]), default="html", show_default=True,
              help="Output format; json follows the documented contract.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
@db_option
@click.pass_context
def attribution_cmd(ctx: click.Context, fmt: str, output: str | None, db: str | None) -> None:
    """The attribution report: each copy, its originals and whether its credit is there and true."""
    from compliance.attribution.report import build_attribution_report
    from compliance.db import session_scope
    from reports.attribution import render_attribution

    with session_scope(open_engine(ctx, db)) as session:
        data = build_attribution_report(session)
    write_output(render_attribution(data, fmt), output)


@report_group.command("transparency")
@click.option("--from", "start", required=True, metavar="DATE", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day of the period (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "csv", "md"]), default="html", show_default=True,
              help="Output format.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
@db_option
@click.pass_context
def transparency_cmd(ctx: click.Context, start: str, end: str, fmt: str, output: str | None, db: str | None) -> None:
    """Takedown transparency figures for a period: notices, outcomes, counter-notices, timings, DSA Arts. 15/24."""
    from compliance.db import session_scope
    from compliance.dates import parse_day
    from compliance.takedown.transparency import build_transparency
    from reports.transparency import render_transparency

    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    with session_scope(open_engine(ctx, db)) as session:
        data = build_transparency(session, first, last)
    write_output(render_transparency(data, fmt), output)
