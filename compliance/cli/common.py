"""Pieces shared by the command modules: the --db option, error display, output helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = "Database URL or SQLite path (default: $PROVENANCE_DB, else ./provenance.db)."


class UserFacingError(click.ClickException):
    """Printed as a single `error: ...` line on stderr; exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def db_option(func: F) -> F:
    """--db on the command too, so `provenance link --db X` and `provenance --db X link` both work."""
    return click.option("--db", "db", metavar="URL", default=None, help=DB_HELP)(func)


def db_url(ctx: click.Context, db: str | None) -> str | None:
    """The command's --db wins over the group's; None means $PROVENANCE_DB or ./provenance.db."""
    return db or (ctx.obj or {}).get("db")


def open_engine(ctx: click.Context, db: str | None) -> Engine:
    from compliance.db import open_db

    return open_db(db_url(ctx, db))


def verbose(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("verbose"))
