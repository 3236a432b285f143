"""The notify command, the publisher around it, and desktop notifications without a bus."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from pathlib import Path

import pytest

from followup.config import NotifyConfig
from followup.notify import command as command_module
from followup.notify.command import Command
from followup.notify.desktop import Desktop, session_bus_address
from followup.notify.events import Event
from followup.notify.publisher import QUEUE_LIMIT, Publisher

DRAFT = Event(
    "draft_written",
    "draft:followup.check_in.1@example.com",
    "drafted check_in for Acme Corp (acme-backend): due since Fri 2026-11-27 09:00 with no reply",
    interview_id="acme-backend",
    company="Acme Corp",
    role="Backend Engineer",
    stage="check_in",
    person="Dana Whitfield",
    message_id="followup.check_in.1@example.com",
)


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_command_gets_the_event_in_its_environment(tmp_path: Path) -> None:
    out = tmp_path / "env.txt"
    Command(f"env | grep ^FOLLOWUP_ > {out}", timeout=10).deliver(DRAFT)
    env = read_env(out)
    assert env["FOLLOWUP_EVENT"] == "draft_written"
    assert env["FOLLOWUP_INTERVIEW"] == "acme-backend"
    assert env["FOLLOWUP_COMPANY"] == "Acme Corp"
    assert env["FOLLOWUP_STAGE"] == "check_in"
    assert env["FOLLOWUP_PERSON"] == "Dana Whitfield"
    assert env["FOLLOWUP_TEXT"] == DRAFT.text
    assert env["FOLLOWUP_TITLE"] == "Follow-up draft ready — Acme Corp"
    assert env["FOLLOWUP_MESSAGE_ID"] == "followup.check_in.1@example.com"


def test_the_command_keeps_the_rest_of_the_environment(tmp_path: Path) -> None:
    out = tmp_path / "home.txt"
    Command(f'printf %s "$HOME" > {out}', timeout=10, environ={"HOME": "/home/jordan"}).deliver(
        DRAFT
    )
    assert out.read_text() == "/home/jordan"


def test_event_text_is_never_run_by_the_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    out = tmp_path / "company.txt"
    event = Event("draft_written", "k", "t", company=f"Evil $(touch {marker}) `touch {marker}`")
    Command(f'printf %s "$FOLLOWUP_COMPANY" > {out}', timeout=10).deliver(event)
    assert not marker.exists()
    assert out.read_text() == event.company


def test_a_failing_command_is_logged_with_its_status_and_output(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="followup.notify.command"):
        Command("echo 'ntfy: topic not found' >&2; exit 3", timeout=10).deliver(DRAFT)
    (record,) = caplog.records
    assert "exit status 3" in record.getMessage()
    assert "ntfy: topic not found" in record.getMessage()
    assert DRAFT.key in record.getMessage()


def test_a_hanging_command_and_its_children_are_stopped_after_the_timeout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    child = tmp_path / "child.pid"
    command = Command(f"sleep 60 & echo $! > {child}; wait", timeout=0.5)
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="followup.notify.command"):
        command.deliver(DRAFT)
    assert time.monotonic() - began < 5
    assert "did not finish within 0.5 s and was stopped" in caplog.text
    pid = int(child.read_text())
    assert wait_until(lambda: not is_running(pid), 5), f"sleep {pid} survived"


def test_a_command_that_ignores_sigterm_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command_module, "KILL_GRACE", 0.3)  # the same steps, sooner
    child = tmp_path / "child.pid"
    command = Command(f"trap '' TERM; sleep 60 & echo $! > {child}; wait; wait", timeout=0.3)
    began = time.monotonic()
    command.deliver(DRAFT)
    assert time.monotonic() - began < 8
    pid = int(child.read_text())
    assert wait_until(lambda: not is_running(pid), 5)


def test_publishing_never_waits_for_the_command(tmp_path: Path) -> None:
    done = tmp_path / "done"
    publisher = Publisher(
        NotifyConfig(desktop=False, command=f"sleep 0.4; touch {done}"), environ=dict(os.environ)
    )
    began = time.monotonic()
    publisher.publish([DRAFT, DRAFT])
    assert time.monotonic() - began < 0.2
    assert not done.exists()
    publisher.close(10)
    assert done.exists()


def test_closing_stops_a_command_that_is_still_running(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    settings = NotifyConfig(
        desktop=False,
        command=f"sleep 60 & echo $! > {child}; wait",
        command_timeout=dt.timedelta(minutes=5),
    )
    publisher = Publisher(settings)
    publisher.publish([DRAFT])
    assert wait_until(child.exists, 5)
    began = time.monotonic()
    publisher.close(0.2)
    assert time.monotonic() - began < 6
    pid = int(child.read_text() or "0")
    assert wait_until(lambda: not is_running(pid), 5)


def test_events_reach_the_command_in_the_order_they_were_published(tmp_path: Path) -> None:
    out = tmp_path / "order.txt"
    publisher = Publisher(
        NotifyConfig(desktop=False, command=f'echo "$FOLLOWUP_INTERVIEW" >> {out}')
    )
    events = [Event("answer_arrived", f"answer:{n}:m", "t", interview_id=str(n)) for n in range(5)]
    publisher.publish(events)
    publisher.close(10)
    assert out.read_text().split() == ["0", "1", "2", "3", "4"]


def test_without_a_session_bus_a_desktop_notification_is_one_debug_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    desktop = Desktop(environ={})
    with caplog.at_level(logging.DEBUG, logger="followup.notify"):
        desktop.deliver(DRAFT)
        desktop.deliver(DRAFT)
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG
    assert "no session bus" in record.getMessage()


def test_an_unreachable_bus_is_one_debug_line_never_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    desktop = Desktop(environ={"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/gone"})
    with caplog.at_level(logging.DEBUG, logger="followup.notify"):
        for _ in range(3):
            desktop.deliver(DRAFT)
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG
    assert "FileNotFoundError" in record.getMessage()


def test_the_session_bus_is_found_in_the_environment_or_at_xdg_runtime_dir(tmp_path: Path) -> None:
    assert (
        session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/x"}) == "unix:path=/run/x"
    )
    runtime = tmp_path / "run,user=1"
    runtime.mkdir()
    assert session_bus_address({"XDG_RUNTIME_DIR": str(runtime)}) is None
    (runtime / "bus").write_text("")  # a file is no socket
    assert session_bus_address({"XDG_RUNTIME_DIR": str(runtime)}) is None
    (runtime / "bus").unlink()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(runtime / "bus"))
        address = session_bus_address({"XDG_RUNTIME_DIR": str(runtime)})
    assert address == f"unix:path={tmp_path}/run%2cuser%3d1/bus"
    assert session_bus_address({}) is None


def test_a_full_queue_drops_events_with_a_warning_instead_of_waiting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = NotifyConfig(
        desktop=False, command="sleep 30", command_timeout=dt.timedelta(minutes=5)
    )
    publisher = Publisher(settings)
    events = [
        Event("answer_arrived", f"answer:{n}:m", f"answer {n}") for n in range(QUEUE_LIMIT + 6)
    ]
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="followup.notify.publisher"):
        publisher.publish(events)
    assert time.monotonic() - began < 1
    dropped = [r for r in caplog.records if "too many events waiting" in r.getMessage()]
    assert 1 <= len(dropped) <= 6
    publisher.close(0.1)


def test_a_publisher_replaced_by_a_reload_still_tells_what_it_had_queued(tmp_path: Path) -> None:
    done = tmp_path / "done"
    old = Publisher(NotifyConfig(desktop=False, command=f"sleep 0.5; touch {done}"))
    old.publish([DRAFT])
    old.retire()
    assert wait_until(done.exists, 10)
