"""One cycle: sync → match → plan → act. The only place where the pure core meets adapters."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal

from followup.compose import choose_recipient, compose_draft, thread_context
from followup.config import Config, Interview
from followup.errors import MailboxUnreachable, StateError, UserError
from followup.faults import fault_point
from followup.mailbox import Mailbox
from followup.matching import ThreadIndex, match_all
from followup.model import FAR_PAST, Match, MessageMeta, StageState
from followup.planner import InterviewFacts, InterviewPlan, StagePlan, plan_all
from followup.schedule import BusinessCalendar
from followup.store import Store, StoredMessage
from followup.templates import TemplateError

log = logging.getLogger(__name__)

# The first sync looks back this far before the earliest active interview, so the
# conversation that led to it (and its Message-IDs) is known as thread context.
LOOKBACK = dt.timedelta(days=30)

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


@dataclass
class CycleReport:
    now: dt.datetime
    plans: list[InterviewPlan] = field(default_factory=list)
    actions: list[ActionResult] = field(default_factory=list)
    account_errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    new_messages: int = 0


def sync_window_start(config: Config) -> dt.date | None:
    active = [iv.started_at for iv in config.interviews if not iv.closed]
    if not active:
        return None
    return (min(active) - LOOKBACK).date()


def sync_account(config: Config, mailbox: Mailbox, store: Store, report: CycleReport) -> bool:
    """Fetch what is new in the watched folders and Sent; cursors advance with the data.

    Returns False when no interview is active (the folders are still resolved, so a
    broken account shows up even then).
    """
    since = sync_window_start(config)
    info = mailbox.folders()
    if since is None:
        return False
    roles: list[tuple[str, Literal["watched", "sent"]]] = [(f, "watched") for f in info.watched]
    if info.sent:
        roles.append((info.sent, "sent"))
    for folder, role in roles:
        stored = store.cursor(mailbox.account, folder)
        cursor = stored[0] if stored and stored[1] <= since else None
        synced_since = min(stored[1], since) if stored else since
        result = mailbox.fetch_new(folder, cursor, since)
        for warning in result.warnings:
            log.warning("%s/%s: %s", mailbox.account, folder, warning)
            report.warnings.append(f"{mailbox.account}/{folder}: {warning}")
        store.save_fetch(
            mailbox.account,
            folder,
            role,
            result.messages,
            result.cursor,
            synced_since if cursor is not None else since,
            reset=result.reset,
        )
        report.new_messages += len(result.messages)
    return True


def derive_facts(
    config: Config, stored: Sequence[StoredMessage]
) -> tuple[list[InterviewFacts], list[Match], ThreadIndex]:
    """Match every known message and gather, per interview, its reply and conversation."""
    metas = [s.meta for s in stored]
    matches, threads = match_all(metas, config.interviews, config.identity)
    replies: dict[str, list[tuple[MessageMeta, Match]]] = defaultdict(list)
    own: dict[str, list[MessageMeta]] = defaultdict(list)
    convo: dict[str, list[MessageMeta]] = defaultdict(list)
    for meta, match in zip(metas, matches, strict=True):
        if match.interview_id is None:
            continue
        convo[match.interview_id].append(meta)
        if match.kind == "reply":
            replies[match.interview_id].append((meta, match))
        elif match.kind == "own":
            own[match.interview_id].append(meta)
    facts = []
    for iv in config.interviews:
        found = sorted(replies[iv.id], key=lambda pair: _date_key(pair[0]))
        first = found[0] if found else None
        facts.append(
            InterviewFacts(
                interview=iv,
                reply=first[0] if first else None,
                reply_reason=first[1].reason if first else "",
                own_messages=tuple(sorted(own[iv.id], key=_date_key)),
                conversation=tuple(sorted(convo[iv.id], key=_date_key)),
            )
        )
    return facts, matches, threads


def _date_key(m: MessageMeta) -> dt.datetime:
    return m.date or FAR_PAST


def plan_from_store(config: Config, store: Store, now: dt.datetime) -> list[InterviewPlan]:
    facts, _, _ = derive_facts(config, store.messages())
    return plan_all(
        config, facts, store.stage_records(), now, BusinessCalendar.from_config(config.schedule)
    )


def run_once(
    config: Config,
    mailboxes: Mapping[str, Mailbox],
    store: Store,
    now: dt.datetime,
    *,
    dry_run: bool = False,
) -> CycleReport:
    """Sync every account, then write or withdraw the drafts that are due.

    A draft is only written for an account whose sync just succeeded, so a reply that
    arrived first always cancels it (promise 4). Errors of one account never stop another.
    """
    report = CycleReport(now=now)
    for name, mailbox in mailboxes.items():
        try:
            synced = sync_account(config, mailbox, store, report)
        except StateError:
            raise
        except UserError as exc:  # unreachable, login refused, no credentials, bad label...
            log.error("account %s: %s", name, exc)
            report.account_errors[name] = str(exc)
            store.set_account_health(name, False, str(exc), now)
        else:
            detail = "synced" if synced else "reachable; no active interview, nothing to sync"
            store.set_account_health(name, True, detail, now)
    report.plans = plan_from_store(config, store, now)
    for plan in report.plans:
        account = config.account_for(plan.interview).name
        for stage in plan.stages:
            if stage.action == "none":
                continue
            result = _act(
                config, plan, stage, mailboxes.get(account), account, store, now, report, dry_run
            )
            report.actions.append(result)
            _log_result(result)
    if not dry_run:
        report.plans = plan_from_store(config, store, now)
    return report


def _log_result(r: ActionResult) -> None:
    log.info("%s %s for %s (%s): %s", r.outcome, r.stage, r.company, r.interview_id, r.reason)


def build_draft(
    config: Config, plan: InterviewPlan, stage: StagePlan, now: dt.datetime
) -> EmailMessage:
    iv: Interview = plan.interview
    convo = plan.facts.conversation
    return compose_draft(
        interview=iv,
        stage=stage.stage,
        identity=config.identity,
        templates=config.templates,
        recipient=choose_recipient(iv, convo, me=config.identity.addresses()),
        thread=thread_context(convo),
        now=now,
        sched=config.schedule,
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
        )


_Result = Callable[..., ActionResult]


def _act(
    config: Config,
    plan: InterviewPlan,
    stage: StagePlan,
    mailbox: Mailbox | None,
    account: str,
    store: Store,
    now: dt.datetime,
    report: CycleReport,
    dry_run: bool,
) -> ActionResult:
    iv = plan.interview

    def result(outcome: Outcome, reason: str, message: EmailMessage | None = None) -> ActionResult:
        return ActionResult(iv.id, iv.company, stage.stage, outcome, reason, message)

    if mailbox is None or account in report.account_errors:
        why = report.account_errors.get(account, "no mailbox open")
        return result("skipped", f"account {account} could not be synced ({why}); will retry")
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


def _draft(
    stage: StagePlan, message: EmailMessage, mailbox: Mailbox, record: _Recorder, result: _Result
) -> ActionResult:
    """The exactly-once protocol: intent, look in Drafts, write, record (promise 3)."""
    try:
        record("intent", None, stage.reason)
        fault_point("after-intent")
        existing = mailbox.find_draft(stage.message_id)
        fault_point("after-find")
        if existing is not None:
            record("drafted", existing, f"{stage.reason} (found the draft already in Drafts)")
            return result("found-existing", stage.reason, message)
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
    note = "you edited it, so it stays" if outcome == "changed" else "it was already gone"
    record("drafted", None, f"{stage.reason}; {note}")
    return result("kept", f"{stage.reason}; {note}")


def _cleanup(
    stage: StagePlan, mailbox: Mailbox, record: _Recorder, dry_run: bool, result: _Result
) -> ActionResult:
    """Settle a draft that was interrupted and is no longer wanted (reply, closed, late)."""
    if dry_run:
        return result("would-withdraw", f"an interrupted draft is no longer wanted: {stage.reason}")
    try:
        ref = mailbox.find_draft(stage.message_id)
        outcome = mailbox.withdraw_draft(ref) if ref is not None else "gone"
    except MailboxUnreachable as exc:
        return result("failed", f"{exc}; will retry")
    state: StageState = stage.state
    if outcome == "withdrawn":
        note = "; the interrupted draft was removed"
    elif outcome == "changed":
        state, note = "drafted", "; the interrupted draft was kept because you changed it"
    else:
        note = ""
    record(state, None, stage.reason + note)
    return result("withdrawn" if outcome == "withdrawn" else "kept", stage.reason + note)
