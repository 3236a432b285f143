"""The daemon's clock: real time, or real time shifted so that it started at ``--now T``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Clock:
    """``now()`` advances in real time from ``start`` (default: the real time at creation).

    The scheduler only knows real time, so a due time in the daemon's clock is turned into
    the real moment it should fire with ``to_real``.
    """

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.offset = dt.timedelta(0) if start is None else start - real_now()

    def now(self, tz: ZoneInfo) -> dt.datetime:
        return (real_now() + self.offset).astimezone(tz)

    def to_real(self, when: dt.datetime) -> dt.datetime:
        return (when - self.offset).astimezone(dt.UTC)

    @property
    def shifted(self) -> bool:
        return self.offset != dt.timedelta(0)
