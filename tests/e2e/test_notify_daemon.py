"""The daemon tells the user: desktop notifications on a real private bus, and the notify command."""

from __future__ import annotations

import datetime as dt
import signal
import time
from pathlib import Path

import icalendar
import pytest

from support.daemon_proc import (
    MAILDIR_ACCOUNT,
    DaemonProcess,
    NotifyListener,
    drafts_in,
    interview,
    make_maildir,
    write_config,
)
from support.dbus_session import NotificationServer, SessionBus
from support.messages import mail

# The thank-you note of the interview on 2026-11-16 is due at 17:00 that day (New York).
AFTER_DUE = "2026-11-16T17:30:00"
NY = dt.timezone(dt.timedelta(hours=-5))


def setup(tmp_path: Path, notify_table: str = "") -> tuple[Path, Path]:
    mail_root = make_maildir(tmp_path / "Mail")
    config = write_config(
        tmp_path / "config.toml",
        account=MAILDIR_ACCOUNT.format(path=mail_root),
        interviews=[interview("acme", "Acme Corp", "2026-11-16")],
    )
    if notify_table:
        config.write_text(config.read_text() + "\n[notify]\n" + notify_table)
    return config, mail_root


def start(
    daemons: list[DaemonProcess],
    config: Path,
    notify: NotifyListener,
    env: dict[str, str],
    now: str = AFTER_DUE,
) -> DaemonProcess:
    d = DaemonProcess(config, ["--now", now], notify=notify, env=env)
    daemons.append(d)
    notify.wait_for(lambda m: m.get("READY") == "1", timeout=20)
    return d


def settled(d: DaemonProcess, mail_root: Path, drafts: int) -> None:
    """Wait for the first cycle: the drafts are there and nothing more happens for a while."""
    deadline = time.monotonic() + 20
    while len(drafts_in(mail_root)) < drafts:
        assert time.monotonic() < deadline, d.stderr()
        time.sleep(0.05)
    time.sleep(1.5)


def reply_from_dana(mail_root: Path) -> None:
    raw = mail(
        "answer@acme.example",
        dt.datetime(2026, 11, 16, 18, 0, tzinfo=NY),
        subject="Your interview",
    )
    (mail_root / "INBOX" / "cur" / "answer.eml:2,").write_bytes(raw)


@pytest.mark.daemon
def test_one_desktop_notification_per_draft_and_none_again_after_a_restart(
    tmp_path: Path,
    notify: NotifyListener,
    daemons: list[DaemonProcess],
    session_bus: SessionBus,
    notification_server: NotificationServer,
) -> None:
    config, mail_root = setup(tmp_path)
    env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address}
    d = start(daemons, config, notify, env)
    (shown,) = notification_server.wait_for(1, timeout=20)
    assert shown.app_name == "followup"
    assert shown.summary == "Thank-you draft ready — Acme Corp"
    assert (
        shown.body
        == "Thank-you note for Dana Whitfield (Backend Engineer) is in your Drafts folder."
    )
    assert shown.hints["urgency"] == ("y", 1)
    settled(d, mail_root, drafts=1)
    assert d.stop() == 0
    d = start(daemons, config, notify, env)
    settled(d, mail_root, drafts=1)
    assert len(notification_server.recorded()) == 1
    # An answer after the draft: the untouched draft is withdrawn, and both are told.
    reply_from_dana(mail_root)
    d.signal(signal.SIGHUP)  # a reload runs a cycle at once
    calls = notification_server.wait_for(3, timeout=20)
    assert sorted(c.summary for c in calls[1:]) == [
        "Draft withdrawn — Acme Corp",
        "Next step with Acme Corp",  # what the answer says: a call to plan
    ]
    answer = next(c for c in calls if c.summary.startswith("Next step"))
    assert answer.body == "Dana Whitfield wrote about the Backend Engineer role: “Your interview”"
    assert d.stop() == 0
    d = start(daemons, config, notify, env)
    time.sleep(2)
    assert len(notification_server.recorded()) == 3
    assert d.stop() == 0
    assert "Traceback" not in d.stderr()


@pytest.mark.daemon
def test_a_draft_written_just_before_a_crash_is_told_once_after_the_restart(
    tmp_path: Path,
    notify: NotifyListener,
    daemons: list[DaemonProcess],
    session_bus: SessionBus,
    notification_server: NotificationServer,
) -> None:
    config, mail_root = setup(tmp_path)
    env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address}
    crashed = DaemonProcess(
        config, ["--now", AFTER_DUE], notify=notify, env={**env, "FOLLOWUP_FAULTS": "after-append"}
    )
    daemons.append(crashed)
    assert crashed.wait(timeout=20) == -9  # killed itself right after writing the draft
    assert len(drafts_in(mail_root)) == 1
    assert notification_server.recorded() == []
    d = start(daemons, config, notify, env)
    (shown,) = notification_server.wait_for(1, timeout=20)
    assert shown.summary == "Thank-you draft ready — Acme Corp"
    settled(d, mail_root, drafts=1)
    assert d.stop() == 0
    d = start(daemons, config, notify, env)
    settled(d, mail_root, drafts=1)
    assert d.stop() == 0
    assert len(notification_server.recorded()) == 1
    assert len(drafts_in(mail_root)) == 1


@pytest.mark.daemon
@pytest.mark.parametrize("bus", ["no bus", "a bus without a notification server"])
def test_without_a_notification_server_the_daemon_drafts_and_logs_no_error(
    bus: str,
    tmp_path: Path,
    notify: NotifyListener,
    daemons: list[DaemonProcess],
    session_bus: SessionBus,
) -> None:
    config, mail_root = setup(tmp_path)
    address = session_bus.address if bus != "no bus" else f"unix:path={tmp_path}/no-bus"
    d = start(daemons, config, notify, {"DBUS_SESSION_BUS_ADDRESS": address})
    settled(d, mail_root, drafts=1)
    assert d.stop() == 0
    log = d.stderr()
    assert "drafted thank_you for Acme Corp (acme)" in log
    for bad in ("ERROR", "WARNING", "Traceback", "notification"):
        assert bad not in log, log


@pytest.mark.daemon
def test_a_notification_server_that_never_answers_delays_nothing(
    tmp_path: Path, notify: NotifyListener, daemons: list[DaemonProcess], session_bus: SessionBus
) -> None:
    server = NotificationServer(session_bus.address, hang=True)
    try:
        config, mail_root = setup(tmp_path)
        d = start(daemons, config, notify, {"DBUS_SESSION_BUS_ADDRESS": session_bus.address})
        notify.wait_for(lambda m: "nothing scheduled" in m.get("STATUS", ""), timeout=10)
        server.wait_for(1, timeout=10)
        assert len(drafts_in(mail_root)) == 1
        began = time.monotonic()
        assert d.stop() == 0
        assert time.monotonic() - began < 10
    finally:
        server.close()


@pytest.mark.daemon
def test_a_hanging_notify_command_is_stopped_after_its_timeout_without_delaying_the_cycle(
    tmp_path: Path, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    child = tmp_path / "child.pid"
    env_file = tmp_path / "event.env"
    command = f"env | grep ^FOLLOWUP_ > {env_file}; sleep 60 & echo $! > {child}; wait"
    config, mail_root = setup(
        tmp_path, f'desktop = false\ncommand = "{command}"\ncommand_timeout = "4s"\n'
    )
    d = DaemonProcess(config, ["--now", AFTER_DUE], notify=notify)
    daemons.append(d)
    notify.wait_for(lambda m: m.get("READY") == "1", timeout=20)
    deadline = time.monotonic() + 10
    while not child.exists():  # the command runs (and will hang) ...
        assert time.monotonic() < deadline, d.stderr()
        time.sleep(0.05)
    started = time.monotonic()
    assert len(drafts_in(mail_root)) == 1
    d.signal(signal.SIGHUP)  # ... while the runner goes on: a reload and its cycle finish
    d.wait_log("reloaded", timeout=10)
    notify.wait_for(lambda m: "nothing scheduled" in m.get("STATUS", ""), timeout=10)
    assert "did not finish" not in d.stderr()
    assert time.monotonic() - started < 4
    d.wait_log("did not finish within 4 s and was stopped", timeout=20)
    assert time.monotonic() - started > 3.5
    pid = int(child.read_text())
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        assert time.monotonic() < deadline, f"the command's child {pid} survived"
        time.sleep(0.05)
    variables = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert variables["FOLLOWUP_EVENT"] == "draft_written"
    assert variables["FOLLOWUP_INTERVIEW"] == "acme"
    assert variables["FOLLOWUP_COMPANY"] == "Acme Corp"
    assert variables["FOLLOWUP_STAGE"] == "thank_you"
    assert variables["FOLLOWUP_TEXT"].startswith("drafted thank_you for Acme Corp (acme):")
    assert d.stop() == 0


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.daemon
def test_the_daemon_keeps_the_calendar_file_in_its_state_directory_current(
    tmp_path: Path, notify: NotifyListener, daemons: list[DaemonProcess]
) -> None:
    config, mail_root = setup(tmp_path, "desktop = false\n")
    ics = tmp_path / "state" / "followup.ics"
    d = start(daemons, config, notify, {}, now="2026-11-16T12:00:00")
    deadline = time.monotonic() + 10
    while not ics.exists():
        assert time.monotonic() < deadline, d.stderr()
        time.sleep(0.05)
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Follow up with Acme Corp (thank-you)"
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 16, 17, 0, tzinfo=NY)
    assert d.stop() == 0
    d = start(daemons, config, notify, {})  # past the due time: drafted, so it leaves the file
    settled(d, mail_root, drafts=1)
    assert icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT") == []
    assert d.stop() == 0
