"""A command's unit of work: its database writes and the files it writes (letters, removal lists) land together.

compliance builds the letter data, reports renders it; they meet only here. Everything is rendered inside the
session, so a letter that cannot be produced rolls the decision back; files are written just before the commit
and removed again if the commit fails, so a command leaves all of its work or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.errors import ReportError


class Outbox:
    """Files a unit of work will write: kept in memory until `flush`, removed again by `discard`."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, str | bytes]] = []
        self.written: list[Path] = []

    def add(self, path: Path, content: str | bytes) -> Path:
        self.pending.append((path, content))
        return path

    def paths(self) -> list[Path]:
        return [path for path, _ in self.pending]

    def flush(self) -> None:
        for path, content in self.pending:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
            except OSError as exc:  # the message is about the path we were given, not an internal one
                raise ReportError(f"cannot write {path}: {exc.strerror or exc}.",
                                  "pick a writable folder; nothing was recorded.") from None
            self.written.append(path)

    def discard(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()


def letters_folder(folder: Path) -> Path:
    """The letters folder, created if its parent exists (checked before any work is done)."""
    if not folder.parent.resolve().is_dir():
        raise ReportError(f"cannot write letters into {folder}: its parent folder does not exist.",
                          "create it or pass --letters-dir.")
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[tuple[Session, Outbox]]:
    """One session and one outbox: commit and files together, or neither."""
    from compliance.db import session_scope

    outbox = Outbox()
    try:
        with session_scope(engine) as session:
            yield session, outbox
            outbox.flush()
    except BaseException:
        outbox.discard()
        raise


def add_letters(session: Session, outbox: Outbox, ticket_id: int, kinds: list[str], folder: Path,
                now: datetime) -> list[Path]:
    """Render each letter kind for the ticket as FOLDER/ticket-ID-KIND.txt (and the SoR JSON) into the outbox."""
    from compliance.takedown.letters import letter_data, statement_data
    from compliance.takedown.workflow import get_ticket
    from reports.letters import render_letter, render_statement_of_reasons, statement_of_reasons_json

    session.flush()
    ticket = get_ticket(session, ticket_id)
    data = letter_data(session, ticket, now)
    paths: list[Path] = []
    for kind in kinds:
        path = folder / f"ticket-{ticket_id}-{kind.replace('_', '-')}.txt"
        if kind == "statement_of_reasons":
            sor = statement_data(session, ticket, now)
            paths.append(outbox.add(path, render_statement_of_reasons(sor)))
            paths.append(outbox.add(path.with_suffix(".json"), json.dumps(statement_of_reasons_json(sor),
                                                                          ensure_ascii=False, indent=2)))
            continue
        paths.append(outbox.add(path, render_letter(kind, data)))
    return paths
