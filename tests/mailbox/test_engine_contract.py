"""The engine's promises on every backend: a draft the user changed is never taken back.

Each test runs the real engine over one backend (memory, Maildir, Dovecot, fake Gmail)
with the user's side played by the harness, as their mail client would.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.config import Config, parse_config
from followup.core.errors import MailboxUnreachable
from followup.engine import CycleReport, run_once
from followup.mailbox import Mailbox
from followup.store import Store
from support.configs import acme_interview, head
from support.harness import MailboxHarness
from support.messages import DANA, ME, mail

NY = ZoneInfo("America/New_York")
DUE = dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY)  # promise Fri 11-20 + 4 business days
LATER = dt.datetime(2026, 11, 27, 15, 0, tzinfo=NY)
REPLY_AT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=NY)


def config(state: Path) -> Config:
    text = (
        head(state, stages=["check_in"])
        + '[[accounts]]\nname = "box"\ntype = "maildir"\npath = "/unused"\n\n'
        + acme_interview()
    )
    return parse_config(text, state / "config.toml")


def conversation(harness: MailboxHarness) -> None:
    """The user's thank-you note on the interview day: the thread the check-in joins."""
    thanks = mail("ty@example.com", dt.datetime(2026, 11, 16, 18, tzinfo=NY), sender=ME, to=DANA)
    harness.deliver("Sent", thanks, flags=["seen"])


def cycle(box: Mailbox, state: Path, now: dt.datetime) -> CycleReport:
    store = Store.in_dir(state)
    try:
        return run_once(config(state), {"box": box}, store, now)
    finally:
        store.close()


def our_draft(harness: MailboxHarness) -> bytes:
    (raw,) = harness.drafts()
    return raw


def edited(raw: bytes) -> bytes:
    """What the user's client saves after they rewrote the text."""
    msg = message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    new = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Date"):
        if msg[name] is not None:
            new[name] = str(msg[name])
    new.set_content("Hi Dana, just a short note in my own words.\n")
    return new.as_bytes()


def message_id(raw: bytes) -> str:
    return str(message_from_bytes(raw)["Message-ID"]).strip("<>")


class _LostAfterAppend:
    """The connection drops right after the server stored the draft, before we hear back."""

    def __init__(self, box: Mailbox) -> None:
        self._box = box
        self.account = box.account

    def __getattr__(self, name: str) -> object:
        return getattr(self._box, name)

    def append_draft(self, message: EmailMessage) -> str:
        self._box.append_draft(message)
        raise MailboxUnreachable("the connection dropped after the APPEND")


class TestEditedDraftsAreNeverWithdrawn:
    def test_after_a_state_rebuild_an_edited_draft_survives_the_reply(
        self, harness: MailboxHarness, tmp_path: Path
    ) -> None:
        conversation(harness)
        box = harness.open()
        assert [a.outcome for a in cycle(box, tmp_path / "state", DUE).actions] == ["drafted"]
        raw = our_draft(harness)
        harness.edit_draft(message_id(raw), edited(raw))
        # The state database is lost and rebuilt from the mailbox.
        rebuilt = tmp_path / "rebuilt"
        report = cycle(box, rebuilt, DUE + dt.timedelta(minutes=5))
        assert [a.outcome for a in report.actions] == ["kept"], report.actions
        harness.deliver("INBOX", mail("reply@acme.example", REPLY_AT, in_reply_to="ty@example.com"))
        cycle(box, rebuilt, LATER)
        assert b"in my own words" in our_draft(harness)
        box.close()

    def test_after_a_state_rebuild_an_untouched_draft_is_still_ours(
        self, harness: MailboxHarness, tmp_path: Path
    ) -> None:
        conversation(harness)
        box = harness.open()
        cycle(box, tmp_path / "state", DUE)
        rebuilt = tmp_path / "rebuilt"
        report = cycle(box, rebuilt, DUE + dt.timedelta(minutes=5))
        assert [a.outcome for a in report.actions] == ["found-existing"], report.actions
        harness.deliver("INBOX", mail("reply@acme.example", REPLY_AT, in_reply_to="ty@example.com"))
        report = cycle(box, rebuilt, LATER)
        assert [a.outcome for a in report.actions] == ["withdrawn"], report.actions
        assert harness.drafts() == []
        box.close()

    def test_an_interrupted_draft_the_user_edited_survives_the_reply(
        self, harness: MailboxHarness, tmp_path: Path
    ) -> None:
        conversation(harness)
        box = harness.open()
        state = tmp_path / "state"
        report = cycle(_LostAfterAppend(box), state, DUE)  # type: ignore[arg-type]
        assert [a.outcome for a in report.actions] == ["failed"]
        raw = our_draft(harness)
        harness.edit_draft(message_id(raw), edited(raw))
        harness.deliver("INBOX", mail("reply@acme.example", REPLY_AT, in_reply_to="ty@example.com"))
        report = cycle(box, state, LATER)
        assert [a.outcome for a in report.actions] == ["kept"], report.actions
        assert b"in my own words" in our_draft(harness)
        box.close()

    def test_an_interrupted_untouched_draft_is_withdrawn_when_the_reply_comes(
        self, harness: MailboxHarness, tmp_path: Path
    ) -> None:
        conversation(harness)
        box = harness.open()
        state = tmp_path / "state"
        cycle(_LostAfterAppend(box), state, DUE)  # type: ignore[arg-type]
        harness.deliver("INBOX", mail("reply@acme.example", REPLY_AT, in_reply_to="ty@example.com"))
        report = cycle(box, state, LATER)
        assert [a.outcome for a in report.actions] == ["withdrawn"], report.actions
        assert harness.drafts() == []
        box.close()
