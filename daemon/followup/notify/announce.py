"""After each step (a cycle, a sync, a reconcile): tell what is new, keep the calendar current.

The daemon's runner thread and ``run --once`` call ``after_step``; the events are derived
from what the step did and found, recorded as told in the state database (exactly once,
across restarts), then handed to the publisher, which tells them off this thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping, Sequence

from followup.actions import ActionResult
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


class Announcer:
    """The publisher and the calendar file of one configuration."""

    def __init__(self, config: Config) -> None:
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
        *,
        actions: Sequence[ActionResult] = (),
        needs_auth: Mapping[str, str] | None = None,
        failing: Collection[str] = (),
    ) -> list[Event]:
        """Tell the new events; ``failing``: the accounts whose last sync failed."""
        events = [*action_events(actions, plans), *answer_events(plans)]
        events += [auth_event(name, why) for name, why in (needs_auth or {}).items()]
        healthy = [a.name for a in config.accounts if a.name not in failing]
        fresh = claim(store, events, now, all_synced=not failing, healthy_accounts=healthy)
        for event in fresh:
            if event.event == "answer_arrived":  # the other events were logged as they happened
                log.info("%s", event.text)
        self.publisher.publish(fresh)
        self.calendar.refresh(config, plans)
        return fresh

    def after_cycle(self, config: Config, store: Store, report: CycleReport) -> list[Event]:
        failing = set(report.account_errors)
        needs_auth = {n: why for n, why in report.account_errors.items() if n in report.needs_auth}
        return self.after_step(
            config,
            store,
            report.plans,
            report.now,
            actions=report.actions,
            needs_auth=needs_auth,
            failing=failing,
        )

    def close(self, timeout: float) -> None:
        self.publisher.close(timeout)


def announce_once(config: Config, store: Store, report: CycleReport) -> list[Event]:
    """``run --once``: tell what the cycle did, then wait for the telling to finish."""
    announcer = Announcer(config)
    try:
        return announcer.after_cycle(config, store, report)
    finally:
        announcer.close(config.notify.command_timeout.total_seconds() + ONCE_GRACE)
