"""Every setting in one registry: name, default, type and help; overridden by the environment, then by flags.

Modelled on datasette's `SETTINGS`. No other module reads `os.environ`: they ask `value(name)`, and
`provenance settings` prints `effective()` with where each value came from. A setting `x` is read from the
environment variable `PROVENANCE_X`; a flag that sets it (`--db`) wins over the environment. Scrapy's own knobs
stay Scrapy settings (`crawler/settings.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from compliance.errors import InputError

PREFIX = "PROVENANCE_"


def _int(raw: str) -> int:
    value = float(raw)
    if not value.is_integer():
        raise ValueError(raw)
    return int(value)


def _flag(raw: str) -> bool:
    text = raw.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)


def _instant(raw: str) -> datetime:
    from compliance.dates import parse_instant

    return parse_instant(raw, f"{PREFIX}NOW")


def _text(raw: str) -> str:
    return raw.strip()


@dataclass(frozen=True)
class Setting:
    """One setting: `name` is read from PROVENANCE_<NAME>; `group` says what it is for."""

    name: str
    default: Any
    kind: str  # int | float | text | path | url | bool | instant | hosts
    group: str  # policy | storage | takedown | network | debugging
    help: str
    flag: str | None = None

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "int": _int, "float": float, "bool": _flag, "instant": _instant,
    "text": _text, "path": _text, "url": _text, "hosts": _text,
}
_EXPECTED = {"int": "a whole number", "float": "a number", "bool": "1/0, true/false, yes/no or on/off",
             "instant": "an ISO 8601 datetime"}

SETTINGS: tuple[Setting, ...] = (
    Setting("db", "provenance.db", "url", "storage",
            "Database: a SQLAlchemy URL (postgresql+psycopg://...) or a SQLite file path.", flag="--db"),
    Setting("simhash_radius", 8, "int", "policy",
            "Largest Hamming distance (of 64 bits) between text simhashes for a candidate match."),
    Setting("confirm_containment", 0.3, "float", "policy",
            "Word-shingle containment needed to confirm a text candidate as a match."),
    Setting("substantial_containment", 0.5, "float", "policy",
            "Share of the original's shingles reproduced that makes a substantial copy."),
    Setting("min_words", 40, "int", "policy",
            "Documents with fewer words are not fingerprinted for matching (menus, stubs)."),
    Setting("image_threshold", -1, "int", "policy",
            "Largest perceptual-hash distance for an image match (-1: each method's default, 8 bits for window "
            "prints, 12 for a single pHash)."),
    Setting("now", None, "instant", "takedown",
            "Pin the clock to this instant (tests, back-dating a paper record); recorded in every event."),
    Setting("jurisdiction", "US", "text", "takedown",
            "Whose public holidays make business days: an ISO 3166 country, optionally with a subdivision (US, IE, "
            "DE-BY, FR); from the holidays package."),
    Setting("calendar", None, "path", "takedown",
            "Business-day calendar file (JSON or 'YYYY-MM-DD name' lines) instead of the US federal holidays."),
    Setting("operator_name", "Content compliance team", "text", "takedown",
            "Who signs the takedown letters and statements of reasons."),
    Setting("operator_contact", "the contact address given on our website", "text", "takedown",
            "Where complainants, uploaders and DSA complaints are told to write."),
    Setting("operator_address", "", "text", "takedown",
            "The operator's postal address, lines separated by ';': quoted in a notice it is the addressee's, "
            "never the complainant's contact."),
    Setting("allow_hosts", "", "hosts", "network",
            "Comma-separated host:port origins the public-address guard lets through (a local test or demo server "
            "only; each request let through is logged)."),
    Setting("debug", False, "bool", "debugging",
            "Print the stack trace of an unexpected failure (after its one-line error)."),
)
BY_NAME = {s.name: s for s in SETTINGS}
POLICY = tuple(s.name for s in SETTINGS if s.group == "policy")


@dataclass(frozen=True)
class Resolved:
    """A setting's effective value and where it came from: `default`, `environment` or `flag`."""

    setting: Setting
    value: Any
    source: str
    raw: str | None = None


def _parse(setting: Setting, raw: str, where: str) -> Any:
    try:
        return _PARSERS[setting.kind](raw)
    except InputError:
        raise
    except ValueError:
        expected = _EXPECTED.get(setting.kind, "a value")
        raise InputError(f"{where}={raw!r} is not {expected}.",
                         f"set it to {expected}, or unset it for the default ({setting.default!r}).") from None


def resolve(name: str, flags: Mapping[str, Any] | None = None,
            environ: Mapping[str, str] | None = None) -> Resolved:
    """The value of one setting: a flag given (not None) wins, then a non-empty PROVENANCE_<NAME>, then the default."""
    setting = BY_NAME[name]
    flag = (flags or {}).get(name)
    if flag is not None:
        value = _parse(setting, flag, setting.flag or name) if isinstance(flag, str) else flag
        return Resolved(setting, value, "flag", str(flag))
    env = os.environ if environ is None else environ
    raw = env.get(setting.env)
    if raw is not None and raw.strip() != "":
        return Resolved(setting, _parse(setting, raw, setting.env), "environment", raw)
    return Resolved(setting, setting.default, "default")


def value(name: str, flags: Mapping[str, Any] | None = None) -> Any:
    """The effective value of one setting (see `resolve`)."""
    return resolve(name, flags).value


def effective(flags: Mapping[str, Any] | None = None) -> list[Resolved]:
    """Every setting's effective value and its source, in registry order (what `provenance settings` prints)."""
    return [resolve(s.name, flags) for s in SETTINGS]


def policy(flags: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The matching and audit policy: the `policy` settings as numbers, recorded with every audit run."""
    out = {name: float(value(name, flags)) for name in POLICY}
    if out["image_threshold"] < 0:
        from compliance.fingerprints.imagehash import MATCH_THRESHOLD
        from compliance.fingerprints.imagematch import (
            MATCH_THRESHOLD as WINDOW_THRESHOLD,
        )

        out["image_threshold"] = float(MATCH_THRESHOLD)
        out["image_window_threshold"] = float(WINDOW_THRESHOLD)
    else:
        out["image_window_threshold"] = out["image_threshold"]
    return out


__all__ = ["BY_NAME", "POLICY", "PREFIX", "SETTINGS", "Resolved", "Setting", "effective", "policy", "resolve", "value"]
