"""`followup auth NAME`: store a password, or sign in with the account's OAuth2 provider.

Each account type, and each way an IMAP account gets its secret, has its own answer; an
account whose secret comes from a command is told so instead of being asked for a
password that would never be used.
"""

from __future__ import annotations

from collections.abc import Callable

from followup import credentials
from followup.config import AccountConfig, GmailAccount, ImapAccount
from followup.core.errors import UsageError

Say = Callable[[str], None]


def run_auth(account: AccountConfig, say: Say) -> None:
    """What ``followup auth`` does for this account."""
    if isinstance(account, GmailAccount):
        from followup.mailbox.gmail_auth import run_oauth_flow

        run_oauth_flow(account, credentials.store_secret, say=say)
    elif isinstance(account, ImapAccount):
        _imap(account, say)
    else:
        say(f"account {account.name} is a local maildir and needs no credentials")


def _imap(account: ImapAccount, say: Say) -> None:
    name = account.name
    if account.auth == "oauth2":
        if account.token_command:
            raise UsageError(
                f"account {name} gets its access tokens from token_command, so followup "
                "stores nothing for it; sign in with the helper that token_command runs"
            )
        if account.oauth2_provider == "microsoft":
            from followup.mailbox.oauth_microsoft import sign_in

            sign_in(account, say)
        else:
            from followup.mailbox.oauth_google import sign_in as google_sign_in

            google_sign_in(account, say)
        return
    if account.password_command:
        raise UsageError(
            f"account {name} reads its password from password_command, so a password "
            "stored in the keyring would never be used; change it where that command reads it"
        )
    credentials.prompt_and_store_password(name)
    say(f"stored the password of {name} in the keyring (service 'followup')")


def signed_in_note(account: AccountConfig) -> str:
    """For ``check``: who an OAuth2 account is signed in as, once its login worked."""
    if not isinstance(account, ImapAccount) or account.auth != "oauth2":
        return ""
    from followup.mailbox.oauth_tokens import source_label

    return f"signed in as {account.username} (OAuth2, {source_label(account)}); "
