"""The ``Mailbox`` protocol every backend implements: the only operations followup performs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from followup.core.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome

if TYPE_CHECKING:  # the email package costs ~10 ms to import; commands that read need none of it
    from email.message import EmailMessage

TextWanted = Callable[[MessageMeta], bool]
"""Given a message parsed from its header fields only: should its text be read too?"""


def no_text(meta: MessageMeta) -> bool:
    """The default: header fields are enough."""
    return False


@runtime_checkable
class Mailbox(Protocol):
    """A mail store seen through the only operations followup is allowed to perform.

    Reading never changes a flag, label or folder of an existing message. The only writes
    are ``append_draft`` and ``withdraw_draft`` (of a draft we created, still unchanged).
    There is deliberately no way to send.
    """

    account: str

    def folders(self) -> FolderInfo:
        """Resolve the watched, Sent and Drafts folders (config overrides first)."""
        ...

    def fetch_new(
        self, folder: str, cursor: str | None, since: dt.date, wants_text: TextWanted = no_text
    ) -> FetchResult:
        """Messages in ``folder`` that are new since ``cursor``.

        Without a cursor (first sync) only messages dated on or after ``since`` need be
        returned, so cost follows the interviews, not the mailbox size. A message for which
        ``wants_text`` says yes also carries a bounded plain-text excerpt of its body; the
        others carry none, so every backend hands the rules the same facts.
        """
        ...

    def fetch_text(self, folder: str, uids: Sequence[str]) -> dict[str, MessageMeta]:
        """Messages of ``folder`` (by the uids ``fetch_new`` gave them) again, with their
        bounded text: for facts that must be read again after the rules changed. A uid that
        is gone is left out."""
        ...

    def find_draft(self, message_id: str) -> str | None:
        """The backend reference of the draft with this Message-ID, if it exists."""
        ...

    def read_draft(self, ref: str) -> bytes | None:
        """The stored bytes of the draft ``ref`` (as a mail client would download it), or
        None when it is gone. Lets the engine tell our draft from one the user changed."""
        ...

    def append_draft(self, message: EmailMessage) -> str:
        """Store ``message`` as a draft in Drafts and return its backend reference."""
        ...

    def withdraw_draft(self, ref: str) -> WithdrawOutcome:
        """Remove the draft ``ref`` only if it is still exactly as we created it."""
        ...

    def close(self) -> None:
        """Release connections; safe to call twice."""
        ...
