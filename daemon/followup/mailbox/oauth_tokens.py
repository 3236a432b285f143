"""What every source of OAuth2 access tokens shares, and the simplest one: ``token_command``.

The providers' own sources are ``oauth_microsoft`` and ``oauth_google``; ``oauth_sources``
picks one per account.
"""

from __future__ import annotations

from typing import Protocol

from followup import credentials
from followup.config import ImapAccount
from followup.core.errors import AuthError, CredentialsUnavailable


class TokenSource(Protocol):
    """Where the access tokens of one OAuth2 account come from."""

    def token(self, *, refresh: bool) -> str:
        """An access token; ``refresh``: the last one was refused, get a new one."""
        ...

    def refused(self, host: str, detail: str) -> AuthError:
        """The error for a server that refused even a freshly obtained token."""
        ...


PROVIDER_NAMES = {"microsoft": "Microsoft", "google": "Google"}


def source_label(account: ImapAccount) -> str:
    """Where the account's tokens come from, for messages ("Microsoft", "token_command")."""
    if account.token_command:
        return "token_command"
    return PROVIDER_NAMES.get(account.oauth2_provider or "", "OAuth2")


def needs_auth(account: ImapAccount, why: str) -> AuthError:
    """The state ``status`` and ``check`` show until the user signs in again."""
    name = account.name
    return AuthError(f"IMAP account {name} needs `followup auth {name}` ({why})")


def stored_sign_in(account: ImapAccount, key: str, provider: str) -> credentials.Secret:
    """The sign-in ``followup auth`` stored for ``account`` under ``key`` (JSON text); a
    keyring that cannot answer or holds nothing yet means the user must sign in."""
    try:
        found = credentials.stored(account.name, key=key)
    except CredentialsUnavailable as exc:
        raise AuthError(str(exc)) from exc
    if found is None:
        raise needs_auth(account, f"no {provider} sign-in is stored yet")
    return found


class CommandTokens:
    """Runs ``token_command`` for every token: helpers such as oama refresh on their own."""

    def __init__(self, account: ImapAccount) -> None:
        self.account = account

    def token(self, *, refresh: bool) -> str:
        assert self.account.token_command is not None
        try:
            return credentials.get_secret(
                self.account.name, self.account.token_command, key="token_command"
            )
        except CredentialsUnavailable as exc:
            raise AuthError(str(exc)) from exc

    def refused(self, host: str, detail: str) -> AuthError:
        name, user = self.account.name, self.account.username
        return AuthError(
            f"IMAP account {name} needs a new sign-in: the server at {host} refused the "
            f"access token from token_command, and the one it printed when run again "
            f"({detail}); sign in again with the helper token_command runs, and check that "
            f"it prints an access token for {user}"
        )
