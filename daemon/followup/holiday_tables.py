"""Public holidays from the ``holidays`` package: the real loader for ``BusinessCalendar``.

The package is imported only when a holiday is actually looked up or a spec validated,
because importing it costs more than everything else ``followup status`` does.
"""

from __future__ import annotations

import datetime as dt

from followup.core.calendar import BusinessCalendar, split_holiday_spec
from followup.core.model import ScheduleConfig


def load_holidays(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    """Public holidays of one year."""
    import holidays

    table = holidays.country_holidays(country, subdiv=subdiv, years=year)
    return frozenset(d for d in table if d.year == year)


def holidays_problem(spec: str) -> str | None:
    """A message for the user when ``spec`` names no known country/subdivision, else None."""
    import holidays

    country, subdiv = split_holiday_spec(spec)
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


def calendar_for(schedule: ScheduleConfig) -> BusinessCalendar:
    """The business calendar of a configured schedule."""
    return BusinessCalendar(schedule.workdays, schedule.holidays, schedule.tz, loader=load_holidays)
