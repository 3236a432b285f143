"""Fault points for the crash tests: inert unless ``FOLLOWUP_FAULTS`` names them.

``FOLLOWUP_FAULTS=after-append`` makes the process kill itself with SIGKILL when it
reaches that point, exactly like a power cut: no cleanup, no flush, no exception handler.
"""

from __future__ import annotations

import os
import signal

POINTS = ("after-intent", "after-find", "after-append", "after-record", "after-withdraw")


def fault_point(name: str) -> None:
    armed = os.environ.get("FOLLOWUP_FAULTS")
    if armed and name in armed.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
