"""The IMAP backend against servers that lack what Dovecot has (issue 12), imitated by a proxy.

Each test puts ``support.imap_quirks.QuirkProxy`` between a real ``ImapMailbox`` and a
real Dovecot, switching on one behaviour seen on Courier, Mailutils or Cyrus.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from followup.config import ImapAccount, load_config
from followup.core.errors import MailboxUnreachable, WriteRefused
from followup.mailbox.imap import ImapMailbox
from followup.mailbox.imap_parse import Cursor, DraftRef
from followup.service.idle_health import IdleHealth
from followup.service.watcher import PushWatcher
from support.configs import acme_interview, head, imap_account
from support.dovecot import DovecotServer
from support.imap_quirks import QuirkProxy, Quirks

pytestmark = pytest.mark.imap

UTC = dt.UTC
SINCE = dt.date(2026, 11, 1)
OUR_ID = "followup.acme-backend.check_in@example.com"


def draft(body: str = "Just following up.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Jordan Rivera <jordan@example.com>"
    msg["To"] = "Dana <dana@acme.com>"
    msg["Subject"] = "Re: Backend Engineer interview"
    msg["Date"] = format_datetime(dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    msg["Message-ID"] = f"<{OUR_ID}>"
    msg.set_content(body)
    return msg


def reply(n: int) -> bytes:
    return (
        f"From: Dana <dana@acme.com>\r\nTo: jordan@example.com\r\nSubject: Re: {n}\r\n"
        f"Date: {format_datetime(dt.datetime(2026, 11, 18, 10, tzinfo=UTC))}\r\n"
        f"Message-ID: <r{n}@acme.com>\r\n\r\nHello {n}\r\n"
    ).encode()


class Server:
    """One fresh Dovecot user, reached directly (the user's client) or through the proxy."""

    def __init__(self, dovecot: DovecotServer, quirks: Quirks) -> None:
        self.dovecot = dovecot
        self.user = dovecot.add_user()
        self.proxy = QuirkProxy(dovecot.port, quirks)
        self.boxes: list[ImapMailbox] = []

    def box(self, *, timeout: float = 5.0, attempts: int = 2) -> ImapMailbox:
        account = self.dovecot.account(self.user, port=self.proxy.port, timeout=timeout)
        box = ImapMailbox(account, attempts=attempts, sleep=lambda _s: None)
        self.boxes.append(box)
        return box

    def deliver(self, folder: str, raw: bytes, flags: tuple[bytes, ...] = ()) -> None:
        with self.dovecot.client(self.user) as client:
            client.append(self.dovecot.folder(folder), raw, flags=flags)

    def drafts(self) -> dict[int, frozenset[bytes]]:
        """UID → flags of every message in Drafts, read directly."""
        with self.dovecot.client(self.user) as client:
            client.select_folder("Drafts", readonly=True)
            flags = client.get_flags(client.search())
        return {uid: frozenset(f for f in fl if f != rb"\Recent") for uid, fl in flags.items()}

    def close(self) -> None:
        for box in self.boxes:
            box.close()
        self.proxy.close()


MakeServer = Callable[[Quirks], Server]


@pytest.fixture
def make(dovecot_server: DovecotServer) -> Iterator[MakeServer]:
    made: list[Server] = []

    def new(quirks: Quirks) -> Server:
        made.append(Server(dovecot_server, quirks))
        return made[-1]

    yield new
    for server in made:
        server.close()


def test_a_draft_is_stored_where_append_to_the_examined_drafts_is_refused(
    make: MakeServer,
) -> None:
    server = make(Quirks(refuse_append_to_examined=True))
    box = server.box()
    ref = box.append_draft(draft())
    assert box.find_draft(OUR_ID) == ref
    assert list(server.drafts().values()) == [frozenset({rb"\Draft"})]
    commands = server.proxy.commands
    assert commands.index("UNSELECT") < commands.index("APPEND")


def test_without_unselect_drafts_is_left_with_close_before_append(make: MakeServer) -> None:
    server = make(Quirks(refuse_append_to_examined=True, hide=frozenset({"UNSELECT"})))
    server.deliver("Drafts", reply(1), (rb"\Draft", rb"\Deleted"))  # the user's, not expunged
    box = server.box()
    box.append_draft(draft())
    assert "UNSELECT" not in server.proxy.commands
    assert server.proxy.commands.index("CLOSE") < server.proxy.commands.index("APPEND")
    assert len(server.drafts()) == 2  # CLOSE on a read-only folder expunged nothing


def test_a_refused_append_says_what_the_server_said(make: MakeServer) -> None:
    server = make(Quirks(refuse_append="[OVERQUOTA] Quota exceeded (mailbox for user is full)"))
    box = server.box()
    with pytest.raises(WriteRefused) as info:
        box.append_draft(draft())
    assert str(info.value) == (
        "the server 127.0.0.1 refused to store the draft in Drafts for account test: "
        '"[OVERQUOTA] Quota exceeded (mailbox for user is full)"'
    )
    assert server.proxy.count("APPEND") == 1  # a refusal is not retried


def test_a_dropped_draft_flag_is_set_again_on_that_one_message(make: MakeServer) -> None:
    server = make(Quirks(drop_append_flags=True))
    server.deliver("Drafts", reply(1))  # the user's own message, no flags: it must stay so
    box = server.box()
    ref = DraftRef.decode(box.append_draft(draft()))
    flags = server.drafts()
    assert flags[ref.uid] == frozenset({rb"\Draft"})
    assert [f for uid, f in flags.items() if uid != ref.uid] == [frozenset()]
    assert server.proxy.count("STORE") == 1


def test_without_uidplus_an_untouched_draft_is_kept_and_drafts_never_opened_read_write(
    make: MakeServer,
) -> None:
    server = make(Quirks(hide=frozenset({"UIDPLUS"})))
    box = server.box()
    ref = box.append_draft(draft())  # no APPENDUID: found again by its Message-ID
    assert box.find_draft(OUR_ID) == ref
    assert box.withdraw_draft(ref) == "unsupported"
    assert len(server.drafts()) == 1
    assert "SELECT" not in server.proxy.commands
    assert "UID EXPUNGE" not in server.proxy.commands and "EXPUNGE" not in server.proxy.commands


def test_without_uidplus_an_edited_or_deleted_draft_is_still_told_apart(
    make: MakeServer,
) -> None:
    server = make(Quirks(hide=frozenset({"UIDPLUS"})))
    box = server.box()
    ref = box.append_draft(draft())
    with server.dovecot.client(server.user) as client:
        client.select_folder("Drafts")
        client.delete_messages(client.search())
        client.expunge()
    assert box.withdraw_draft(ref) == "gone"


def test_condstore_without_enable_connects_and_sends_no_enable(make: MakeServer) -> None:
    server = make(Quirks(hide=frozenset({"ENABLE"})))
    box = server.box()
    assert box.folders().drafts == "Drafts"
    assert box.fetch_new("INBOX", None, SINCE).messages == ()
    assert "ENABLE" not in server.proxy.commands


def test_a_server_that_omits_uidvalidity_still_syncs_and_writes(make: MakeServer) -> None:
    server = make(Quirks(omit_uidvalidity=True))
    server.deliver("INBOX", reply(1))
    box = server.box()
    first = box.fetch_new("INBOX", None, SINCE)
    assert [m.message_id for m in first.messages] == ["r1@acme.com"]
    assert Cursor.decode(first.cursor).uidvalidity == 0  # unknown: no stored UID is trusted
    server.deliver("INBOX", reply(2))
    later = server.box()  # a new session: the stored UIDs cannot be trusted any more
    second = later.fetch_new("INBOX", first.cursor, SINCE)
    assert [m.message_id for m in second.messages] == ["r1@acme.com", "r2@acme.com"]
    assert second.reset is True  # re-matched by Message-ID: no duplicate
    ref = box.append_draft(draft())
    assert box.append_draft(draft()) == ref  # found by Message-ID, not written twice
    assert box.withdraw_draft(ref) == "withdrawn"


def test_an_idle_that_never_reports_only_times_out(make: MakeServer) -> None:
    server = make(Quirks(silent_idle=True))
    box = server.box()
    box.fetch_new("INBOX", None, SINCE)
    server.deliver("INBOX", reply(1))
    assert box.idle_wait("INBOX", 1.0) is False


def test_a_trickling_server_cannot_hold_an_operation_past_its_deadline(
    make: MakeServer,
) -> None:
    server = make(Quirks(trickle=0.4))  # one byte every 0.4 s: no single read times out
    box = server.box(timeout=1.0, attempts=4)
    started = time.monotonic()
    with pytest.raises(MailboxUnreachable, match="no complete answer within 2 s"):
        box.folders()
    assert time.monotonic() - started < 12  # 6 × timeout over all attempts, plus backoff


def test_abort_from_another_thread_ends_a_stuck_read_at_once(make: MakeServer) -> None:
    server = make(Quirks(stall_on="SEARCH"))
    box = server.box(timeout=60.0)
    box.folders()
    threading.Timer(0.5, box.abort).start()
    started = time.monotonic()
    with pytest.raises(MailboxUnreachable, match="shutting down"):
        box.find_draft(OUR_ID)
    assert time.monotonic() - started < 5


def test_idle_watches_every_watched_folder_not_only_the_first(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    with dovecot_server.client(user) as client:
        client.create_folder("Jobs")
    path = tmp_path / "config.toml"
    path.write_text(
        head(tmp_path / "state")
        + imap_account(dovecot_server.port, user, f"printf %s {dovecot_server.password(user)}")
        + 'folders = ["INBOX", "Jobs"]\n\n'
        + acme_interview(),
        encoding="utf-8",
    )
    config = load_config(path)
    (account,) = config.accounts
    assert isinstance(account, ImapAccount)
    told = threading.Event()
    health = IdleHealth(account.name)
    watchers = [
        PushWatcher(config, account, lambda _n: told.set(), folder_index=i, health=health)
        for i in range(2)
    ]
    for watcher in watchers:
        watcher.start()
    try:
        time.sleep(1.5)  # both are in IDLE now
        with dovecot_server.client(user) as client:
            client.append("Jobs", reply(1))
        assert told.wait(10), "mail in the second watched folder was not announced"
    finally:
        for watcher in watchers:
            watcher.abort()
