"""Signing in to an IMAP server: LOGIN, AUTHENTICATE PLAIN, XOAUTH2 and OAUTHBEARER.

A *refusal* (a tagged ``NO``, ``[AUTHENTICATIONFAILED]``) needs the user, so it becomes an
``AuthError`` that names where the secret came from. A connection that breaks during the
exchange is not a refusal, although imapclient reports both as ``LoginError``: it is
raised again as imaplib's ``abort`` so that the connection layer retries it like any
other cut. So is ``[UNAVAILABLE]``, a server that cannot check credentials right now.

IMAP's LOGIN carries ASCII only; a password with other characters goes as UTF-8 in
``AUTHENTICATE PLAIN`` (RFC 4616) when the server offers it. OAuth2 uses XOAUTH2 where
offered (Microsoft, Google), else OAUTHBEARER (RFC 7628); a refused token is refreshed
once and tried again before the account is reported as needing a new sign-in.
"""

from __future__ import annotations

import base64
import imaplib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from imapclient.exceptions import LoginError

from followup import credentials, logs
from followup.config import ImapAccount
from followup.core.errors import AuthError, CredentialsUnavailable
from followup.credentials import Secret
from followup.mailbox.oauth_sources import token_source
from followup.mailbox.oauth_tokens import TokenSource

log = logging.getLogger(__name__)

OAUTH2_MECHANISMS = ("XOAUTH2", "OAUTHBEARER")  # in order of preference


class LoginUnavailable(ConnectionError):
    """The server could not check the credentials just now ([UNAVAILABLE]): try again."""


class Authenticator(Protocol):
    def login(self, client: Any, host: str, port: int) -> None: ...


def authenticator(
    account: ImapAccount, tokens: Callable[[ImapAccount], TokenSource] | None = None
) -> Authenticator:
    """How this account signs in; ``tokens`` makes an account's token source (tests)."""
    if account.auth == "oauth2":
        return OAuth2Login(account, (tokens or token_source)(account))
    return PasswordLogin(account)


# ---------------------------------------------------------------- refusal or broken line


def _server_text(exc: BaseException) -> str:
    text = str(exc).strip()
    if text.startswith(("b'", 'b"')) and text.endswith(("'", '"')):
        text = text[2:-1]
    return logs.redact(text)[:200] or "no reason given"


def _raise_unless_refused(exc: LoginError, host: str) -> None:
    """Re-raise a broken connection or a temporary failure as retryable; else return."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, imaplib.IMAP4.abort):
        raise imaplib.IMAP4.abort(f"the connection broke during the login ({cause})") from exc
    if "[UNAVAILABLE]" in str(exc).upper():
        raise LoginUnavailable(
            f"the server at {host} cannot check the login right now ({_server_text(exc)})"
        ) from exc


def _is_ascii(text: str) -> bool:
    return text.isascii()


# ---------------------------------------------------------------- passwords


class PasswordLogin:
    """LOGIN, or AUTHENTICATE PLAIN in UTF-8 when the name or password is not ASCII."""

    def __init__(self, account: ImapAccount) -> None:
        self.account = account
        self._secret: Secret | None = None

    def _get(self) -> Secret:
        if self._secret is None:
            try:
                self._secret = credentials.lookup(self.account.name, self.account.password_command)
            except CredentialsUnavailable as exc:  # per-account trouble, like a bad login
                raise AuthError(str(exc)) from exc
        return self._secret

    def login(self, client: Any, host: str, port: int) -> None:
        secret = self._get()
        user, password = self.account.username, secret.value
        try:
            if _is_ascii(user) and _is_ascii(password):
                client.login(user, password)
            elif client.has_capability("AUTH=PLAIN"):
                logs.add_secret(base64.b64encode(f"\0{user}\0{password}".encode()).decode())
                client.plain_login(user, password)
            else:
                raise AuthError(
                    f"the password or user name of account {self.account.name} has non-ASCII "
                    f"characters, which IMAP LOGIN cannot carry, and the server at {host} "
                    "does not offer AUTHENTICATE PLAIN (which can); use a password of ASCII "
                    "characters only, or an app password, for this server"
                )
        except LoginError as exc:
            _raise_unless_refused(exc, host)
            self._secret = None  # it may have been changed since; ask again next time
            raise AuthError(
                f"the server at {host} refused the login for {user} ({_server_text(exc)}); "
                f"{secret.hint()}"
            ) from exc


# ---------------------------------------------------------------- OAuth2


class _Sasl:
    """One client-first SASL exchange: the initial response, then the error dance.

    On failure XOAUTH2 and OAUTHBEARER servers send an error challenge (JSON) that the
    client must answer (empty line for XOAUTH2, ``%x01`` for OAUTHBEARER) before the
    tagged NO; the challenge is kept because it says why.
    """

    def __init__(self, initial: str, abort: str) -> None:
        self.initial = initial
        self.abort = abort
        self.challenge = ""
        self.steps = 0

    def __call__(self, challenge: bytes) -> str:
        self.steps += 1
        if self.steps == 1:
            return self.initial
        self.challenge = challenge.decode("utf-8", "replace")[:300]
        return self.abort


def sasl_response(mechanism: str, user: str, token: str, host: str, port: int) -> _Sasl:
    """The client's side of XOAUTH2 or OAUTHBEARER for ``user`` with ``token``."""
    if mechanism == "XOAUTH2":
        initial = f"user={user}\1auth=Bearer {token}\1\1"
        abort = ""
    else:  # RFC 7628 section 3.1, with the gs2 header of RFC 5801
        authzid = user.replace("=", "=3D").replace(",", "=2C")
        initial = f"n,a={authzid},\1host={host}\1port={port}\1auth=Bearer {token}\1\1"
        abort = "\1"
    logs.add_secret(base64.b64encode(initial.encode()).decode())
    return _Sasl(initial, abort)


def oauth2_mechanism(client: Any, account: ImapAccount, host: str) -> str:
    for mechanism in OAUTH2_MECHANISMS:
        if client.has_capability(f"AUTH={mechanism}"):
            return mechanism
    raise AuthError(
        f"the server at {host} offers neither XOAUTH2 nor OAUTHBEARER, so account "
        f'{account.name} cannot sign in with OAuth2 there; use auth = "password"'
    )


class OAuth2Login:
    """XOAUTH2 or OAUTHBEARER with a token; a refused token is refreshed once."""

    def __init__(self, account: ImapAccount, tokens: TokenSource) -> None:
        self.account = account
        self.tokens = tokens
        self.mechanism: str | None = None  # the one the last login used

    def _attempt(self, client: Any, mechanism: str, token: str, host: str, port: int) -> str:
        """Log in; returns "" on success, else what the server said (a refusal)."""
        logs.add_secret(token)
        exchange = sasl_response(mechanism, self.account.username, token, host, port)
        try:
            client.sasl_login(mechanism, exchange)
        except LoginError as exc:
            _raise_unless_refused(exc, host)
            said = _server_text(exc)
            return f"{said}; {exchange.challenge}" if exchange.challenge else said
        self.mechanism = mechanism
        return ""

    def login(self, client: Any, host: str, port: int) -> None:
        mechanism = oauth2_mechanism(client, self.account, host)
        refused = self._attempt(client, mechanism, self.tokens.token(refresh=False), host, port)
        if not refused:
            return
        log.info(
            "account %s: the server refused the access token (%s); getting a fresh one",
            self.account.name,
            refused,
        )
        refused = self._attempt(client, mechanism, self.tokens.token(refresh=True), host, port)
        if refused:
            raise self.tokens.refused(host, refused)
