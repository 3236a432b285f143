"""One cycle: sync → match → plan → act. The only place where the pure core meets adapters.

The acts themselves (writing, withdrawing and settling drafts exactly once) are in
``followup.actions``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from followup.actions import ActionResult, act, log_result
from followup.config import Config
from followup.core.errors import StateError, UserError, needs_sign_in
from followup.core.planner import InterviewPlan
from followup.derived import plan_from_store, revision
from followup.facts import current_key, lazy_text_wanted, read_new_facts, text_wanted, verdicts
from followup.mailbox import Mailbox
from followup.store import Store

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

    Messages that may concern an interview come with their text; what it says is read at
    once and stored with them (never the text). Returns False when no interview is active
    (the folders are still resolved, so a broken account shows up even then).
    """
    since = sync_window_start(config)
    info = mailbox.folders()
    if since is None:
        return False
    wants_text = lazy_text_wanted(config, store.messages)  # matched only if mail came
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
            facts=read_new_facts(config, result.messages),
        )
        report.new_messages += len(result.messages)
        if role == "watched":
            report.new_watched += len(result.messages)
    reread_stale_facts(config, mailbox, store)
    return True


REREAD_BATCH = 200
"""Messages whose text is fetched again per account and cycle after the rules changed."""


def reread_stale_facts(config: Config, mailbox: Mailbox, store: Store) -> int:
    """Read again the text of stored messages that may concern an interview but whose facts
    were read under other rules or another config (or never): cost follows the interviews.

    Once every such message of the account was read under today's rules, nothing is looked
    at again until the messages, their facts or the rules change (a quiet poll skips this).
    """
    key = current_key(config)
    if _rereads_done(store, mailbox.account) == (key, revision(store)):
        return 0
    stored = [s for s in store.messages() if s.account == mailbox.account]
    _, threads = verdicts(config, store.messages())
    wanted = text_wanted(config, threads)
    stale: dict[str, list[str]] = defaultdict(list)
    for s in stored:
        if (s.facts is None or s.facts.key != key) and wanted(s.meta):
            stale[s.meta.folder].append(s.meta.uid)
    done = 0
    for folder, uids in stale.items():
        batch = uids[: max(0, REREAD_BATCH - done)]
        if not batch:
            break
        texts = mailbox.fetch_text(folder, batch)
        store.save_text_facts(mailbox.account, folder, read_new_facts(config, list(texts.values())))
        done += len(batch)
    if done < REREAD_BATCH:  # all read (a full batch may have left some for the next cycle)
        with store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO rereads_done (account, facts_key, revision)"
                " SELECT ?, ?, n FROM revision",
                (mailbox.account, key),
            )
    return done


def _rereads_done(store: Store, account: str) -> tuple[str, int] | None:
    with store.reading() as db:
        row = db.execute(
            "SELECT facts_key, revision FROM rereads_done WHERE account = ?", (account,)
        ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


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
    _act_on(config, mailboxes, store, now, report, dry_run, acted=set())
    if not dry_run:
        report.plans = plan_from_store(config, store, now)
        # A draft just written may retire an earlier stage's untouched draft of its round.
        done = {(a.interview_id, a.stage) for a in report.actions}
        if _act_on(config, mailboxes, store, now, report, dry_run, acted=done, only="withdraw"):
            report.plans = plan_from_store(config, store, now)
    return report


def _act_on(
    config: Config,
    mailboxes: Mapping[str, Mailbox],
    store: Store,
    now: dt.datetime,
    report: CycleReport,
    dry_run: bool,
    *,
    acted: set[tuple[str, str]],
    only: str | None = None,
) -> int:
    """Carry out the planned actions (``only`` one kind of them); returns how many."""
    count = 0
    for plan in report.plans:
        account = config.account_for(plan.interview).name
        for stage in plan.stages:
            if stage.action == "none" or (only is not None and stage.action != only):
                continue
            if (plan.interview.id, stage.stage) in acted and only is not None:
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
            count += 1
    return count
