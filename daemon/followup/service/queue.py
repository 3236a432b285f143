"""The runner's inbox: steps requested by the scheduler, IDLE watchers and signal handlers.

Requests that pile up while a step runs are coalesced: a cycle syncs every account and
rebuilds the jobs, so it absorbs every other pending request but stop and reload.
"""

from __future__ import annotations

import threading

_PRIORITY = ("stop", "reload", "cycle")


class RequestQueue:
    """A set of pending step names; ``take`` blocks until there is one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: set[str] = set()

    def put(self, what: str) -> None:
        """Ask for a step: stop, reload, cycle, reconcile or sync:<account>.

        Safe from signal handlers: only the main thread runs them, and it never holds
        this lock.
        """
        with self._cond:
            self._pending.add(what)
            self._cond.notify()

    def take(self) -> str:
        """The most urgent pending step (stop, reload, cycle, then the rest by name)."""
        with self._cond:
            while not self._pending:
                self._cond.wait()
            for what in _PRIORITY:
                if what in self._pending:
                    if what == "cycle":
                        self._pending.clear()
                    self._pending.discard(what)
                    return what
            what = min(self._pending)  # "reconcile" sorts before "sync:..."
            self._pending.discard(what)
            return what
