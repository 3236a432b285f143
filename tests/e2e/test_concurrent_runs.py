"""Two writers at once never duplicate a draft: followup serialises them per state directory.

The race is opened on purpose: the first `run --once` pauses right after it looked in
Drafts (and found nothing), the second starts inside that pause. Without a lock both
would append; with it the second waits, then finds the first one's draft.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from imapclient import IMAPClient

from followup.locks import WRITER, FileLock
from support.configs import acme_interview, head, imap_account
from support.dovecot import DovecotServer
from support.maildir_env import AFTER_DUE, Env
from support.messages import DANA, ME, mail

# After the engine looked in Drafts, and inside the IMAP backend's own last look before APPEND.
PAUSE = "after-find:2,before-append:2"


def start(config: Path, *args: str, pause: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "FOLLOWUP_CONFIG": str(config)}
    env.pop("FOLLOWUP_PAUSE", None)
    if pause:
        env["FOLLOWUP_PAUSE"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "followup", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def race(config: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
    """Both runs pause after each look in Drafts; the second starts during the first's pause,
    so each looks before the other appends."""
    args = ("run", "--once", "--now", AFTER_DUE)
    first = start(config, *args, pause=PAUSE)
    time.sleep(0.8)
    second = start(config, *args, pause=PAUSE)
    done = []
    for proc in (first, second):
        out, err = proc.communicate(timeout=90)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return tuple(done)


def test_two_runs_at_once_on_a_maildir_write_one_draft(tmp_path: Path) -> None:
    env = Env(tmp_path)
    for result in race(env.config):
        assert result.returncode == 0, result.stderr
    assert len(env.drafts()) == 1


def test_two_runs_at_once_on_dovecot_write_one_draft(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    password = dovecot_server.password(user)
    config = tmp_path / "config.toml"
    config.write_text(
        head(tmp_path / "state", stages=["check_in"])
        + imap_account(dovecot_server.port, user, f"printf %s {password}")
        + acme_interview(),
        encoding="utf-8",
    )
    thanks = mail("ty@example.com", sender=ME, to=DANA, subject="Thank you for today")
    with dovecot_server.client(user) as client:
        client.append(dovecot_server.folder("Sent"), thanks, flags=[rb"\Seen"])
    for result in race(config):
        assert result.returncode == 0, result.stderr
    with IMAPClient("127.0.0.1", port=dovecot_server.port, ssl=False) as client:
        client.login(user, password)
        client.select_folder(dovecot_server.folder("Drafts"), readonly=True)
        assert len(client.search()) == 1


def test_a_run_that_cannot_get_its_turn_says_who_is_writing_and_exits_74(tmp_path: Path) -> None:
    env = Env(tmp_path)
    lock = FileLock(tmp_path / "state", WRITER)
    assert lock.acquire(0)
    try:
        busy = env.followup("run", "--once", "--now", AFTER_DUE, "--wait", "0.5")
        status = env.followup("status", "--now", AFTER_DUE)
    finally:
        lock.release()
    assert busy.returncode == 74, busy.stderr
    assert f"pid {os.getpid()}" in busy.stderr and "Traceback" not in busy.stderr
    assert status.returncode == 0, status.stderr  # readers never wait for the lock
    assert env.drafts() == []
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1


def test_a_second_daemon_on_the_same_state_refuses_to_start(tmp_path: Path) -> None:
    env = Env(tmp_path)
    lock = FileLock(tmp_path / "state", "daemon.lock")
    assert lock.acquire(0)
    try:
        second = start(env.config, "run", "--now", AFTER_DUE)
        _, err = second.communicate(timeout=30)
    finally:
        lock.release()
    assert second.returncode == 74, err
    assert "already running" in err and "Traceback" not in err
