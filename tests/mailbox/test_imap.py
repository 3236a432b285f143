"""The IMAP backend against a real Dovecot (started by the fixtures in support.dovecot)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from followup.core.errors import AuthError, MailboxUnreachable
from followup.core.model import MessageMeta
from followup.mailbox import Mailbox
from followup.mailbox.imap import ImapMailbox
from followup.mailbox.imap_parse import Cursor
from support.dovecot import (
    DovecotServer,
    _free_port,
    dovecot_dotted_fixture,  # noqa: F401 - the dovecot_dotted fixture
)

pytestmark = pytest.mark.imap

UTC = dt.UTC
SINCE = dt.date(2026, 11, 1)


def raw_mail(
    n: int | str, *, sender: str = "dana@acme.com", date: dt.datetime | None = None
) -> bytes:
    when = date or dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    return (
        f"From: Dana <{sender}>\r\nTo: jordan@example.com\r\nSubject: Message {n}\r\n"
        f"Date: {format_datetime(when)}\r\nMessage-ID: <m{n}@acme.com>\r\n\r\n"
        f"Hello {n}, thanks for interviewing with Acme Corp.\r\n"
    ).encode()


def deliver(
    server: DovecotServer,
    user: str,
    folder: str,
    raw: bytes,
    flags: tuple[bytes, ...] = (),
    when: dt.datetime | None = None,
) -> None:
    with server.client(user) as client:
        client.append(
            server.folder(folder),
            raw,
            flags=flags,
            msg_time=when or dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
        )


def all_flags(server: DovecotServer, user: str) -> dict[tuple[str, int], frozenset[bytes]]:
    out = {}
    with server.client(user) as client:
        for folder in ("INBOX", "Sent", "Drafts"):
            name = server.folder(folder)
            client.select_folder(name, readonly=True)
            for uid, data in client.fetch(client.search(), ["FLAGS"]).items():
                out[(name, uid)] = frozenset(f for f in data[b"FLAGS"] if f != rb"\Recent")
    return out


def draft(stage: str = "check_in", *, body: str = "Just following up.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Jordan Rivera <jordan@example.com>"
    msg["To"] = "Dana <dana@acme.com>"
    msg["Subject"] = "Re: Backend Engineer interview"
    msg["Date"] = format_datetime(
        dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    )
    msg["Message-ID"] = f"<followup.acme-backend.{stage}@example.com>"
    msg.set_content(body)
    return msg


@pytest.fixture
def user(dovecot_server: DovecotServer) -> str:
    return dovecot_server.add_user()


@pytest.fixture
def mailbox(dovecot_server: DovecotServer, user: str) -> Iterator[ImapMailbox]:
    box = ImapMailbox(dovecot_server.account(user, folders=("INBOX",)), sleep=lambda _: None)
    yield box
    box.close()


def test_backend_satisfies_the_mailbox_protocol(mailbox: ImapMailbox) -> None:
    assert isinstance(mailbox, Mailbox)


def test_fetching_leaves_every_flag_of_existing_mail_unchanged(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    deliver(dovecot_server, user, "INBOX", raw_mail(1), (rb"\Seen",))
    deliver(dovecot_server, user, "INBOX", raw_mail(2), (rb"\Flagged",))
    deliver(dovecot_server, user, "INBOX", raw_mail(3))
    deliver(
        dovecot_server,
        user,
        "Sent",
        raw_mail(4, sender="jordan@example.com"),
        (rb"\Seen", rb"\Answered"),
    )
    before = all_flags(dovecot_server, user)
    info = mailbox.folders()
    first = mailbox.fetch_new("INBOX", None, SINCE)
    mailbox.fetch_new(info.sent or "", None, SINCE)
    mailbox.fetch_new("INBOX", first.cursor, SINCE)
    mailbox.find_draft("nothing@example.com")
    assert [m.message_id for m in first.messages] == ["m1@acme.com", "m2@acme.com", "m3@acme.com"]
    assert all_flags(dovecot_server, user) == before
    assert before[("INBOX", 3)] == frozenset()  # still unseen


def test_folders_are_found_by_special_use(mailbox: ImapMailbox) -> None:
    info = mailbox.folders()
    assert (info.watched, info.sent, info.drafts) == (("INBOX",), "Sent", "Drafts")


def test_drafts_are_found_under_an_inbox_prefix_with_dot_separator_and_non_ascii_name(
    dovecot_dotted: DovecotServer,
) -> None:
    user = dovecot_dotted.add_user()
    box = ImapMailbox(dovecot_dotted.account(user))
    try:
        info = box.folders()
        assert info.drafts == "INBOX.Entwürfe"
        assert info.sent == "INBOX.Gesendet"
        ref = box.append_draft(draft())
        assert box.find_draft("followup.acme-backend.check_in@example.com") == ref
        result = box.fetch_new(info.sent, None, SINCE)
        assert result.messages == ()
    finally:
        box.close()
    with dovecot_dotted.client(user) as client:
        client.select_folder("INBOX.Entwürfe", readonly=True)
        flags = client.get_flags(client.search())
    assert [rb"\Draft" in f for f in flags.values()] == [True]


def test_configured_folders_resolve_without_prefix_and_with_slash_separator(
    dovecot_dotted: DovecotServer,
) -> None:
    user = dovecot_dotted.add_user()
    with dovecot_dotted.client(user) as client:
        client.create_folder("INBOX.Jobs")
        client.create_folder("INBOX.Jobs.Acme")
    account = dovecot_dotted.account(
        user, folders=("INBOX", "Jobs/Acme"), drafts_folder="Entwürfe", sent_folder="gesendet"
    )
    box = ImapMailbox(account)
    try:
        info = box.folders()
    finally:
        box.close()
    assert info.watched == ("INBOX", "INBOX.Jobs.Acme")
    assert (info.drafts, info.sent) == ("INBOX.Entwürfe", "INBOX.Gesendet")


def test_a_configured_folder_that_does_not_exist_is_one_clear_error(
    dovecot_server: DovecotServer, user: str
) -> None:
    box = ImapMailbox(dovecot_server.account(user, drafts_folder="Brouillons"))
    with pytest.raises(
        MailboxUnreachable,
        match=r"the folder 'Brouillons' \(drafts_folder of account test\) does not exist",
    ):
        box.folders()
    box.close()


def test_a_draft_is_appended_with_the_draft_flag_and_its_date(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    ref = mailbox.append_draft(draft())
    assert mailbox.find_draft("<followup.acme-backend.check_in@example.com>") == ref
    with dovecot_server.client(user) as client:
        client.normalise_times = False
        client.select_folder("Drafts", readonly=True)
        data = client.fetch(client.search(), ["FLAGS", "INTERNALDATE", "BODY.PEEK[]"])
    (entry,) = data.values()
    assert rb"\Draft" in entry[b"FLAGS"]
    assert rb"\Seen" not in entry[b"FLAGS"]
    assert entry[b"INTERNALDATE"] == dt.datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert b"Message-ID: <followup.acme-backend.check_in@example.com>" in entry[b"BODY[]"]


def test_append_after_a_crash_finds_the_existing_draft_and_writes_exactly_one(
    dovecot_server: DovecotServer, user: str
) -> None:
    account = dovecot_server.account(user)
    first = ImapMailbox(account)
    ref = first.append_draft(draft())
    first._conn.drop()  # the process "crashes" before its bookkeeping: no logout
    second = ImapMailbox(account)
    try:
        assert second.append_draft(draft()) == ref
        assert second.append_draft(draft()) == ref
    finally:
        second.close()
    with dovecot_server.client(user) as client:
        client.select_folder("Drafts", readonly=True)
        assert len(client.search()) == 1


def test_withdraw_removes_only_our_unchanged_draft(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    # The user has their own draft marked \Deleted but not expunged: it must survive.
    deliver(dovecot_server, user, "Drafts", raw_mail("own"), (rb"\Draft", rb"\Deleted"))
    deliver(dovecot_server, user, "Drafts", raw_mail("other"), (rb"\Draft",))
    ref = mailbox.append_draft(draft())
    assert mailbox.withdraw_draft(ref) == "withdrawn"
    assert mailbox.find_draft("followup.acme-backend.check_in@example.com") is None
    with dovecot_server.client(user) as client:
        client.select_folder("Drafts", readonly=True)
        left = client.fetch(client.search(), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    ids = sorted(v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip() for v in left.values())
    assert ids == [b"Message-ID: <mother@acme.com>", b"Message-ID: <mown@acme.com>"]
    assert mailbox.withdraw_draft(ref) == "gone"


def test_withdraw_reports_gone_when_the_user_deleted_the_draft(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    ref = mailbox.append_draft(draft())
    with dovecot_server.client(user) as client:
        client.select_folder("Drafts")
        client.delete_messages(client.search())
        client.expunge()
    assert mailbox.withdraw_draft(ref) == "gone"


def test_first_sync_is_bounded_by_since(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    old = dt.datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    for n in range(5):
        deliver(dovecot_server, user, "INBOX", raw_mail(f"old{n}", date=old), when=old)
    deliver(dovecot_server, user, "INBOX", raw_mail("new"))
    result = mailbox.fetch_new("INBOX", None, SINCE)
    assert [m.message_id for m in result.messages] == ["mnew@acme.com"]
    assert Cursor.decode(result.cursor).last_uid == 6
    assert result.reset is False


def test_later_polls_return_only_new_mail_and_nothing_when_none_arrived(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    deliver(dovecot_server, user, "INBOX", raw_mail(1))
    first = mailbox.fetch_new("INBOX", None, SINCE)
    deliver(dovecot_server, user, "INBOX", raw_mail(2))
    second = mailbox.fetch_new("INBOX", first.cursor, SINCE)
    assert [m.message_id for m in second.messages] == ["m2@acme.com"]
    assert second.messages[0].uid == "2"
    third = mailbox.fetch_new("INBOX", second.cursor, SINCE)
    assert third.messages == ()
    assert third.cursor == second.cursor


def test_a_poll_without_new_mail_costs_one_command_per_folder(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    deliver(dovecot_server, user, "INBOX", raw_mail(1))
    info = mailbox.folders()
    cursors = {f: mailbox.fetch_new(f, None, SINCE).cursor for f in ("INBOX", info.sent or "")}
    before = mailbox.meter.snapshot()
    for folder, cursor in cursors.items():
        assert mailbox.fetch_new(folder, cursor, SINCE).messages == ()
    after = mailbox.meter.snapshot()
    assert after[0] - before[0] == 2  # one EXAMINE per folder, no SEARCH, no FETCH
    assert after[1] - before[1] < 200


def test_a_poll_with_new_mail_costs_two_commands(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    cursor = mailbox.fetch_new("INBOX", None, SINCE).cursor
    deliver(dovecot_server, user, "INBOX", raw_mail(1))
    before = mailbox.meter.commands
    assert len(mailbox.fetch_new("INBOX", cursor, SINCE).messages) == 1
    assert mailbox.meter.commands - before == 2  # EXAMINE, UID FETCH n:*


def test_a_changed_uidvalidity_resets_the_cursor(dovecot_server: DovecotServer, user: str) -> None:
    with dovecot_server.client(user) as client:
        client.create_folder("Jobs")
    deliver(dovecot_server, user, "Jobs", raw_mail(1))
    box = ImapMailbox(dovecot_server.account(user, folders=("Jobs",)))
    try:
        first = box.fetch_new("Jobs", None, SINCE)
        with dovecot_server.client(user) as client:
            client.delete_folder("Jobs")
            time.sleep(1.1)  # UIDVALIDITY is time-based
            client.create_folder("Jobs")
        deliver(dovecot_server, user, "Jobs", raw_mail(1))
        deliver(dovecot_server, user, "Jobs", raw_mail(2))
        second = box.fetch_new("Jobs", first.cursor, SINCE)
    finally:
        box.close()
    assert Cursor.decode(second.cursor).uidvalidity != Cursor.decode(first.cursor).uidvalidity
    assert second.reset is True
    assert [m.message_id for m in second.messages] == ["m1@acme.com", "m2@acme.com"]


def test_an_unreadable_cursor_means_a_fresh_sync_with_a_warning(mailbox: ImapMailbox) -> None:
    result = mailbox.fetch_new("INBOX", "garbage", SINCE)
    assert result.reset is True
    assert result.warnings == ("the stored sync cursor was unreadable; synced from scratch",)


def test_only_the_mail_the_engine_asks_for_gets_a_bounded_body_excerpt(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    deliver(
        dovecot_server,
        user,
        "INBOX",
        raw_mail("ats", sender="no-reply@greenhouse.io")[:-2] + b"x" * 9000 + b"\r\n",
    )
    deliver(dovecot_server, user, "INBOX", raw_mail("person"))
    fetched = mailbox.fetch_new("INBOX", None, SINCE, from_greenhouse)
    messages = {m.message_id: m for m in fetched.messages}
    ats, person = messages["mats@acme.com"], messages["mperson@acme.com"]
    assert ats.body_excerpt.startswith("Hello ats, thanks for interviewing with Acme Corp.")
    assert len(ats.body_excerpt) <= 4096
    assert person.body_excerpt == ""
    assert person.sender is not None and person.sender.email == "dana@acme.com"


def test_a_malformed_message_is_skipped_with_a_warning(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    deliver(
        dovecot_server, user, "INBOX", b"X-Nothing-We-Read: 1\r\n\r\nno useful header at all\r\n"
    )
    deliver(dovecot_server, user, "INBOX", raw_mail(2))
    result = mailbox.fetch_new("INBOX", None, SINCE)
    assert [m.message_id for m in result.messages] == ["m2@acme.com"]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("UID 1: skipped a malformed message")
    assert Cursor.decode(result.cursor).last_uid == 2


def test_wrong_password_is_one_clear_auth_error(dovecot_server: DovecotServer, user: str) -> None:
    box = ImapMailbox(dovecot_server.account(user, password_command="printf wrong"))
    with pytest.raises(AuthError) as info:
        box.folders()
    assert str(info.value) == (  # the hint names the source in use, not `followup auth`
        f"the server at 127.0.0.1 refused the login for {user} ([AUTHENTICATIONFAILED] "
        "Authentication failed.); check what password_command of account test prints"
    )
    box.close()


def test_a_failing_password_command_is_an_auth_error_for_that_account(
    dovecot_server: DovecotServer, user: str
) -> None:
    box = ImapMailbox(
        dovecot_server.account(user, password_command="echo vault sealed >&2; exit 3")
    )
    with pytest.raises(AuthError, match="vault sealed"):
        box.folders()


def test_an_unreachable_server_is_retried_with_backoff_then_reported(
    dovecot_server: DovecotServer, user: str
) -> None:
    delays: list[float] = []
    account = dovecot_server.account(user, port=_free_port())
    box = ImapMailbox(account, attempts=4, sleep=delays.append)
    with pytest.raises(MailboxUnreachable, match=r"could not be reached after 4 attempts"):
        box.folders()
    assert len(delays) == 3
    assert 0.25 <= delays[0] <= 0.5 and 0.5 <= delays[1] <= 1.0 and 1.0 <= delays[2] <= 2.0


def test_the_backend_reconnects_after_the_server_restarts() -> None:
    server = DovecotServer()
    try:
        user = server.add_user()
        deliver(server, user, "INBOX", raw_mail(1))
        box = ImapMailbox(server.account(user), sleep=lambda _: time.sleep(0.2))
        first = box.fetch_new("INBOX", None, SINCE)
        server.restart()
        deliver(server, user, "INBOX", raw_mail(2))
        second = box.fetch_new("INBOX", first.cursor, SINCE)
        assert [m.message_id for m in second.messages] == ["m2@acme.com"]
        assert box._conn.connects == 2
        box.close()
        box.close()  # idempotent
    finally:
        server.close()


def test_tls_is_refused_unless_tls_ca_file_trusts_the_certificate(
    dovecot_server: DovecotServer, user: str
) -> None:
    plain = dovecot_server.account(user, security="tls", port=dovecot_server.tls_port)
    box = ImapMailbox(plain)
    with pytest.raises(MailboxUnreachable, match="set tls_ca_file for account test"):
        box.folders()
    trusted = dovecot_server.account(
        user, security="tls", port=dovecot_server.tls_port, tls_ca_file=dovecot_server.cert_file
    )
    box = ImapMailbox(trusted)
    try:
        assert box.folders().drafts == "Drafts"
    finally:
        box.close()


def test_starttls_upgrades_and_verifies_the_certificate(
    dovecot_server: DovecotServer, user: str
) -> None:
    box = ImapMailbox(dovecot_server.account(user, security="starttls"))
    with pytest.raises(MailboxUnreachable, match="tls_ca_file"):
        box.folders()
    box = ImapMailbox(
        dovecot_server.account(user, security="starttls", tls_ca_file=dovecot_server.cert_file)
    )
    try:
        assert box.fetch_new("INBOX", None, SINCE).messages == ()
    finally:
        box.close()


def test_logs_never_show_the_password_or_login_line(
    dovecot_server: DovecotServer, caplog: pytest.LogCaptureFixture
) -> None:
    user = dovecot_server.add_user()
    secret = dovecot_server.password(user)
    caplog.set_level(logging.DEBUG)
    box = ImapMailbox(dovecot_server.account(user))
    try:
        box.fetch_new("INBOX", None, SINCE)
    finally:
        box.close()
    assert "EXAMINE" in caplog.text  # imapclient's command log was captured
    assert secret not in caplog.text
    assert all(
        "LOGIN" not in r.getMessage() or "REDACTED" in r.getMessage() for r in caplog.records
    )


def test_idle_wait_returns_true_when_mail_arrives_and_false_on_timeout(
    dovecot_server: DovecotServer, user: str, mailbox: ImapMailbox
) -> None:
    assert mailbox.idle_wait("INBOX", 0.3) is False
    timer = threading.Timer(0.3, deliver, (dovecot_server, user, "INBOX", raw_mail(1)))
    timer.start()
    started = time.monotonic()
    try:
        assert mailbox.idle_wait("INBOX", 10) is True
    finally:
        timer.join()
    assert time.monotonic() - started < 5
    assert len(mailbox.fetch_new("INBOX", None, SINCE).messages) == 1


def from_greenhouse(meta: MessageMeta) -> bool:
    return meta.sender is not None and meta.sender.domain == "greenhouse.io"
