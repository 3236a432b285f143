"""An ``IMAPClient`` whose socket is known from the first byte, so another thread can cut it.

A socket timeout bounds one read, not an exchange: a server that trickles a byte every few
seconds never trips it. The connection therefore guards each exchange with a deadline and,
when it passes (or the daemon must stop), shuts the socket down from a timer or the main
thread; the blocked read then returns at once. imapclient creates its socket inside its
constructor (connect, TLS handshake, greeting), so the socket is handed out through
``track`` as soon as it exists.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any

from imapclient import IMAPClient, imap4, tls

Track = Callable[[socket.socket], None]


GREETING_WAIT = 6.0
"""Seconds a plain connection waits for the server's first line before it asks whether the
port wants a TLS handshake (an implicit-TLS port such as 993 says nothing to plain text). A
port that does not speak TLS is then given the account's whole timeout: a loaded server
may greet late, and that is not a mistake in the configuration."""


class SilentGreeting(TimeoutError):
    """A plain connection got no IMAP greeting: the port wants TLS (``tls``), or the server
    said nothing for the whole ``waited`` seconds."""

    def __init__(self, *, tls: bool, waited: float) -> None:
        self.tls = tls
        self.waited = waited
        if tls:
            super().__init__("the port expects a TLS handshake first (implicit TLS)")
        else:
            super().__init__(f"no IMAP greeting within {waited:.0f} s")


class _Plain(imap4.IMAP4WithTimeout):  # type: ignore[misc]
    def __init__(self, host: str, port: int, timeout: float | None, track: Track) -> None:
        self._track = track
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock: socket.socket = super()._create_socket(timeout)
        self._track(sock)
        return sock  # IMAPClient sets the read timeout once the greeting is in

    def _connect(self) -> None:
        limit: float | None = self._timeout
        started = time.monotonic()
        first_wait = GREETING_WAIT if limit is None else min(GREETING_WAIT, limit)
        readable, _, _ = select.select([self.sock], [], [], first_wait)
        if not readable and speaks_tls(self.host, self.port, first_wait):
            raise SilentGreeting(tls=True, waited=time.monotonic() - started)
        self.sock.settimeout(limit)  # the whole timeout for the greeting and CAPABILITY
        try:
            super()._connect()  # reads the greeting, then asks for the capabilities
        except TimeoutError as exc:
            if "welcome" in vars(self):
                raise  # the greeting came; a later answer did not
            raise SilentGreeting(tls=False, waited=time.monotonic() - started) from exc


def speaks_tls(host: str, port: int, wait: float) -> bool:
    """Whether ``host:port`` completes a TLS handshake (its certificate is not judged here:
    this only tells an implicit-TLS port from a plain one)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=wait) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except (OSError, ssl.SSLError):
        return False


def plain_greeting(host: str, port: int, wait: float) -> bytes:
    """The first line ``host:port`` sends to a plain connection (b"" when nothing came)."""
    try:
        with socket.create_connection((host, port), timeout=wait) as raw:
            return raw.makefile("rb").readline(512)
    except OSError:
        return b""


class _Tls(tls.IMAP4_TLS):  # type: ignore[misc]
    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext | None,
        timeout: float | None,
        track: Track,
    ) -> None:
        self._track = track
        super().__init__(host, port, context, timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        limit = timeout if timeout is not None else self._timeout
        raw = socket.create_connection((self.host, self.port), timeout=limit)
        self._track(raw)  # the handshake below can stall too
        wrapped: socket.socket = tls.wrap_socket(raw, self.ssl_context, self.host)
        self._track(wrapped)
        return wrapped


class TrackedClient(IMAPClient):  # type: ignore[misc]
    """``IMAPClient`` that reports each socket it creates to ``track``."""

    def __init__(
        self,
        host: str,
        *,
        port: int,
        context: ssl.SSLContext | None,
        timeout: float,
        track: Track,
    ) -> None:
        self._track = track
        super().__init__(
            host, port=port, ssl=context is not None, ssl_context=context, timeout=timeout
        )

    def _create_IMAP4(self) -> Any:
        connect_timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _Tls(self.host, self.port, self.ssl_context, connect_timeout, self._track)
        return _Plain(self.host, self.port, connect_timeout, self._track)


def current_socket(client: Any) -> socket.socket | None:
    """The socket an ``IMAPClient`` talks over now (STARTTLS replaces the first one)."""
    sock = getattr(getattr(client, "_imap", None), "sock", None)
    return sock if isinstance(sock, socket.socket) else None


def cut(sock: socket.socket | None) -> None:
    """Shut a socket down for both directions, from any thread; a blocked read returns.

    The plain ``socket`` method is called even on an ``SSLSocket``, whose own ``shutdown``
    would also drop its TLS state under the feet of the thread still reading.
    """
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
