"""`provenance takedown ...`: notices in, tickets through their workflow, letters and removal lists out.

The group is assembled from one module per stage: `intake.py` (ingest), `tickets.py` (list, show, match, due),
`decisions.py` (act, counter, complaint, court-action, restore, verify).
"""

from __future__ import annotations

import getpass
from typing import Any

import click

from compliance.takedown.notices.profiles import PROFILES

ACTOR_HELP = "Who is acting (recorded in every event; default: the login name)."
PROFILE_HELP = (f"Also read notices with a named profile of a published notice archive ({', '.join(sorted(PROFILES))}); "
                "the operator's own sites come from `provenance sites`.")


def actor_name(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "operator"


def clock_now() -> Any:
    from compliance.takedown.clock import system_clock

    return system_clock().now()


@click.group("takedown")
def takedown_group() -> None:
    """Takedown tickets: ingest notices, find every copy, act, handle counter-notices, see what is due."""


def notice_service(engine: Any, profile: str | None) -> Any:
    """The service notices are read against: the operator's own sites, plus a named profile if one is chosen."""
    from compliance.db import session_scope
    from compliance.takedown.addressee import operator_service

    with session_scope(engine) as session:
        return operator_service(session, profile)


def _register() -> None:
    from compliance.cli.takedown import decisions, intake, tickets  # noqa: F401  (their commands join the group)


_register()
