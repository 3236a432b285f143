"""The pure planner: stage states and actions from facts, records and now."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from followup.core.model import (
    Address,
    Identity,
    Interview,
    MessageMeta,
    ScheduleConfig,
    StageName,
    StageRecord,
)
from followup.core.planner import InterviewFacts, plan_interview
from followup.core.rounds import Answer
from followup.holiday_tables import calendar_for

NY = ZoneInfo("America/New_York")
SCHED = ScheduleConfig(timezone="America/New_York", holidays="US")
CAL = calendar_for(SCHED)
DANA = Address("Dana Whitfield", "dana@acme.example")
ME = Address("Jordan Rivera", "jordan@example.com")
IV = Interview(
    id="acme",
    company="Acme Corp",
    role="Backend Engineer",
    interviewed_on=dt.date(2026, 11, 16),
    started_at=dt.datetime(2026, 11, 16, 10, tzinfo=NY),
    contacts=(DANA,),
    domains=("acme.example",),
    reply_promised_by=dt.date(2026, 11, 20),
)

USER = Identity("Jordan Rivera", "jordan@example.com")


def at(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=NY)


def msg(when: dt.datetime, sender: Address, mid: str = "m") -> MessageMeta:
    return MessageMeta(message_id=mid, date=when, sender=sender)


def reply(when: dt.datetime, sender: Address, kind: str = "reply") -> tuple[Answer, ...]:
    return (Answer(msg(when, sender, "r"), "reply: a contact", kind, "they wrote"),)


def states(
    facts: InterviewFacts,
    now: dt.datetime,
    records: dict[tuple[str, StageName, int], StageRecord] | None = None,
) -> dict[str, tuple[str, str]]:
    plan = plan_interview(USER, SCHED, facts, records or {}, now, CAL)
    return {s.stage: (s.state, s.action) for s in plan.stages}


def test_every_stage_is_scheduled_before_anything_is_due() -> None:
    assert states(InterviewFacts(IV), at(16, 9)) == {
        "thank_you": ("scheduled", "none"),
        "check_in": ("scheduled", "none"),
        "closure": ("scheduled", "none"),
    }


def test_the_thank_you_is_drafted_once_due_and_skipped_when_48_hours_late() -> None:
    assert states(InterviewFacts(IV), at(16, 17))["thank_you"] == ("scheduled", "draft")
    assert states(InterviewFacts(IV), at(18, 16))["thank_you"] == ("scheduled", "draft")
    assert states(InterviewFacts(IV), at(18, 18))["thank_you"] == ("skipped", "none")


def test_the_thank_you_is_skipped_when_the_user_already_wrote_after_the_interview() -> None:
    facts = InterviewFacts(IV, own_messages=(msg(at(16, 15), ME),))
    assert states(facts, at(16, 17))["thank_you"] == ("skipped", "none")


def test_a_message_the_user_wrote_before_the_interview_does_not_skip_the_thank_you() -> None:
    facts = InterviewFacts(IV, own_messages=(msg(at(10), ME),))
    assert states(facts, at(16, 17))["thank_you"] == ("scheduled", "draft")


def test_the_check_in_is_due_on_the_fourth_business_day_after_the_promise() -> None:
    plan = plan_interview(USER, SCHED, InterviewFacts(IV), {}, at(27, 9), CAL)
    check_in = next(s for s in plan.stages if s.stage == "check_in")
    assert check_in.due == dt.datetime(2026, 11, 27, 9, tzinfo=NY)
    assert check_in.action == "draft"
    assert states(InterviewFacts(IV), at(27, 8))["check_in"] == ("scheduled", "none")


def test_a_reply_cancels_every_stage_that_was_not_written() -> None:
    facts = InterviewFacts(IV, answers=reply(at(24), DANA))
    plan = plan_interview(USER, SCHED, facts, {}, at(30), CAL)
    assert plan.state == "replied"
    assert {s.state for s in plan.stages} == {"cancelled"}


def test_a_reply_after_a_written_draft_asks_for_its_withdrawal() -> None:
    record = StageRecord("acme", "check_in", "drafted", "m", "mid", "ref-1", "due", at(27, 9))
    facts = InterviewFacts(IV, answers=reply(at(27, 11), DANA))
    assert states(facts, at(27, 12), {("acme", "check_in", 1): record})["check_in"] == (
        "drafted",
        "withdraw",
    )


def test_a_draft_whose_ref_was_forgotten_is_never_withdrawn() -> None:
    record = StageRecord("acme", "check_in", "drafted", "m", "mid", None, "kept", at(27, 9))
    facts = InterviewFacts(IV, answers=reply(at(27, 11), DANA))
    assert states(facts, at(27, 12), {("acme", "check_in", 1): record})["check_in"] == (
        "drafted",
        "none",
    )


def test_an_interrupted_draft_is_finished_on_the_next_cycle() -> None:
    record = StageRecord("acme", "check_in", "intent", "m", "mid", None, "due", at(27, 9))
    assert states(InterviewFacts(IV), at(27, 10), {("acme", "check_in", 1): record})[
        "check_in"
    ] == (
        "intent",
        "draft",
    )


def test_the_check_in_is_skipped_when_the_user_already_followed_up_after_the_promise() -> None:
    facts = InterviewFacts(IV, own_messages=(msg(at(24), ME),))
    assert states(facts, at(27, 10))["check_in"] == ("skipped", "none")


def test_the_closure_waits_for_a_follow_up_the_user_sent_after_the_check_in_came_due() -> None:
    assert states(InterviewFacts(IV), at(30))["closure"] == ("scheduled", "none")
    sent = InterviewFacts(IV, own_messages=(msg(at(30, 8), ME),))
    plan = plan_interview(USER, SCHED, sent, {}, at(30), CAL)
    closure = next(s for s in plan.stages if s.stage == "closure")
    assert closure.due == dt.datetime(2026, 12, 9, 9, tzinfo=NY)
    assert states(sent, at(9, 9, month=12))["closure"] == ("scheduled", "draft")


def test_a_closed_interview_does_nothing_more() -> None:
    closed = replace(IV, closed=True)
    plan = plan_interview(USER, SCHED, InterviewFacts(closed), {}, at(30), CAL)
    assert plan.state == "closed"
    assert all(s.state == "skipped" and s.action == "none" for s in plan.stages)


def test_an_interview_whose_stages_are_all_settled_is_done() -> None:
    only = replace(IV, stages=("check_in",))
    record = StageRecord("acme", "check_in", "drafted", "m", "mid", "r", "due", at(27, 9))
    plan = plan_interview(
        USER, SCHED, InterviewFacts(only), {("acme", "check_in", 1): record}, at(30), CAL
    )
    assert plan.state == "done"
