"""Business days, federal holidays, statutory windows and the clock seam."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.takedown.clock import (
    NOW_ENV,
    BusinessCalendar,
    FixedClock,
    SystemClock,
    add_months,
    cure_deadline,
    default_calendar,
    dsa_complaint_deadline,
    parse_calendar,
    putback_window,
    system_clock,
    us_federal_holidays,
)
from compliance.errors import InputError
from compliance.takedown.stats import hours_between, median, p90

D = date.fromisoformat

# Observed dates as OPM publishes them (opm.gov "Federal Holidays"), one row per year.
OPM = {
    2021: ["2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05", "2021-09-06",
           "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24"],
    2022: ["2021-12-31", "2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05",
           "2022-10-10", "2022-11-11", "2022-11-24", "2022-12-26"],
    2023: ["2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04",
           "2023-10-09", "2023-11-10", "2023-11-23", "2023-12-25"],
    2024: ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02",
           "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"],
    2025: ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
           "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"],
    2026: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
           "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"],
    2027: ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
           "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24"],
}


@pytest.mark.parametrize("year", sorted(OPM))
def test_federal_holidays_match_opm(year: int) -> None:
    assert sorted(us_federal_holidays(year)) == [D(d) for d in OPM[year]]


def test_holiday_names_and_observed_marks() -> None:
    assert us_federal_holidays(2022)[D("2022-12-26")] == "Christmas Day (observed)"
    assert us_federal_holidays(2022)[D("2021-12-31")] == "New Year's Day (observed)"
    assert us_federal_holidays(2026)[D("2026-07-03")] == "Independence Day (observed)"
    assert us_federal_holidays(2025)[D("2025-11-27")] == "Thanksgiving Day"
    assert us_federal_holidays(2023)[D("2023-06-19")] == "Juneteenth National Independence Day"
    assert len(us_federal_holidays(2020)) == 10  # no Juneteenth before 2021


def test_default_calendar_sees_next_years_new_year_on_dec_31() -> None:
    cal = default_calendar()
    assert not cal.is_business_day(D("2021-12-31"))
    assert not cal.is_business_day(D("2027-12-31"))  # 2028-01-01 is a Saturday
    assert cal.holiday_name(D("2027-12-31")) == "New Year's Day (observed)"
    assert cal.is_business_day(D("2025-11-28"))  # the day after Thanksgiving is not a federal holiday
    assert cal.is_business_day(D("2099-03-03"))  # any year works


def test_putback_window_across_thanksgiving() -> None:
    received = datetime(2025, 11, 19, 16, 30, tzinfo=timezone.utc)
    assert putback_window(received, default_calendar()) == (D("2025-12-04"), D("2025-12-10"))
    # Sensitivity: without holidays Thanksgiving counts and the window starts a day earlier.
    assert putback_window(received, BusinessCalendar({}))[0] == D("2025-12-03")


def test_putback_window_across_christmas_and_new_year() -> None:
    received = datetime(2025, 12, 19, 9, 0, tzinfo=timezone.utc)
    assert putback_window(received, default_calendar()) == (D("2026-01-06"), D("2026-01-12"))
    assert putback_window(received, BusinessCalendar({})) == (D("2026-01-02"), D("2026-01-08"))


def test_counting_starts_the_business_day_after() -> None:
    cal = default_calendar()
    assert cal.add_business_days(D("2025-11-21"), 1) == D("2025-11-24")  # Friday -> Monday
    assert cal.add_business_days(D("2025-11-22"), 1) == D("2025-11-24")  # received on a Saturday
    assert cal.add_business_days(D("2025-11-24"), 0) == D("2025-11-24")
    assert cal.add_business_days(D("2025-11-28"), -1) == D("2025-11-26")  # back over Thanksgiving
    assert cal.business_days_between(D("2025-11-24"), D("2025-11-24")) == 0


def test_cure_deadline_is_policy_ten_business_days() -> None:
    sent = datetime(2025, 11, 24, 12, tzinfo=timezone.utc)
    assert cure_deadline(sent, default_calendar()) == D("2025-12-09")
    assert cure_deadline(sent, default_calendar(), business_days=3) == D("2025-11-28")


def test_timezone_decides_the_date_of_an_instant() -> None:
    from zoneinfo import ZoneInfo

    late = datetime(2025, 11, 25, 2, 0, tzinfo=timezone.utc)  # still 24 Nov in New York
    assert default_calendar().to_date(late) == D("2025-11-25")
    assert BusinessCalendar(tz=ZoneInfo("America/New_York")).to_date(late) == D("2025-11-24")


@pytest.mark.parametrize(("notified", "deadline"), [
    ("2025-08-31", "2026-02-28"), ("2023-08-31", "2024-02-29"), ("2025-01-15", "2025-07-15"),
    ("2025-07-31", "2026-01-31"), ("2025-12-31", "2026-06-30")])
def test_dsa_complaint_deadline_is_six_calendar_months_clamped(notified: str, deadline: str) -> None:
    assert dsa_complaint_deadline(D(notified)) == D(deadline)
    assert dsa_complaint_deadline(datetime.fromisoformat(notified + "T23:00:00+00:00")) == D(deadline)


def test_add_months_negative() -> None:
    assert add_months(D("2024-03-31"), -1) == D("2024-02-29")


DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(min_value=1, max_value=60))
def test_add_business_days_lands_on_a_business_day(start: date, n: int) -> None:
    cal = default_calendar()
    assert cal.is_business_day(cal.add_business_days(start, n))
    assert cal.is_business_day(cal.add_business_days(start, -n))


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(min_value=-40, max_value=40), st.integers(min_value=0, max_value=20))
def test_add_business_days_is_monotone(start: date, n: int, k: int) -> None:
    cal = default_calendar()
    assert cal.add_business_days(start, n) <= cal.add_business_days(start, n + k)


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(min_value=-60, max_value=60))
def test_between_inverts_add(start: date, n: int) -> None:
    cal = default_calendar()
    assert cal.business_days_between(start, cal.add_business_days(start, n)) == n


def test_text_calendar_file(tmp_path: Path) -> None:
    path = tmp_path / "office.txt"
    path.write_text("# our office\nname: Dublin office\nweekend: fri sat\ntimezone: Europe/Dublin\n"
                    "2025-03-17 St Patrick's Day\n\n2025-12-26  St Stephen's Day  # comment\n", encoding="utf-8")
    cal = BusinessCalendar.from_file(path)
    assert cal.name == "Dublin office" and cal.weekend == frozenset({4, 5})
    assert not cal.is_business_day(D("2025-03-17")) and cal.holiday_name(D("2025-12-26")) == "St Stephen's Day"
    assert cal.is_business_day(D("2025-03-16"))  # a Sunday, a working day here
    assert cal.is_business_day(D("2025-12-25"))  # no US federal holidays unless included


def test_text_calendar_can_include_federal_holidays() -> None:
    cal = parse_calendar("include: us-federal\n2025-12-24 Christmas Eve\n")
    assert not cal.is_business_day(D("2025-12-24")) and not cal.is_business_day(D("2025-12-25"))


def test_json_calendar(tmp_path: Path) -> None:
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({"name": "EU ops", "weekend": ["sat", "sun"], "include_us_federal": False,
                                "holidays": [{"date": "2025-05-01", "name": "Labour Day"}]}), encoding="utf-8")
    cal = BusinessCalendar.from_file(path)
    assert cal.name == "EU ops" and not cal.is_business_day(D("2025-05-01"))
    assert parse_calendar('{"holidays": {"2025-05-09": "Europe Day"}}').holiday_name(D("2025-05-09")) == "Europe Day"


@pytest.mark.parametrize(("text", "needle"), [
    ("2025-12-25 Christmas\n2025-13-01 Nope\n", "line 2"),
    ("2025-12-25\n", "line 1"),
    ("weekend: sat funday\n", "line 1"),
    ("\n\ninclude: uk-bank\n", "line 3"),
    ("timezone: Mars/Olympus\n", "line 1"),
    ('{"holidays": {"2025-12-25": ""}}', "holiday 1"),
    ('{"holidays": [{"date": "xmas", "name": "X"}]}', "holiday 1"),
    ('{"holidays": 3}', "holidays must be"),
    ('{"name": "x",\n "holidays": }', "line 2"),
])
def test_bad_calendar_files_name_the_line(text: str, needle: str) -> None:
    with pytest.raises(InputError) as info:
        parse_calendar(text, source="cal.txt")
    assert needle in info.value.message and info.value.hint


def test_unreadable_calendar_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        BusinessCalendar.from_file(tmp_path / "missing.txt")


def test_weekend_must_leave_a_working_day() -> None:
    with pytest.raises(InputError):
        BusinessCalendar(weekend=frozenset(range(7)))


def test_fixed_clock_and_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FixedClock(datetime(2025, 11, 24, 9, 0))
    assert clock.now() == datetime(2025, 11, 24, 9, 0, tzinfo=timezone.utc)
    clock.advance(timedelta(hours=2))
    assert clock.now().hour == 11

    monkeypatch.delenv(NOW_ENV, raising=False)
    real = system_clock()
    assert isinstance(real, SystemClock) and real.note is None and real.now().tzinfo is not None

    monkeypatch.setenv(NOW_ENV, "2025-11-24T10:00:00+01:00")
    pinned = system_clock()
    assert pinned.now() == datetime(2025, 11, 24, 9, 0, tzinfo=timezone.utc)
    assert pinned.note is not None and NOW_ENV in pinned.note  # a set clock is recorded

    monkeypatch.setenv(NOW_ENV, "yesterday")
    with pytest.raises(InputError) as info:
        system_clock()
    assert NOW_ENV in info.value.message


def test_stats_median_and_nearest_rank_p90() -> None:
    assert median([]) is None and p90([]) is None
    assert median([5, 1, 3]) == 3 and median([1, 2, 3, 4]) == 2.5
    values = list(range(1, 11))  # 1..10: nearest rank ceil(0.9 * 10) = 9th
    assert p90(values) == 9 and p90([7]) == 7 and p90(range(1, 12)) == 10
    a = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert hours_between(a, a + timedelta(minutes=90)) == 1.5


def test_an_eu_operators_business_days_follow_its_member_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_JURISDICTION", "IE")
    cal = default_calendar()
    assert cal.name == "IE public holidays"
    assert not cal.is_business_day(D("2026-03-17"))  # St Patrick's Day
    assert cal.is_business_day(D("2026-07-03"))  # not a holiday outside the US
    monkeypatch.setenv("PROVENANCE_JURISDICTION", "DE-BY")
    assert not default_calendar().is_business_day(D("2026-01-06"))  # Epiphany in Bavaria
    monkeypatch.setenv("PROVENANCE_JURISDICTION", "DE-BE")
    assert default_calendar().is_business_day(D("2026-01-06"))  # not in Berlin
    monkeypatch.setenv("PROVENANCE_JURISDICTION", "XX")
    with pytest.raises(InputError) as info:
        default_calendar()
    assert "PROVENANCE_JURISDICTION" in info.value.one_line()


def test_a_calendar_file_may_include_a_jurisdiction() -> None:
    cal = parse_calendar("name: Dublin desk\ninclude: IE\n2026-12-24 Office closed\n")
    assert not cal.is_business_day(D("2026-03-17")) and not cal.is_business_day(D("2026-12-24"))
    with pytest.raises(InputError) as info:
        parse_calendar("\ninclude: Atlantis\n")
    assert "line 2" in info.value.one_line()
