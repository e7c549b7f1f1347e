"""Dates and instants: every stored time is an aware UTC datetime, parsed once where the text comes in.

Pages and letters write dates every way ("March 4, 2026", "04/03/2026", "Wed, 04 Mar 2026 08:30:00 GMT",
"2026-03-04T08:30+05:00"); compared as text, "08:30+05:00" sorts after "05:00Z" though it is earlier. So the text
is kept as written (it is evidence) and parsed here into UTC for every comparison. Strict parsers are for what
the user types (`--from`, `PROVENANCE_NOW`): a typo there is an error, not a guess.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from compliance.errors import InputError

# Dates outside this range are typos or sentinels ("9999-12-31", "0001-01-01"), never publication dates.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|z|[+-]\d{2}:?\d{2})?\Z")
_MAX_TEXT = 200  # longer "dates" are prose; never hand them to the lenient parser


def utcnow() -> datetime:
    """Timezone-aware now; every stored time is UTC."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def parse_instant(text: str, where: str = "datetime") -> datetime:
    """Parse an ISO 8601 date or datetime ("Z" allowed) into aware UTC; anything else is the user's error."""
    try:
        return as_utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        raise InputError(f"{where}: {text!r} is not an ISO 8601 datetime.",
                         "write e.g. 2025-11-24T15:00:00Z") from None


def parse_day(text: str, where: str = "date") -> date:
    """Parse a YYYY-MM-DD day the user typed; anything else is the user's error."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{where} '{text}' is not a date.", "write dates as YYYY-MM-DD.") from None


def _plausible(value: datetime) -> datetime | None:
    return as_utc(value) if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


def _iso(text: str) -> datetime | None:
    if not _ISO.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00").replace(",", "."))
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    """E-mail and HTTP dates ("Wed, 04 Mar 2026 08:30:00 GMT", RFC 5322 / RFC 9110 IMF-fixdate)."""
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@lru_cache(maxsize=4096)
def _lenient(text: str, languages: tuple[str, ...] | None, day_first: bool) -> datetime | None:
    import dateparser

    settings = {
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if day_first else "MDY",
        # Relative phrases ("2 hours ago") would be read against the crawl time: never a publication date.
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["year", "month"],
    }
    with warnings.catch_warnings():  # dateparser warns about pytz/regex internals on some inputs
        warnings.simplefilter("ignore")
        try:
            found: datetime | None = dateparser.parse(text, languages=list(languages) if languages else None,
                                                      settings=settings)
            return found
        except (ValueError, OverflowError, TypeError, AttributeError, KeyError):
            return None


def parse_lenient(text: str | None, language: str | None = None, *, day_first: bool | None = None) -> datetime | None:
    """A date as pages and letters write it, as aware UTC; None when it is no date or an implausible one.

    ISO 8601 and RFC 2822 are read exactly; anything else goes to `dateparser` (absolute dates only). A date
    without a time is midnight UTC; one without a zone is taken as UTC. "04/03/2026" is read day-first when the
    text's language usually writes days first (anything but English as written in the US), unless `day_first`
    says otherwise.
    """
    if not text:
        return None
    cleaned = " ".join(str(text).split())
    if not cleaned or len(cleaned) > _MAX_TEXT:
        return None
    exact = _iso(cleaned) or _rfc2822(cleaned)
    if exact is not None:
        return _plausible(exact)
    lang = (language or "").split("-")[0].split("_")[0].lower() or None
    if day_first is None:
        day_first = lang not in (None, "en") or (language or "").lower() in ("en-gb", "en_gb", "en-ie", "en-au",
                                                                             "en-nz", "en-in", "en-za")
    # Without a language, English only: guessing among every locale dateparser knows takes seconds per text.
    found = _lenient(cleaned, (lang, "en") if lang and lang != "en" else ("en",), day_first)
    return _plausible(found) if found is not None else None


_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?\Z")


def parse_machine(text: str | None) -> datetime | None:
    """A date a machine wrote (sitemap lastmod, feed pubDate), as aware UTC; None when it is not one, never guessed.

    W3C Datetime (ISO 8601 down to "2026" and "2026-03", read as the first instant of that year or month) and
    RFC 2822 are read exactly; nothing goes to `dateparser`, so a 50,000-URL sitemap stays fast.
    """
    if not text:
        return None
    cleaned = " ".join(str(text).split())
    if not cleaned or len(cleaned) > _MAX_TEXT:
        return None
    coarse = _YEAR_MONTH.match(cleaned)
    if coarse is not None:
        try:
            return _plausible(datetime(int(coarse.group(1)), int(coarse.group(2) or 1), 1, tzinfo=timezone.utc))
        except ValueError:
            return None
    exact = _iso(cleaned) or _rfc2822(cleaned)
    return _plausible(exact) if exact is not None else None


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a datetime or date, None for None."""
    return value.isoformat() if value is not None else None


__all__ = [
    "EARLIEST_YEAR", "LATEST_YEAR", "as_utc", "iso", "parse_day", "parse_instant", "parse_lenient", "parse_machine",
    "utcnow",
]
