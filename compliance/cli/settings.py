"""`provenance settings`: every setting's effective value and where it came from (default, environment, flag)."""

from __future__ import annotations

from typing import Any

import click

from compliance.cli.common import db_option, db_url, echo, echo_json


def _shown(value: Any, kind: str) -> str:
    """A value as a person reads it; a database URL never shows its password."""
    if value is None or value == "":
        return "-"
    if kind == "instant":
        return str(value.isoformat())
    if kind == "url" and "://" in str(value):
        from sqlalchemy.engine import make_url

        try:
            return make_url(str(value)).render_as_string(hide_password=True)
        except Exception:  # not a URL SQLAlchemy can read: shown as given, minus anything after '@'
            return str(value).split("@")[-1]
    return str(value)


@click.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@db_option
@click.pass_context
def settings_cmd(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Show every setting: its value, where it came from (default, environment, flag) and its variable.

    Each setting NAME is read from the environment variable PROVENANCE_NAME; a flag (--db) wins.
    """
    from compliance.settings import effective

    rows = [{"name": r.setting.name, "value": _shown(r.value, r.setting.kind), "source": r.source,
             "variable": r.setting.env, "flag": r.setting.flag, "group": r.setting.group,
             "default": _shown(r.setting.default, r.setting.kind), "help": r.setting.help}
            for r in effective({"db": db_url(ctx, db)})]
    if as_json:
        echo_json(rows)
        return
    width = max(len(str(r["name"])) for r in rows)
    for r in rows:
        echo(f"{r['name']:<{width}}  {r['value']}  ({r['source']}; {r['variable']})")
