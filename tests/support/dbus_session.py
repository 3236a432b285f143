"""A private session bus (Debian's ``dbus-daemon``) and a notification server that records calls.

The bus listens on a socket in its own temporary directory, with no service directories,
so nothing is ever auto-started on it and no test reaches the user's real desktop. The
server owns ``org.freedesktop.Notifications`` on it (written with jeepney, served from a
thread) and records every ``Notify`` call.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
NAME = "org.freedesktop.Notifications"


class SessionBus:
    """``dbus-daemon --session``-like bus on a private socket; ``address`` is for the client."""

    def __init__(self) -> None:
        if shutil.which("dbus-daemon") is None:
            raise RuntimeError("dbus-daemon is not installed (Debian: apt-get install dbus-daemon)")
        self.dir = Path(tempfile.mkdtemp(prefix="fu-bus-", dir="/tmp"))  # sun_path is short
        self.socket = self.dir / "bus"
        config = self.dir / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.socket), encoding="utf-8")
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--nofork", "--print-address", "--config-file", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("unix:"):
            self.close()
            raise RuntimeError(f"dbus-daemon did not start: {line!r}")
        self.address = line

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass(frozen=True)
class Notification:
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    expire_timeout: int


class NotificationServer:
    """Owns org.freedesktop.Notifications and records each Notify; ``hang`` stops answering."""

    def __init__(self, address: str, *, hang: bool = False) -> None:
        self.hang = hang
        self.calls: list[Notification] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.conn: DBusConnection = open_dbus_connection(bus=address)
        reply = self.conn.send_and_get_reply(message_bus.RequestName(NAME), timeout=5)
        assert reply.body == (1,), f"could not own {NAME}: {reply.body}"  # 1: primary owner
        self._thread = threading.Thread(target=self._serve, name="fake-notifications", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self.conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except OSError:
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            member = msg.header.fields.get(HeaderFields.member)
            if member == "Notify":
                with self._lock:
                    self.calls.append(Notification(*msg.body))
                    number = len(self.calls)
                if not self.hang:
                    self.conn.send(new_method_return(msg, "u", (number,)))
            elif member == "GetServerInformation":
                info = ("fake", "followup-tests", "1", "1.2")
                self.conn.send(new_method_return(msg, "ssss", info))
            elif member == "GetCapabilities":
                self.conn.send(new_method_return(msg, "as", (["body"],)))
            else:
                error = "org.freedesktop.DBus.Error.UnknownMethod"
                self.conn.send(new_error(msg, error, "s", (f"no method {member}",)))

    def recorded(self) -> list[Notification]:
        with self._lock:
            return list(self.calls)

    def wait_for(self, count: int, timeout: float) -> list[Notification]:
        """The calls once there are at least ``count``; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while len(found := self.recorded()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} notification(s) within {timeout} s: {found}")
            time.sleep(0.05)
        return found

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.conn.close()


@pytest.fixture
def session_bus() -> Iterator[SessionBus]:
    bus = SessionBus()
    yield bus
    bus.close()


@pytest.fixture
def notification_server(session_bus: SessionBus) -> Iterator[NotificationServer]:
    server = NotificationServer(session_bus.address)
    yield server
    server.close()
