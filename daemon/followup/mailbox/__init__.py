"""The ``Mailbox`` protocol every backend implements, and the factory that opens one."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from followup.model import FetchResult, FolderInfo, WithdrawOutcome

if TYPE_CHECKING:
    from followup.config import AccountConfig, Config


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

    def fetch_new(self, folder: str, cursor: str | None, since: dt.date) -> FetchResult:
        """Messages in ``folder`` that are new since ``cursor``.

        Without a cursor (first sync) only messages dated on or after ``since`` need be
        returned, so cost follows the interviews, not the mailbox size.
        """
        ...

    def find_draft(self, message_id: str) -> str | None:
        """The backend reference of the draft with this Message-ID, if it exists."""
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


def open_mailbox(config: Config, account: AccountConfig) -> Mailbox:
    """Open the backend for ``account``; Google libraries load only for Gmail accounts."""
    if account.type == "maildir":
        from followup.mailbox.maildir import MaildirMailbox

        return MaildirMailbox(account)
    if account.type == "imap":
        from followup.mailbox.imap import ImapMailbox

        return ImapMailbox(account)
    from followup.mailbox.gmail import GmailMailbox

    return GmailMailbox(account, state_dir=config.daemon.state_dir)
