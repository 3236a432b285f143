"""Google sign-in for IMAP (imap.gmail.com without an app password), with google-auth.

``followup auth NAME`` runs google-auth-oauthlib's installed-app flow for the one scope
Gmail's IMAP accepts, ``https://mail.google.com/``, and stores the authorized-user JSON
(refresh token included) in the keyring. Before each login the access token is refreshed
when it expired; Google's refresh tokens do not change as they are used, so nothing is
written back. Google's libraries load only when a Google account signs in.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from typing import Any

from google.auth.exceptions import RefreshError, TransportError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from followup import credentials, logs
from followup.config import ImapAccount
from followup.core.errors import AuthError, MailboxUnreachable
from followup.mailbox.oauth_tokens import needs_auth, stored_sign_in

SCOPES: tuple[str, ...] = ("https://mail.google.com/",)
KEY = "token_command"
_SIGN_IN_AGAIN = ("invalid_grant", "invalid_client", "unauthorized_client", "revoked")

Say = Callable[[str], None]


class GoogleTokens:
    """Access tokens refreshed from the stored refresh token; thread-safe.

    ``token_uri`` replaces Google's token endpoint (tests point it at a fake server);
    google-auth itself always uses Google's for stored credentials.
    """

    def __init__(self, account: ImapAccount, *, token_uri: str | None = None) -> None:
        self.account = account
        self._token_uri = token_uri
        self._lock = threading.Lock()
        self._loaded: str | None = None
        self._creds: Any = None

    def _reload(self) -> Any:
        stored = stored_sign_in(self.account, KEY, "Google").value
        if stored != self._loaded:
            try:
                info = json.loads(stored)
                creds = Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                    info, scopes=list(SCOPES)
                )
            except (ValueError, TypeError, AttributeError) as exc:
                raise needs_auth(self.account, "the stored sign-in is not a Google one") from exc
            if self._token_uri:
                creds = creds.with_token_uri(self._token_uri)
            self._creds, self._loaded = creds, stored
        return self._creds

    def token(self, *, refresh: bool) -> str:
        with self._lock:
            creds = self._reload()
            if refresh or not creds.valid:
                request = functools.partial(Request(), timeout=self.account.timeout)
                try:
                    creds.refresh(request)
                except RefreshError as exc:
                    raise self._refresh_failed(exc) from exc
                except (TransportError, OSError) as exc:
                    raise MailboxUnreachable(
                        f"IMAP account {self.account.name}: Google's token service could not "
                        f"be reached ({logs.redact(str(exc))[:200]})"
                    ) from exc
            token = str(creds.token)
            logs.add_secret(token)
            return token

    def _refresh_failed(self, exc: RefreshError) -> AuthError | MailboxUnreachable:
        text = logs.redact(str(exc))[:200]
        if any(w in text.lower() for w in _SIGN_IN_AGAIN) or not getattr(exc, "retryable", False):
            return needs_auth(self.account, f"Google refused the stored sign-in: {text}")
        return MailboxUnreachable(f"IMAP account {self.account.name}: token refresh failed: {text}")

    def refused(self, host: str, detail: str) -> AuthError:
        return needs_auth(
            self.account,
            f"the server at {host} refused the access token, also a freshly refreshed one "
            f"({detail}); sign in as {self.account.username}",
        )


def sign_in(account: ImapAccount, say: Say, *, port: int = 0, timeout: int | None = 600) -> None:
    """``followup auth``: Google's consent in a browser; the token JSON goes to the keyring."""
    from followup.mailbox.gmail_auth import installed_app_consent

    credentials.require_keyring(account.name, key=KEY)
    if account.client_secrets_file is None:
        raise AuthError(
            f'IMAP account {account.name}: oauth2_provider = "google" needs client_secrets_file'
        )
    token = installed_app_consent(
        f"IMAP account {account.name}",
        account.client_secrets_file,
        SCOPES,
        say,
        port=port,
        timeout_seconds=timeout,
    )
    credentials.store_secret(account.name, token, key=KEY)
    say(f"IMAP account {account.name} is authorized; the sign-in is stored in the keyring")
