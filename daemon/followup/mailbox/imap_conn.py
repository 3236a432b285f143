"""One IMAP connection that heals itself: connect, log in, retry with backoff.

Every socket error, BYE or timeout drops the connection; the operation is retried on a
fresh one a bounded number of times with exponential backoff and jitter. Operations
must therefore be safe to repeat (the backend makes its writes idempotent by looking
for the Message-ID before any APPEND). A refused login and TLS problems are not retried:
they need the user, and their message says what to do (signing in is ``imap_auth``).
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from imapclient import IMAPClient

from followup import logs
from followup.config import ImapAccount
from followup.core.backoff import Backoff
from followup.core.errors import MailboxUnreachable
from followup.mailbox import imap_auth

log = logging.getLogger(__name__)

T = TypeVar("T")

# Socket errors, timeouts (TimeoutError is an OSError), BYE/EOF (imaplib's abort).
RETRYABLE: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort, EOFError)


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
        self._auth: imap_auth.Authenticator | None = None
        logs.install_redaction()

    # ------------------------------------------------------------------------------

    def run(self, op: Callable[[Any], T]) -> T:
        """Run ``op(client)``; on a connection failure reconnect and run it again."""
        last: BaseException | None = None
        backoff = Backoff(self.base_delay, self.max_delay)
        for attempt in range(self.attempts):
            try:
                return op(self._ensure())
            except RETRYABLE as exc:
                self.drop()
                last = exc
                log.info(
                    "IMAP %s:%s: connection problem (%s), attempt %d of %d",
                    self.host,
                    self.port,
                    _describe(exc),
                    attempt + 1,
                    self.attempts,
                )
                if attempt + 1 < self.attempts:
                    self.sleep(backoff.next_delay())
        raise MailboxUnreachable(
            f"the IMAP server {self.host}:{self.port} of account {self.account.name} could "
            f"not be reached after {self.attempts} attempts ({_describe(last)})"
        )

    def drop(self) -> None:
        """Forget the current connection without talking to the server."""
        client, self._client = self._client, None
        if client is not None:
            try:
                client.shutdown()
            except Exception as exc:  # already dead; nothing else to do
                log.debug("shutdown of a dead connection: %s", _describe(exc))

    def close(self) -> None:
        """Log out politely; safe to call twice and on a dead connection."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
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
            self._client = self._connect()
        return self._client

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

    def _open(self) -> Any:
        security = self.account.security
        timeout = self.account.timeout
        if security == "tls":
            client = IMAPClient(
                self.host, port=self.port, ssl=True, ssl_context=self._context(), timeout=timeout
            )
        else:
            client = IMAPClient(self.host, port=self.port, ssl=False, timeout=timeout)
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
            if client.has_capability("CONDSTORE"):
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

    def _tls_error(self, exc: ssl.SSLError) -> MailboxUnreachable:
        reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or str(exc)
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
