"""One token source per OAuth2 account and process, made on first use.

The polling and the IDLE connection of an account share it, so a token is refreshed
once for both. The provider libraries (``msal``, ``google-auth``) load only when an
account of theirs signs in.
"""

from __future__ import annotations

import threading

from followup.config import ImapAccount
from followup.core.errors import AuthError
from followup.mailbox.oauth_tokens import CommandTokens, TokenSource

_sources: dict[ImapAccount, TokenSource] = {}
_lock = threading.Lock()


def token_source(account: ImapAccount) -> TokenSource:
    """The shared token source of this account (made on first use)."""
    with _lock:
        source = _sources.get(account)
        if source is None:
            source = _make(account)
            _sources[account] = source
        return source


def _make(account: ImapAccount) -> TokenSource:
    if account.token_command:
        return CommandTokens(account)
    if account.oauth2_provider == "microsoft":
        from followup.mailbox.oauth_microsoft import MicrosoftTokens

        return MicrosoftTokens(account)
    if account.oauth2_provider == "google":
        from followup.mailbox.oauth_google import GoogleTokens

        return GoogleTokens(account)
    raise AuthError(  # the config check prevents this; kept for a hand-made ImapAccount
        f'IMAP account {account.name} has auth = "oauth2" but neither token_command nor '
        "oauth2_provider"
    )


def forget_all() -> None:
    """Drop every source (tests; a reload keeps them, as their accounts are their keys)."""
    with _lock:
        _sources.clear()


def register(account: ImapAccount, source: TokenSource) -> None:
    """Use ``source`` for this account from now on (tests, and tools with their own source)."""
    with _lock:
        _sources[account] = source
