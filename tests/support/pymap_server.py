"""A second real IMAP server for the contract tests: pymap (pure Python, in memory).

pymap differs from Dovecot where it matters to us: no NAMESPACE, no SPECIAL-USE (Drafts and
Sent are found by name), no CONDSTORE or ENABLE. Its in-memory backend knows one user, so
each harness empties that user's mailbox instead of adding a user.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

import pytest
from imapclient import IMAPClient

from followup.config import ImapAccount
from support.dovecot import ImapHarness, _free_port, wait_for_greeting

USER, PASSWORD = "demouser", "demopass"
_RUN = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"


class PymapServer:
    """``pymap dict`` on a free loopback port, with the ``ImapHarness`` server interface."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _RUN, *self._args()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_greeting(self._proc, self.port, "pymap", 20)

    def _args(self) -> list[str]:
        return ["--host", "127.0.0.1", "--port", str(self.port), "--no-tls", "dict"]

    def add_user(self) -> str:
        """The one user, with an empty INBOX and empty Drafts and Sent folders."""
        with self.client(USER) as client:
            for _, _, name in client.list_folders():
                if name != "INBOX":
                    client.delete_folder(name)
            client.select_folder("INBOX")
            uids = client.search()
            if uids:
                client.add_flags(uids, [rb"\Deleted"])
                client.expunge()
            client.create_folder("Drafts")
            client.create_folder("Sent")
        return USER

    @staticmethod
    def password(user: str) -> str:
        return PASSWORD

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, self.password(user))
        return client

    def folder(self, name: str) -> str:
        return name

    def account(self, user: str, **overrides: object) -> ImapAccount:
        values: dict[str, object] = {
            "name": "test",
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "username": user,
            "password_command": f"printf %s {self.password(user)}",
            "timeout": 10.0,
        }
        values.update(overrides)
        return ImapAccount(**values)  # type: ignore[arg-type]

    def close(self) -> None:
        self._proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=10)
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stderr:
            self._proc.stderr.close()


@pytest.fixture(scope="session")
def pymap_server() -> Iterator[PymapServer]:
    server = PymapServer()
    yield server
    server.close()


@pytest.fixture
def pymap_harness(pymap_server: PymapServer) -> Iterator[ImapHarness]:
    harness = ImapHarness(pymap_server)
    yield harness
    harness.close()
