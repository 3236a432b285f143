"""A local fake Gmail server for the real google-api-python-client, and its harness.

The server runs on 127.0.0.1 at a free port in a background thread; ``GmailHarness``
implements ``MailboxHarness`` by acting on the fake's state as the user's mail client
would, and ``gmail_harness`` is the pytest fixture that provides both.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from followup.config import GmailAccount
from followup.mailbox import Mailbox
from support.fake_gmail_api import SCOPE, FakeGmail, Recorded, StoredMessage
from support.harness import ANSWERED, DRAFT, FLAGGED, SEEN

__all__ = ["FakeGmail", "FakeGmailServer", "GmailHarness", "Recorded", "StoredMessage"]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, ctype, answer = self.server.fake.handle(self.command, self.path, self.headers, body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_DELETE = do_PUT = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGmail


@dataclass
class FakeGmailServer:
    """The fake served on 127.0.0.1 at a free port from a background thread."""

    fake: FakeGmail
    url: str
    _server: _Server
    _thread: threading.Thread

    @classmethod
    def start(cls) -> FakeGmailServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = FakeGmail()
        thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        return cls(server.fake, f"http://127.0.0.1:{server.server_port}/", server, thread)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token_json(self) -> str:
        """An authorized-user token whose refresh goes to the fake's /token endpoint."""
        return json.dumps(
            {
                "refresh_token": "1//fake-refresh",
                "client_id": "fake-client.apps.googleusercontent.com",
                "client_secret": "fake-secret",
                "token_uri": self.url + "token",
                "scopes": SCOPE.split(),
            }
        )


_FOLDER_LABEL = {"INBOX": "INBOX", "Sent": "SENT", "Drafts": "DRAFT"}


class GmailHarness:
    """``MailboxHarness`` for Gmail: the user's side acts on the fake's state directly."""

    def __init__(self, server: FakeGmailServer, state_dir: Path) -> None:
        self.server = server
        self.fake = server.fake
        self.state_dir = state_dir
        self.account = GmailAccount(
            name="gmail-test",
            folders=("INBOX",),
            api_endpoint=server.url,
            client_secrets_file=state_dir / "client_secret.json",
        )
        self.opened: list[Mailbox] = []

    def open(self) -> Mailbox:
        from followup.mailbox.gmail import GmailMailbox

        token = self.server.token_json()
        box = GmailMailbox(self.account, self.state_dir, load_token=lambda: token)
        self.opened.append(box)
        return box

    def deliver(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> None:
        label = _FOLDER_LABEL.get(folder, folder)
        labels = {label}
        if SEEN not in flags:
            labels.add("UNREAD")
        if FLAGGED in flags:
            labels.add("STARRED")
        if label == "DRAFT":
            draft_id = self.fake.add_draft(raw)
            msg_id = self.fake.drafts[draft_id]
        else:
            msg_id = self.fake.add_message(raw, sorted(labels))
        if ANSWERED in flags:
            self.fake.messages[msg_id].extra_flags.add(ANSWERED)

    def flags(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        with self.fake.lock:
            for m in self.fake.messages.values():
                flags = set(m.extra_flags)
                if "UNREAD" not in m.labels:
                    flags.add(SEEN)
                if "STARRED" in m.labels:
                    flags.add(FLAGGED)
                if "DRAFT" in m.labels:
                    flags.add(DRAFT)
                out[m.rfc_id] = frozenset(flags)
        return out

    def drafts(self) -> list[bytes]:
        with self.fake.lock:
            return [self.fake.messages[m].raw for m in self.fake.drafts.values()]

    def edit_draft(self, message_id: str, raw: bytes) -> None:
        with self.fake.lock:
            draft_id = next(
                d for d, m in self.fake.drafts.items() if self.fake.messages[m].rfc_id == message_id
            )
        self.fake.edit_draft(draft_id, raw)

    def delete(self, folder: str, message_id: str) -> None:
        label = _FOLDER_LABEL.get(folder, folder)
        for m in self.fake.by_rfc_id(message_id):
            if label in m.labels:
                self.fake.remove_message(m.id)


@pytest.fixture
def gmail_harness(tmp_path: Path) -> Iterator[GmailHarness]:
    """A fresh fake Gmail server and the harness over it (``.server``, ``.fake``)."""
    server = FakeGmailServer.start()
    harness = GmailHarness(server, tmp_path / "gmail-state")
    yield harness
    for box in harness.opened:
        box.close()
    server.stop()
