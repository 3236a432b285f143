"""APScheduler jobs of the daemon: polls, one date job per due stage, reconcile, watchdog.

Every job only *requests* a step of the runner thread; none does work itself, so the
scheduler thread never touches the state database or a mailbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from followup.config import Config
from followup.core.planner import InterviewPlan
from followup.service.clock import Clock

log = logging.getLogger(__name__)

RECONCILE_EVERY = 60.0  # seconds; bounds how late a deadline can be after suspend or a clock jump
MAIN_LOOP_TICK = 1.0  # seconds; see _Scheduler
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


class Jobs:
    """The daemon's scheduler and the jobs it keeps; ``request`` is how jobs ask for steps."""

    def __init__(self, request: Callable[[str], None], clock: Clock) -> None:
        self.request = request
        self.clock = clock
        self.scheduler = _Scheduler(
            timezone=dt.UTC,
            job_defaults=dict(_JOB_DEFAULTS),
            executors={"default": ThreadPoolExecutor(2)},
        )

    def start(self) -> None:
        """Run the scheduler in the calling (main) thread until ``shutdown``."""
        self.scheduler.start()

    def shutdown(self, deadline: float) -> None:
        """Stop the scheduler; ``start`` may not have reached "running" yet, so retry a bit."""
        while True:
            try:
                self.scheduler.shutdown(wait=False)
            except SchedulerNotRunningError:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
            return

    def add_reconcile(self) -> None:
        self.scheduler.add_job(
            self.request,
            IntervalTrigger(seconds=RECONCILE_EVERY),
            args=["reconcile"],
            id="reconcile",
            replace_existing=True,
        )

    def add_watchdog(self, ping: Callable[[], None], interval: float) -> None:
        self.scheduler.add_job(
            ping, IntervalTrigger(seconds=interval), id="watchdog", replace_existing=True
        )

    def set_polls(self, config: Config) -> None:
        """One poll job per account, jittered so accounts do not poll in lockstep."""
        for job in self.scheduler.get_jobs():
            if job.id.startswith("sync:"):
                job.remove()
        seconds = max(config.daemon.poll_interval.total_seconds(), 1.0)
        jitter = min(30.0, seconds / 10)
        for account in config.accounts:
            self.scheduler.add_job(
                self.request,
                IntervalTrigger(seconds=seconds, jitter=jitter),
                args=[f"sync:{account.name}"],
                id=f"sync:{account.name}",
                replace_existing=True,
            )

    def set_stages(self, plans: Sequence[InterviewPlan], now: dt.datetime) -> None:
        """One date job per future scheduled stage; its run is a full cycle (sync, then draft)."""
        wanted: dict[str, dt.datetime] = {}
        for plan in plans:
            for stage in plan.stages:
                if stage.state == "scheduled" and stage.due is not None and stage.due > now:
                    job_id = f"stage:{plan.interview.id}:{stage.stage}"
                    wanted[job_id] = self.clock.to_real(stage.due)
        for job in self.scheduler.get_jobs():
            if job.id.startswith("stage:") and job.id not in wanted:
                job.remove()
        current: dict[str, Any] = {job.id: job for job in self.scheduler.get_jobs()}
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
