"""The stop grace: from the first SIGTERM, the current step has ``STOP_GRACE`` seconds.

Then its connections are cut from this timer's thread, so a read stuck on a silent server
returns at once, and the process exits at most ``ABORT_WAIT`` later: well inside the unit's
``TimeoutStopSec`` (90 s), instead of after the step's own timeouts ran out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

STOP_GRACE = 20.0
ABORT_WAIT = 10.0


class StopGrace:
    """Started by the stop signal; ``cut`` aborts I/O, ``release`` frees the main thread."""

    def __init__(
        self, runner: threading.Thread, cut: Callable[[], None], release: Callable[[], None]
    ) -> None:
        self._runner = runner
        self._cut = cut
        self._release = release
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        """From the first signal on; later signals change nothing."""
        if self._timer is None:
            self._timer = threading.Timer(STOP_GRACE, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def _expire(self) -> None:
        if not self._runner.is_alive():
            return
        log.warning(
            "the current step did not finish within %.0f s of the stop signal; cutting its "
            "connections",
            STOP_GRACE,
        )
        self._cut()
        self._runner.join(ABORT_WAIT)
        if self._runner.is_alive():
            self._release()  # the main thread leaves the scheduler and exits
