"""Business-day calendars, statutory deadlines and the clock seam every takedown decision is timed by.

Pure: nothing here reads the database. Public holidays come from the maintained `holidays` package for the
operator's jurisdiction (US federal by default: 5 U.S.C. 6103 with OPM's observed days; an EU operator names its
member state); deadlines cite the provision they implement, or say that they are our policy.

`PROVENANCE_NOW` (an ISO 8601 datetime) pins `system_clock()` to a fixed instant. It exists for
end-to-end tests and for back-dating a ticket entered late from a paper record; a clock set this way
carries a `note` that callers record in the ticket's history, so a set clock is never silent.
"""

from __future__ import annotations

import calendar as _calendar
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from compliance.dates import as_utc, parse_instant
from compliance.errors import InputError

NOW_ENV = "PROVENANCE_NOW"  # the `now` setting

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _jurisdiction(code: str) -> tuple[str, str | None]:
    """("DE", "BY") from "DE-BY"; a country alone from "US"; InputError for what the holidays package lacks."""
    import holidays

    country, _, subdiv = code.strip().upper().partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise InputError(f"jurisdiction {code!r} is not a country the holidays package knows.",
                         "use an ISO 3166 code such as US, IE, DE or FR (PROVENANCE_JURISDICTION).")
    if subdiv and subdiv not in supported[country]:
        raise InputError(f"jurisdiction {code!r}: {country} has no subdivision {subdiv!r}.",
                         f"use one of {', '.join(supported[country][:12])}..." if supported[country] else
                         f"use {country} alone.")
    return country, subdiv or None


@lru_cache(maxsize=64)
def _public(country: str, subdiv: str | None, year: int) -> tuple[tuple[date, str], ...]:
    """The public holidays of a jurisdiction in a year, observed days included (the maintained `holidays` package)."""
    import holidays

    table = holidays.country_holidays(country, subdiv=subdiv, years=year)
    return tuple(sorted((day, str(name)) for day, name in table.items()))


def us_federal_holidays(year: int) -> dict[date, str]:
    """The year's federal holidays keyed by the weekday they are observed on, as OPM lists them (5 U.S.C. 6103).

    New Year's Day on a Saturday is observed on the preceding 31 December, so the table for a
    year can hold a date of the year before (OPM's 2022 table lists Friday 2021-12-31).
    """
    def new_years_eve(day: date, name: str) -> bool:  # the observed New Year's Day of the year after
        return day.month == 12 and "New Year" in name

    this_year = [(d, n) for d, n in _public("US", None, year) if not new_years_eve(d, n)]
    spilled = [(d, n) for d, n in _public("US", None, year - 1) if new_years_eve(d, n)]
    return {day: name for day, name in sorted(spilled + this_year) if day.weekday() < 5}


class BusinessCalendar:
    """Which days count as business days: weekends and holidays excluded."""

    def __init__(self, holidays: Mapping[date, str] | None = None,
                 weekend: frozenset[int] = frozenset({5, 6}), name: str = "US federal", *,
                 include_us_federal: bool | None = None, tz: tzinfo | None = None,
                 jurisdiction: str | None = None) -> None:
        if not weekend <= frozenset(range(7)) or len(weekend) == 7:
            raise InputError(f"Weekend {sorted(weekend)} is not a set of 0-6 weekdays leaving a working day.",
                             "use weekday numbers 0 (Monday) to 6 (Sunday)")
        self.holidays: dict[date, str] = dict(holidays or {})
        # No table given: the US federal rules, computed for whatever year is asked about.
        self.include_us_federal = holidays is None if include_us_federal is None else include_us_federal
        # The public holidays of a jurisdiction ("US", "IE", "DE-BY") from the holidays package, if one is named.
        code = jurisdiction or ("US" if self.include_us_federal else None)
        self.jurisdiction: tuple[str, str | None] | None = _jurisdiction(code) if code else None
        self.weekend = frozenset(weekend)
        self.name = name
        self.tz = tz  # aware datetimes are read in this zone before their date is taken

    def __repr__(self) -> str:
        return f"BusinessCalendar(name={self.name!r}, weekend={sorted(self.weekend)})"

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name if `day` is one in this calendar."""
        if day in self.holidays:
            return self.holidays[day]
        if self.jurisdiction is not None:
            for year in (day.year, day.year + 1):  # 31 Dec may observe next year's New Year's Day
                name = dict(_public(*self.jurisdiction, year)).get(day)
                if name:
                    return name
        return None

    def to_date(self, value: date | datetime) -> date:
        """The calendar date of an instant (in the calendar's zone when it has one)."""
        if isinstance(value, datetime):
            if self.tz is not None and value.tzinfo is not None:
                value = value.astimezone(self.tz)
            return value.date()
        return value

    def is_business_day(self, day: date | datetime) -> bool:
        """False on weekend days and holidays."""
        d = self.to_date(day)
        return d.weekday() not in self.weekend and self.holiday_name(d) is None

    def add_business_days(self, start: date | datetime, n: int) -> date:
        """The n-th business day after `start` (counting starts the next day); n < 0 counts back, 0 is start."""
        day = self.to_date(start)
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Business days in (a, b] when b >= a; minus those in [b, a) otherwise."""
        start, end = self.to_date(a), self.to_date(b)
        if end < start:
            return -sum(self.is_business_day(end + timedelta(days=i)) for i in range((start - end).days))
        return sum(self.is_business_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    @classmethod
    def from_file(cls, path: str | Path) -> BusinessCalendar:
        """Load a calendar from JSON or from text lines `YYYY-MM-DD name` (see `parse_calendar`)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read calendar file {p}: {exc}.", "pass a readable UTF-8 file") from None
        return parse_calendar(text, source=str(p))


def default_calendar() -> BusinessCalendar:
    """The calendar file named by the `calendar` setting, else the public holidays of the `jurisdiction` setting
    (US federal by default; an EU operator names its member state, "IE", "DE-BY")."""
    from compliance.settings import value

    path = value("calendar")
    if path:
        return BusinessCalendar.from_file(Path(path))
    code = str(value("jurisdiction") or "US")
    if code.strip().upper() == "US":
        return BusinessCalendar()
    return BusinessCalendar({}, name=f"{code.strip().upper()} public holidays", include_us_federal=False,
                            jurisdiction=code)


def _weekend(value: object, where: str) -> frozenset[int]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise InputError(f"{where}: weekend must be a list of days.", 'write e.g. "weekend: sat sun"')
    days: set[int] = set()
    for item in items:
        key = str(item).strip().lower()[:3]
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 6:
            days.add(item)
        elif key in _DAY_NAMES:
            days.add(_DAY_NAMES.index(key))
        else:
            raise InputError(f"{where}: {item!r} is not a weekday.", "use mon..sun or 0 (Monday) to 6 (Sunday)")
    return frozenset(days)


def _zone(value: object, where: str) -> tzinfo:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"{where}: unknown time zone {value!r}.",
                         "use an IANA name such as America/New_York") from None


def _day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date.", "write dates as YYYY-MM-DD") from None


_LINE = re.compile(r"(\S+)\s+(.*\S)\s*\Z")
_SETTING = re.compile(r"(name|weekend|include|timezone)\s*:\s*(.*?)\s*\Z", re.IGNORECASE)


def parse_calendar(text: str, source: str = "calendar") -> BusinessCalendar:
    """Parse a calendar: a JSON object, or text with `YYYY-MM-DD name` lines and optional settings.

    Text settings: `name: ...`, `weekend: sat sun`, `include: us-federal` (or a jurisdiction's public holidays:
    `include: IE`, `include: DE-BY`), `timezone: Area/City`; `#` starts a comment. JSON keys: name, weekend,
    include_us_federal, jurisdiction, timezone, and holidays as `{"YYYY-MM-DD": "name"}` or
    `[{"date": ..., "name": ...}]`.
    """
    if text.lstrip().startswith("{"):
        return _parse_json(text, source)
    holidays: dict[date, str] = {}
    options: dict[str, Any] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{source} line {number}"
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        setting = _SETTING.match(line)
        if setting:
            key, value = setting.group(1).lower(), setting.group(2)
            if key == "weekend":
                options["weekend"] = _weekend(value, where)
            elif key == "timezone":
                options["tz"] = _zone(value, where)
            elif key == "include":
                if value.lower().replace("_", "-") in ("us-federal", "us federal"):
                    options["include_us_federal"] = True
                else:
                    options["jurisdiction"] = _included(value, where)
            else:
                options["name"] = value
            continue
        match = _LINE.match(line)
        if not match:
            raise InputError(f"{where}: expected 'YYYY-MM-DD name', got {line[:60]!r}.",
                             "give each holiday a date and a name")
        holidays[_day(match.group(1), where)] = match.group(2)
    return BusinessCalendar(holidays, options.get("weekend", frozenset({5, 6})),
                            options.get("name", Path(source).stem or "custom"),
                            include_us_federal=options.get("include_us_federal", False), tz=options.get("tz"),
                            jurisdiction=options.get("jurisdiction"))


def _included(value: str, where: str) -> str:
    """A jurisdiction code a calendar file includes the public holidays of; errors name the line."""
    try:
        _jurisdiction(value)
    except InputError as exc:
        raise InputError(f"{where}: cannot include {value!r} ({exc.message})",
                         "include us-federal or a jurisdiction such as IE or DE-BY") from None
    return value


def _parse_json(text: str, source: str) -> BusinessCalendar:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source} line {exc.lineno}: invalid JSON ({exc.msg}).", "fix the JSON syntax") from None
    if not isinstance(raw, dict):
        raise InputError(f"{source}: a calendar must be a JSON object.", 'use {"holidays": {...}}')
    entries = raw.get("holidays", {})
    pairs: list[tuple[object, object]]
    if isinstance(entries, dict):
        pairs = list(entries.items())
    elif isinstance(entries, list):
        pairs = [(e.get("date"), e.get("name")) if isinstance(e, dict) else (e, None) for e in entries]
    else:
        raise InputError(f"{source}: holidays must be an object or a list.", 'use {"YYYY-MM-DD": "name"}')
    holidays: dict[date, str] = {}
    for index, (day, name) in enumerate(pairs):
        where = f"{source} holiday {index + 1}"
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}: {day!r} has no name.", "give each holiday a name")
        holidays[_day(day, where)] = name.strip()
    weekend = _weekend(raw["weekend"], source) if "weekend" in raw else frozenset({5, 6})
    tz = _zone(raw["timezone"], source) if raw.get("timezone") else None
    jurisdiction = _included(str(raw["jurisdiction"]), source) if raw.get("jurisdiction") else None
    return BusinessCalendar(holidays, weekend, str(raw.get("name") or Path(source).stem or "custom"),
                            include_us_federal=bool(raw.get("include_us_federal", False)), tz=tz,
                            jurisdiction=jurisdiction)


# ---- deadlines -------------------------------------------------------------------------------

def putback_window(counter_received: datetime | date, cal: BusinessCalendar) -> tuple[date, date]:
    """(earliest, latest) day to restore material after a counter-notice: 10 to 14 business days."""
    # 17 U.S.C. 512(g)(2)(C): replace the material "not less than 10, nor more than 14, business days
    # following receipt of the counter notice", unless the complainant first reports a court action.
    return cal.add_business_days(counter_received, 10), cal.add_business_days(counter_received, 14)


def cure_deadline(sent: datetime | date, cal: BusinessCalendar, business_days: int = 10) -> date:
    """The day we stop waiting for a cured notice: OUR policy (10 business days), not a statutory period."""
    # 17 U.S.C. 512(c)(3)(B)(ii) obliges us to attempt contact promptly; it sets no deadline for the reply.
    return cal.add_business_days(sent, business_days)


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def dsa_complaint_deadline(decision_notified: datetime | date) -> date:
    """Last day of the internal-complaint window: six calendar months after the decision is notified."""
    # DSA (Regulation (EU) 2022/2065) Art. 20(1): access "for a period of at least six months following
    # the decision", the period starting on the day the recipient is informed (Art. 16(5) or 17).
    day = decision_notified.date() if isinstance(decision_notified, datetime) else decision_notified
    return add_months(day, 6)


# ---- the clock seam --------------------------------------------------------------------------

class Clock(Protocol):
    """Where "now" comes from; `note` is recorded with any event timed by a clock that was set."""

    note: str | None

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, timezone-aware UTC."""

    note: str | None = None

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass
class FixedClock:
    """A clock stopped at `at` (tests; PROVENANCE_NOW); `advance` moves it on."""

    at: datetime
    note: str | None = None

    def __post_init__(self) -> None:
        self.at = as_utc(self.at)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        """Move the clock on by `delta`."""
        self.at += delta


def system_clock() -> Clock:
    """The clock commands use: real time, unless PROVENANCE_NOW sets it (recorded via `note`)."""
    from compliance.settings import value

    at = value("now")
    if at is None:
        return SystemClock()
    return FixedClock(at, note=f"clock set by {NOW_ENV}={at.isoformat()}")


__all__ = [
    "NOW_ENV", "BusinessCalendar", "Clock", "FixedClock", "SystemClock", "add_months", "as_utc",
    "cure_deadline", "default_calendar", "dsa_complaint_deadline", "parse_calendar", "parse_instant",
    "putback_window", "system_clock", "us_federal_holidays",
]
