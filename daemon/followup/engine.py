"""One cycle: sync → match → plan → act. The only place where the pure core meets adapters.

The acts themselves (writing, withdrawing and settling drafts exactly once) are in
``followup.actions``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from followup.actions import ActionResult, act, log_result
from followup.config import Config
from followup.core.ats import is_ats_domain
from followup.core.errors import StateError, UserError, needs_sign_in
from followup.core.matching import match_all
from followup.core.model import FAR_PAST, Match, MessageMeta
from followup.core.planner import InterviewFacts, InterviewPlan, plan_all
from followup.core.threads import ThreadIndex
from followup.holiday_tables import calendar_for
from followup.mailbox import Mailbox, TextWanted
from followup.store import Store, StoredMessage

log = logging.getLogger(__name__)

# The first sync looks back this far before the earliest active interview, so the
# conversation that led to it (and its Message-IDs) is known as thread context.
LOOKBACK = dt.timedelta(days=30)


@dataclass
class CycleReport:
    now: dt.datetime
    plans: list[InterviewPlan] = field(default_factory=list)
    actions: list[ActionResult] = field(default_factory=list)
    account_errors: dict[str, str] = field(default_factory=dict)
    needs_auth: set[str] = field(default_factory=set)  # of account_errors: a login problem
    # Accounts whose sync worked but a write failed: no further write is tried this cycle.
    write_errors: dict[str, str] = field(default_factory=dict)
    # Due acts not carried out because their mailbox failed (``run --once`` exits 75).
    blocked: list[ActionResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_messages: int = 0
    new_watched: int = 0  # of those, in watched folders (what IDLE should have announced)


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
    wants_text = text_wanted(config)
    if since is None:
        return False
    # Drafts were never sent: neither replies nor the user's own mail, even if watched.
    roles: list[tuple[str, Literal["watched", "sent"]]] = [
        (f, "watched") for f in info.watched if f != info.drafts
    ]
    if info.sent and info.sent != info.drafts:
        roles.append((info.sent, "sent"))
    for folder, role in roles:
        stored = store.cursor(mailbox.account, folder)
        cursor = stored[0] if stored and stored[1] <= since else None
        synced_since = min(stored[1], since) if stored else since
        result = mailbox.fetch_new(folder, cursor, since, wants_text)
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
        if role == "watched":
            report.new_watched += len(result.messages)
    return True


def text_wanted(config: Config) -> TextWanted:
    """Which new messages a backend should fetch a bounded text part for.

    The rules that read the text (the ATS company-name rule) only need it for mail from
    an applicant-tracking system; everything else is decided from the header fields.
    """

    def wanted(meta: MessageMeta) -> bool:
        return meta.sender is not None and is_ats_domain(meta.sender.domain)

    return wanted


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
        config.identity,
        config.schedule,
        facts,
        store.stage_records(),
        now,
        calendar_for(config.schedule),
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
            if needs_sign_in(exc):
                report.needs_auth.add(name)
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
            if account in report.account_errors:
                why = report.account_errors[account]
                result = ActionResult(
                    plan.interview.id,
                    plan.interview.company,
                    stage.stage,
                    "skipped",
                    f"account {account} could not be synced ({why}); will retry",
                )
                report.blocked.append(result)
            elif account in report.write_errors:
                # One failed write is enough: a server that went silent would cost a full
                # set of timeouts per due draft.
                result = ActionResult(
                    plan.interview.id,
                    plan.interview.company,
                    stage.stage,
                    "skipped",
                    f"account {account} failed a write earlier in this cycle; will retry",
                )
                report.blocked.append(result)
            else:
                result = act(
                    config, plan, stage, mailboxes.get(account), account, store, now, dry_run
                )
                if result.outcome == "failed":
                    report.write_errors[account] = result.reason
                    report.blocked.append(result)
                    store.set_account_health(account, False, result.reason, now)
            report.actions.append(result)
            log_result(result)
    if not dry_run:
        report.plans = plan_from_store(config, store, now)
    return report
