"""An in-memory ``Mailbox``: the contract's reference backend, for tests and benchmarks.

It behaves like a careful server: reading never changes a flag, a draft is found by its
Message-ID, and withdrawing removes a draft only if its bytes are exactly as appended.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from followup.core.errors import MailboxUnreachable, MalformedMessage
from followup.core.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome
from followup.core.parsing import parse_message
from followup.core.text import bare_id
from followup.mailbox.protocol import TextWanted, no_text


@dataclass
class StoredMail:
    """One message as the memory store keeps it."""

    raw: bytes
    flags: set[str] = field(default_factory=set)


class MemoryMailbox:
    """Folders of raw messages keyed by a growing number; the cursor is the last number seen."""

    def __init__(
        self,
        account: str = "memory",
        *,
        watched: tuple[str, ...] = ("INBOX",),
        sent: str | None = "Sent",
        drafts: str = "Drafts",
    ) -> None:
        self.account = account
        self.info = FolderInfo(watched=watched, sent=sent, drafts=drafts)
        names = (*watched, *([sent] if sent else []), drafts)
        self.store: dict[str, dict[int, StoredMail]] = {name: {} for name in names}
        self._keys = itertools.count(1)
        self.down = False  # True: every call fails as an unreachable server would

    # --- the user's side ----------------------------------------------------------------

    def deliver(self, folder: str, raw: bytes, flags: set[str] | None = None) -> int:
        key = next(self._keys)
        self.store[folder][key] = StoredMail(raw, set(flags or ()))
        return key

    # --- the protocol ---------------------------------------------------------------------

    def _check(self) -> None:
        if self.down:
            raise MailboxUnreachable(f"the memory mailbox {self.account} is down")

    def folders(self) -> FolderInfo:
        self._check()
        return self.info

    def fetch_new(
        self, folder: str, cursor: str | None, since: dt.date, wants_text: TextWanted = no_text
    ) -> FetchResult:
        self._check()
        messages = self.store[folder]
        after = int(cursor) if cursor and cursor.isdigit() else 0
        found = []
        warnings = []
        for key in sorted(k for k in messages if k > after):
            try:
                meta = parse_message(
                    messages[key].raw, folder=folder, uid=str(key), text_if=wants_text
                )
            except MalformedMessage as exc:
                warnings.append(f"skipped message {key}: {exc}")
                continue
            if cursor is None and meta.date is not None and meta.date.date() < since:
                continue
            found.append(meta)
        last = max(messages, default=after)
        return FetchResult(tuple(found), str(max(last, after)), warnings=tuple(warnings))

    def fetch_text(self, folder: str, uids: Sequence[str]) -> dict[str, MessageMeta]:
        self._check()
        out: dict[str, MessageMeta] = {}
        for uid in uids:
            mail = self.store[folder].get(int(uid)) if uid.isdigit() else None
            if mail is not None:
                with contextlib.suppress(MalformedMessage):
                    out[uid] = parse_message(mail.raw, folder=folder, uid=uid)
        return out

    def find_draft(self, message_id: str) -> str | None:
        self._check()
        for key, mail in self.store[self.info.drafts].items():
            try:
                meta = parse_message(mail.raw, body_limit=0)
            except MalformedMessage:
                continue
            if meta.message_id == bare_id(message_id):
                return f"{key}:{_digest(mail.raw)}"
        return None

    def read_draft(self, ref: str) -> bytes | None:
        self._check()
        key_text = ref.partition(":")[0]
        mail = self.store[self.info.drafts].get(int(key_text)) if key_text.isdigit() else None
        return None if mail is None else mail.raw

    def append_draft(self, message: EmailMessage) -> str:
        self._check()
        raw = message.as_bytes(policy=default_policy)
        key = self.deliver(self.info.drafts, raw, {"draft"})
        return f"{key}:{_digest(raw)}"

    def withdraw_draft(self, ref: str) -> WithdrawOutcome:
        self._check()
        key_text, _, digest = ref.partition(":")
        drafts = self.store[self.info.drafts]
        mail = drafts.get(int(key_text)) if key_text.isdigit() else None
        if mail is None:
            return "gone"
        if _digest(mail.raw) != digest:
            return "changed"
        del drafts[int(key_text)]
        return "withdrawn"

    def close(self) -> None:
        return None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
