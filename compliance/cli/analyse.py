"""`provenance link` and `provenance audit`: match copies to originals, then apply the attribution rules."""

from __future__ import annotations

import sys

import click

from compliance.cli.common import db_option, echo, open_engine


@click.command("link")
@db_option
@click.option("--full", is_flag=True,
              help="Recompute every match, not only those of documents crawled since the last link (after changing "
                   "a matching setting; a site whose role or name changes is linked again by itself).")
@click.pass_context
def link_cmd(ctx: click.Context, db: str | None, full: bool) -> None:
    """Link copies to their originals: texts by simhash and by winnowed passages (rewrites, excerpts), images by
    the pHashes of their windows (flips, crops, credit bands) and by exact bytes.

    Only documents crawled since the last link are compared with the corpus; other matches keep their rows.
    Evidence is never changed.
    """
    from compliance.attribution.linking import link
    from compliance.settings import policy

    def shown(done: int, total: int) -> None:  # our own words: a carriage return rewrites the line in place
        click.echo(f"\rconfirming candidate pairs: {done:,} of {total:,}", err=True, nl=done >= total)

    on_terminal = sys.stderr.isatty()
    result = link(open_engine(ctx, db), policy(), full=full, progress=shown if on_terminal else None)
    methods = ", ".join(f"{name.split(':', 1)[1]} {n}" for name, n in result.by_method.items()) or "none"
    echo(f"linked {result.documents_linked} of {result.documents_indexed} documents"
         f"{' (full)' if full else ''}: {result.document_matches} document and {result.image_matches} image "
         f"matches stored ({methods}); {result.new} new")


@click.command("audit")
@db_option
@click.pass_context
def audit_cmd(ctx: click.Context, db: str | None) -> None:
    """Check every copy's attribution and record findings (credited_ok, missing_credit, ...).

    Each audit is a new run; the report shows the latest one.
    """
    from compliance.attribution.audit import audit
    from compliance.settings import policy

    result = audit(open_engine(ctx, db), policy())
    codes = ", ".join(f"{k} {v}" for k, v in sorted(result.by_code.items())) or "no findings"
    echo(f"audit run {result.audit_run_id}: {result.documents} documents, {result.images} images: {codes}")
