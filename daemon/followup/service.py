"""``followup run``: the long-running daemon (APScheduler, signals, sd_notify).

One runner thread does all the work (sync, cycles, reloads) one step at a time and owns the
state database and the mailbox connections, so nothing is shared between threads. The
scheduler, the IDLE watchers and the signal handlers only *request* steps; requests that
pile up while a step runs are coalesced. A step that fails is logged and retried later;
it never ends the daemon.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from followup.clock import Clock
from followup.config import AccountConfig, Config, load_config
from followup.engine import CycleReport, plan_from_store, run_once, sync_account
from followup.errors import (
    EXIT_OK,
    ConfigError,
    StateError,
    UsageError,
    UserError,
)
from followup.mailbox import Mailbox, open_mailbox
from followup.notify import Notifier, watchdog_interval
from followup.planner import InterviewPlan
from followup.push import PushWatcher
from followup.schedule import parse_when
from followup.store import Store

log = logging.getLogger(__name__)

RECONCILE_EVERY = 60.0  # seconds; bounds how late a deadline can be after suspend or a clock jump
RETRY_MIN = 60.0  # first retry of a due draft whose account failed
STUCK_AFTER = 15 * 60.0  # a step running this long stops the watchdog pings, so systemd restarts us
MAIN_LOOP_TICK = 1.0  # seconds; see _Scheduler
STOP_GRACE = 60.0  # how long the main thread waits for the runner to finish its step on exit
_JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class _Scheduler(BlockingScheduler):  # type: ignore[misc]
    """A ``BlockingScheduler`` whose main loop wakes at least every second.

    Python runs signal handlers only in the main thread, and only once it wakes up; the
    kernel may deliver SIGTERM to any other thread, leaving the main thread asleep until
    its next job. The short wait bounds how late a signal handler can run.
    """

    def _main_loop(self) -> None:
        wait_seconds: float | None = MAIN_LOOP_TICK
        while self.state != STATE_STOPPED:
            self._event.wait(
                MAIN_LOOP_TICK if wait_seconds is None else min(wait_seconds, MAIN_LOOP_TICK)
            )
            self._event.clear()
            wait_seconds = self._process_jobs()


def status_line(
    plans: Sequence[InterviewPlan], now: dt.datetime, errors: Sequence[str] = ()
) -> str:
    """The one-line summary for ``systemctl status``: what waits, what comes next, what is broken."""
    waiting = sum(1 for p in plans if p.state == "waiting")
    replied = sum(1 for p in plans if p.state == "replied")
    parts = [f"{waiting} waiting"]
    if replied:
        parts.append(f"{replied} replied")
    due_now = sum(1 for p in plans for s in p.stages if s.action != "none")
    if due_now:
        parts.append(f"{due_now} draft{'s' if due_now > 1 else ''} due now")
    upcoming = [
        (s.due, p.interview.company)
        for p in plans
        for s in p.stages
        if s.state == "scheduled" and s.action == "none" and s.due is not None and s.due > now
    ]
    if upcoming:
        due, company = min(upcoming)
        fmt = "%a %H:%M" if due - now < dt.timedelta(days=6) else "%a %d %b %H:%M"
        parts.append(f"next draft {due.astimezone(now.tzinfo):{fmt}} for {company}")
    elif not due_now:
        parts.append("nothing scheduled")
    if errors:
        parts.append("unreachable: " + ", ".join(sorted(errors)))
    return " · ".join(parts)


class Daemon:
    """The scheduler in the main thread, one runner thread, and an IDLE watcher per IMAP account."""

    def __init__(
        self, config_path: Path, config: Config, clock: Clock, *, dry_run: bool, notifier: Notifier
    ) -> None:
        self.config_path = config_path
        self.config = config
        self.clock = clock
        self.dry_run = dry_run
        self.notifier = notifier
        self.scheduler = _Scheduler(
            timezone=dt.UTC,
            job_defaults=dict(_JOB_DEFAULTS),
            executors={"default": ThreadPoolExecutor(2)},
        )
        self.status = "starting"
        self.exit_code = EXIT_OK
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._busy_since: float | None = None
        self._store: Store | None = None
        self._mailboxes: dict[str, Mailbox] = {}
        self._errors: dict[str, str] = {}
        self._watchers: list[PushWatcher] = []
        self._retry_at = 0.0
        self._retry_delay = RETRY_MIN
        self._start_lock = threading.Lock()
        self._scheduler_started = False
        self._stopped = False
        self._initialized = threading.Event()
        self._init_error: UserError | None = None
        self._runner = threading.Thread(target=self._run, name="followup-runner")

    # --- entry point (main thread) ---------------------------------------------------------

    def serve(self) -> int:
        signal.signal(signal.SIGTERM, self._on_stop_signal)
        signal.signal(signal.SIGINT, self._on_stop_signal)
        signal.signal(signal.SIGHUP, self._on_reload_signal)
        self._runner.start()
        self._initialized.wait()
        if self._init_error is not None:
            log.error("%s", self._init_error)
            self._runner.join()
            return self._init_error.exit_code
        self._schedule_static_jobs()
        self.notifier.ready(self.status)
        log.info(
            "followup daemon ready: %d interview(s), %d account(s)%s%s",
            len(self.config.interviews),
            len(self.config.accounts),
            f"; clock starts at {self.clock.now(self.config.schedule.tz):%Y-%m-%d %H:%M %Z}"
            if self.clock.shifted
            else "",
            "; dry run, no draft will be written" if self.dry_run else "",
        )
        self.request("cycle")  # catch up at once: sync first, then draft what is due
        self._start_watchers()
        with self._start_lock:
            if self._stopped:
                self._runner.join(STOP_GRACE)
                return self.exit_code
            self._scheduler_started = True
        self.scheduler.start()
        self._runner.join(STOP_GRACE)
        if self._runner.is_alive():
            log.error("the current step did not finish within %.0f s; exiting anyway", STOP_GRACE)
        return self.exit_code

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        self.request("stop")

    def _on_reload_signal(self, signum: int, frame: FrameType | None) -> None:
        self.request("reload")

    def request(self, what: str) -> None:
        """Ask the runner for a step: stop, reload, cycle, reconcile or sync:<account>.

        Safe from signal handlers: only the main thread runs them, and it never holds this lock.
        """
        with self._cond:
            self._pending.add(what)
            self._cond.notify()

    # --- jobs --------------------------------------------------------------------------------

    def _schedule_static_jobs(self) -> None:
        self._schedule_sync_jobs()
        self.scheduler.add_job(
            self.request,
            IntervalTrigger(seconds=RECONCILE_EVERY),
            args=["reconcile"],
            id="reconcile",
            replace_existing=True,
        )
        interval = watchdog_interval()
        if interval is not None and self.notifier.enabled:
            self.scheduler.add_job(
                self._watchdog,
                IntervalTrigger(seconds=interval),
                id="watchdog",
                replace_existing=True,
            )
            self._watchdog()

    def _schedule_sync_jobs(self) -> None:
        for job in self.scheduler.get_jobs():
            if job.id.startswith("sync:"):
                job.remove()
        seconds = max(self.config.daemon.poll_interval.total_seconds(), 1.0)
        jitter = min(30.0, seconds / 10)
        for account in self.config.accounts:
            self.scheduler.add_job(
                self.request,
                IntervalTrigger(seconds=seconds, jitter=jitter),
                args=[f"sync:{account.name}"],
                id=f"sync:{account.name}",
                replace_existing=True,
            )

    def _schedule_stage_jobs(self, plans: Sequence[InterviewPlan], now: dt.datetime) -> None:
        """One date job per future scheduled stage; its run is a full cycle (sync, then draft)."""
        wanted: dict[str, dt.datetime] = {}
        for plan in plans:
            for stage in plan.stages:
                if stage.state == "scheduled" and stage.due is not None and stage.due > now:
                    wanted[f"stage:{plan.interview.id}:{stage.stage}"] = self.clock.to_real(
                        stage.due
                    )
        for job in self.scheduler.get_jobs():
            if job.id.startswith("stage:") and job.id not in wanted:
                job.remove()
        current = {job.id: job for job in self.scheduler.get_jobs()}
        for job_id, run_at in wanted.items():
            existing = current.get(job_id)
            if existing is not None and existing.trigger.run_date == run_at:
                continue
            self.scheduler.add_job(
                self.request,
                "date",
                run_date=run_at,
                args=["cycle"],
                id=job_id,
                replace_existing=True,
            )
            log.debug("scheduled %s at %s (real time)", job_id, run_at)

    def _watchdog(self) -> None:
        busy = self._busy_since
        if not self._runner.is_alive():
            return
        if busy is not None and time.monotonic() - busy > STUCK_AFTER:
            log.error(
                "a step has been running for over %.0f minutes; no longer pinging the watchdog",
                STUCK_AFTER / 60,
            )
            return
        self.notifier.watchdog()

    def _start_watchers(self) -> None:
        for account in self.config.accounts:
            if account.type == "imap":
                watcher = PushWatcher(
                    self.config, account, lambda name: self.request(f"sync:{name}")
                )
                watcher.start()
                self._watchers.append(watcher)

    def _stop_watchers(self) -> None:
        for watcher in self._watchers:
            watcher.stop()
        self._watchers = []

    # --- the runner thread -------------------------------------------------------------------

    def _next_request(self) -> str:
        with self._cond:
            while not self._pending:
                self._cond.wait()
            for what in ("stop", "reload", "cycle"):
                if what in self._pending:
                    if what == "cycle":  # a cycle syncs everything and rebuilds the jobs
                        self._pending.clear()
                    self._pending.discard(what)
                    return what
            what = min(self._pending)  # "reconcile" sorts before "sync:..."
            self._pending.discard(what)
            return what

    def _run(self) -> None:
        try:
            self._store_()
            now = self._now()
            plans = plan_from_store(self.config, self._store_(), now)
            self._schedule_stage_jobs(plans, now)
            self.status = status_line(plans, now)
        except UserError as exc:  # StateError: the state database cannot be used
            self._init_error = exc
        except Exception as exc:
            log.exception("could not start")
            self._init_error = UserError(f"could not start: {exc}")
        if self._init_error is not None:
            self._initialized.set()
            return
        self._initialized.set()
        try:
            while (what := self._next_request()) != "stop":
                self._busy_since = time.monotonic()
                try:
                    self._step(what)
                except StateError as exc:
                    log.error("state database: %s; will retry", exc)
                    self._close_store()
                except Exception:
                    log.exception("unexpected error during %s; the daemon keeps running", what)
                finally:
                    self._busy_since = None
        except BaseException:
            log.exception("the runner failed; stopping")
            self.exit_code = 1
            raise
        finally:
            self._shutdown()

    def _step(self, what: str) -> None:
        if what == "reload":
            self._reload()
        elif what == "cycle":
            self._cycle()
        elif what == "reconcile":
            self._reconcile()
        elif what.startswith("sync:"):
            self._sync(what.removeprefix("sync:"))

    def _now(self) -> dt.datetime:
        return self.clock.now(self.config.schedule.tz)

    def _store_(self) -> Store:
        if self._store is None:
            self._store = Store.in_dir(self.config.daemon.state_dir)
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _mailbox(self, account: AccountConfig, store: Store, now: dt.datetime) -> Mailbox | None:
        box = self._mailboxes.get(account.name)
        if box is not None:
            return box
        try:
            box = open_mailbox(self.config, account)
        except UserError as exc:
            self._account_failed(account.name, str(exc), store, now)
            return None
        self._mailboxes[account.name] = box
        return box

    def _account_failed(
        self, name: str, why: str, store: Store, now: dt.datetime, *, logged: bool = False
    ) -> None:
        """Log, record, and drop the connection so the next step opens a fresh one."""
        if not logged and self._errors.get(name) != why:
            log.error("account %s: %s", name, why)
        self._errors[name] = why
        store.set_account_health(name, False, why, now)
        box = self._mailboxes.pop(name, None)
        if box is not None:
            with contextlib.suppress(Exception):
                box.close()

    def _account_ok(self, name: str) -> None:
        if self._errors.pop(name, None) is not None:
            log.info("account %s: reachable again", name)

    def _cycle(self) -> None:
        config, store, now = self.config, self._store_(), self._now()
        boxes: dict[str, Mailbox] = {}
        for account in config.accounts:
            box = self._mailbox(account, store, now)
            if box is not None:
                boxes[account.name] = box
        report = run_once(config, boxes, store, now, dry_run=self.dry_run)
        self._after_cycle(report, boxes)

    def _after_cycle(self, report: CycleReport, boxes: dict[str, Mailbox]) -> None:
        config = self.config
        failed = set(report.account_errors)
        by_id = {iv.id: iv for iv in config.interviews}
        for action in report.actions:
            if action.outcome == "failed" and action.interview_id in by_id:
                failed.add(config.account_for(by_id[action.interview_id]).name)
        store = self._store_()
        for name in boxes:
            if name in failed:
                why = report.account_errors.get(name) or "writing a draft failed"
                self._account_failed(
                    name, why, store, report.now, logged=name in report.account_errors
                )
            else:
                self._account_ok(name)
        if any(s.action != "none" for p in report.plans for s in p.stages):
            # Still due after the cycle: the account failed (or this is a dry run). Back off.
            self._retry_at = time.monotonic() + self._retry_delay
            cap = max(RETRY_MIN, config.daemon.poll_interval.total_seconds())
            self._retry_delay = min(self._retry_delay * 2, cap)
        else:
            self._retry_at, self._retry_delay = 0.0, RETRY_MIN
        self._publish(report.plans, report.now)

    def _sync(self, name: str) -> None:
        """Sync one account (a poll or an IDLE push); run a full cycle only if something is due."""
        account = next((a for a in self.config.accounts if a.name == name), None)
        if account is None:
            return  # the account went away in a reload
        store, now = self._store_(), self._now()
        box = self._mailbox(account, store, now)
        if box is None:
            return
        report = CycleReport(now=now)
        try:
            sync_account(self.config, box, store, report)
        except StateError:
            raise
        except UserError as exc:  # unreachable, login refused, no credentials...
            self._account_failed(name, str(exc), store, now)
            self._publish(plan_from_store(self.config, store, now), now)
            return
        store.set_account_health(name, True, "synced", now)
        self._account_ok(name)
        if report.new_messages:
            log.info("account %s: %d new message(s)", name, report.new_messages)
        plans = plan_from_store(self.config, store, now)
        if any(s.action != "none" for p in plans for s in p.stages):
            self._cycle()
        else:
            self._publish(plans, now)

    def _reconcile(self) -> None:
        """Rebuild the stage jobs from state; run a cycle if a deadline passed unnoticed."""
        store, now = self._store_(), self._now()
        plans = plan_from_store(self.config, store, now)
        if (
            any(s.action != "none" for p in plans for s in p.stages)
            and time.monotonic() >= self._retry_at
        ):
            log.info("a draft is due; running a cycle")
            self._cycle()
        else:
            self._publish(plans, now)

    def _publish(self, plans: Sequence[InterviewPlan], now: dt.datetime) -> None:
        self._schedule_stage_jobs(plans, now)
        status = status_line(plans, now, list(self._errors))
        if status != self.status:
            self.status = status
            self.notifier.status(status)
            log.info("status: %s", status)

    def _reload(self) -> None:
        self.notifier.reloading()
        try:
            new = load_config(self.config_path)
        except ConfigError as exc:
            log.error(
                "reload: %d problem(s) in %s; keeping the previous configuration:",
                len(exc.problems),
                exc.path,
            )
            for problem in exc.problems:
                log.error("  %s: %s", exc.path, problem)
            self.notifier.ready(self.status)
            return
        old, self.config = self.config, new
        if new.daemon.state_dir != old.daemon.state_dir:
            self._close_store()
        self._close_mailboxes()
        self._errors.clear()
        self._stop_watchers()
        self._schedule_sync_jobs()
        self._start_watchers()
        log.info(
            "reloaded %s: %d interview(s), %d account(s)",
            self.config_path,
            len(new.interviews),
            len(new.accounts),
        )
        self.notifier.ready(self.status)
        self._cycle()

    def _close_mailboxes(self) -> None:
        for box in self._mailboxes.values():
            with contextlib.suppress(Exception):
                box.close()
        self._mailboxes = {}

    def _shutdown(self) -> None:
        self.notifier.stopping()
        log.info("stopping")
        self._stop_watchers()
        self._stop_scheduler()
        self._close_mailboxes()
        self._close_store()

    def _stop_scheduler(self) -> None:
        with self._start_lock:
            self._stopped = True
            started = self._scheduler_started
        if not started:
            return
        deadline = time.monotonic() + 5
        while True:
            try:
                self.scheduler.shutdown(wait=False)
            except SchedulerNotRunningError:
                if time.monotonic() < deadline:  # start() may not have reached "running" yet
                    time.sleep(0.05)
                    continue
            return


def _default_to_info() -> None:
    """A daemon logs every draft it writes, withdraws or skips, so INFO is the floor."""
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    if root.level > logging.DEBUG:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def run_service(config_path: Path, now_arg: str | None, dry_run: bool) -> int:
    """Run until SIGTERM/SIGINT; returns the exit code. A bad config raises ``ConfigError`` (78)."""
    _default_to_info()
    config = load_config(config_path)
    start = None
    if now_arg is not None:
        try:
            start = parse_when(now_arg, config.schedule.tz)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
    notifier = Notifier.from_env(unset=True)
    daemon = Daemon(config_path, config, Clock(start), dry_run=dry_run, notifier=notifier)
    try:
        return daemon.serve()
    finally:
        notifier.close()
