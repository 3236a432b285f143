"""SIGTERM while a step is stuck on a silent server: the stop grace is real (issue 17 #7).

The daemon gives the current step ``STOP_GRACE`` seconds, then cuts its connections so a
read that would wait for the socket timeout (60 s here) returns at once, and exits well
inside the unit's ``TimeoutStopSec`` (90 s).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from followup.service.stopping import ABORT_WAIT, STOP_GRACE
from support.configs import acme_interview, head, imap_account
from support.daemon_proc import DaemonProcess
from support.dovecot import DovecotServer
from support.imap_quirks import QuirkProxy, Quirks

pytestmark = [pytest.mark.imap, pytest.mark.daemon, pytest.mark.slow]


def test_sigterm_during_a_stuck_step_exits_within_the_grace_and_well_before_systemd_kills(
    tmp_path: Path, dovecot_server: DovecotServer
) -> None:
    user = dovecot_server.add_user()
    with QuirkProxy(dovecot_server.port, Quirks(stall_on="SEARCH")) as proxy:
        config = tmp_path / "config.toml"
        config.write_text(
            head(tmp_path / "state", stages=["check_in"])
            + imap_account(
                proxy.port, user, f"printf %s {dovecot_server.password(user)}", timeout=60
            )
            + acme_interview(),
            encoding="utf-8",
        )
        daemon = DaemonProcess(config, ["--now", "2026-11-27T09:30"])
        try:
            deadline = time.monotonic() + 30
            while not proxy.quirks.stalled.is_set():  # the first sync's SEARCH: stuck
                assert time.monotonic() < deadline, daemon.stderr()
                assert daemon.proc.poll() is None, daemon.stderr()
                time.sleep(0.1)
            time.sleep(1)
            stopped = time.monotonic()
            daemon.signal(signal.SIGTERM)
            code = daemon.wait(timeout=STOP_GRACE + ABORT_WAIT + 10)
            took = time.monotonic() - stopped
            log = daemon.stderr()
        finally:
            daemon.close()
    assert code == 0, log
    assert took < STOP_GRACE + ABORT_WAIT, f"stopping took {took:.1f} s"
    assert STOP_GRACE + ABORT_WAIT < 90 / 2  # TimeoutStopSec=90s, with room to spare
    assert "cutting its connections" in log
    assert "Traceback" not in log
