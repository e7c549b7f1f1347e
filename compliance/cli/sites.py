"""`provenance sites ...`: the sites registry (names, origins, aliases, roles, the operator's own sites)."""

from __future__ import annotations

import click

from compliance.cli.common import db_option, echo, echo_json, open_engine
from compliance.records import ROLES


@click.group("sites")
def sites_group() -> None:
    """The sites registry: who is who in credits and notices; mark the operator's own sites with --operated."""


@sites_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="unknown", show_default=True,
              help="publisher (originals), aggregator (republishes) or unknown.")
@click.option("--origin", "origins", multiple=True, required=True, metavar="URL",
              help="An origin of the site, https://host[:port] (repeatable).")
@click.option("--alias", "aliases", multiple=True, help="Another name for the site (repeatable): 'BBC News', 'bbc.co.uk'.")
@click.option("--operated", is_flag=True,
              help="One of the operator's own sites: takedown notices about it are read as about material you host.")
@click.option("--update", is_flag=True, help="Allow renaming a known site or changing its role or origins.")
@db_option
@click.pass_context
def add_cmd(ctx: click.Context, name: str, role: str, origins: tuple[str, ...], aliases: tuple[str, ...],
            operated: bool, update: bool, db: str | None) -> None:
    """Register a site (or add origins and aliases to a known one) without crawling it."""
    from compliance.db import session_scope
    from compliance.records import SiteSpec
    from compliance.sites import register

    spec = SiteSpec(name=name.strip(), role=role, origins=list(origins), aliases=list(aliases), operated=operated)
    with session_scope(open_engine(ctx, db)) as session:
        site = register(session, spec, update=update)
        echo(f"site {site.name}: {site.role}{', operated' if site.operated else ''}; origins "
             f"{', '.join(sorted(o.origin for o in site.origins))}")


@sites_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@db_option
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """List the registered sites: operated ones first, then by name."""
    from dataclasses import asdict

    from compliance.db import session_scope
    from compliance.sites import list_sites

    with session_scope(open_engine(ctx, db)) as session:
        rows = list_sites(session)
    if as_json:
        echo_json([asdict(r) for r in rows])
        return
    if not rows:
        echo("no sites yet: `provenance sites add NAME --origin URL` or crawl one")
    for r in rows:
        flags = f"{r.role}{', operated' if r.operated else ''}, {r.documents} documents"
        aliases = f"; aliases {', '.join(r.aliases)}" if r.aliases else ""
        echo(f"{r.name} ({flags}): {', '.join(r.origins) or 'no origin'}{aliases}")


@sites_group.command("alias")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@db_option
@click.pass_context
def alias_cmd(ctx: click.Context, name: str, aliases: tuple[str, ...], db: str | None) -> None:
    """Add other names people use for a site in credits."""
    from compliance.db import session_scope
    from compliance.sites import add_aliases

    with session_scope(open_engine(ctx, db)) as session:
        record = add_aliases(session, name, aliases)
    echo(f"site {record.name}: aliases {', '.join(record.aliases)}")


@sites_group.command("remove")
@click.argument("name")
@db_option
@click.pass_context
def remove_cmd(ctx: click.Context, name: str, db: str | None) -> None:
    """Remove a site that no evidence points at (a crawled site keeps its evidence and cannot be removed)."""
    from compliance.db import session_scope
    from compliance.sites import remove_site

    with session_scope(open_engine(ctx, db)) as session:
        remove_site(session, name)
    echo(f"site {name} removed")
