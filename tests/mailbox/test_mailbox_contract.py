"""One contract, every backend: memory, Maildir, IMAP, Gmail (real client, fake server).

IMAP runs against three servers: Dovecot, pymap (no NAMESPACE, SPECIAL-USE, CONDSTORE or
ENABLE), and Dovecot behind a proxy that refuses APPEND to an EXAMINEd mailbox, drops
APPEND flags and hides ENABLE and UNSELECT, as Courier and Mailutils do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from followup.core.parsing import parse_message
from followup.mailbox import Mailbox
from support.harness import DRAFT, FLAGGED, SEEN, MailboxHarness
from support.messages import mail

UTC = dt.UTC
SINCE = dt.date(2026, 11, 1)


def draft(
    mid: str, body: str = "Hi Dana,\n\nI wanted to follow up — Jordan Rivera\n"
) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Jordan Rivera <jordan@example.com>"
    m["To"] = "Dana Whitfield <dana@acme.example>"
    m["Subject"] = "Re: Hello"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    m["Message-ID"] = f"<{mid}>"
    m["In-Reply-To"] = "<a1@acme.example>"
    m["References"] = "<a1@acme.example>"
    m.set_content(body)
    return m


@pytest.fixture
def box(harness: MailboxHarness) -> Iterator[Mailbox]:
    mailbox = harness.open()
    yield mailbox
    mailbox.close()


def ids(result_messages: object) -> set[str]:
    return {m.message_id for m in result_messages}  # type: ignore[attr-defined]


class TestMailboxContract:
    def test_it_implements_the_protocol_and_finds_its_folders(self, box: Mailbox) -> None:
        assert isinstance(box, Mailbox)
        info = box.folders()
        assert info.watched and info.drafts and info.sent

    def test_first_fetch_returns_messages_since_the_window_and_not_older_ones(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        harness.deliver("INBOX", mail("old@acme.example", dt.datetime(2026, 9, 1, 12, tzinfo=UTC)))
        harness.deliver(
            "INBOX", mail("new@acme.example", dt.datetime(2026, 11, 20, 12, tzinfo=UTC))
        )
        result = box.fetch_new(box.folders().watched[0], None, SINCE)
        assert ids(result.messages) == {"new@acme.example"}
        meta = result.messages[0]
        assert meta.sender is not None and meta.sender.email == "dana@acme.example"
        assert meta.date == dt.datetime(2026, 11, 20, 12, tzinfo=UTC)

    def test_a_second_fetch_with_the_cursor_returns_only_what_is_new(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        inbox = box.folders().watched[0]
        harness.deliver("INBOX", mail("m1@acme.example", dt.datetime(2026, 11, 20, tzinfo=UTC)))
        first = box.fetch_new(inbox, None, SINCE)
        assert ids(first.messages) == {"m1@acme.example"}
        again = box.fetch_new(inbox, first.cursor, SINCE)
        assert ids(again.messages) == set()
        harness.deliver("INBOX", mail("m2@acme.example", dt.datetime(2026, 11, 21, tzinfo=UTC)))
        later = box.fetch_new(inbox, again.cursor, SINCE)
        assert ids(later.messages) == {"m2@acme.example"}

    def test_the_sent_folder_is_readable_like_any_other(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        harness.deliver(
            "Sent",
            mail(
                "s1@example.com",
                dt.datetime(2026, 11, 16, tzinfo=UTC),
                sender="Jordan <jordan@example.com>",
                to="dana@acme.example",
            ),
            flags=["seen"],
        )
        sent = box.folders().sent
        assert sent is not None
        assert ids(box.fetch_new(sent, None, SINCE).messages) == {"s1@example.com"}

    def test_reading_never_changes_a_flag(self, harness: MailboxHarness, box: Mailbox) -> None:
        harness.deliver("INBOX", mail("unseen@acme.example", dt.datetime(2026, 11, 20, tzinfo=UTC)))
        harness.deliver(
            "INBOX", mail("seen@acme.example", dt.datetime(2026, 11, 20, tzinfo=UTC)), flags=[SEEN]
        )
        harness.deliver(
            "INBOX",
            mail("star@acme.example", dt.datetime(2026, 11, 20, tzinfo=UTC)),
            flags=[SEEN, FLAGGED],
        )
        before = harness.flags()
        inbox = box.folders().watched[0]
        result = box.fetch_new(inbox, None, SINCE)
        box.fetch_new(inbox, result.cursor, SINCE)
        box.find_draft("nothing@example.com")
        assert harness.flags() == before
        assert SEEN not in before["unseen@acme.example"]

    def test_an_appended_draft_is_flagged_as_draft_and_found_by_message_id(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        assert box.find_draft("followup.check_in.x@example.com") is None
        ref = box.append_draft(draft("followup.check_in.x@example.com"))
        assert ref
        assert box.find_draft("followup.check_in.x@example.com") is not None
        assert DRAFT in harness.flags()["followup.check_in.x@example.com"]
        (raw,) = harness.drafts()
        assert b"I wanted to follow up" in raw

    def test_withdrawing_an_unchanged_draft_removes_only_that_draft(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        harness.deliver(
            "Drafts",
            mail("users-own-draft@example.com", dt.datetime(2026, 11, 20, tzinfo=UTC)),
            flags=[DRAFT],
        )
        ref = box.append_draft(draft("followup.closure.y@example.com"))
        assert box.withdraw_draft(ref) == "withdrawn"
        assert box.find_draft("followup.closure.y@example.com") is None
        assert box.find_draft("users-own-draft@example.com") is not None
        assert box.withdraw_draft(ref) == "gone"

    def test_a_draft_the_user_edited_is_never_withdrawn(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        ref = box.append_draft(draft("followup.check_in.e@example.com"))
        edited = draft("followup.check_in.e@example.com", body="Hi Dana, a short note of my own.")
        harness.edit_draft("followup.check_in.e@example.com", edited.as_bytes())
        assert box.withdraw_draft(ref) == "changed"
        (kept,) = harness.drafts()
        assert b"a short note of my own" in kept

    def test_only_the_messages_asked_for_carry_a_bounded_text_excerpt(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        when = dt.datetime(2026, 11, 20, 12, tzinfo=UTC)
        long_body = "Thanks for interviewing with Acme Corp.\n" + "and more words " * 1000
        harness.deliver(
            "INBOX",
            mail("ats@greenhouse.io", when, sender="no-reply@greenhouse.io", body=long_body),
        )
        harness.deliver("INBOX", mail("dana-1@acme.example", when))
        inbox = box.folders().watched[0]
        result = box.fetch_new(inbox, None, SINCE, lambda m: m.message_id == "ats@greenhouse.io")
        by_id = {m.message_id: m for m in result.messages}
        excerpt = by_id["ats@greenhouse.io"].body_excerpt
        assert excerpt.startswith("Thanks for interviewing with Acme Corp.")
        assert 1000 < len(excerpt) <= 4096
        assert by_id["dana-1@acme.example"].body_excerpt == ""

    def test_every_backend_hands_the_rules_the_text_explain_reads_from_the_file(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        raw = rich_message()
        harness.deliver("INBOX", raw)
        inbox = box.folders().watched[0]
        (fetched,) = box.fetch_new(inbox, None, SINCE, lambda m: True).messages
        again = box.fetch_text(inbox, [fetched.uid])[fetched.uid]
        from_file = parse_message(raw, folder="explain", uid="file")
        for meta in (fetched, again):
            assert meta.body_excerpt == from_file.body_excerpt
            assert meta.calendar == from_file.calendar
        assert "Wir freuen uns" in fetched.body_excerpt and "<" not in fetched.body_excerpt
        assert "METHOD:REQUEST" in fetched.calendar

    def test_a_draft_reads_back_as_stored_until_it_is_deleted(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        ref = box.append_draft(draft("followup.thank_you.r@example.com"))
        raw = box.read_draft(ref)
        assert raw is not None and b"I wanted to follow up" in raw
        harness.delete("Drafts", "followup.thank_you.r@example.com")
        assert box.read_draft(ref) is None

    def test_a_draft_the_user_deleted_is_reported_gone(
        self, harness: MailboxHarness, box: Mailbox
    ) -> None:
        ref = box.append_draft(draft("followup.thank_you.z@example.com"))
        harness.delete("Drafts", "followup.thank_you.z@example.com")
        assert box.withdraw_draft(ref) == "gone"
        assert harness.drafts() == []


def rich_message() -> bytes:
    """HTML only (base64, ISO-8859-1) with an invitation: the text sits far from the start."""
    m = EmailMessage()
    m["From"] = "Dana Whitfield <dana@acme.example>"
    m["To"] = "Jordan Rivera <jordan@example.com>"
    m["Subject"] = "Einladung: zweites Gespräch"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 20, 12, tzinfo=UTC))
    m["Message-ID"] = "<rich@acme.example>"
    html = (
        "<html><head><style>p { color: red }</style></head><body>"
        + "<p>Hallo Jordan,</p><p>Wir freuen uns, Sie zum zweiten Gespräch einzuladen.</p>"
        + "<div>"
        + "&nbsp;" * 300
        + "</div><p>Viele Grüße<br>Dana</p></body></html>"
    )
    m.set_content(html, subtype="html", charset="iso-8859-1", cte="base64")
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "DTSTART:20261201T140000Z\r\nSUMMARY:Zweites Gespräch\r\n"
        "ORGANIZER:mailto:dana@acme.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    m.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"}, cte="base64")
    return m.as_bytes()
