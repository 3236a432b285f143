"""Pure planning: the interview's story + what we did + now → each stage's state and action.

Stages live in rounds (``core.rounds``): round 1 after the interview, a new one after a
``delay`` or an invitation. Only the current round's stages can still be drafted; those of
a round that was superseded, answered or ended by an outcome are cancelled, and their
drafts, if still exactly as written, withdrawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from followup.core.calendar import BusinessCalendar, local_datetime
from followup.core.conversation import address
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
from followup.core.rounds import Answer, Outcome, Round, Story, tell
from followup.core.schedule import INTERVIEW_LENGTH, THANK_YOU_EXPIRY, closure_due

# "cleanup": a draft was interrupted and is no longer wanted; remove it if it was written.
Action = Literal["none", "draft", "withdraw", "cleanup"]
Records = Mapping[tuple[str, StageName, int], StageRecord]


@dataclass(frozen=True)
class InterviewFacts:
    """What the mailbox says about one interview, derived by matching and reading."""

    interview: Interview
    answers: tuple[Answer, ...] = ()  # company-side mail tied to it, after it began, by date
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
    round: int = 1


@dataclass(frozen=True)
class InterviewPlan:
    facts: InterviewFacts
    state: InterviewState
    stages: tuple[StagePlan, ...]
    story: Story

    @property
    def interview(self) -> Interview:
        return self.facts.interview

    @property
    def outcome(self) -> Outcome | None:
        return self.story.outcome

    @property
    def answer(self) -> Answer | None:
        """The answer that ended the wait now in force (None while waiting)."""
        return self.story.answer

    @property
    def promised_by(self) -> dt.date | None:
        """The date the company named for its answer in the current round, if it named one."""
        current = self.story.current
        return current.promise if current.promised else None


def _day(when: dt.datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when else "an unknown date"


def _summary(answer: Answer) -> str:
    return f"{answer.sender} replied on {_day(answer.meta.date)}"


def _stop(
    iv: Interview, story: Story, r: Round, later: Round | None
) -> tuple[StageState, str] | None:
    """Why no stage of round ``r`` may be drafted any more, or None."""
    if iv.closed:
        return "skipped", "the interview is marked closed in the config"
    if story.decisive is not None:
        news = "turned you down" if story.outcome == "rejected" else "made you an offer"
        return "cancelled", f"{story.decisive.sender} {news} on {_day(story.decisive.meta.date)}"
    if later is not None:
        assert later.cause is not None
        if later.origin == "meeting":
            what = "invited you to a new meeting"
        elif later.promised:
            what = f"wrote that there is no decision yet, expected by {later.promise.isoformat()}"
        else:
            what = "wrote that there is no decision yet"
        return "cancelled", (
            f"round {later.number} began on {_day(later.cause.meta.date)}: "
            f"{later.cause.sender} {what}"
        )
    if r.answer is not None:
        return "cancelled", _summary(r.answer)
    return None


def _wrote_after(facts: InterviewFacts, after: dt.datetime) -> MessageMeta | None:
    for m in facts.own_messages:
        if m.date is not None and m.date >= after:
            return m
    return None


def check_in_due(r: Round, sched: ScheduleConfig, cal: BusinessCalendar) -> dt.datetime:
    """The grace after the round's promise; after an out-of-office, not before their return."""
    day = cal.add_business_days(r.promise, sched.grace_business_days)
    if r.away_until is not None:
        day = max(day, cal.add_business_days(r.away_until, 1))
    return local_datetime(day, sched.draft_time, sched.tz)


def thank_you_due(r: Round, sched: ScheduleConfig) -> dt.datetime:
    due = local_datetime(r.start.astimezone(sched.tz).date(), sched.thank_you_time, sched.tz)
    return max(due, (r.start + INTERVIEW_LENGTH).astimezone(sched.tz))


class _Make(Protocol):
    def __call__(self, state: StageState, reason: str, action: Action = "none") -> StagePlan: ...


@dataclass(frozen=True)
class _Context:
    iv: Interview
    facts: InterviewFacts
    story: Story
    sched: ScheduleConfig
    cal: BusinessCalendar
    now: dt.datetime
    me: Collection[str]
    sent: Mapping[str, MessageMeta]  # the user's sent mail by Message-ID


def plan_interview(
    identity: Identity,
    sched: ScheduleConfig,
    facts: InterviewFacts,
    records: Records,
    now: dt.datetime,
    cal: BusinessCalendar,
) -> InterviewPlan:
    iv = facts.interview
    story = tell(iv, facts.answers, sched, cal)
    sent = {m.message_id: m for m in facts.own_messages if m.message_id}
    ctx = _Context(iv, facts, story, sched, cal, now, identity.addresses(), sent)
    plans: list[StagePlan] = []
    for i, r in enumerate(story.rounds):
        later = story.rounds[i + 1] if i + 1 < len(story.rounds) else None
        round_plans = []
        for stage in iv.stages_in(sched):
            if stage == "thank_you" and not r.thank_you:
                continue
            mid = message_id_for(iv.id, stage, identity.email, r.number)
            record = records.get((iv.id, stage, r.number))
            round_plans.append(_plan_stage(ctx, r, later, stage, record, mid))
        plans += _give_way(round_plans, sent)
    return InterviewPlan(facts, _state(iv, story, plans), tuple(plans), story)


def _state(iv: Interview, story: Story, plans: Sequence[StagePlan]) -> InterviewState:
    if iv.closed:
        return "closed"
    if story.answer is not None:
        return "replied"
    pending = {p.state for p in plans} & {"scheduled", "intent", "withdrawing"}
    if not pending and not any(p.action != "none" for p in plans):
        return "done"
    return "waiting"


def _give_way(plans: list[StagePlan], sent_ids: Collection[str]) -> list[StagePlan]:
    """Within a round, an untouched draft of an earlier stage gives way to a later one —
    never one the user sent (its Message-ID is in their sent mail)."""
    out = list(plans)
    for j, later in enumerate(plans):
        if later.state != "drafted":
            continue
        for i in range(j):
            earlier = out[i]
            if earlier.message_id in sent_ids:
                continue
            if earlier.state == "drafted" and earlier.ref and earlier.action == "none":
                note = later.stage.replace("_", "-")
                out[i] = replace(
                    earlier,
                    action="withdraw",
                    reason=f"the {note} draft replaces it (this one was never sent)",
                )
    return out


def _due(ctx: _Context, r: Round, later: Round | None, stage: StageName) -> dt.datetime | None:
    if stage == "thank_you":
        return thank_you_due(r, ctx.sched)
    check_in = check_in_due(r, ctx.sched, ctx.cal)
    if stage == "check_in":
        return check_in
    sent = _wrote_after(ctx.facts, check_in)
    if sent is None or sent.date is None:
        return None
    if later is not None and sent.date >= later.start:
        return None  # that follow-up belongs to the next round, not to this one
    return closure_due(sent.date, ctx.sched, ctx.cal)


def _plan_stage(
    ctx: _Context,
    r: Round,
    later: Round | None,
    stage: StageName,
    record: StageRecord | None,
    mid: str,
) -> StagePlan:
    iv = ctx.iv
    due = _due(ctx, r, later, stage)

    def make(state: StageState, reason: str, action: Action = "none") -> StagePlan:
        ref = record.ref if record else None
        return StagePlan(iv.id, stage, due, state, reason, mid, action, ref, r.number)

    stop = _stop(iv, ctx.story, r, later)
    if record is not None:
        if record.state == "intent":
            # Interrupted while writing: decide afresh. Still due → finish it (the engine
            # looks for it in Drafts first); otherwise remove what may have been written.
            fresh = _plan_stage(ctx, r, later, stage, None, mid)
            if fresh.action == "draft":
                return make(
                    "intent",
                    "a draft was being written when followup stopped; finishing it",
                    "draft",
                )
            return make(fresh.state, fresh.reason, "cleanup")
        if record.state == "withdrawing" and record.ref:
            return make("withdrawing", "finishing the withdrawal of the draft", "withdraw")
        sent = ctx.sent.get(mid)
        if record.state == "drafted" and sent is not None:
            # The user sent it: it is theirs, there is nothing to withdraw or wait for.
            on = f" on {sent.date.astimezone(ctx.sched.tz):%Y-%m-%d}" if sent.date else ""
            return make("drafted", f"you sent it{on}")
        if record.state == "drafted" and record.ref and stop is not None and not iv.closed:
            return make("drafted", f"{stop[1]} after the draft was written", "withdraw")
        return make(record.state, record.reason)
    if stop is not None:
        state, why = stop
        note = f", so no {stage.replace('_', '-')} note is needed" if state == "cancelled" else ""
        return make(state, why + note)
    return _timing(ctx, r, stage, due, make)


def _timing(
    ctx: _Context, r: Round, stage: StageName, due: dt.datetime | None, make: _Make
) -> StagePlan:
    """The current round's stage, by the clock and by what the user already sent."""
    iv, now, sched = ctx.iv, ctx.now, ctx.sched
    check_in = check_in_due(r, sched, ctx.cal)
    if stage == "thank_you":
        assert due is not None
        wrote = _wrote_after(ctx.facts, r.start)
        if wrote is not None and wrote.date is not None:
            return make("skipped", f"you already wrote to {iv.company} on {wrote.date:%Y-%m-%d}")
        if now >= due + THANK_YOU_EXPIRY:
            return make(
                "skipped",
                f"more than 48 h past its due time {when_text(due)}: a late thank-you is worse "
                "than none",
            )
    elif stage == "check_in" and r.promised:
        after_promise = dt.datetime.combine(
            r.promise + dt.timedelta(days=1), dt.time(0), tzinfo=sched.tz
        )
        wrote = _wrote_after(ctx.facts, max(after_promise, r.start))
        if wrote is not None and wrote.date is not None:
            return make("skipped", f"you already followed up on {wrote.date:%Y-%m-%d}")
    elif stage == "closure" and due is None:
        return make("scheduled", f"waits until you send a follow-up after {when_text(check_in)}")
    assert due is not None
    if now < due:
        return make("scheduled", f"due {when_text(due)} unless {iv.company} replies first")
    if stage != "thank_you":
        late = local_datetime(
            ctx.cal.add_business_days(due.date(), sched.late_limit_business_days),
            due.time(),
            sched.tz,
        )
        if now > late:
            return make(
                "skipped",
                f"more than {sched.late_limit_business_days} business days past its due time "
                f"{when_text(due)}: too late for this note",
            )
    about = r.cause.meta if r.cause is not None else None
    if address(iv, ctx.facts.conversation, me=ctx.me, about=about).recipient is None:
        return make(
            "scheduled",
            f"due since {when_text(due)}, but there is no one to write to: add a contact to "
            f'interview {iv.id} (contacts = ["Name <name@company.com>"])',
        )
    return make("scheduled", f"due since {when_text(due)} with no reply", "draft")


def plan_all(
    identity: Identity,
    sched: ScheduleConfig,
    facts: Sequence[InterviewFacts],
    records: Records,
    now: dt.datetime,
    cal: BusinessCalendar,
) -> list[InterviewPlan]:
    return [plan_interview(identity, sched, f, records, now, cal) for f in facts]
