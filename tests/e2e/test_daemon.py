"""The long-running daemon: clock, status line, and ``followup run`` as a real subprocess."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.config import load_config
from followup.core.errors import ConfigError
from followup.core.model import Address, Interview, ScheduleConfig
from followup.core.planner import InterviewFacts, InterviewPlan, StagePlan
from followup.core.rounds import tell
from followup.holiday_tables import calendar_for
from followup.service.clock import Clock
from followup.service.status_line import status_line
from support.configs import imap_account
from support.daemon_proc import (
    MAILDIR_ACCOUNT,
    DaemonProcess,
    NotifyListener,
    drafts_in,
    interview,
    make_maildir,
    write_config,
)
from support.dovecot import DovecotServer

NY = ZoneInfo("America/New_York")
# The thank-you note of an interview on 2026-11-16 is due at 17:00 that day (New York).
DUE = "2026-11-16T17:00:00"
LONG_BEFORE = "2026-11-16T12:00:00"


# --- pure parts ------------------------------------------------------------------------------


def test_clock_started_at_now_advances_in_real_time() -> None:
    start = dt.datetime(2026, 11, 16, 16, 59, 55, tzinfo=NY)
    clock = Clock(start)
    first = clock.now(NY)
    time.sleep(0.2)
    second = clock.now(NY)
    assert abs(first - start) < dt.timedelta(seconds=1)
    assert dt.timedelta(seconds=0.15) < second - first < dt.timedelta(seconds=2)


def test_clock_maps_a_due_time_to_the_real_moment_it_arrives() -> None:
    start = dt.datetime(2026, 11, 16, 16, 59, 55, tzinfo=NY)
    clock = Clock(start)
    real = clock.to_real(start + dt.timedelta(seconds=5))
    assert abs(real - (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))) < dt.timedelta(seconds=1)


def test_clock_without_a_start_is_the_real_clock() -> None:
    clock = Clock()
    assert not clock.shifted
    assert abs(clock.now(NY) - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=1)


def _plan(
    iid: str, company: str, state: str, stages: list[tuple[str, dt.datetime | None, str, str]]
) -> InterviewPlan:
    iv = Interview(
        id=iid,
        company=company,
        role="Engineer",
        interviewed_on=dt.date(2026, 11, 16),
        started_at=dt.datetime(2026, 11, 16, tzinfo=NY),
        contacts=(Address("Dana", f"dana@{iid}.example"),),
    )
    facts = InterviewFacts(interview=iv)
    sched = ScheduleConfig(timezone="America/New_York")
    story = tell(iv, (), sched, calendar_for(sched))
    return InterviewPlan(
        facts=facts,
        story=story,
        state=state,  # type: ignore[arg-type]
        stages=tuple(
            StagePlan(iid, name, due, st, "", f"<{iid}-{name}@x>", action)  # type: ignore[arg-type]
            for name, due, st, action in stages
        ),
    )


def test_status_line_counts_waiting_interviews_and_names_the_next_draft() -> None:
    now = dt.datetime(2026, 11, 18, 10, 0, tzinfo=NY)
    plans = [
        _plan(
            "acme",
            "Acme",
            "waiting",
            [("check_in", dt.datetime(2026, 11, 19, 9, 0, tzinfo=NY), "scheduled", "none")],
        ),
        _plan(
            "globex",
            "Globex",
            "waiting",
            [("check_in", dt.datetime(2026, 11, 24, 9, 0, tzinfo=NY), "scheduled", "none")],
        ),
        _plan("initech", "Initech", "replied", [("check_in", None, "cancelled", "none")]),
    ]
    assert status_line(plans, now) == "2 waiting · 1 replied · next draft Thu 09:00 for Acme"


def test_status_line_shows_the_date_of_a_draft_more_than_a_week_away() -> None:
    now = dt.datetime(2026, 11, 18, 10, 0, tzinfo=NY)
    plans = [
        _plan(
            "acme",
            "Acme",
            "waiting",
            [("check_in", dt.datetime(2026, 12, 1, 9, 0, tzinfo=NY), "scheduled", "none")],
        )
    ]
    assert status_line(plans, now) == "1 waiting · next draft Tue 01 Dec 09:00 for Acme"


def test_status_line_reports_overdue_drafts_and_unreachable_accounts() -> None:
    now = dt.datetime(2026, 11, 18, 10, 0, tzinfo=NY)
    plans = [
        _plan(
            "acme",
            "Acme",
            "waiting",
            [("check_in", dt.datetime(2026, 11, 17, 9, 0, tzinfo=NY), "scheduled", "draft")],
        )
    ]
    assert status_line(plans, now, ["work"]) == "1 waiting · 1 draft due now · unreachable: work"


def test_status_line_says_when_nothing_is_scheduled() -> None:
    assert status_line([], dt.datetime(2026, 11, 18, tzinfo=NY)) == "0 waiting · nothing scheduled"


# --- the daemon as a subprocess ---------------------------------------------------------------


@pytest.fixture
def maildir_setup(tmp_path: Path) -> tuple[Path, Path]:
    mail = make_maildir(tmp_path / "Mail")
    config = write_config(
        tmp_path / "config.toml",
        account=MAILDIR_ACCOUNT.format(path=mail),
        interviews=[interview("acme", "Acme Corp", "2026-11-16")],
    )
    return config, mail


def _start(daemons: list[DaemonProcess], config: Path, *args: str, **kw: object) -> DaemonProcess:
    d = DaemonProcess(config, args, **kw)  # type: ignore[arg-type]
    daemons.append(d)
    return d


def _is_ready(m: dict[str, str]) -> bool:
    return m.get("READY") == "1"


@pytest.mark.daemon
def test_daemon_signals_ready_with_a_status_naming_the_next_draft(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, _ = maildir_setup
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    ready = notify.wait_for(_is_ready, timeout=20)
    assert ready["STATUS"] == "1 waiting · next draft Mon 17:00 for Acme Corp"
    assert d.stop() == 0


@pytest.mark.daemon
@pytest.mark.slow
def test_draft_appears_soon_after_its_due_time_and_the_status_changes(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, mail = maildir_setup
    now = (dt.datetime.fromisoformat(DUE) - dt.timedelta(seconds=5)).isoformat()
    d = _start(daemons, config, "--now", now, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    deadline = d.started + 5 + 60
    while not drafts_in(mail):
        assert time.monotonic() < deadline, (
            f"no draft within 60 s of its due time; log:\n{d.stderr()}"
        )
        time.sleep(0.1)
    latency = time.monotonic() - (d.started + 5)
    print(f"deadline-to-draft latency (upper bound): {latency:.2f} s")
    assert len(drafts_in(mail)) == 1
    final = notify.wait_for(
        lambda m: "STATUS" in m and "nothing scheduled" in m["STATUS"], timeout=10
    )
    assert final["STATUS"] == "0 waiting · nothing scheduled"
    assert "drafted thank_you for Acme Corp (acme)" in d.stderr()
    assert d.stop() == 0
    assert len(drafts_in(mail)) == 1


@pytest.mark.daemon
def test_watchdog_is_pinged_at_half_of_watchdog_usec(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, _ = maildir_setup
    d = _start(
        daemons, config, "--now", LONG_BEFORE, notify=notify, env={"WATCHDOG_USEC": "1000000"}
    )
    notify.wait_for(_is_ready, timeout=20)
    notify.drain(3.2)
    pings = [t for t, m in notify.messages if m.get("WATCHDOG") == "1"]
    assert len(pings) >= 5, notify.values()
    gaps = [b - a for a, b in itertools.pairwise(pings[1:])]
    assert all(0.2 < g < 0.9 for g in gaps), gaps
    assert d.stop() == 0


@pytest.mark.daemon
def test_no_watchdog_pings_without_watchdog_usec(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, _ = maildir_setup
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    notify.drain(1.5)
    assert not [m for m in notify.values() if isinstance(m, dict) and "WATCHDOG" in m]
    assert d.stop() == 0


@pytest.mark.daemon
def test_sigterm_stops_the_daemon_promptly_with_exit_0_and_stopping(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, _ = maildir_setup
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    began = time.monotonic()
    d.signal(signal.SIGTERM)
    assert d.wait(timeout=10) == 0
    assert time.monotonic() - began < 5
    notify.wait_for(lambda m: m.get("STOPPING") == "1", timeout=2)


@pytest.mark.daemon
def test_sigint_stops_the_daemon_with_exit_0(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, _ = maildir_setup
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    d.signal(signal.SIGINT)
    assert d.wait(timeout=10) == 0
    assert "Traceback" not in d.stderr()


@pytest.mark.daemon
def test_sighup_with_a_good_config_applies_it(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, mail = maildir_setup
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    write_config(
        config,
        account=MAILDIR_ACCOUNT.format(path=mail),
        interviews=[
            interview("acme", "Acme Corp", "2026-11-16"),
            interview("globex", "Globex", "2026-11-17", "globex.example"),
        ],
    )
    d.signal(signal.SIGHUP)
    notify.wait_for(lambda m: m.get("RELOADING") == "1", timeout=10)
    notify.wait_for(lambda m: m.get("STATUS", "").startswith("2 waiting"), timeout=10)
    d.wait_log("reloaded", timeout=5)
    assert d.stop() == 0


@pytest.mark.daemon
def test_sighup_with_a_bad_config_logs_each_problem_and_keeps_the_old_one(
    maildir_setup: tuple[Path, Path], notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, mail = maildir_setup
    good = config.read_text()
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    bad = good.replace('type = "maildir"', 'type = "pop3"').replace(
        'poll_interval = "5m"', 'poll_interval = "often"'
    )
    config.write_text(bad)
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert len(info.value.problems) == 2
    d.signal(signal.SIGHUP)
    d.wait_log("keeping the previous configuration", timeout=10)
    time.sleep(0.3)
    log = d.stderr()
    for problem in info.value.problems:
        assert problem in log
    assert d.proc.poll() is None
    # Still working with the old config: a good reload afterwards succeeds.
    write_config(
        config,
        account=MAILDIR_ACCOUNT.format(path=mail),
        interviews=[
            interview("acme", "Acme Corp", "2026-11-16"),
            interview("globex", "Globex", "2026-11-17", "globex.example"),
        ],
    )
    d.signal(signal.SIGHUP)
    notify.wait_for(lambda m: m.get("STATUS", "").startswith("2 waiting"), timeout=10)
    assert d.stop() == 0


@pytest.mark.daemon
def test_a_bad_config_at_start_exits_78_without_ready(
    tmp_path: Path, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[identity]\nname = "x"\n')
    d = _start(daemons, config, notify=notify)
    assert d.wait(timeout=20) == 78
    notify.drain(0.2)
    assert not [m for m in notify.values() if isinstance(m, dict) and m.get("READY") == "1"]


@pytest.mark.daemon
def test_an_unreachable_maildir_is_reported_in_status_and_the_daemon_keeps_running(
    tmp_path: Path, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config = write_config(
        tmp_path / "config.toml",
        account=MAILDIR_ACCOUNT.format(path=tmp_path / "missing"),
        interviews=[interview("acme", "Acme Corp", "2026-11-16")],
    )
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    notify.wait_for(lambda m: "unreachable: mail" in m.get("STATUS", ""), timeout=10)
    assert d.proc.poll() is None
    make_maildir(tmp_path / "missing")
    d.signal(signal.SIGHUP)  # a reload runs a cycle at once
    notify.wait_for(lambda m: "STATUS" in m and "unreachable" not in m["STATUS"], timeout=10)
    assert d.stop() == 0


# --- IMAP: push with IDLE, and recovery when the server goes away ---------------------------------


@pytest.fixture
def own_dovecot() -> Iterator[DovecotServer]:
    """A server of this test's own, so it can be stopped and started again."""
    server = DovecotServer()
    yield server
    server.close()


def _imap_config(tmp_path: Path, server: DovecotServer, poll: str) -> tuple[Path, str]:
    user = server.add_user()
    account = imap_account(server.port, user, f"printf %s {server.password(user)}", timeout=10)
    config = write_config(
        tmp_path / "config.toml",
        account=account,
        poll=poll,
        interviews=[interview("acme", "Acme Corp", "2026-11-16")],
    )
    return config, user


def _reply() -> bytes:
    m = EmailMessage()
    m["From"] = "Dana Whitfield <dana@acme.example>"
    m["To"] = "Jordan Rivera <jordan@example.com>"
    m["Subject"] = "Next steps"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 16, 11, 30, tzinfo=NY))
    m["Message-ID"] = "<next-steps@acme.example>"
    m.set_content("Hi Jordan, we would like to invite you to a final round.")
    return m.as_bytes()


def _replied(m: dict[str, str]) -> bool:
    return "1 replied" in m.get("STATUS", "")


@pytest.mark.daemon
@pytest.mark.imap
def test_a_reply_on_the_imap_server_is_recorded_within_10_seconds_through_idle(
    tmp_path: Path, own_dovecot: DovecotServer, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, user = _imap_config(tmp_path, own_dovecot, poll="1h")  # polling cannot be what sees it
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    d.wait_log("with IDLE", timeout=20)
    mark = notify.mark()
    sent = time.monotonic()
    with own_dovecot.client(user) as client:
        client.append("INBOX", _reply())
    notify.wait_for(_replied, timeout=10, since=mark)
    print(f"reply-to-detection latency with IDLE: {time.monotonic() - sent:.2f} s")
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "followup",
            "--config",
            str(config),
            "status",
            "--json",
            "--now",
            LONG_BEFORE,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (acme,) = json.loads(status.stdout)["interviews"]
    assert acme["state"] == "replied"
    assert acme["reply"]["message_id"].strip("<>") == "next-steps@acme.example"
    assert d.stop() == 0


@pytest.mark.daemon
@pytest.mark.imap
@pytest.mark.slow
def test_the_daemon_recovers_when_the_imap_server_comes_back_without_a_restart(
    tmp_path: Path, own_dovecot: DovecotServer, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, user = _imap_config(tmp_path, own_dovecot, poll="3s")
    d = _start(daemons, config, "--now", LONG_BEFORE, notify=notify)
    notify.wait_for(_is_ready, timeout=20)
    d.wait_log("with IDLE", timeout=20)
    mark = notify.mark()
    own_dovecot.stop()
    notify.wait_for(lambda m: "unreachable: mail" in m.get("STATUS", ""), timeout=60, since=mark)
    assert d.proc.poll() is None
    own_dovecot.start()
    with own_dovecot.client(user) as client:
        client.append("INBOX", _reply())
    back = notify.wait_for(_replied, timeout=60, since=mark)
    assert "unreachable" not in back["STATUS"]
    d.wait_log("IDLE connection is back", timeout=60)
    assert d.stop() == 0
    assert "Traceback" not in d.stderr()
