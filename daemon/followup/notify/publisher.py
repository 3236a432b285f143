"""The publisher the daemon hands events to: each way of telling runs on its own thread.

``publish`` never blocks: an event goes into a bounded queue per sink (desktop, command),
each drained by one daemon thread started on first use, so a hanging command or a slow
bus never delays a cycle, and events are told in order. A full queue drops the event with
a warning. ``close`` waits a bounded time for what is queued, then stops a running command.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Protocol

from followup.config import NotifyConfig
from followup.notify.command import Command
from followup.notify.desktop import Desktop
from followup.notify.events import Event

log = logging.getLogger(__name__)

QUEUE_LIMIT = 64  # events waiting per sink


class Sink(Protocol):
    def deliver(self, event: Event) -> None: ...


class _Lane:
    """One sink, its queue and its thread."""

    def __init__(self, name: str, sink: Sink) -> None:
        self.name = name
        self.sink = sink
        self.queue: queue.Queue[Event | None] = queue.Queue(QUEUE_LIMIT)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, event: Event) -> bool:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._drain, name=f"followup-notify-{self.name}", daemon=True
                )
                self._thread.start()
        try:
            self.queue.put_nowait(event)
        except queue.Full:
            return False
        return True

    def _drain(self) -> None:
        while (event := self.queue.get()) is not None:
            try:
                self.sink.deliver(event)
            except Exception:  # a sink's bug must not end the lane
                log.exception("telling %s via %s failed", event.key, self.name)
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def stop(self) -> None:
        """Let the thread end after what is queued (it is a daemon thread: exit never waits)."""
        if self._thread is not None:
            with contextlib.suppress(queue.Full):
                self.queue.put_nowait(None)

    def join(self, deadline: float) -> bool:
        """Wait until the queue is done or the deadline passed; True when done."""
        thread = self._thread
        if thread is None:
            return True
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self.queue.unfinished_tasks


class Publisher:
    """Hands each event to every configured sink."""

    def __init__(self, settings: NotifyConfig, environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.lanes: list[_Lane] = []
        self._command: Command | None = None
        if settings.desktop:
            self.lanes.append(_Lane("desktop", Desktop(environ)))
        if settings.command:
            timeout = settings.command_timeout.total_seconds()
            self._command = Command(settings.command, timeout, environ)
            self.lanes.append(_Lane("command", self._command))

    def publish(self, events: Iterable[Event]) -> None:
        for event in events:
            for lane in self.lanes:
                if not lane.put(event):
                    log.warning(
                        "too many events waiting for the %s; not telling: %s", lane.name, event.text
                    )

    def retire(self) -> None:
        """Tell what is queued, then let the threads end (a reload made a new publisher)."""
        for lane in self.lanes:
            lane.stop()

    def close(self, timeout: float) -> None:
        """Let queued events go out for up to ``timeout`` seconds, then stop what still runs."""
        deadline = time.monotonic() + timeout
        for lane in self.lanes:
            if not lane.join(deadline):
                log.warning("stopping with events still waiting for the %s", lane.name)
        if self._command is not None:
            self._command.stop()
        for lane in self.lanes:
            lane.stop()
