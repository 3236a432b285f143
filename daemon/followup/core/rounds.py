"""The story of one interview, told by what the company wrote: rounds of waiting, an outcome.

A round is one wait for an answer. Round 1 starts at the interview. A ``delay`` ("no
decision yet, we'll get back to you by Friday") opens a new round planned from its
promise; an invitation to a new meeting opens one from the meeting's start. An answer
(a ``next_step`` or any ``reply``) ends the current round's wait; a ``rejection`` or an
``offer`` ends the story; a ``courtesy`` changes nothing; an out-of-office from someone we
would write to says when they are back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from followup.core.calendar import BusinessCalendar
from followup.core.model import FAR_PAST, Interview, MessageMeta, ScheduleConfig
from followup.core.schedule import promised_date

Outcome = Literal["rejected", "offer"]
Origin = Literal["interview", "delay", "meeting"]
# What counts as an answer: the wait is over (DESIGN §2a).
ANSWERS = frozenset({"rejection", "offer", "next_step", "reply"})


@dataclass(frozen=True)
class Answer:
    """A message from the company side tied to the interview, and what it says."""

    meta: MessageMeta
    match_reason: str
    kind: str | None  # the reading's kind; None: not about the candidacy
    reason: str  # why that kind (quotes the deciding phrase)
    promised_by: dt.date | None = None
    away_until: dt.date | None = None
    meeting: dt.datetime | None = None  # the start of a meeting it invites to (REQUEST)
    from_contact: bool = False  # from someone the user could write to (contact, company)

    @property
    def date(self) -> dt.datetime:
        return self.meta.date or FAR_PAST

    @property
    def sender(self) -> str:
        return self.meta.sender.email if self.meta.sender else "unknown sender"


@dataclass(frozen=True)
class Round:
    number: int
    start: dt.datetime
    origin: Origin
    promise: dt.date  # the date an answer was expected by (a default wait when none named)
    promised: bool  # the company named that date
    thank_you: bool  # a meeting took place: this round has a thank-you
    cause: Answer | None = None  # the delay or invitation that opened it
    away_until: dt.date | None = None  # the latest return date an out-of-office named
    answer: Answer | None = None  # what ended its wait

    @property
    def anchor(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Story:
    rounds: tuple[Round, ...]
    outcome: Outcome | None = None
    decisive: Answer | None = None  # the rejection or offer
    courtesies: tuple[Answer, ...] = field(default=())

    @property
    def current(self) -> Round:
        return self.rounds[-1]

    @property
    def answer(self) -> Answer | None:
        """What ended the wait now in force: the outcome, else the current round's answer."""
        return self.decisive or self.current.answer


def tell(
    interview: Interview,
    answers: Sequence[Answer],
    sched: ScheduleConfig,
    cal: BusinessCalendar,
) -> Story:
    """Read the answers in date order and tell the interview's story."""
    first = Round(
        number=1,
        start=interview.started_at,
        origin="interview",
        promise=promised_date(interview, sched, cal),
        promised=interview.reply_promised_by is not None,
        thank_you=True,
    )
    rounds = [first]
    courtesies: list[Answer] = []
    for answer in sorted(answers, key=lambda a: a.date):
        current = rounds[-1]
        kind = answer.kind
        if kind in ("rejection", "offer"):
            outcome: Outcome = "rejected" if kind == "rejection" else "offer"
            return Story(tuple(rounds), outcome, answer, tuple(courtesies))
        if kind == "delay" and answer.meta.date is not None:
            rounds.append(_delayed(len(rounds) + 1, answer, sched, cal))
        elif answer.meeting is not None:
            rounds.append(_meeting(len(rounds) + 1, answer, answer.meeting, sched, cal))
        elif kind == "courtesy":
            courtesies.append(answer)
        elif kind == "auto_reply":
            if answer.away_until is not None and answer.from_contact:
                back = max(answer.away_until, current.away_until or answer.away_until)
                rounds[-1] = replace(current, away_until=back)
        elif kind in ANSWERS and current.answer is None and answer.date >= current.start:
            # (Mail about logistics before a meeting does not answer the wait after it.)
            rounds[-1] = replace(current, answer=answer)
    return Story(tuple(rounds), courtesies=tuple(courtesies))


def _delayed(number: int, answer: Answer, sched: ScheduleConfig, cal: BusinessCalendar) -> Round:
    assert answer.meta.date is not None
    day = answer.meta.date.astimezone(sched.tz).date()
    promise = answer.promised_by or cal.add_business_days(day, sched.default_wait_business_days)
    return Round(
        number=number,
        start=answer.meta.date.astimezone(sched.tz),
        origin="delay",
        promise=max(promise, day),
        promised=answer.promised_by is not None,
        thank_you=False,
        cause=answer,
    )


def _meeting(
    number: int,
    answer: Answer,
    start: dt.datetime,
    sched: ScheduleConfig,
    cal: BusinessCalendar,
) -> Round:
    local = start.astimezone(sched.tz)
    return Round(
        number=number,
        start=local,
        origin="meeting",
        promise=cal.add_business_days(local.date(), sched.default_wait_business_days),
        promised=False,
        thank_you=True,
        cause=answer,
    )
