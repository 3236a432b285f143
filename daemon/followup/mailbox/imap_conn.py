"""One IMAP connection that heals itself: connect, log in, retry with backoff.

Every socket error, BYE or timeout drops the connection; the operation is retried on a
fresh one a bounded number of times with exponential backoff and jitter. Operations
must therefore be safe to repeat (the backend makes its writes idempotent by looking
for the Message-ID before any APPEND). A refused login and TLS problems are not retried:
they need the user, and their message says what to do (signing in is ``imap_auth``).

Each exchange is bounded as a whole, not per read: connecting and logging in may take
``CONNECT_TIMEOUTS`` × ``timeout``, one operation ``OPERATION_TIMEOUTS`` × ``timeout``, and
all attempts of one operation together ``TOTAL_TIMEOUTS`` × ``timeout``. When a deadline
passes, the socket is shut down from a timer thread, so a server that trickles bytes
cannot hold a cycle. ``abort`` does the same from another thread (the daemon's stop).
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from followup import logs
from followup.config import ImapAccount
from followup.core.backoff import Backoff
from followup.core.errors import MailboxUnreachable
from followup.mailbox import imap_auth
from followup.mailbox.imap_socket import (
    GREETING_WAIT,
    SilentGreeting,
    TrackedClient,
    current_socket,
    cut,
    plain_greeting,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# Socket errors, timeouts (TimeoutError is an OSError), BYE/EOF (imaplib's abort).
RETRYABLE: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort, EOFError)

CONNECT_TIMEOUTS = 2.0  # connect + TLS + greeting + login, in multiples of ``timeout``
OPERATION_TIMEOUTS = 3.0  # one attempt of one operation (a fetch, an append, a withdrawal)
TOTAL_TIMEOUTS = 6.0  # every attempt of one operation, backoff included

# What OpenSSL says when the other side answers a handshake with something that is not TLS
# (a plain IMAP greeting, for one).
PLAIN_TEXT_REPLIES = frozenset(
    {"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE"}
)


@dataclass
class Meter:
    """Protocol traffic of one backend instance: commands sent and bytes each way."""

    commands: int = 0
    sent: int = 0
    received: int = 0

    def snapshot(self) -> tuple[int, int, int]:
        return self.commands, self.sent, self.received


class Connection:
    """Owns the ``IMAPClient`` of one account and runs operations on it."""

    def __init__(
        self,
        account: ImapAccount,
        *,
        attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.account = account
        self.host: str = account.host
        self.port = account.port
        self.attempts = max(1, attempts)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.meter = Meter()
        self.connects = 0
        self._client: Any = None
        self._opening: Any = None  # the client being set up (greeting, STARTTLS, login)
        self._raw: socket.socket | None = None
        self._lock = threading.Lock()
        self._expired: TimeoutError | None = None
        self._aborted = False
        self._auth: imap_auth.Authenticator | None = None
        logs.install_redaction()

    # ------------------------------------------------------------------------------

    def run(self, op: Callable[[Any], T], *, extra: float = 0.0) -> T:
        """Run ``op(client)``; on a connection failure reconnect and run it again.

        ``extra`` seconds are added to the operation's deadline (an IDLE that waits on
        purpose); the number of attempts and the total time are bounded.
        """
        last: BaseException | None = None
        backoff = Backoff(self.base_delay, self.max_delay)
        timeout = float(self.account.timeout)
        give_up_at = time.monotonic() + TOTAL_TIMEOUTS * timeout + extra
        tried = 0
        for attempt in range(self.attempts):
            self._refuse_if_aborted()
            tried = attempt + 1
            try:
                client = self._ensure()
                with self._deadline(OPERATION_TIMEOUTS * timeout + extra):
                    return op(client)
            except RETRYABLE as exc:
                self.drop()
                self._refuse_if_aborted()
                last = self._expired or exc
                log.info(
                    "IMAP %s:%s: connection problem (%s), attempt %d of %d",
                    self.host,
                    self.port,
                    _describe(last),
                    attempt + 1,
                    self.attempts,
                )
                if attempt + 1 >= self.attempts:
                    break
                delay = backoff.next_delay()
                if time.monotonic() + delay >= give_up_at:
                    break
                self.sleep(delay)
        raise MailboxUnreachable(
            f"the IMAP server {self.host}:{self.port} of account {self.account.name} could "
            f"not be reached after {tried} attempt{'s' if tried != 1 else ''} "
            f"({_describe(last)})"
        )

    def abort(self) -> None:
        """From any thread: cut the connection now and refuse every later operation."""
        self._aborted = True
        self._cut()

    def drop(self) -> None:
        """Forget the current connection without talking to the server."""
        with self._lock:
            client, self._client = self._client, None
            self._opening = self._raw = None
        if client is not None:
            cut(current_socket(client))
            try:
                client.shutdown()
            except Exception as exc:  # already dead; nothing else to do
                log.debug("shutdown of a dead connection: %s", _describe(exc))

    def close(self) -> None:
        """Log out politely; safe to call twice and on a dead connection."""
        with self._lock:
            client, self._client = self._client, None
            self._opening = self._raw = None
        if client is None:
            return
        if self._aborted:
            cut(current_socket(client))
        try:
            with self._deadline(float(self.account.timeout)):
                client.logout()
        except Exception as exc:
            log.debug("logout failed (%s); closing the socket", _describe(exc))
            try:
                client.shutdown()
            except Exception as exc2:
                log.debug("shutdown failed: %s", _describe(exc2))

    # ------------------------------------------------------------------------------

    def _ensure(self) -> Any:
        if self._client is None:
            with self._deadline(CONNECT_TIMEOUTS * float(self.account.timeout)):
                client = self._connect()
            with self._lock:
                self._client, self._opening = client, None
        return self._client

    def _refuse_if_aborted(self) -> None:
        if self._aborted:
            raise MailboxUnreachable(
                f"the connection to {self.host}:{self.port} of account {self.account.name} "
                "was stopped (the daemon is shutting down)"
            )

    @contextlib.contextmanager
    def _deadline(self, seconds: float) -> Iterator[None]:
        """Cut the socket if the block below is still running after ``seconds``."""
        self._expired = None
        done = threading.Event()

        def expire() -> None:
            with self._lock:
                if done.is_set():
                    return
                self._expired = TimeoutError(f"no complete answer within {seconds:.0f} s")
            self._cut()

        timer = threading.Timer(seconds, expire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            with self._lock:
                done.set()
            timer.cancel()

    def _track(self, sock: socket.socket) -> None:
        """The socket being connected, before imapclient hands back its client."""
        with self._lock:
            self._raw = sock
        if self._aborted:
            cut(sock)

    def _cut(self) -> None:
        with self._lock:
            target = self._client if self._client is not None else self._opening
            sock = current_socket(target) or self._raw
        cut(sock)

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.account.tls_ca_file is not None:
            try:
                context.load_verify_locations(cafile=str(self.account.tls_ca_file))
            except (OSError, ssl.SSLError) as exc:
                raise MailboxUnreachable(
                    f"cannot load tls_ca_file {self.account.tls_ca_file} of account "
                    f"{self.account.name}: {exc}"
                ) from exc
        return context

    def _connect(self) -> Any:
        try:
            return self._open()
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
            raise  # the peer went away mid-handshake: worth another attempt
        except ssl.SSLError as exc:
            raise self._tls_error(exc) from exc
        except SilentGreeting as exc:
            if exc.tls:
                raise self._tls_port_error() from exc
            raise TimeoutError(  # a slow server may greet next time: worth another attempt
                f"{self.host}:{self.port} sent no IMAP greeting within {exc.waited:.0f} s; is "
                'it the IMAP port? (usually 993 with security = "tls", 143 with "starttls")'
            ) from exc

    def _open(self) -> Any:
        security = self.account.security
        client = TrackedClient(
            self.host,
            port=self.port,
            context=self._context() if security == "tls" else None,
            timeout=self.account.timeout,
            track=self._track,
        )
        with self._lock:
            self._opening = client
        self._meter(client)
        self.connects += 1
        try:
            if security == "starttls":
                if not client.has_capability("STARTTLS"):
                    raise MailboxUnreachable(
                        f"the server at {self.host} does not offer STARTTLS; use security = "
                        f'"tls" for account {self.account.name}'
                    )
                client.starttls(self._context())
            self._login(client)
            if client.has_capability("CONDSTORE") and client.has_capability("ENABLE"):
                client.enable("CONDSTORE")  # makes SELECT report HIGHESTMODSEQ
        except BaseException:
            try:
                client.shutdown()
            except Exception as exc:
                log.debug("shutdown after a failed connect: %s", _describe(exc))
            raise
        return client

    def _login(self, client: Any) -> None:
        """Sign in (``imap_auth``); a refusal raises ``AuthError``, a cut is retried."""
        if self._auth is None:
            self._auth = imap_auth.authenticator(self.account)
        self._auth.login(client, self.host, self.port)

    def _tls_port_error(self) -> MailboxUnreachable:
        """A plain connection heard nothing and the port completes a TLS handshake."""
        return MailboxUnreachable(
            f"{self.host}:{self.port} expects TLS from the first byte (implicit TLS) and says "
            f'nothing to a plain connection; set security = "tls" for account '
            f"{self.account.name}"
        )

    def _tls_error(self, exc: ssl.SSLError) -> MailboxUnreachable:
        reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or str(exc)
        if reason in PLAIN_TEXT_REPLIES:
            greeting = plain_greeting(self.host, self.port, GREETING_WAIT)
            if greeting.startswith(b"* OK") or greeting.startswith(b"* PREAUTH"):
                return MailboxUnreachable(
                    f"{self.host}:{self.port} answered the TLS handshake with a plain IMAP "
                    'greeting: this port does not speak implicit TLS; set security = "starttls" '
                    f"for account {self.account.name} (or port 993, where servers usually "
                    'speak security = "tls")'
                )
        return MailboxUnreachable(
            f"the TLS connection to {self.host}:{self.port} failed ({reason}); if the server "
            f"uses a private or self-signed certificate, set tls_ca_file for account "
            f"{self.account.name} to the certificate that signed it"
        )

    def _meter(self, client: Any) -> None:
        """Count commands and bytes by wrapping the imaplib object's I/O methods."""
        imap = client._imap
        meter = self.meter
        new_tag, send, read, readline = imap._new_tag, imap.send, imap.read, imap.readline

        def counted_tag() -> Any:
            meter.commands += 1
            return new_tag()

        def counted_send(data: bytes) -> Any:
            meter.sent += len(data)
            return send(data)

        def counted_read(size: int) -> bytes:
            data: bytes = read(size)
            meter.received += len(data)
            return data

        def counted_readline() -> bytes:
            data: bytes = readline()
            meter.received += len(data)
            return data

        imap._new_tag, imap.send, imap.read, imap.readline = (
            counted_tag,
            counted_send,
            counted_read,
            counted_readline,
        )


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no error"
    text = str(exc).strip() or type(exc).__name__
    return logs.redact(text)[:200]
