"""After each step (a cycle, a sync, a reconcile): tell what is new, keep the calendar current.

The daemon's runner thread and ``run --once`` call ``after_step``; the events are derived
from what the step did and found, recorded as told in the state database (exactly once,
across restarts), then handed to the publisher, which tells them off this thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from followup.config import Config
from followup.core.planner import InterviewPlan
from followup.engine import CycleReport
from followup.notify.calendar_file import FILE_NAME, CalendarFile
from followup.notify.events import Event, action_events, answer_events, auth_event
from followup.notify.notices import claim
from followup.notify.publisher import Publisher
from followup.store import Store

log = logging.getLogger(__name__)

ONCE_GRACE = 5.0  # seconds beyond the command's timeout that ``run --once`` waits to exit


class AccountStates(Protocol):
    """What the last steps found about the accounts (the daemon's ``AccountPool``)."""

    @property
    def errors(self) -> Mapping[str, str]: ...  # every failing account, and why

    @property
    def auth_errors(self) -> Mapping[str, str]: ...  # of those: the login problems


@dataclass(frozen=True)
class CycleAccounts:
    """The accounts as one cycle saw them (``run --once``)."""

    errors: Mapping[str, str]
    auth_errors: Mapping[str, str]

    @classmethod
    def of(cls, report: CycleReport) -> CycleAccounts:
        errors = report.account_errors
        return cls(errors, {n: why for n, why in errors.items() if n in report.needs_auth})


class Announcer:
    """The publisher and the calendar file of one configuration; ``quiet`` (a dry run) tells
    nothing and writes no calendar."""

    def __init__(self, config: Config, *, quiet: bool = False) -> None:
        self.quiet = quiet
        self.publisher = Publisher(config.notify)
        self.calendar = CalendarFile(config.daemon.state_dir / FILE_NAME)

    def reconfigure(self, config: Config) -> None:
        """After a reload: a new publisher if ``[notify]`` changed, the file in the new state dir."""
        if config.notify != self.publisher.settings:
            old, self.publisher = self.publisher, Publisher(config.notify)
            old.retire()
        if config.daemon.state_dir / FILE_NAME != self.calendar.path:
            self.calendar = CalendarFile(config.daemon.state_dir / FILE_NAME)

    def after_step(
        self,
        config: Config,
        store: Store,
        plans: Sequence[InterviewPlan],
        now: dt.datetime,
        report: CycleReport | None,
        accounts: AccountStates,
    ) -> list[Event]:
        """Tell the new events of a step (``report``: what its cycle did, if it ran one)."""
        if self.quiet:
            return []
        events = action_events(report.actions if report is not None else (), plans)
        events += answer_events(plans)
        events += [auth_event(name, why) for name, why in accounts.auth_errors.items()]
        failing = accounts.errors
        healthy = [a.name for a in config.accounts if a.name not in failing]
        fresh = claim(store, events, now, all_synced=not failing, healthy_accounts=healthy)
        for event in fresh:
            if event.event == "answer_arrived":  # the other events were logged as they happened
                log.info("%s", event.text)
        self.publisher.publish(fresh)
        self.calendar.refresh(config, plans)
        return fresh

    def after_cycle(self, config: Config, store: Store, report: CycleReport) -> list[Event]:
        return self.after_step(
            config, store, report.plans, report.now, report, CycleAccounts.of(report)
        )

    def close(self, timeout: float) -> None:
        self.publisher.close(timeout)

    def finish(self, config: Config) -> None:
        """``run --once``: give the queued events, the command included, time to go out."""
        self.close(config.notify.command_timeout.total_seconds() + ONCE_GRACE)
