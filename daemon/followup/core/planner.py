"""Pure planning: interviews + what the mailbox showed + what we did + now → stage states and actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from followup.core.calendar import BusinessCalendar
from followup.core.draft_ids import message_id_for
from followup.core.model import (
    Identity,
    Interview,
    InterviewState,
    MessageMeta,
    ScheduleConfig,
    StageName,
    StageRecord,
    StageState,
    when_text,
)
from followup.core.schedule import THANK_YOU_EXPIRY, check_in_due, closure_due, thank_you_due

# "cleanup": a draft was interrupted and is no longer wanted; remove it if it was written.
Action = Literal["none", "draft", "withdraw", "cleanup"]


@dataclass(frozen=True)
class InterviewFacts:
    """What the mailbox says about one interview, derived by matching."""

    interview: Interview
    reply: MessageMeta | None = None
    reply_reason: str = ""
    own_messages: tuple[MessageMeta, ...] = ()  # the user's mail to the company, by date
    conversation: tuple[MessageMeta, ...] = ()  # every message exchanged with the company


@dataclass(frozen=True)
class StagePlan:
    interview_id: str
    stage: StageName
    due: dt.datetime | None
    state: StageState
    reason: str
    message_id: str
    action: Action = "none"
    ref: str | None = None


@dataclass(frozen=True)
class InterviewPlan:
    facts: InterviewFacts
    state: InterviewState
    stages: tuple[StagePlan, ...]

    @property
    def interview(self) -> Interview:
        return self.facts.interview


def _reply_summary(reply: MessageMeta) -> str:
    who = reply.sender.email if reply.sender else "unknown sender"
    when = reply.date.strftime("%Y-%m-%d") if reply.date else "an unknown date"
    return f"{who} replied on {when}"


def plan_interview(
    identity: Identity,
    sched: ScheduleConfig,
    facts: InterviewFacts,
    records: Mapping[tuple[str, StageName], StageRecord],
    now: dt.datetime,
    cal: BusinessCalendar,
) -> InterviewPlan:
    iv = facts.interview
    plans: list[StagePlan] = []
    check_in_at = check_in_due(iv, sched, cal)
    for stage in iv.stages_in(sched):
        mid = message_id_for(iv.id, stage, identity.email)
        record = records.get((iv.id, stage))
        due = _due(stage, iv, facts, check_in_at, sched, cal)
        plans.append(_plan_stage(stage, iv, facts, record, due, check_in_at, mid, now))
    states = {p.state for p in plans}
    state: InterviewState
    if iv.closed:
        state = "closed"
    elif facts.reply is not None:
        state = "replied"
    elif not states & {"scheduled", "intent", "withdrawing"} and not any(
        p.action != "none" for p in plans
    ):
        state = "done"
    else:
        state = "waiting"
    return InterviewPlan(facts=facts, state=state, stages=tuple(plans))


def _first_followup(facts: InterviewFacts, after: dt.datetime) -> MessageMeta | None:
    for m in facts.own_messages:
        if m.date is not None and m.date >= after:
            return m
    return None


def _due(
    stage: StageName,
    iv: Interview,
    facts: InterviewFacts,
    check_in_at: dt.datetime,
    sched: ScheduleConfig,
    cal: BusinessCalendar,
) -> dt.datetime | None:
    if stage == "thank_you":
        return thank_you_due(iv, sched)
    if stage == "check_in":
        return check_in_at
    sent = _first_followup(facts, check_in_at)
    if sent is None or sent.date is None:
        return None
    return closure_due(sent.date, sched, cal)


def _plan_stage(
    stage: StageName,
    iv: Interview,
    facts: InterviewFacts,
    record: StageRecord | None,
    due: dt.datetime | None,
    check_in_at: dt.datetime,
    mid: str,
    now: dt.datetime,
) -> StagePlan:
    def make(state: StageState, reason: str, action: Action = "none") -> StagePlan:
        ref = record.ref if record else None
        return StagePlan(iv.id, stage, due, state, reason, mid, action, ref)

    reply = facts.reply
    if record is not None:
        if record.state == "intent":
            # Interrupted while writing: decide afresh. Still due → finish it (the engine
            # looks for it in Drafts first); otherwise remove what may have been written.
            fresh = _plan_stage(stage, iv, facts, None, due, check_in_at, mid, now)
            if fresh.action == "draft":
                return make(
                    "intent",
                    "a draft was being written when followup stopped; finishing it",
                    "draft",
                )
            return make(fresh.state, fresh.reason, "cleanup")
        if record.state == "withdrawing" and record.ref:
            return make("withdrawing", "finishing the withdrawal of the draft", "withdraw")
        if record.state == "drafted" and record.ref and reply is not None and not iv.closed:
            return make(
                "drafted", f"{_reply_summary(reply)} after the draft was written", "withdraw"
            )
        return make(record.state, record.reason)
    if iv.closed:
        return make("skipped", "the interview is marked closed in the config")
    if reply is not None:
        return make(
            "cancelled", f"{_reply_summary(reply)}, so no {stage.replace('_', '-')} note is needed"
        )
    if stage == "thank_you":
        assert due is not None
        wrote = _first_followup(facts, iv.started_at)
        if wrote is not None and wrote.date is not None:
            return make("skipped", f"you already wrote to {iv.company} on {wrote.date:%Y-%m-%d}")
        if now >= due + THANK_YOU_EXPIRY:
            return make(
                "skipped",
                f"more than 48 h past its due time {when_text(due)}: a late thank-you is worse than none",
            )
    elif stage == "check_in":
        promised = iv.reply_promised_by
        if promised is not None:
            after_promise = dt.datetime.combine(
                promised + dt.timedelta(days=1), dt.time(0), tzinfo=iv.started_at.tzinfo
            )
            wrote = _first_followup(facts, after_promise)
            if wrote is not None and wrote.date is not None:
                return make("skipped", f"you already followed up on {wrote.date:%Y-%m-%d}")
    elif due is None:
        return make("scheduled", f"waits until you send a follow-up after {when_text(check_in_at)}")
    assert due is not None
    if now >= due:
        return make("scheduled", f"due since {when_text(due)} with no reply", "draft")
    return make("scheduled", f"due {when_text(due)} unless {iv.company} replies first")


def plan_all(
    identity: Identity,
    sched: ScheduleConfig,
    facts: Sequence[InterviewFacts],
    records: Mapping[tuple[str, StageName], StageRecord],
    now: dt.datetime,
    cal: BusinessCalendar,
) -> list[InterviewPlan]:
    return [plan_interview(identity, sched, f, records, now, cal) for f in facts]
