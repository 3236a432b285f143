"""The harness every backend provides to the shared ``Mailbox`` contract test."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pytest

from followup.mailbox import Mailbox

# Flags are normalised to these lower-case words whatever the backend calls them.
SEEN, FLAGGED, DRAFT, ANSWERED = "seen", "flagged", "draft", "answered"


class MailboxHarness(Protocol):
    """Drives one backend from the outside, as the user's mail client would."""

    def open(self) -> Mailbox:
        """A fresh ``Mailbox`` for the test account (watched: INBOX, Sent, Drafts)."""
        ...

    def deliver(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> None:
        """Put a message into ``folder`` ("INBOX", "Sent" or "Drafts") with normalised flags."""
        ...

    def flags(self) -> dict[str, frozenset[str]]:
        """Message-ID (no brackets) → normalised flags, for every message in every folder."""
        ...

    def drafts(self) -> list[bytes]:
        """The raw bytes of every message in Drafts."""
        ...

    def delete(self, folder: str, message_id: str) -> None:
        """Remove a message as the user would (e.g. they deleted our draft)."""
        ...

    def edit_draft(self, message_id: str, raw: bytes) -> None:
        """Save a new version of a draft, as the user's mail client does after an edit."""
        ...


# IMAP three times: Dovecot, pymap, and Dovecot behind the Courier-like quirk proxy.
BACKENDS = ("memory", "maildir", "imap", "pymap", "imap_quirks", "gmail")


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest) -> MailboxHarness:
    """Each backend in turn: a test that takes ``harness`` runs once per backend."""
    h: MailboxHarness = request.getfixturevalue(f"{request.param}_harness")
    return h
