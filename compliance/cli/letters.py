"""Writing a ticket's letters to files: compliance builds the data, reports renders it (wired only here)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine

from compliance.errors import ReportError


def write_letters(engine: Engine, ticket_id: int, kinds: list[str], folder: Path) -> list[Path]:
    """Render each letter kind for the ticket into FOLDER/ticket-ID-KIND.txt (and the SoR JSON)."""
    from compliance.takedown.clock import system_clock
    from compliance.db import session_scope
    from compliance.takedown.letters import letter_data, statement_data
    from compliance.takedown.workflow import get_ticket
    from reports.letters import render_letter, render_statement_of_reasons, statement_of_reasons_json

    if not folder.parent.resolve().is_dir():
        raise ReportError(f"cannot write letters into {folder}: its parent folder does not exist.",
                          "create it or pass --letters-dir.")
    folder.mkdir(exist_ok=True)
    now = system_clock().now()
    written: list[Path] = []
    with session_scope(engine) as session:
        ticket = get_ticket(session, ticket_id)
        data = letter_data(session, ticket, now)
        sor = statement_data(session, ticket, now) if "statement_of_reasons" in kinds else None
    for kind in kinds:
        path = folder / f"ticket-{ticket_id}-{kind.replace('_', '-')}.txt"
        if kind == "statement_of_reasons":
            assert sor is not None
            path.write_text(render_statement_of_reasons(sor), encoding="utf-8")
            json_path = path.with_suffix(".json")
            json_path.write_text(json.dumps(statement_of_reasons_json(sor), ensure_ascii=False, indent=2),
                                 encoding="utf-8")
            written += [path, json_path]
            continue
        path.write_text(render_letter(kind, data), encoding="utf-8")
        written.append(path)
    return written
