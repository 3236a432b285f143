"""Promise 3 under crashes, and the state database's failure modes, through the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from followup.config import MaildirAccount, load_config
from followup.core.calendar import parse_when
from followup.core.errors import StateError
from followup.engine import run_once
from followup.faults import POINTS
from followup.mailbox.maildir import MaildirMailbox
from followup.store import Store
from support.maildir_env import AFTER_DUE, NY, Env
from support.messages import mail

DRAFT_POINTS = [p for p in POINTS if p != "after-withdraw"]
LATE = "2026-11-30T10:00"


def parse(when: str) -> dt.datetime:
    return parse_when(when, NY)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


def run_killed_at(env: Env, point: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "followup", "run", "--once", "--now", AFTER_DUE]
    environ = {**os.environ, "FOLLOWUP_CONFIG": str(env.config), "FOLLOWUP_FAULTS": point}
    return subprocess.run(cmd, capture_output=True, text=True, env=environ, timeout=60)


@pytest.mark.parametrize("point", DRAFT_POINTS)
def test_a_kill_at_any_step_of_the_draft_protocol_leaves_exactly_one_draft(
    env: Env, point: str
) -> None:
    killed = run_killed_at(env, point)
    assert killed.returncode == -signal.SIGKILL
    env.run("2026-11-27T09:45")
    env.run("2026-11-27T10:00")
    assert len(env.drafts()) == 1
    assert env.stage("2026-11-27T10:00", "check_in")["state"] == "drafted"


def test_the_fault_points_are_inert_without_the_variable(env: Env) -> None:
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1


def test_a_kill_after_withdrawing_is_finished_by_the_next_run(env: Env) -> None:

    env.run(AFTER_DUE)
    env.put("INBOX", mail("late@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY)))
    killed = run_killed_at(env, "after-withdraw")
    assert killed.returncode == -signal.SIGKILL
    env.run("2026-11-27T12:30")
    assert env.drafts() == []
    assert env.stage("2026-11-27T12:30", "check_in")["state"] == "withdrawn"


def test_a_kill_while_writing_the_maildir_file_leaves_nothing_behind_after_the_next_run(
    env: Env,
) -> None:
    tmp = env.mail / "Drafts" / "tmp"
    foreign = tmp / "1764000000.M1P2.otherclient"  # another program's file, however old
    foreign.write_bytes(b"not ours")
    os.utime(foreign, (0, 0))
    killed = run_killed_at(env, "after-tmp-write")
    assert killed.returncode == -signal.SIGKILL
    assert len(list(tmp.iterdir())) == 2  # the half-written draft is left in tmp/
    env.run("2026-11-27T09:45")
    assert [p.name for p in tmp.iterdir()] == [foreign.name]
    assert len(env.drafts()) == 1


def test_a_locked_state_database_gives_a_clear_message_and_changes_nothing(env: Env) -> None:
    env.run("2026-11-26T12:00")
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir, busy_timeout=0.2)  # the CLI waits 10 s
    db = sqlite3.connect(env.root / "state" / "state.sqlite3", isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    try:
        account = config.accounts[0]
        assert isinstance(account, MaildirAccount)
        with pytest.raises(StateError, match="locked by another process"):
            run_once(config, {account.name: MaildirMailbox(account)}, store, parse(AFTER_DUE))
    finally:
        db.execute("ROLLBACK")
        db.close()
        store.close()
    assert env.drafts() == []


def _store_with(env: Env, connect: str) -> Store:
    """A Store whose connection is swapped for a constrained one (root ignores chmod)."""
    env.run("2026-11-26T12:00")
    store = Store.in_dir(env.root / "state")
    store._db.close()
    store._db = sqlite3.connect(connect, uri=True, isolation_level=None)
    return store


def test_a_read_only_state_database_gives_a_clear_message_and_keeps_the_data(env: Env) -> None:
    path = env.root / "state" / "state.sqlite3"
    store = _store_with(env, f"file:{path}?mode=ro")
    with pytest.raises(StateError, match="read-only"):
        store.log_event(dt.datetime(2026, 11, 27, tzinfo=dt.UTC), "test", "x")
    store.close()
    assert Store(path).message_count() == 1


def test_a_full_disk_gives_a_clear_message_and_loses_nothing(env: Env) -> None:
    path = env.root / "state" / "state.sqlite3"
    store = _store_with(env, f"file:{path}")
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count={pages}")
    before = store.message_count()
    with pytest.raises(StateError, match="full"):
        store.record_stage(
            "acme-backend",
            "check_in",
            "drafted",
            account="local",
            message_id="m",
            ref="r",
            reason="x" * 200_000,
            now=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
        )
    store.close()
    fresh = Store(path)
    assert fresh.message_count() == before
    assert fresh.stage_records() == {}


def test_a_corrupted_state_database_says_how_to_recover(env: Env) -> None:
    env.run("2026-11-26T12:00")
    state = env.root / "state" / "state.sqlite3"
    for extra in ("-wal", "-shm"):
        Path(f"{state}{extra}").unlink(missing_ok=True)
    state.write_bytes(b"this is not a database at all" * 200)
    result = env.followup("status")
    assert result.returncode == 74
    assert "move it aside" in result.stderr
    assert "Traceback" not in result.stderr


def _damage(env: Env, sql: str = "", pages: bool = False) -> None:
    """Damage the state of a run that drafted, with followup not running."""
    env.run(AFTER_DUE)
    path = env.root / "state" / "state.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    if sql:
        db.executescript(sql)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    if pages:  # garbage over the middle of the file, the header and first page intact
        data = bytearray(path.read_bytes())
        assert len(data) > 3 * 4096, len(data)
        page = 4096
        for start in range(page, len(data), page):  # every b-tree page header after page 1
            data[start : start + 64] = b"\xa5" * 64
        path.write_bytes(bytes(data))


STATUS, STATUS_JSON, RUN = ("status",), ("status", "--json"), ("run", "--once", "--now", LATE)


@pytest.mark.parametrize(
    ("sql", "pages", "refused"),
    [
        ("", True, (STATUS, STATUS_JSON, RUN)),
        ("DROP TABLE stages;", False, (STATUS, STATUS_JSON, RUN)),
        ("UPDATE stages SET updated_at = 'garbage';", False, (STATUS, STATUS_JSON, RUN)),
        ("UPDATE account_health SET at = 'Tuesday';", False, (STATUS, STATUS_JSON)),
        ("UPDATE messages SET meta = '{\"message_id\": 1';", False, (STATUS, STATUS_JSON, RUN)),
        ("UPDATE cursors SET since = '2026-13-45';", False, (RUN,)),
    ],
    ids=["pages", "missing-table", "stage-time", "health-time", "meta-json", "cursor-date"],
)
def test_damage_inside_the_database_gives_the_move_aside_advice_and_no_traceback(
    env: Env, sql: str, pages: bool, refused: tuple[tuple[str, ...], ...]
) -> None:
    _damage(env, sql, pages)
    for command in refused:
        result = env.followup(*command)
        assert result.returncode == 74, (command, result.stdout, result.stderr)
        assert "move it aside" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert len(env.drafts()) == 1


def test_state_rebuilt_from_scratch_finds_the_existing_draft_instead_of_writing_another(
    env: Env,
) -> None:
    env.run(AFTER_DUE)
    (draft,) = env.drafts()
    import shutil

    shutil.rmtree(env.root / "state")
    env.run("2026-11-27T10:00")
    assert env.drafts() == [draft]
    assert env.stage("2026-11-27T10:00", "check_in")["state"] == "drafted"


def test_the_state_database_is_private_to_the_user(env: Env) -> None:
    env.run(AFTER_DUE)
    mode = (env.root / "state" / "state.sqlite3").stat().st_mode & 0o777
    assert mode == 0o600


def test_an_interrupted_draft_is_removed_when_a_reply_arrives_before_the_next_run(env: Env) -> None:

    assert run_killed_at(env, "after-append").returncode == -signal.SIGKILL
    assert len(env.drafts()) == 1
    env.put("INBOX", mail("quick@acme.example", dt.datetime(2026, 11, 27, 9, 40, tzinfo=NY)))
    out = env.run("2026-11-27T10:00")
    assert "interrupted draft was removed" in out.stdout
    assert env.drafts() == []
    assert env.stage("2026-11-27T10:00", "check_in")["state"] == "cancelled"
    env.run("2026-11-28T10:00")
    assert env.drafts() == []


def test_an_interrupted_draft_is_not_finished_once_the_interview_is_closed(env: Env) -> None:
    assert run_killed_at(env, "after-intent").returncode == -signal.SIGKILL
    assert env.drafts() == []
    env.config.write_text(env.config.read_text() + "closed = true\n")
    out = env.run("2026-11-30T09:40")
    assert "drafted: " not in out.stdout
    assert env.drafts() == []
    assert env.stage("2026-11-30T09:40", "check_in")["state"] == "skipped"
