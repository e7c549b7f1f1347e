"""`provenance evidence export`: a document's, ticket's or URL's WARC records as one WACZ file."""

from __future__ import annotations

from pathlib import Path

import click

from compliance.cli.common import db_option, echo, open_engine
from compliance.errors import InputError


@click.group("evidence")
def evidence_group() -> None:
    """The WARC evidence behind captures, packed for people who were not at the crawl."""


@evidence_group.command("export")
@click.argument("url", required=False, metavar="[URL]")
@click.option("--document", "document_id", type=int, metavar="ID", help="Export this document's page and images.")
@click.option("--ticket", "ticket_id", type=int, metavar="ID", help="Export the captures of this ticket's copies.")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.wacz",
              help="Where to write the WACZ (replaced if it exists).")
@db_option
@click.pass_context
def export_cmd(ctx: click.Context, url: str | None, document_id: int | None, ticket_id: int | None, out: Path,
               db: str | None) -> None:
    """Write a WACZ of the evidence: every capture's request and response records (redirect hops, revisited
    originals, metadata and failed fetches too), copied byte for byte, with a CDXJ index and a page list.

    Pass one of --document ID, --ticket ID or a URL (every capture of it, all runs). ReplayWeb.page and
    `wacz validate` open the file.
    """
    from compliance.evidence import export_wacz

    if out.suffix != ".wacz":
        raise InputError(f"{out} does not end in .wacz.", "name the output FILE.wacz (the WACZ 1.1.1 extension).")
    summary = export_wacz(open_engine(ctx, db), out, document_id=document_id, ticket_id=ticket_id, url=url)
    echo(f"wrote {out}: {summary.captures} captures, {summary.records} WARC records, {summary.pages} pages")
    for unfetched in summary.unfetched:
        echo(f"never fetched, so no WARC record (named in the package description): {unfetched}")
    for missing in summary.missing:
        echo(f"warning: not in the WARC files: {missing}", err=True)
