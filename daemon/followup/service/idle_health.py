"""Whether IDLE on one account really announces mail, judged by what the polls find.

Some servers advertise IDLE and then stay silent (GNU Mailutils sent no EXISTS in 150 s)
or answer late (Courier's default reports after about a minute). Polling covers both, but a
watcher that never reports only holds a connection: when polls keep finding mail in the
watched folders that IDLE did not announce, even ``late`` seconds afterwards, IDLE is given
up for that account (logged once) and polling alone remains.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

IDLE_LATE = 120.0  # seconds an IDLE may take to announce mail a poll already found
SILENT_MISSES = 2  # polls that found unannounced mail before IDLE is given up


class IdleHealth:
    """Shared by the IDLE watchers of one account and the runner that polls it."""

    def __init__(
        self,
        account: str,
        *,
        late: float = IDLE_LATE,
        misses: int = SILENT_MISSES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.account = account
        self.late = late
        self.misses_allowed = misses
        self._clock = clock
        self._lock = threading.Lock()
        self._idling_since: float | None = None
        self._reported_at: float | None = None
        self._found_at: float | None = None  # a poll found mail IDLE had not announced
        self._misses = 0
        self._silent = False

    @property
    def silent(self) -> bool:
        with self._lock:
            return self._silent

    def idling(self) -> None:
        """A watcher is in IDLE now (kept from the first round of an unbroken run)."""
        with self._lock:
            if self._idling_since is None:
                self._idling_since = self._clock()

    def interrupted(self) -> None:
        """The IDLE connection was lost: mail that arrives now is no test of IDLE."""
        with self._lock:
            self._idling_since = None
            self._found_at = None

    def reported(self) -> None:
        """IDLE announced mail: it works."""
        with self._lock:
            self._reported_at = self._clock()
            self._found_at = None
            self._misses = 0

    def poll_found_mail(self) -> None:
        """A poll (not an IDLE push) found new mail in a watched folder."""
        with self._lock:
            now = self._clock()
            if self._idling_since is None or now - self._idling_since < self.late:
                return  # IDLE was not watching long enough to have seen it
            if self._reported_at is not None and now - self._reported_at < self.late:
                return  # the sync that IDLE itself asked for
            if self._found_at is None:
                self._found_at = now

    def review(self) -> bool:
        """Count a miss for mail still unannounced after ``late`` s; True once IDLE is given up."""
        with self._lock:
            if self._silent:
                return True
            found = self._found_at
            if found is None or self._clock() - found < self.late:
                return False
            self._found_at = None
            self._misses += 1
            if self._misses < self.misses_allowed:
                return False
            self._silent = True
        log.warning(
            "account %s: IDLE stayed silent while polls found new mail %d times; polling only",
            self.account,
            self.misses_allowed,
        )
        return True
