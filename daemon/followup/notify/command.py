"""The user's notify command, run once per event with the event in FOLLOWUP_* variables.

Like ``password_command`` it goes through ``/bin/sh -c``, so pipes and quoting work; the
event itself is never put into the command line, only into the environment, so a company
name full of quotes or ``$(...)`` stays plain text ("$FOLLOWUP_TEXT" expands to it without
being run). The command runs in a session of its own: when it outlives its timeout the
whole process group is stopped (SIGTERM, then SIGKILL), children included.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping

from followup.notify.events import Event

log = logging.getLogger(__name__)

KILL_GRACE = 2.0  # seconds between SIGTERM and SIGKILL
OUTPUT_LIMIT = 2000  # characters of the command's output quoted in a failure line


class Command:
    """Runs ``command`` for each event; failures and timeouts are logged, never raised."""

    def __init__(
        self, command: str, timeout: float, environ: Mapping[str, str] | None = None
    ) -> None:
        self.command = command
        self.timeout = timeout
        self._environ = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._running: subprocess.Popen[bytes] | None = None
        self._stopped = False

    def deliver(self, event: Event) -> None:
        env = {**self._environ, **event.environment()}
        with tempfile.TemporaryFile() as output:
            with self._lock:
                if self._stopped:
                    return
                try:
                    proc = subprocess.Popen(
                        ["/bin/sh", "-c", self.command],
                        stdin=subprocess.DEVNULL,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        env=env,
                        start_new_session=True,
                    )
                except OSError as exc:
                    log.warning("notify command could not start: %s", exc.strerror or exc)
                    return
                self._running = proc
            try:
                code = proc.wait(self.timeout)
            except subprocess.TimeoutExpired:
                _stop_group(proc)
                log.warning(
                    "notify command did not finish within %g s and was stopped (%s)",
                    self.timeout,
                    event.key,
                )
                return
            finally:
                with self._lock:
                    self._running = None
            if code != 0:
                output.seek(0)
                text = output.read().decode("utf-8", "replace").strip()[-OUTPUT_LIMIT:]
                log.warning(
                    "notify command failed with exit status %d (%s): %s",
                    code,
                    event.key,
                    text or "(no output)",
                )

    def stop(self) -> None:
        """Stop the command that is running now, if any (the daemon is exiting)."""
        with self._lock:
            self._stopped = True
            proc = self._running
        if proc is not None:
            _stop_group(proc)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, KILL_GRACE)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        # The shell is gone; whatever else is left in its group goes with SIGKILL.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return
