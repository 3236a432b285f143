"""``MailboxHarness`` for the in-memory backend: the user's side edits its store directly."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from followup.core.parsing import parse_message
from followup.mailbox.memory import MemoryMailbox, StoredMail


class MemoryHarness:
    def __init__(self) -> None:
        self.box = MemoryMailbox("memory-test", watched=("INBOX",), sent="Sent", drafts="Drafts")

    def open(self) -> MemoryMailbox:
        return self.box  # one store: every "connection" sees the same mail

    def deliver(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> None:
        self.box.deliver(folder, raw, set(flags))

    def _find(self, folder: str, message_id: str) -> tuple[int, StoredMail]:
        for key, mail in self.box.store[folder].items():
            if parse_message(mail.raw, body_limit=0).message_id == message_id:
                return key, mail
        raise AssertionError(f"{message_id} not in {folder}")

    def flags(self) -> dict[str, frozenset[str]]:
        return {
            parse_message(mail.raw, body_limit=0).message_id: frozenset(mail.flags)
            for folder in self.box.store.values()
            for mail in folder.values()
        }

    def drafts(self) -> list[bytes]:
        return [mail.raw for mail in self.box.store["Drafts"].values()]

    def delete(self, folder: str, message_id: str) -> None:
        key, _ = self._find(folder, message_id)
        del self.box.store[folder][key]

    def edit_draft(self, message_id: str, raw: bytes) -> None:
        _, mail = self._find("Drafts", message_id)
        mail.raw = raw


@pytest.fixture
def memory_harness() -> MemoryHarness:
    return MemoryHarness()
