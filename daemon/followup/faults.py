"""Fault points for the crash and race tests: inert unless an environment variable arms them.

``FOLLOWUP_FAULTS=after-append`` makes the process kill itself with SIGKILL when it
reaches that point, exactly like a power cut: no cleanup, no flush, no exception handler.
``FOLLOWUP_PAUSE=after-find:1.5`` makes it sleep there for 1.5 s instead, so a test can
open the window in which two writers would race.
"""

from __future__ import annotations

import os
import signal
import time

POINTS = ("after-intent", "after-find", "after-append", "after-record", "after-withdraw")
"""Where a crash can be injected; "before-append" (inside a backend's write) can pause too."""


def fault_point(name: str) -> None:
    armed = os.environ.get("FOLLOWUP_FAULTS")
    if armed and name in armed.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
    paused = os.environ.get("FOLLOWUP_PAUSE")
    if paused:
        for item in paused.split(","):
            point, _, seconds = item.partition(":")
            if point == name:
                time.sleep(float(seconds or "1"))
