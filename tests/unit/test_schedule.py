"""Business days and due times, with worked examples and Hypothesis properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.calendar import BusinessCalendar, local_datetime, parse_when
from followup.core.model import Interview, ScheduleConfig
from followup.core.schedule import (
    THANK_YOU_EXPIRY,
    check_in_due,
    closure_due,
    promised_date,
    thank_you_due,
)
from followup.holiday_tables import calendar_for, holidays_problem, load_holidays

NY = ZoneInfo("America/New_York")
SCHED = ScheduleConfig(timezone="America/New_York", holidays="US")
US = calendar_for(SCHED)


def interview(
    on: dt.date,
    promised: dt.date | None = None,
    started_at: dt.datetime | None = None,
) -> Interview:
    return Interview(
        id="acme-backend",
        company="Acme Corp",
        role="Backend Engineer",
        interviewed_on=on,
        started_at=started_at or dt.datetime.combine(on, dt.time(0, 0), tzinfo=NY),
        reply_promised_by=promised,
    )


# --- worked examples ------------------------------------------------------------------------


def test_promise_on_friday_before_thanksgiving_is_due_the_next_friday() -> None:
    due = check_in_due(interview(dt.date(2026, 11, 16), dt.date(2026, 11, 20)), SCHED, US)
    assert due == dt.datetime(2026, 11, 27, 9, 0, tzinfo=NY)


def test_promise_on_thanksgiving_eve_is_due_the_wednesday_after() -> None:
    due = check_in_due(interview(dt.date(2026, 11, 16), dt.date(2026, 11, 25)), SCHED, US)
    assert due == dt.datetime(2026, 12, 2, 9, 0, tzinfo=NY)


def test_without_a_promise_the_default_wait_stands_in_for_it() -> None:
    iv = interview(dt.date(2026, 11, 16))
    assert promised_date(iv, SCHED, US) == dt.date(2026, 11, 23)
    assert check_in_due(iv, SCHED, US) == dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY)


def test_grace_and_draft_time_come_from_the_schedule() -> None:
    sched = ScheduleConfig(
        timezone="America/New_York",
        holidays="US",
        grace_business_days=1,
        draft_time=dt.time(13, 30),
    )
    due = check_in_due(interview(dt.date(2026, 11, 16), dt.date(2026, 11, 20)), sched, US)
    assert due == dt.datetime(2026, 11, 23, 13, 30, tzinfo=NY)


def test_due_times_are_in_the_configured_zone() -> None:
    due = check_in_due(interview(dt.date(2026, 11, 16), dt.date(2026, 11, 20)), SCHED, US)
    assert due.tzinfo == NY
    assert due.utcoffset() == dt.timedelta(hours=-5)


# --- business calendar ----------------------------------------------------------------------


def test_adding_zero_business_days_returns_the_same_date_even_on_a_weekend() -> None:
    saturday = dt.date(2026, 11, 21)
    assert US.add_business_days(saturday, 0) == saturday


def test_adding_one_business_day_to_friday_gives_monday() -> None:
    assert US.add_business_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)


def test_negative_business_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        US.add_business_days(dt.date(2026, 11, 20), -1)


def test_thanksgiving_and_weekends_are_not_business_days() -> None:
    assert not US.is_business_day(dt.date(2026, 11, 26))
    assert not US.is_business_day(dt.date(2026, 11, 28))
    assert US.is_business_day(dt.date(2026, 11, 27))


def test_observed_holiday_is_not_a_business_day() -> None:
    # July 4th 2026 is a Saturday; the federal holiday is observed on Friday the 3rd.
    assert not US.is_business_day(dt.date(2026, 7, 3))


def test_calendar_without_holidays_only_skips_non_workdays() -> None:
    cal = BusinessCalendar((0, 1, 2, 3, 4), None, NY)
    assert cal.is_business_day(dt.date(2026, 11, 26))


def test_custom_workdays_make_sunday_a_business_day() -> None:
    sunday_to_thursday = BusinessCalendar((6, 0, 1, 2, 3), None, NY)
    assert sunday_to_thursday.is_business_day(dt.date(2026, 11, 22))
    assert not sunday_to_thursday.is_business_day(dt.date(2026, 11, 20))
    assert sunday_to_thursday.add_business_days(dt.date(2026, 11, 19), 1) == dt.date(2026, 11, 22)


def test_subdivision_holidays_apply_only_to_that_subdivision() -> None:
    epiphany = dt.date(2027, 1, 6)  # a Wednesday; a holiday in Bavaria, not in Berlin
    assert not BusinessCalendar(holidays="DE-BY", loader=load_holidays).is_business_day(epiphany)
    assert BusinessCalendar(holidays="DE-BE", loader=load_holidays).is_business_day(epiphany)


def test_holiday_spec_is_case_insensitive() -> None:
    boxing_day = dt.date(2025, 12, 26)  # a Friday
    assert not BusinessCalendar(holidays="gb-eng", loader=load_holidays).is_business_day(boxing_day)


def test_holidays_are_loaded_lazily_and_once_per_year() -> None:
    calls: list[tuple[str, str | None, int]] = []

    def loader(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
        calls.append((country, subdiv, year))
        return frozenset({dt.date(year, 1, 2)})

    cal = BusinessCalendar(holidays="DE-BY", loader=loader)
    assert calls == []
    assert not cal.is_business_day(dt.date(2026, 1, 2))
    assert cal.is_business_day(dt.date(2026, 1, 5))
    cal.add_business_days(dt.date(2026, 12, 30), 3)
    assert calls == [("DE", "BY", 2026), ("DE", "BY", 2027)]


def test_calendar_without_holiday_spec_never_loads_holidays() -> None:
    def loader(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
        raise AssertionError("must not load")

    cal = BusinessCalendar(loader=loader)
    assert cal.add_business_days(dt.date(2026, 11, 20), 3) == dt.date(2026, 11, 25)


def test_calendar_rejects_no_workdays() -> None:
    with pytest.raises(ValueError, match="workday"):
        BusinessCalendar(())


# --- holidays_problem -----------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["US", "GB", "DE-BY", "gb-eng", " US "])
def test_known_holiday_specs_have_no_problem(spec: str) -> None:
    assert holidays_problem(spec) is None


def test_unknown_country_names_the_code_and_shows_an_example() -> None:
    problem = holidays_problem("XX")
    assert problem is not None
    assert "unknown country 'XX'" in problem
    assert '"US"' in problem and '"DE-BY"' in problem


def test_unknown_subdivision_lists_the_known_ones() -> None:
    problem = holidays_problem("DE-ZZ")
    assert problem is not None
    assert "'ZZ'" in problem and "BY" in problem


def test_empty_holiday_spec_is_a_problem() -> None:
    assert holidays_problem("") is not None


# --- thank-you and closure ------------------------------------------------------------------


def test_thank_you_is_due_on_the_interview_day_at_thank_you_time() -> None:
    due = thank_you_due(interview(dt.date(2026, 11, 16)), SCHED)
    assert due == dt.datetime(2026, 11, 16, 17, 0, tzinfo=NY)


def test_thank_you_for_an_evening_interview_waits_until_it_is_over() -> None:
    start = dt.datetime(2026, 11, 16, 17, 30, tzinfo=NY)
    due = thank_you_due(interview(dt.date(2026, 11, 16), started_at=start), SCHED)
    assert due == dt.datetime(2026, 11, 16, 18, 30, tzinfo=NY)


def test_thank_you_expires_after_two_days() -> None:
    assert dt.timedelta(hours=48) == THANK_YOU_EXPIRY


def test_closure_counts_from_the_local_date_of_the_follow_up() -> None:
    # 03:00 UTC on Dec 1 is still Monday Nov 30 in New York.
    sent = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    assert closure_due(sent, SCHED, US) == dt.datetime(2026, 12, 9, 9, 0, tzinfo=NY)


def test_closure_rejects_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        closure_due(dt.datetime(2026, 12, 1, 3, 0), SCHED, US)


# --- DST ------------------------------------------------------------------------------------


def test_check_in_after_dst_ends_is_still_nine_local() -> None:
    due = check_in_due(interview(dt.date(2026, 10, 26), dt.date(2026, 10, 30)), SCHED, US)
    assert due == dt.datetime(2026, 11, 5, 9, 0, tzinfo=NY)
    assert due.utcoffset() == dt.timedelta(hours=-5)


def test_check_in_after_dst_starts_is_still_nine_local() -> None:
    due = check_in_due(interview(dt.date(2027, 3, 8), dt.date(2027, 3, 12)), SCHED, US)
    assert (due.hour, due.minute) == (9, 0)
    assert due.utcoffset() == dt.timedelta(hours=-4)


def test_wall_time_skipped_by_dst_moves_forward() -> None:
    moment = local_datetime(dt.date(2026, 3, 8), dt.time(2, 30), NY)
    assert (moment.hour, moment.minute) == (3, 30)
    assert moment.utcoffset() == dt.timedelta(hours=-4)


# --- parse_when -----------------------------------------------------------------------------


def test_bare_date_is_midnight_in_the_configured_zone() -> None:
    assert parse_when("2026-11-20", NY) == dt.datetime(2026, 11, 20, 0, 0, tzinfo=NY)


def test_datetime_without_offset_is_read_in_the_configured_zone() -> None:
    parsed = parse_when("2026-11-20T09:15", NY)
    assert parsed == dt.datetime(2026, 11, 20, 9, 15, tzinfo=NY)
    assert parsed.utcoffset() == dt.timedelta(hours=-5)


def test_datetime_with_offset_keeps_its_offset() -> None:
    parsed = parse_when("2026-11-20T09:00+01:00", NY)
    assert parsed == dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def test_trailing_z_means_utc() -> None:
    assert parse_when("2026-11-20T14:00Z", NY) == dt.datetime(2026, 11, 20, 9, 0, tzinfo=NY)


@pytest.mark.parametrize("text", ["tomorrow", "", "2026-13-01", "20/11/2026"])
def test_unparseable_time_raises_a_clear_error(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_when(text, NY)


# --- properties -----------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31))
counts = st.integers(min_value=0, max_value=30)
zones = st.sampled_from(
    ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "UTC"]
)


@settings(max_examples=200, deadline=None)
@given(promise=dates, grace=st.integers(min_value=1, max_value=15))
def test_check_in_due_date_is_a_business_day(promise: dt.date, grace: int) -> None:
    sched = ScheduleConfig(timezone="America/New_York", holidays="US", grace_business_days=grace)
    due = check_in_due(interview(promise - dt.timedelta(days=3), promise), sched, US)
    assert US.is_business_day(due.date())


@settings(max_examples=200, deadline=None)
@given(promise=dates, grace=st.integers(min_value=0, max_value=15))
def test_check_in_is_never_before_promise_plus_grace_business_days(
    promise: dt.date, grace: int
) -> None:
    sched = ScheduleConfig(timezone="America/New_York", holidays="US", grace_business_days=grace)
    due = check_in_due(interview(promise - dt.timedelta(days=3), promise), sched, US)
    assert due.date() >= promise + dt.timedelta(days=grace)
    between = [promise + dt.timedelta(days=i) for i in range(1, (due.date() - promise).days + 1)]
    assert sum(US.is_business_day(d) for d in between) == grace


@settings(max_examples=200, deadline=None)
@given(start=dates, n=counts, m=counts)
def test_adding_n_then_m_business_days_equals_adding_n_plus_m(
    start: dt.date, n: int, m: int
) -> None:
    assert US.add_business_days(US.add_business_days(start, n), m) == US.add_business_days(
        start, n + m
    )


@settings(max_examples=200, deadline=None)
@given(promise=dates, zone=zones)
def test_due_time_keeps_draft_time_local_across_dst(promise: dt.date, zone: str) -> None:
    sched = ScheduleConfig(timezone=zone)
    cal = calendar_for(sched)
    due = check_in_due(interview(promise - dt.timedelta(days=3), promise), sched, cal)
    local = due.astimezone(ZoneInfo(zone))
    assert (local.hour, local.minute) == (9, 0)
    assert local.date() == due.date()


@settings(max_examples=100, deadline=None)
@given(sent=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2032, 1, 1)))
def test_closure_is_a_business_day_after_the_follow_up(sent: dt.datetime) -> None:
    sent_at = sent.replace(tzinfo=dt.UTC)
    due = closure_due(sent_at, SCHED, US)
    assert due > sent_at
    assert US.is_business_day(due.date())
    assert (due.hour, due.minute) == (9, 0)
