"""Business days, local wall-clock times and the one parser for the dates users type.

Pure: the public-holiday table comes in through a loader (``followup.holiday_tables``
provides the real one), so nothing here imports a third-party package or reads a clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

_MAX_SCAN_DAYS = 3700
"""Guard against calendars with no business day at all (e.g. every weekday a holiday)."""

HolidayLoader = Callable[[str, str | None, int], frozenset[dt.date]]
"""(country, subdivision or None, year) → the public holidays of that year."""


def split_holiday_spec(spec: str) -> tuple[str, str | None]:
    """ "de-by" → ("DE", "BY"); "US" → ("US", None)."""
    country, _, subdiv = spec.strip().partition("-")
    return country.upper(), (subdiv.upper() or None)


class BusinessCalendar:
    """Which dates are business days: a workday that is not a public holiday.

    Holiday tables are loaded per year on first use and cached, so a calendar that is never
    asked about a holiday never calls its loader.
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
        if holidays and loader is None:
            raise ValueError("a calendar with public holidays needs a loader for them")
        self.workdays = frozenset(workdays)
        self.holidays_spec = holidays
        self.tz = tz or ZoneInfo("UTC")
        self._country, self._subdiv = split_holiday_spec(holidays) if holidays else ("", None)
        self._loader = loader
        self._by_year: dict[int, frozenset[dt.date]] = {}
        self._lock = threading.Lock()

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """The public holidays of ``year`` (empty without a holidays spec)."""
        if not self._country or self._loader is None:
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


_ISO_HINT = "use ISO 8601, e.g. 2026-11-20, 2026-11-20T09:00 or 2026-11-20T09:00-05:00"

EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2999, 12, 31)
"""The dates followup reasons about: business-day arithmetic near ``date.max`` overflows."""


def check_in_range(day: dt.date) -> None:
    """Raise ValueError for a date outside ``EARLIEST``..``LATEST`` (a typo, never a plan)."""
    plain = day.date() if isinstance(day, dt.datetime) else day
    if not EARLIEST <= plain <= LATEST:
        raise ValueError(
            f"{day.isoformat()} is outside the dates followup works with "
            f"({EARLIEST.isoformat()} to {LATEST.isoformat()})"
        )


def parse_date_or_datetime(text: str) -> dt.date | dt.datetime:
    """An ISO 8601 date, or a datetime (``T`` or a space between), offset optional.

    The one reader of the dates users type: config strings, ``add`` and ``--now``.
    Raises ValueError with a message that says what was expected.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"empty date; {_ISO_HINT}")
    if cleaned[-1] in "zZ":
        cleaned = cleaned[:-1] + "+00:00"
    try:
        parsed: dt.date = (
            dt.datetime.fromisoformat(cleaned)
            if "T" in cleaned or " " in cleaned
            else dt.date.fromisoformat(cleaned)
        )
    except ValueError:
        raise ValueError(f"not an ISO 8601 date or time: {text!r} ({_ISO_HINT})") from None
    check_in_range(parsed)
    return parsed


def parse_when(text: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date or datetime as an aware datetime; without an offset it is read in ``tz``."""
    parsed = parse_date_or_datetime(text)
    if not isinstance(parsed, dt.datetime):
        return local_datetime(parsed, dt.time(0), tz)
    if parsed.tzinfo is None:
        return local_datetime(parsed.date(), parsed.time(), tz)
    return parsed
