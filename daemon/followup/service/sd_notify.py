"""sd_notify over ``$NOTIFY_SOCKET`` with the stdlib only, so systemd knows when we are ready.

Without ``$NOTIFY_SOCKET`` (run from a terminal) every call is a cheap no-op. Sending never
raises: a service manager that went away must not take the daemon down with it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Mapping

log = logging.getLogger(__name__)


def _address(raw: str) -> str | bytes | None:
    """A filesystem path as is; ``@name`` is an abstract socket (a leading NUL byte)."""
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if raw.startswith("/"):
        return raw
    return None  # vsock and other forms are not used for user units


class Notifier:
    """Sends ``KEY=value`` datagrams to the service manager."""

    def __init__(self, address: str | None) -> None:
        self._address = _address(address) if address else None
        self._sock: socket.socket | None = None
        if address and self._address is None:
            log.warning(
                "ignoring NOTIFY_SOCKET=%r: only paths and @abstract names are supported", address
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, unset: bool = False) -> Notifier:
        """Read ``$NOTIFY_SOCKET``; with ``unset``, hide it from child processes (password commands)."""
        env = os.environ if environ is None else environ
        notifier = cls(env.get("NOTIFY_SOCKET") or None)
        if unset and environ is None:
            os.environ.pop("NOTIFY_SOCKET", None)
        return notifier

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def send(self, *fields: str) -> bool:
        """Send one datagram of ``KEY=value`` lines; True if it was handed to the socket."""
        if self._address is None:
            return False
        payload = "\n".join(f.replace("\n", " ") for f in fields).encode()
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(payload, self._address)
        except OSError as exc:
            log.debug("sd_notify failed: %s", exc)
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> bool:
        return self.send(f"STATUS={text}")

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def reloading(self) -> bool:
        # systemd ≥ 253 wants the monotonic time with RELOADING=1; older ones ignore it.
        usec = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        return self.send("RELOADING=1", f"MONOTONIC_USEC={usec}")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def watchdog_interval(
    environ: Mapping[str, str] | None = None, pid: int | None = None
) -> float | None:
    """Seconds between ``WATCHDOG=1`` pings: half of ``$WATCHDOG_USEC``, or None when not asked.

    ``$WATCHDOG_PID``, when set, must be ours: the variables may be inherited by mistake.
    """
    env = os.environ if environ is None else environ
    raw = env.get("WATCHDOG_USEC", "")
    owner = env.get("WATCHDOG_PID", "")
    if owner and owner != str(os.getpid() if pid is None else pid):
        return None
    try:
        usec = int(raw)
    except ValueError:
        return None
    if usec <= 0:
        return None
    return usec / 2 / 1_000_000
