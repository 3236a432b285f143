"""The events the user is told about, each one line of text: the words the journal gets.

An ``Event`` is a plain value built from what a cycle did (``ActionResult``) or found (an
interview's reply, an account that cannot log in). ``key`` names it for exactly-once
delivery (``followup.notify.notices``); ``title`` and ``body`` are what a desktop
notification shows; ``environment`` is what the notify command gets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Literal

from followup.actions import ActionResult, result_line
from followup.core.model import MessageMeta, when_text
from followup.core.planner import InterviewPlan
from followup.core.rounds import Answer
from followup.logs import redact

EventName = Literal["draft_written", "draft_withdrawn", "answer_arrived", "needs_auth"]

# How a stage is named in a sentence.
STAGE_WORDS = {"thank_you": "thank-you note", "check_in": "check-in", "closure": "closing note"}
_DRAFT_TITLES = {
    "thank_you": "Thank-you draft ready",
    "check_in": "Follow-up draft ready",
    "closure": "Closing note ready",
}
# The answer kinds the content layer reads from a message (None and "reply": an answer).
_ANSWER_TITLES = {
    "rejection": "{company} will not move forward",
    "offer": "Offer from {company}",
    "next_step": "Next step with {company}",
    "delay": "{company} needs more time",
}


@dataclass(frozen=True)
class Event:
    """One thing worth telling the user; ``text`` is its journal line."""

    event: EventName
    key: str  # unique per thing told: draft:<message-id>, answer:<interview>:<message-id>, ...
    text: str
    interview_id: str | None = None
    company: str | None = None
    role: str | None = None
    stage: str | None = None
    person: str | None = None  # who the draft is for, or who answered
    account: str | None = None
    kind: str | None = None  # the answer's kind: reply, rejection, offer, next_step, delay
    promised_by: dt.date | None = None  # a delay's new date
    message_id: str | None = None
    subject: str | None = None

    @property
    def title(self) -> str:
        """The one-line summary a notification shows."""
        company = self.company or ""
        if self.event == "draft_written":
            return f"{_DRAFT_TITLES.get(self.stage or '', 'Draft ready')} — {company}"
        if self.event == "draft_withdrawn":
            return f"Draft withdrawn — {company}"
        if self.event == "answer_arrived":
            return _ANSWER_TITLES.get(self.kind or "", "Answer from {company}").format(
                company=company
            )
        return f"Sign-in needed — {self.account}"

    @property
    def body(self) -> str:
        """A sentence naming the person and the stage (or the problem)."""
        stage = STAGE_WORDS.get(self.stage or "", self.stage or "draft")
        about = f" ({self.role})" if self.role else ""
        person = self.person or self.company or "the company"
        if self.event == "draft_written":
            return f"{stage.capitalize()} for {person}{about} is in your Drafts folder."
        if self.event == "draft_withdrawn":
            return f"{person} answered, so the {stage} draft was removed from Drafts."
        if self.event == "answer_arrived":
            line = f"{person} wrote about the {self.role} role" if self.role else f"{person} wrote"
            line += f": “{self.subject}”" if self.subject else "."
            if self.promised_by is not None:
                line += f" They expect to answer by {self.promised_by:%a %Y-%m-%d}."
            return line
        return self.text

    def environment(self) -> dict[str, str]:
        """The FOLLOWUP_* variables of the notify command; every one set, "" when unknown."""
        values = {
            "EVENT": self.event,
            "TEXT": self.text,
            "TITLE": self.title,
            "BODY": self.body,
            "INTERVIEW": self.interview_id,
            "COMPANY": self.company,
            "ROLE": self.role,
            "STAGE": self.stage,
            "PERSON": self.person,
            "ACCOUNT": self.account,
            "KIND": self.kind,
            "PROMISED_BY": self.promised_by.isoformat() if self.promised_by else None,
            "MESSAGE_ID": self.message_id,
        }
        return {f"FOLLOWUP_{name}": _one_line(value or "") for name, value in values.items()}


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def _person(meta: MessageMeta | None) -> str | None:
    if meta is None or meta.sender is None:
        return None
    return meta.sender.name or meta.sender.email


def _recipient(result: ActionResult) -> str | None:
    if result.message is None:
        return None
    found = getaddresses([str(result.message.get("To", ""))])
    return next((name or email for name, email in found if name or email), None)


def action_events(results: Sequence[ActionResult], plans: Sequence[InterviewPlan]) -> list[Event]:
    """A draft written (or found already written) or withdrawn, from a cycle's results."""
    by_id = {p.interview.id: p for p in plans}
    out: list[Event] = []
    for r in results:
        plan = by_id.get(r.interview_id)
        stage = next((s for s in plan.stages if s.stage == r.stage), None) if plan else None
        if plan is None or stage is None:
            continue
        name: EventName
        if r.outcome in ("drafted", "found-existing"):
            name, key, person = "draft_written", "draft", _recipient(r)
        elif r.outcome == "withdrawn":
            answer = plan.answer
            name, key = "draft_withdrawn", "withdrawn"
            person = _person(answer.meta) if answer is not None else None
        else:
            continue
        out.append(
            Event(
                name,
                f"{key}:{stage.message_id}",
                result_line(r),
                interview_id=r.interview_id,
                company=r.company,
                role=plan.interview.role,
                stage=r.stage,
                person=person,
                message_id=stage.message_id,
            )
        )
    return out


NEWS = ("rejection", "offer", "next_step", "delay", "reply")
"""The kinds of message that are news for the user (a courtesy or an out-of-office is not)."""


def answer_line(plan: InterviewPlan, answer: Answer) -> str:
    """The journal line of an answer: who wrote, when, what it says and why it counts."""
    iv = plan.interview
    when = f" on {when_text(answer.meta.date)}" if answer.meta.date else ""
    promise = f", promised by {answer.promised_by.isoformat()}" if answer.promised_by else ""
    return (
        f"answer from {answer.sender}{when} for {iv.company} ({iv.id}): "
        f"{answer.kind}{promise}: {answer.reason}"
    )


def answer_events(plans: Sequence[InterviewPlan]) -> list[Event]:
    """One event per piece of news from the company (``notices`` keeps only the new ones)."""
    out: list[Event] = []
    for plan in plans:
        iv = plan.interview
        for answer in plan.facts.answers:
            if answer.kind not in NEWS:
                continue
            meta = answer.meta
            out.append(
                Event(
                    "answer_arrived",
                    f"answer:{iv.id}:{meta.message_id}",
                    answer_line(plan, answer),
                    interview_id=iv.id,
                    company=iv.company,
                    role=iv.role,
                    person=_person(meta),
                    kind=answer.kind,
                    promised_by=answer.promised_by,
                    message_id=meta.message_id,
                    subject=meta.subject or None,
                )
            )
    return out


def auth_event(account: str, why: str) -> Event:
    """An account that cannot log in; ``why`` already says what to run (``followup auth``)."""
    text = redact(f"account {account}: {why}")  # as the journal shows it
    return Event("needs_auth", f"auth:{account}", text, account=account)
