"""A plain IMAP connection waits for a slow greeting instead of calling it a TLS mistake.

The servers here are loopback sockets that greet late or never; the first wait is made
short so the tests run in a second or two. A real implicit-TLS port is covered against
Dovecot in ``tests/e2e/test_tls_mistakes.py``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.config import ImapAccount, load_config
from followup.core.errors import MailboxUnreachable
from followup.mailbox import imap_socket
from followup.mailbox.imap_conn import Connection
from followup.mailbox.imap_socket import SilentGreeting, TrackedClient
from support.configs import acme_interview, head, imap_account

GREETING = b"* OK [CAPABILITY IMAP4rev1] slow but here\r\n"


class QuietServer:
    """Accepts connections and greets after ``delay`` seconds (never if None)."""

    def __init__(self, delay: float | None) -> None:
        self.delay = delay
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.accepted = 0
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            self._open.append(conn)
            if self.delay is not None:
                threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        """Greet late, then answer each command with OK (CAPABILITY with its list too)."""
        assert self.delay is not None
        time.sleep(self.delay)
        try:
            conn.sendall(GREETING)
            for line in conn.makefile("rb"):
                tag, _, command = line.decode("ascii").partition(" ")
                if command.upper().startswith("CAPABILITY"):
                    conn.sendall(b"* CAPABILITY IMAP4rev1\r\n")
                conn.sendall(f"{tag} OK done\r\n".encode("ascii"))
        except OSError:
            pass  # the client gave up first

    def close(self) -> None:
        self.listener.close()
        for conn in self._open:
            conn.close()


@pytest.fixture
def short_first_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imap_socket, "GREETING_WAIT", 0.3)


@pytest.fixture
def late_server() -> Iterator[QuietServer]:
    server = QuietServer(delay=1.2)
    yield server
    server.close()


@pytest.fixture
def silent_server() -> Iterator[QuietServer]:
    server = QuietServer(delay=None)
    yield server
    server.close()


def account(tmp_path: Path, port: int, timeout: int) -> ImapAccount:
    path = tmp_path / "config.toml"
    path.write_text(
        head(tmp_path / "state")
        + imap_account(port, "jordan", "printf pw", timeout=timeout)
        # the interview keeps the config valid; the account is what is tested
        + acme_interview(),
        encoding="utf-8",
    )
    found = load_config(path).accounts[0]
    assert isinstance(found, ImapAccount)
    return found


def test_a_greeting_later_than_the_first_wait_is_still_taken(
    short_first_wait: None, late_server: QuietServer
) -> None:
    client = TrackedClient(
        "127.0.0.1", port=late_server.port, context=None, timeout=5, track=lambda _s: None
    )
    try:
        assert client.welcome == GREETING.strip()
    finally:
        client.shutdown()


def test_a_server_silent_for_the_whole_timeout_is_reported_after_that_timeout(
    short_first_wait: None, silent_server: QuietServer
) -> None:
    started = time.monotonic()
    with pytest.raises(SilentGreeting) as caught:
        TrackedClient(
            "127.0.0.1", port=silent_server.port, context=None, timeout=2, track=lambda _s: None
        )
    waited = time.monotonic() - started
    assert not caught.value.tls
    assert 1.8 <= caught.value.waited <= waited < 5


def test_a_silent_plain_port_is_retried_and_then_named_with_the_seconds_waited(
    short_first_wait: None, silent_server: QuietServer, tmp_path: Path
) -> None:
    connection = Connection(account(tmp_path, silent_server.port, timeout=1), attempts=2)
    connection.base_delay = 0.01
    with pytest.raises(MailboxUnreachable) as caught:
        connection.run(lambda client: client.noop())
    message = str(caught.value)
    assert "after 2 attempts" in message, message
    assert re.search(r"sent no IMAP greeting within \d+ s", message), message
    assert 'security = "tls"' in message, message  # the hint survives the summary
    assert silent_server.accepted >= 2 + 2  # each attempt: the connection and one TLS probe
