"""Microsoft sign-in for IMAP (Outlook.com, Hotmail, Microsoft 365) with Microsoft's ``msal``.

``followup auth NAME`` runs the device-code flow, which works on a machine without a
browser: it prints a URL and a code to enter on any other device. msal's token cache
(refresh token included) is kept in the keyring, or read from ``$CREDENTIALS_DIRECTORY``;
before each login the cached access token is used or silently refreshed. A cache that
changed is written back (Microsoft replaces the refresh token as it is used), unless
the stored one changed meanwhile — a new ``followup auth`` wins. This module, and so
``msal``, is imported only when a Microsoft account signs in.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import msal

from followup import credentials, logs
from followup.config import ImapAccount
from followup.core.errors import AuthError, CredentialsUnavailable, MailboxUnreachable, UserError
from followup.mailbox.oauth_tokens import needs_auth, stored_sign_in

log = logging.getLogger(__name__)

SCOPES: tuple[str, ...] = ("https://outlook.office.com/IMAP.AccessAsUser.All",)
"""msal adds ``offline_access`` (the refresh token), ``openid`` and ``profile`` itself."""
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
KEY = "token_command"  # the alternative named when there is no keyring
# Errors after which only a new sign-in helps (RFC 6749 §5.2 and Microsoft's additions).
_SIGN_IN_AGAIN = ("invalid_grant", "interaction_required", "invalid_client", "unauthorized_client")

Say = Callable[[str], None]


def authority(account: ImapAccount) -> str:
    return f"{(account.oauth2_authority or DEFAULT_AUTHORITY).rstrip('/')}/{account.tenant}"


def _first_sentence(text: str) -> str:
    """Microsoft's error_description without its trace and correlation ids."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return logs.redact(line.split(" Trace ID:")[0])[:200]


def _register(text: str) -> None:
    """Every token in a serialized cache joins the secrets that logs mask."""
    state = json.loads(text) if text else {}
    for kind in ("AccessToken", "RefreshToken", "IdToken"):
        for entry in (state.get(kind) or {}).values():
            secret = entry.get("secret") if isinstance(entry, dict) else None
            if isinstance(secret, str):
                logs.add_secret(secret)


def _application(account: ImapAccount, cache: msal.SerializableTokenCache) -> Any:
    if not account.client_id:
        raise AuthError(
            f'IMAP account {account.name}: oauth2_provider = "microsoft" needs client_id'
        )
    where = authority(account)
    try:
        return msal.PublicClientApplication(
            account.client_id,
            authority=where,
            token_cache=cache,
            timeout=account.timeout,
            # A host of the user's choosing (national cloud) is not checked against
            # login.microsoftonline.com; the well-known ones never are.
            instance_discovery=False if account.oauth2_authority else None,
        )
    except ValueError as exc:  # an unknown tenant or a host that is no Microsoft authority
        raise AuthError(
            f"IMAP account {account.name}: Microsoft does not know the sign-in authority "
            f"{where} ({_first_sentence(str(exc))}); check tenant and oauth2_authority"
        ) from exc
    except OSError as exc:  # requests' errors are OSErrors
        raise _unreachable(account, exc) from exc


def _unreachable(account: ImapAccount, exc: BaseException) -> MailboxUnreachable:
    return MailboxUnreachable(
        f"IMAP account {account.name}: Microsoft's sign-in service at {authority(account)} "
        f"could not be reached ({logs.redact(str(exc))[:200]})"
    )


class MicrosoftTokens:
    """Access tokens from msal's cache, refreshed silently; thread-safe."""

    def __init__(self, account: ImapAccount) -> None:
        self.account = account
        self._lock = threading.Lock()
        self._cache = msal.SerializableTokenCache()
        self._loaded: str | None = None  # the stored cache text this cache came from
        self._writable = False
        self._app: Any = None

    def _reload(self) -> None:
        """Adopt the stored cache when it changed (a new ``followup auth``)."""
        found = stored_sign_in(self.account, KEY, "Microsoft")
        if found.value == self._loaded:
            return
        try:
            if not isinstance(json.loads(found.value), dict):
                raise ValueError("not a token cache")
            self._cache.deserialize(found.value)
        except ValueError as exc:
            raise needs_auth(self.account, "the stored sign-in is not a Microsoft one") from exc
        _register(found.value)
        self._loaded = found.value
        self._writable = found.source == "keyring"

    def token(self, *, refresh: bool) -> str:
        with self._lock:
            self._reload()
            if self._app is None:
                self._app = _application(self.account, self._cache)
            try:
                result = self._acquire(refresh)
            except OSError as exc:
                raise _unreachable(self.account, exc) from exc
            token = result["access_token"]
            logs.add_secret(token)
            self._save()
            return str(token)

    def _acquire(self, refresh: bool) -> dict[str, Any]:
        app, name = self._app, self.account.name
        accounts = app.get_accounts()
        if not accounts:
            raise needs_auth(self.account, "the stored Microsoft sign-in holds no account")
        wanted = self.account.username.lower()
        chosen = next((a for a in accounts if str(a.get("username", "")).lower() == wanted), None)
        result = app.acquire_token_silent_with_error(
            list(SCOPES), account=chosen or accounts[0], force_refresh=refresh
        )
        if not result:
            raise needs_auth(self.account, "the stored Microsoft sign-in has expired")
        if "access_token" in result:
            return dict(result)
        error = str(result.get("error", "error"))
        why = f"{error}: {_first_sentence(str(result.get('error_description', '')))}"
        if error in _SIGN_IN_AGAIN:
            raise needs_auth(self.account, f"Microsoft refused the stored sign-in: {why}")
        raise MailboxUnreachable(f"IMAP account {name}: Microsoft's sign-in failed ({why})")

    def _save(self) -> None:
        if not self._cache.has_state_changed:
            return
        text = self._cache.serialize()  # (this clears has_state_changed)
        _register(text)
        if not self._writable:
            return
        try:
            now = credentials.stored(self.account.name, key=KEY)
            if now is not None and now.value != self._loaded:
                return  # signed in again meanwhile: that sign-in wins, adopted next time
            credentials.store_secret(self.account.name, text, key=KEY)
        except CredentialsUnavailable as exc:
            log.warning(
                "account %s: the refreshed sign-in was not saved: %s", self.account.name, exc
            )
            return
        self._loaded = text

    def refused(self, host: str, detail: str) -> AuthError:
        return needs_auth(
            self.account,
            f"the server at {host} refused the access token, also a freshly refreshed one "
            f"({detail}); sign in as {self.account.username}, and check that IMAP is "
            "enabled for the mailbox",
        )


def sign_in(account: ImapAccount, say: Say) -> None:
    """``followup auth``: the device-code flow; stores msal's cache in the keyring."""
    credentials.require_keyring(account.name, key=KEY)
    cache = msal.SerializableTokenCache()
    app = _application(account, cache)
    try:
        flow = app.initiate_device_flow(scopes=list(SCOPES))
        if "user_code" not in flow:
            raise UserError(_flow_error(account, "refused to start the sign-in", flow))
        logs.add_secret(str(flow.get("device_code", "")))
        say(str(flow.get("message") or _prompt(flow)))
        result = app.acquire_token_by_device_flow(flow)
    except OSError as exc:
        raise _unreachable(account, exc) from exc
    if "access_token" not in result:
        raise UserError(_flow_error(account, "did not complete the sign-in", result))
    text = cache.serialize()
    _register(text)
    who = str((result.get("id_token_claims") or {}).get("preferred_username", ""))
    credentials.store_secret(account.name, text, key=KEY)
    say(f"signed in as {who or 'your Microsoft account'}; the sign-in is stored in the keyring")
    if who and who.lower() != account.username.lower():
        say(
            f"note: account {account.name} logs in to IMAP as {account.username}; that works "
            f"only if {who} may open that mailbox"
        )


def _prompt(flow: dict[str, Any]) -> str:
    return (
        f"To sign in, open {flow.get('verification_uri')} in a browser on any device and "
        f"enter the code {flow.get('user_code')}"
    )


def _flow_error(account: ImapAccount, what: str, answer: dict[str, Any]) -> str:
    error = str(answer.get("error", "error"))
    why = _first_sentence(str(answer.get("error_description", "")))
    return f"IMAP account {account.name}: Microsoft {what} ({error}: {why})"
