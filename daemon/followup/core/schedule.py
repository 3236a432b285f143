"""When each stage comes due: the timing rules of the advice the program encodes.

Pure: nothing here reads the clock. Every datetime that leaves this module is aware and in
the configured zone, so comparisons never mix naive and aware values.
"""

from __future__ import annotations

import datetime as dt

from followup.core.calendar import BusinessCalendar, local_datetime
from followup.core.model import Interview, ScheduleConfig

THANK_YOU_EXPIRY = dt.timedelta(hours=48)
"""A thank-you more than this late after its due time is skipped: late thanks read badly."""

INTERVIEW_LENGTH = dt.timedelta(hours=1)
"""An interview that starts after ``thank_you_time`` gets its thank-you this long after."""


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
