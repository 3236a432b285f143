"""The acts of a cycle, each exactly once: write a draft, withdraw one, settle an interrupted one.

Every act records its intent in the state database before it touches the mailbox, and
looks in Drafts before it writes, so a crash at any point neither duplicates nor loses a
draft (promise 3), and only a draft still exactly as written is ever removed (promise 4).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from followup.config import Config
from followup.core.conversation import address
from followup.core.errors import MailboxUnreachable
from followup.core.model import StageState, WithdrawOutcome
from followup.core.planner import InterviewPlan, StagePlan
from followup.core.templating import TemplateError
from followup.faults import fault_point
from followup.mailbox import Mailbox
from followup.store import Store

# Composing and comparing drafts need the email package (core.drafts, imported where they
# happen); planning and `status` do not.
if TYPE_CHECKING:
    from email.message import EmailMessage

log = logging.getLogger(__name__)

NO_UIDPLUS = (
    "kept: the server cannot withdraw a single draft without UIDPLUS, so it stays in "
    "Drafts for you to delete"
)

Outcome = Literal[
    "drafted",
    "would-draft",
    "found-existing",
    "withdrawn",
    "would-withdraw",
    "kept",
    "skipped",
    "failed",
]


@dataclass(frozen=True)
class ActionResult:
    interview_id: str
    company: str
    stage: str
    outcome: Outcome
    reason: str
    message: EmailMessage | None = None


def result_line(r: ActionResult) -> str:
    """The journal line of an act; a notification of it says the same words."""
    return f"{r.outcome} {r.stage} for {r.company} ({r.interview_id}): {r.reason}"


def log_result(r: ActionResult) -> None:
    log.info("%s", result_line(r))


def build_draft(
    config: Config, plan: InterviewPlan, stage: StagePlan, now: dt.datetime
) -> EmailMessage:
    """The draft of one stage: its round says whom to write, in which thread, about what."""
    from followup.core.drafts import compose_draft  # the email package only when drafting

    iv = plan.interview
    r = plan.story.rounds[stage.round - 1]
    about = r.cause.meta if r.cause is not None else None
    to = address(iv, plan.facts.conversation, me=config.identity.addresses(), about=about)
    thanked = any(m.date is not None and m.date >= r.start for m in plan.facts.own_messages)
    return compose_draft(
        interview=iv,
        stage=stage.stage,
        identity=config.identity,
        templates=config.templates,
        recipient=to.recipient,
        thread=to.thread,
        now=now,
        sched=config.schedule,
        round_=r.number,
        promised_by=r.promise if r.promised else None,
        thanked=thanked and stage.stage != "thank_you",
    )


@dataclass(frozen=True)
class _Recorder:
    """Records one (interview, stage)'s new state; every write names the same draft."""

    store: Store
    stage: StagePlan
    account: str
    now: dt.datetime

    def __call__(self, state: StageState, ref: str | None, reason: str) -> None:
        self.store.record_stage(
            self.stage.interview_id,
            self.stage.stage,
            state,
            account=self.account,
            message_id=self.stage.message_id,
            ref=ref,
            reason=reason,
            now=self.now,
            round_=self.stage.round,
        )


_Result = Callable[..., ActionResult]


def act(
    config: Config,
    plan: InterviewPlan,
    stage: StagePlan,
    mailbox: Mailbox | None,
    account: str,
    store: Store,
    now: dt.datetime,
    dry_run: bool,
) -> ActionResult:
    """Carry out the action the planner chose for one stage."""
    iv = plan.interview

    def result(outcome: Outcome, reason: str, message: EmailMessage | None = None) -> ActionResult:
        return ActionResult(iv.id, iv.company, stage.stage, outcome, reason, message)

    if mailbox is None:
        return result(
            "skipped", f"account {account} could not be synced (no mailbox open); will retry"
        )
    record = _Recorder(store, stage, account, now)
    if stage.action == "cleanup":
        return _cleanup(stage, mailbox, record, dry_run, result)
    if stage.action == "withdraw":
        return _withdraw(stage, mailbox, record, dry_run, result)
    try:
        message = build_draft(config, plan, stage, now)
    except TemplateError as exc:
        # Not a mailbox failure: the account stays healthy; the config needs fixing.
        return result("skipped", f"the {stage.stage} template cannot be filled for {iv.id}: {exc}")
    if dry_run:
        return result("would-draft", stage.reason, message)
    return _draft(stage, message, mailbox, record, result)


# An intent records what followup composed, so a draft found after a crash or a rebuild
# of the state is recognised as ours only when it still says exactly that.
_COMPOSED = "composed:"


def _composed(ref: str | None) -> str | None:
    return ref.removeprefix(_COMPOSED) if ref and ref.startswith(_COMPOSED) else None


def _is_ours(mailbox: Mailbox, ref: str, fingerprints: set[str]) -> bool:
    from followup.core.drafts import draft_fingerprint

    raw = mailbox.read_draft(ref)
    return raw is not None and draft_fingerprint(raw) in fingerprints


_YOURS = "a draft with its Message-ID is in Drafts and says something else, so it is yours"


def _draft(
    stage: StagePlan, message: EmailMessage, mailbox: Mailbox, record: _Recorder, result: _Result
) -> ActionResult:
    """The exactly-once protocol: intent, look in Drafts, write, record (promise 3)."""
    from followup.core.drafts import draft_fingerprint

    composed = draft_fingerprint(message.as_bytes())
    expected = {composed} | ({earlier} if (earlier := _composed(stage.ref)) else set())
    try:
        record("intent", _COMPOSED + composed, stage.reason)
        fault_point("after-intent")
        existing = mailbox.find_draft(stage.message_id)
        fault_point("after-find")
        if existing is not None:
            if _is_ours(mailbox, existing, expected):
                record("drafted", existing, f"{stage.reason} (found the draft already in Drafts)")
                return result("found-existing", stage.reason, message)
            # Never withdrawn later: only a draft exactly as followup wrote it ever is.
            record("drafted", None, f"{stage.reason}; {_YOURS}: it stays as it is")
            return result("kept", f"{stage.reason}; {_YOURS}")
        ref = mailbox.append_draft(message)
        fault_point("after-append")
        record("drafted", ref, stage.reason)
        fault_point("after-record")
    except MailboxUnreachable as exc:
        return result("failed", f"{exc}; will retry")
    return result("drafted", stage.reason, message)


def _withdraw(
    stage: StagePlan, mailbox: Mailbox, record: _Recorder, dry_run: bool, result: _Result
) -> ActionResult:
    """Remove our draft after a reply, only if it is exactly as we wrote it (promise 4)."""
    if dry_run or stage.ref is None:
        return result("would-withdraw", stage.reason)
    retry = stage.state == "withdrawing"
    try:
        if not retry:
            record("withdrawing", stage.ref, stage.reason)
        outcome = mailbox.withdraw_draft(stage.ref)
        fault_point("after-withdraw")
    except MailboxUnreachable as exc:
        return result("failed", str(exc))
    if outcome == "withdrawn" or (outcome == "gone" and retry):
        # Gone on a retry: our own earlier removal went through before we heard back.
        record("withdrawn", None, f"withdrawn: {stage.reason}")
        return result("withdrawn", stage.reason)
    # The user edited, sent or removed it: it is theirs now; remember not to look again.
    # Or the server cannot remove one message safely: say so, and do not ask again.
    note = {
        "changed": "you edited it, so it stays",
        "unsupported": NO_UIDPLUS,
    }.get(outcome, "it is no longer in Drafts (sent or deleted), so nothing was withdrawn")
    record("drafted", None, f"{note} (it would have been withdrawn: {stage.reason})")
    return result("kept", f"{note} (it would have been withdrawn: {stage.reason})")


def _cleanup(
    stage: StagePlan, mailbox: Mailbox, record: _Recorder, dry_run: bool, result: _Result
) -> ActionResult:
    """Settle a draft that was interrupted and is no longer wanted (reply, closed, late)."""
    if dry_run:
        return result("would-withdraw", f"an interrupted draft is no longer wanted: {stage.reason}")
    composed = _composed(stage.ref)
    try:
        ref = mailbox.find_draft(stage.message_id)
        outcome: WithdrawOutcome = "gone"
        if ref is not None:
            ours = composed is not None and _is_ours(mailbox, ref, {composed})
            outcome = mailbox.withdraw_draft(ref) if ours else "changed"
    except MailboxUnreachable as exc:
        return result("failed", f"{exc}; will retry")
    state: StageState = stage.state
    if outcome == "withdrawn":
        note = "; the interrupted draft was removed"
    elif outcome == "changed":
        state, note = "drafted", "; the interrupted draft was kept because you changed it"
    elif outcome == "unsupported":
        state, note = "drafted", f"; the interrupted draft was {NO_UIDPLUS}"
    else:
        note = ""
    record(state, None, stage.reason + note)
    return result("withdrawn" if outcome == "withdrawn" else "kept", stage.reason + note)
