"""Business-day arithmetic and stage due times.

Pure: nothing here reads the clock. Every datetime that leaves this module is aware and in
the configured zone, so comparisons never mix naive and aware values.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

from followup.config import Interview, ScheduleConfig

THANK_YOU_EXPIRY = dt.timedelta(hours=48)
"""A thank-you more than this late after its due time is skipped: late thanks read badly."""

INTERVIEW_LENGTH = dt.timedelta(hours=1)
"""An interview that starts after ``thank_you_time`` gets its thank-you this long after."""

_MAX_SCAN_DAYS = 3700
"""Guard against calendars with no business day at all (e.g. every weekday a holiday)."""

HolidayLoader = Callable[[str, str | None, int], frozenset[dt.date]]


def _split_spec(spec: str) -> tuple[str, str | None]:
    country, _, subdiv = spec.strip().partition("-")
    return country.upper(), (subdiv.upper() or None)


def _load_holidays(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    """Public holidays of one year, via the ``holidays`` package (imported only when needed)."""
    import holidays

    table = holidays.country_holidays(country, subdiv=subdiv, years=year)
    return frozenset(d for d in table if d.year == year)


def holidays_problem(spec: str) -> str | None:
    """A message for the user when ``spec`` names no known country/subdivision, else None."""
    import holidays

    country, subdiv = _split_spec(spec)
    supported: dict[str, list[str]] = holidays.list_supported_countries()
    if not country or country not in supported:
        return (
            f"unknown country {country or spec.strip()!r}; "
            'use an ISO code like "US", "GB" or "DE-BY"'
        )
    if subdiv is not None:
        known = [str(s).upper() for s in supported[country]]
        if subdiv not in known:
            listed = ", ".join(sorted(known)) if known else "none"
            return f"unknown subdivision {subdiv!r} of {country}; known: {listed}"
    return None


class BusinessCalendar:
    """Which dates are business days: a workday that is not a public holiday.

    Holiday tables are loaded per year on first use and cached, so a calendar that is never
    asked about holidays never imports the ``holidays`` package.
    """

    def __init__(
        self,
        workdays: tuple[int, ...] = (0, 1, 2, 3, 4),
        holidays: str | None = None,
        tz: ZoneInfo | None = None,
        *,
        loader: HolidayLoader | None = None,
    ) -> None:
        if not workdays:
            raise ValueError("a business calendar needs at least one workday")
        if any(not 0 <= w <= 6 for w in workdays):
            raise ValueError(f"workdays must be 0 (Monday) to 6 (Sunday), got {workdays!r}")
        self.workdays = frozenset(workdays)
        self.holidays_spec = holidays
        self.tz = tz or ZoneInfo("UTC")
        self._country, self._subdiv = _split_spec(holidays) if holidays else ("", None)
        self._loader = loader or _load_holidays
        self._by_year: dict[int, frozenset[dt.date]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, sched: ScheduleConfig) -> BusinessCalendar:
        return cls(sched.workdays, sched.holidays, sched.tz)

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """The public holidays of ``year`` (empty without a holidays spec)."""
        if not self._country:
            return frozenset()
        with self._lock:
            cached = self._by_year.get(year)
            if cached is None:
                cached = self._loader(self._country, self._subdiv, year)
                self._by_year[year] = cached
            return cached

    def is_business_day(self, d: dt.date) -> bool:
        return d.weekday() in self.workdays and d not in self.holidays_in(d.year)

    def add_business_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th business day strictly after ``d``; ``n == 0`` gives ``d`` itself."""
        if n < 0:
            raise ValueError(f"cannot add a negative number of business days ({n})")
        current = d
        drought = 0  # days since the last business day seen
        while n > 0:
            current += dt.timedelta(days=1)
            if self.is_business_day(current):
                n -= 1
                drought = 0
            else:
                drought += 1
                if drought > _MAX_SCAN_DAYS:
                    raise ValueError("this calendar has no business days (check workdays)")
        return current


def local_datetime(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """``day`` at wall-clock ``at`` in ``tz``; a time skipped by a DST jump moves forward."""
    naive_local = dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    # Round-tripping through UTC turns a non-existent wall time into the real instant.
    return naive_local.astimezone(dt.UTC).astimezone(tz)


def thank_you_due(interview: Interview, sched: ScheduleConfig) -> dt.datetime:
    """``interviewed_on`` at ``thank_you_time``; never before the interview has ended."""
    tz = sched.tz
    due = local_datetime(interview.interviewed_on, sched.thank_you_time, tz)
    earliest = (interview.started_at + INTERVIEW_LENGTH).astimezone(tz)
    return max(due, earliest)


def promised_date(interview: Interview, sched: ScheduleConfig, cal: BusinessCalendar) -> dt.date:
    """The date the company promised an answer by, or the default wait when it promised none."""
    if interview.reply_promised_by is not None:
        return interview.reply_promised_by
    return cal.add_business_days(interview.interviewed_on, sched.default_wait_business_days)


def check_in_due(interview: Interview, sched: ScheduleConfig, cal: BusinessCalendar) -> dt.datetime:
    """``draft_time`` on the ``grace_business_days``-th business day after the promise."""
    promised = promised_date(interview, sched, cal)
    day = cal.add_business_days(promised, sched.grace_business_days)
    return local_datetime(day, sched.draft_time, sched.tz)


def closure_due(
    followup_sent_at: dt.datetime, sched: ScheduleConfig, cal: BusinessCalendar
) -> dt.datetime:
    """``draft_time`` on the ``closure_business_days``-th business day after the follow-up."""
    if followup_sent_at.tzinfo is None or followup_sent_at.utcoffset() is None:
        raise ValueError("closure_due needs an aware datetime for the follow-up")
    sent_day = followup_sent_at.astimezone(sched.tz).date()
    day = cal.add_business_days(sent_day, sched.closure_business_days)
    return local_datetime(day, sched.draft_time, sched.tz)


def parse_when(text: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date or datetime as an aware datetime; without an offset it is read in ``tz``."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("empty time; use ISO 8601, e.g. 2026-11-20 or 2026-11-20T09:00")
    if cleaned[-1] in "zZ":
        cleaned = cleaned[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"not an ISO 8601 date or time: {text!r} "
            "(e.g. 2026-11-20, 2026-11-20T09:00 or 2026-11-20T09:00-05:00)"
        ) from None
    if parsed.tzinfo is None:
        return local_datetime(parsed.date(), parsed.time(), tz)
    return parsed
