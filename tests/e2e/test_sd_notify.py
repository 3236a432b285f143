"""sd_notify: datagrams reach a path or abstract socket; no socket means a silent no-op."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from followup.service.sd_notify import Notifier, watchdog_interval
from support.daemon_proc import NotifyListener


@pytest.fixture(params=[False, True], ids=["path", "abstract"])
def listener(request: pytest.FixtureRequest) -> Iterator[NotifyListener]:
    sock = NotifyListener(abstract=request.param)
    yield sock
    sock.close()


def test_ready_and_status_arrive_in_one_datagram(listener: NotifyListener) -> None:
    notifier = Notifier(listener.address)
    assert notifier.ready("2 waiting · next draft Thu 09:00 for Acme")
    message = listener.wait_for(lambda m: True, timeout=2)
    assert message == {"READY": "1", "STATUS": "2 waiting · next draft Thu 09:00 for Acme"}
    notifier.close()


def test_watchdog_stopping_and_reloading_are_sent_as_systemd_expects(
    listener: NotifyListener,
) -> None:
    notifier = Notifier(listener.address)
    notifier.watchdog()
    notifier.reloading()
    notifier.stopping()
    listener.drain(0.3)
    got = listener.values()
    assert got[0] == {"WATCHDOG": "1"}
    assert (
        isinstance(got[1], dict)
        and got[1]["RELOADING"] == "1"
        and int(got[1]["MONOTONIC_USEC"]) > 0
    )
    assert got[2] == {"STOPPING": "1"}
    notifier.close()


def test_a_newline_in_a_status_cannot_inject_another_field(listener: NotifyListener) -> None:
    notifier = Notifier(listener.address)
    notifier.status("broken\nREADY=1")
    assert listener.wait_for(lambda m: True, timeout=2) == {"STATUS": "broken READY=1"}
    notifier.close()


def test_without_notify_socket_every_call_is_a_no_op() -> None:
    notifier = Notifier.from_env({})
    assert not notifier.enabled
    assert notifier.ready("x") is False
    assert notifier.watchdog() is False


def test_a_vanished_socket_does_not_raise(tmp_path: object) -> None:
    notifier = Notifier("/nonexistent/dir/notify")
    assert notifier.enabled
    assert notifier.status("still alive") is False


def test_from_env_can_hide_the_socket_from_child_processes(
    listener: NotifyListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", listener.address)
    notifier = Notifier.from_env(unset=True)
    assert "NOTIFY_SOCKET" not in os.environ
    assert notifier.ready()
    assert listener.wait_for(lambda m: True, timeout=2) == {"READY": "1"}
    notifier.close()


def test_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "120000000"}) == 60.0


def test_watchdog_interval_ignores_a_watchdog_meant_for_another_process() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}, pid=4242) is None
    assert watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "4242"}, pid=4242) == 1.0


@pytest.mark.parametrize("raw", ["", "0", "-5", "soon"])
def test_watchdog_interval_is_none_when_not_requested(raw: str) -> None:
    assert watchdog_interval({"WATCHDOG_USEC": raw} if raw else {}) is None
