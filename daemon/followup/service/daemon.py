"""``followup run``: the long-running daemon (APScheduler, signals, sd_notify).

One runner thread does all the work (sync, cycles, reloads) one step at a time and owns the
state database and the mailbox connections, so nothing is shared between threads. The
scheduler, the IDLE watchers and the signal handlers only *request* steps; requests that
pile up while a step runs are coalesced. A step that fails is logged and retried later;
it never ends the daemon.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from followup.config import Config, load_config
from followup.core.calendar import parse_when
from followup.core.errors import (
    EXIT_OK,
    EXIT_STATE,
    ConfigError,
    StateError,
    UsageError,
    UserError,
    needs_sign_in,
)
from followup.core.planner import InterviewPlan
from followup.derived import plan_from_store
from followup.engine import CycleReport, run_once, sync_account
from followup.holiday_tables import compute_in_child
from followup.locks import DAEMON, FileLock, StateBusy, writing
from followup.mailbox import Mailbox
from followup.notify.announce import Announcer
from followup.service.accounts import AccountPool, RetryTimer
from followup.service.clock import Clock
from followup.service.jobs import Jobs
from followup.service.push import Watchers
from followup.service.queue import RequestQueue
from followup.service.sd_notify import Notifier, watchdog_interval
from followup.service.status_line import status_line
from followup.service.stopping import ABORT_WAIT, STOP_GRACE, StopGrace
from followup.store import Store

log = logging.getLogger(__name__)

STUCK_AFTER = 15 * 60.0  # a step running this long stops the watchdog pings, so systemd restarts us
STEP_WAIT = 30.0  # how long a step waits for another followup (a `run --once`) to finish writing
TELL_GRACE = 5.0  # how long queued notifications may still go out on exit


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
        self.queue = RequestQueue()
        self.jobs = Jobs(self.request, clock)
        self.accounts = AccountPool()
        self.retry = RetryTimer()
        self.announcer = Announcer(config, quiet=dry_run)  # a dry run tells nothing
        self.status = "starting"
        self.exit_code = EXIT_OK
        self._busy_since: float | None = None
        self._store: Store | None = None
        self.watchers = Watchers(lambda name: self.request(f"sync:{name}"))
        self._start_lock = threading.Lock()
        self._scheduler_started = False
        self._stopped = False
        self._initialized = threading.Event()
        self._init_error: UserError | None = None
        # A daemon thread: a step stuck beyond the stop grace must not keep the process alive.
        self._runner = threading.Thread(target=self._run, name="followup-runner", daemon=True)
        self._grace = StopGrace(self._runner, self._cut_connections, self._stop_scheduler)

    # --- entry point (main thread) ---------------------------------------------------------

    def serve(self) -> int:
        only = FileLock(self.config.daemon.state_dir, DAEMON)
        if not only.acquire(0):
            log.error(
                "a followup daemon is already running for %s: %s; stop it first",
                self.config.daemon.state_dir,
                only.holder(),
            )
            return EXIT_STATE
        try:
            return self._serve()
        finally:
            only.release()

    def _serve(self) -> int:
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
        self.watchers.start(self.config)
        with self._start_lock:
            if self._stopped:
                self._runner.join(STOP_GRACE + ABORT_WAIT)
                return self.exit_code
            self._scheduler_started = True
        self.jobs.start()  # until the runner's shutdown, or the stop grace, stops it
        self._runner.join(ABORT_WAIT)
        if self._runner.is_alive():
            log.error("the current step did not end after its connections were cut; exiting")
        return self.exit_code

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        self.request("stop")
        self._grace.start()  # the grace runs from the first signal, not from the step's end

    def _cut_connections(self) -> None:
        self.accounts.abort_all()
        self.watchers.abort_all()

    def _on_reload_signal(self, signum: int, frame: FrameType | None) -> None:
        self.request("reload")

    def request(self, what: str) -> None:
        """Ask the runner for a step: stop, reload, cycle, reconcile or sync:<account>."""
        self.queue.put(what)

    # --- jobs --------------------------------------------------------------------------------

    def _schedule_static_jobs(self) -> None:
        self.jobs.set_polls(self.config)
        self.jobs.add_reconcile()
        interval = watchdog_interval()
        if interval is not None and self.notifier.enabled:
            self.jobs.add_watchdog(self._watchdog, interval)
            self._watchdog()

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

    # --- the runner thread -------------------------------------------------------------------

    def _run(self) -> None:
        try:
            now = self._now()
            plans = plan_from_store(self.config, self._store_(), now)
            self.jobs.set_stages(plans, now)
            self.status = status_line(plans, now)
        except UserError as exc:  # StateError: the state database cannot be used
            self._init_error = exc
        except Exception as exc:
            log.exception("could not start")
            self._init_error = UserError(f"could not start: {exc}")
        self._initialized.set()
        if self._init_error is not None:
            return
        try:
            while (what := self.queue.take()) != "stop":
                self._busy_since = time.monotonic()
                try:
                    with writing(self.config.daemon.state_dir, STEP_WAIT):
                        self._step(what)
                except StateBusy as exc:
                    log.warning("%s; the %s step waits for the next turn", exc, what)
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

    def _cycle(self) -> None:
        config, store, now = self.config, self._store_(), self._now()
        boxes: dict[str, Mailbox] = {}
        for account in config.accounts:
            box = self.accounts.get(config, account, store, now)
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
                why = (
                    report.account_errors.get(name)
                    or report.write_errors.get(name)
                    or "writing a draft failed"
                )
                self.accounts.failed(
                    name,
                    why,
                    store,
                    report.now,
                    logged=name in report.account_errors,
                    auth=name in report.needs_auth,
                    reachable=name not in report.account_errors,
                )
            else:
                self.accounts.ok(name)
        if any(s.action != "none" for p in report.plans for s in p.stages):
            # Still due after the cycle: the account failed (or this is a dry run). Back off.
            self.retry.failed(config.daemon.poll_interval.total_seconds())
        else:
            self.retry.succeeded()
        self._publish(report.plans, report.now, report)

    def _sync(self, name: str) -> None:
        """Sync one account (a poll or an IDLE push); run a full cycle only if something is due."""
        account = next((a for a in self.config.accounts if a.name == name), None)
        if account is None:
            return  # the account went away in a reload
        store, now = self._store_(), self._now()
        box = self.accounts.get(self.config, account, store, now)
        if box is None:
            return
        report = CycleReport(now=now)
        try:
            sync_account(self.config, box, store, report)
        except StateError:
            raise
        except UserError as exc:  # unreachable, login refused, no credentials...
            self.accounts.failed(name, str(exc), store, now, auth=needs_sign_in(exc))
            self._publish(plan_from_store(self.config, store, now), now)
            return
        store.set_account_health(name, True, "synced", now)
        self.accounts.ok(name)
        self.watchers.after_poll(name, report.new_watched)
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
        if any(s.action != "none" for p in plans for s in p.stages) and self.retry.due():
            log.info("a draft is due; running a cycle")
            self._cycle()
        else:
            self._publish(plans, now)

    def _publish(
        self, plans: Sequence[InterviewPlan], now: dt.datetime, report: CycleReport | None = None
    ) -> None:
        self.jobs.set_stages(plans, now)
        status = status_line(plans, now, list(self.accounts.errors), self.accounts.reachable)
        if status != self.status:
            self.status = status
            self.notifier.status(status)
            log.info("status: %s", status)
        self.announcer.after_step(self.config, self._store_(), plans, now, report, self.accounts)

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
        self.accounts.reset()
        self.announcer.reconfigure(new)
        self.watchers.stop_all()
        self.jobs.set_polls(new)
        self.watchers.start(self.config)
        log.info(
            "reloaded %s: %d interview(s), %d account(s)",
            self.config_path,
            len(new.interviews),
            len(new.accounts),
        )
        self.notifier.ready(self.status)
        self._cycle()

    def _shutdown(self) -> None:
        self.notifier.stopping()
        log.info("stopping")
        self.watchers.stop_all()
        self._stop_scheduler()
        self.accounts.close_all()
        self._close_store()
        self.announcer.close(TELL_GRACE)

    def _stop_scheduler(self) -> None:
        with self._start_lock:
            self._stopped = True
            started = self._scheduler_started
        if started:
            self.jobs.shutdown(time.monotonic() + 5)


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
    compute_in_child()  # holiday-cache misses are computed in a child: our memory stays small
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
