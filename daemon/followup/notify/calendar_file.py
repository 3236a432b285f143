"""The iCalendar file (RFC 5545) of the agenda, written with the ``icalendar`` library.

``icalendar`` is imported only here, when a file is rendered, so ``status`` and the other
commands never pay for it. Times carry the configured zone (TZID plus its VTIMEZONE).
The daemon keeps ``followup.ics`` in the state directory current: the file is rewritten
atomically, and only when an event in it changed (DTSTAMP alone is no change), so a
calendar that subscribes to it reloads only when there is news.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from followup.config import Config
from followup.core.agenda import EVENT_LENGTH, AgendaItem, agenda
from followup.core.errors import CannotCreate
from followup.core.planner import InterviewPlan

log = logging.getLogger(__name__)

FILE_NAME = "followup.ics"
PRODID = "-//followup//interview follow-ups//EN"


def render(items: Sequence[AgendaItem], stamp: dt.datetime) -> bytes:
    """The calendar of ``items``; ``stamp`` (aware) is every event's DTSTAMP."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "followup")
    stamp_utc = stamp.astimezone(dt.UTC).replace(microsecond=0)
    starts: list[dt.date] = []
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp_utc)
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.start is not None:
            event.add("dtstart", item.start)
            event.add("dtend", item.start + EVENT_LENGTH)
            starts.append(item.start.date())
        elif item.day is not None:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + dt.timedelta(days=1))
            starts.append(item.day)
        event.add("transp", "TRANSPARENT")  # a reminder, not busy time
        cal.add_component(event)
    if starts:
        year = dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=min(starts) - year, last_date=max(starts) + year)
    return bytes(cal.to_ical())


def calendar_bytes(config: Config, plans: Sequence[InterviewPlan], stamp: dt.datetime) -> bytes:
    return render(agenda(plans, config.identity.email), stamp)


def _without_stamps(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP"))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a reader sees the old file or the new)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise CannotCreate(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise CannotCreate(f"cannot write {path}: {exc.strerror or exc}") from None


class CalendarFile:
    """Keeps one file current; remembers what it last wrote so an unchanged agenda is free."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._written: tuple[AgendaItem, ...] | None = None

    def refresh(self, config: Config, plans: Sequence[InterviewPlan]) -> bool:
        """Rewrite the file if its events changed; True when it was written."""
        items = agenda(plans, config.identity.email)
        if items == self._written:
            return False
        data = render(items, dt.datetime.now(dt.UTC))
        try:
            old = self.path.read_bytes()
        except OSError:
            old = None
        if old is not None and _without_stamps(old) == _without_stamps(data):
            self._written = items
            return False
        try:
            write_atomically(self.path, data)
        except CannotCreate as exc:
            log.warning("calendar file not updated: %s", exc)
            return False
        self._written = items
        log.debug("wrote %s (%d events)", self.path, len(items))
        return True
