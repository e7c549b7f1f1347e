"""Pieces shared by the command modules: the --db option, error display, output helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = "Database URL or SQLite path (default: $PROVENANCE_DB, else ./provenance.db)."


# What a terminal would act on rather than show: C0/C1 controls (ESC sequences, CSI), DEL, bidi overrides and
# isolates (CVE-2021-42574), zero-width characters. Untrusted text (notices, crawled pages) never reaches the terminal
# with them: each is shown as its code point in angle brackets (⟨U+001B⟩ for ESC).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029]")


def terminal_text(text: str) -> str:
    """Text safe to print: controls and invisible or direction-changing characters made visible."""
    return _UNSAFE.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """click.echo for anything that may hold untrusted text."""
    click.echo(terminal_text(text), err=err, nl=nl)


def echo_json(data: Any) -> None:
    """JSON on stdout; the characters a terminal would act on are \\u-escaped (still the same JSON value)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class UserFacingError(click.ClickException):
    """Printed as a single `error: ...` line on stderr; exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {terminal_text(self.format_message())}", err=True)


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
