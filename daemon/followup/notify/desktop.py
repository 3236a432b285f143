"""Desktop notifications: ``org.freedesktop.Notifications.Notify`` on the session D-Bus.

The client is ``jeepney`` (pure Python), imported only when a notification is sent. No
session bus, no notification server, or a bus that does not answer: one debug line, never
an error. Each notification opens its own short connection: they are rare, and a bus
restarted in between (a new login) is then no problem.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from followup.notify.events import Event

log = logging.getLogger(__name__)

APP_NAME = "followup"
CONNECT_TIMEOUT = 2.0  # seconds to authenticate with the bus
CALL_TIMEOUT = 5.0  # seconds for the notification server to answer
_ICONS = {"needs_auth": "dialog-password", "answer_arrived": "mail-unread"}
_CATEGORIES = {"answer_arrived": "email.arrived", "needs_auth": "network.error"}
_UNESCAPED = re.compile(r"[-0-9A-Za-z_/.\\*]")


def session_bus_address(environ: Mapping[str, str]) -> str | None:
    """``$DBUS_SESSION_BUS_ADDRESS``, else the user bus socket ``$XDG_RUNTIME_DIR/bus``."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if not runtime:
        return None
    socket_path = Path(runtime) / "bus"
    try:
        if not stat.S_ISSOCK(socket_path.stat().st_mode):
            return None
    except OSError:
        return None
    escaped = "".join(c if _UNESCAPED.match(c) else f"%{ord(c):02x}" for c in str(socket_path))
    return f"unix:path={escaped}"


class Desktop:
    """Sends each event as a desktop notification; remembers the last problem to log it once."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._problem: str | None = None

    def deliver(self, event: Event) -> None:
        address = session_bus_address(self._environ)
        if address is None:
            self._quietly(
                "no desktop notification: no session bus ($DBUS_SESSION_BUS_ADDRESS is not "
                "set and there is no $XDG_RUNTIME_DIR/bus)"
            )
            return
        try:
            self._notify(address, event)
        except Exception as exc:  # no bus, no server, a refused call: never an error
            self._quietly(f"no desktop notification via {address}: {type(exc).__name__}: {exc}")
        else:
            self._problem = None

    def _notify(self, address: str, event: Event) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        target = DBusAddress(
            "/org/freedesktop/Notifications",
            bus_name="org.freedesktop.Notifications",
            interface="org.freedesktop.Notifications",
        )
        hints: dict[str, tuple[str, Any]] = {"urgency": ("y", 1)}
        category = _CATEGORIES.get(event.event, "email")
        hints["category"] = ("s", category)
        message = new_method_call(
            target,
            "Notify",
            "susssasa{sv}i",
            (
                APP_NAME,
                0,  # replaces_id: a new notification
                _ICONS.get(event.event, "mail-message-new"),
                event.title,
                event.body,
                [],  # actions
                hints,
                -1,  # expire timeout: the server's default
            ),
        )
        with open_dbus_connection(bus=address, auth_timeout=CONNECT_TIMEOUT) as conn:
            unwrap_msg(conn.send_and_get_reply(message, timeout=CALL_TIMEOUT))

    def _quietly(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            log.debug("%s", problem)
