"""Everything the rules take from a message's text, read once, kept instead of the text.

A backend hands the engine a message's bounded text only for messages that may concern
an interview. From it come the matching signals and what the message says (its kind,
dates, invitation), read twice: as it stands, and as an answer to the user's thank-you
note (a one-line "thanks!" is then a courtesy) — which of the two applies is known only
once the thread is. The ``key`` names everything the reading depended on; facts with
another key are read again from the mailbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from followup.core import reading
from followup.core.automatic import is_automatic
from followup.core.model import Interview, MessageMeta, ScheduleConfig
from followup.core.reading import RULES_VERSION, Reading
from followup.core.signals import SIGNALS_VERSION, TextSignals, read_signals


def facts_key(interviews: Sequence[Interview], schedule: ScheduleConfig) -> str:
    """What text facts depend on: the rules, the calendar, the interviews' names."""
    parts = [
        f"r{RULES_VERSION}",
        f"s{SIGNALS_VERSION}",
        schedule.timezone,
        ",".join(map(str, schedule.workdays)),
        schedule.holidays or "",
        *sorted(f"{iv.id}\x1f{iv.company}\x1f{iv.role}" for iv in interviews),
    ]
    digest = hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{RULES_VERSION}.{SIGNALS_VERSION}.{digest}"


@dataclass(frozen=True)
class TextFacts:
    key: str
    signals: TextSignals = field(default_factory=TextSignals)
    reading: Reading | None = None
    as_thanks: Reading | None = None  # the reading when it answers the user's thank-you

    def reading_for(self, answers_thank_you: bool) -> Reading | None:
        return self.as_thanks if answers_thank_you and self.as_thanks else self.reading


def read_text_facts(
    meta: MessageMeta,
    interviews: Sequence[Interview],
    schedule: ScheduleConfig,
    is_workday: Callable[[dt.date], bool],
    key: str,
) -> TextFacts:
    """The facts of one message whose ``body_excerpt`` (and ``calendar``) were fetched."""
    signals = read_signals(meta, interviews)
    tz = ZoneInfo(schedule.timezone)

    def read(as_thanks: bool) -> Reading:
        return reading.read_message(  # the rules load here, on the first message read
            subject=meta.subject,
            body=meta.body_excerpt,
            sent_at=meta.date,
            tz=tz,
            is_workday=is_workday,
            automatic=is_automatic(meta, signals),
            calendar=meta.calendar or None,
            replying_to_thank_you=as_thanks,
        )

    plain = read(False)
    thanked = read(True)
    return TextFacts(key, signals, plain, None if thanked == plain else thanked)
