"""The ``Mailbox`` protocol (``followup.mailbox.protocol``) and the factory that opens one."""

from __future__ import annotations

from followup.config import AccountConfig, Config, GmailAccount, ImapAccount
from followup.mailbox.protocol import Mailbox, TextWanted, no_text

__all__ = ["Mailbox", "TextWanted", "no_text", "open_mailbox"]


def open_mailbox(config: Config, account: AccountConfig) -> Mailbox:
    """Open the backend for ``account``; each backend's libraries load only when it is used."""
    if isinstance(account, ImapAccount):
        from followup.mailbox.imap import ImapMailbox

        return ImapMailbox(account)
    if isinstance(account, GmailAccount):
        from followup.mailbox.gmail import GmailMailbox

        return GmailMailbox(account, state_dir=config.daemon.state_dir)
    from followup.mailbox.maildir import MaildirMailbox

    return MaildirMailbox(account)
