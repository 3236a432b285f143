"""Google sign-in for IMAP: google-auth-oauthlib's consent and google-auth's refresh, for real.

The consent and the token endpoint are the fake Gmail server's (``support.fake_gmail``);
Dovecot accepts exactly the access tokens that endpoint issued, as Gmail's IMAP would.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from followup.config import ImapAccount
from followup.core.errors import AuthError
from followup.mailbox import oauth_sources
from followup.mailbox.imap import ImapMailbox
from followup.mailbox.oauth_google import SCOPES, GoogleTokens, sign_in
from support.dovecot_oauth import OAuthDovecot
from support.fake_gmail import FakeGmailServer
from support.keyrings import MemoryKeyring
from support.oauth_servers import IntrospectionServer

pytestmark = [pytest.mark.imap, pytest.mark.gmail]


@pytest.fixture(scope="module")
def gmail() -> Iterator[FakeGmailServer]:
    server = FakeGmailServer.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dovecot(gmail: FakeGmailServer) -> Iterator[OAuthDovecot]:
    users: dict[str, str] = {}
    introspection = IntrospectionServer(
        lambda token: users.get("user") if token in gmail.fake.valid_tokens else None
    )
    server = OAuthDovecot(introspection.url)
    users["user"] = server.add_user()
    yield server
    server.close()
    introspection.stop()


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    oauth_sources.forget_all()


def account(dovecot: OAuthDovecot, tmp_path: Path, gmail: FakeGmailServer) -> ImapAccount:
    secrets = tmp_path / "client_secret.json"
    installed = {
        "client_id": "fake-client.apps.googleusercontent.com",
        "client_secret": "fake-secret",
        "auth_uri": gmail.url + "auth",
        "token_uri": gmail.url + "token",
        "redirect_uris": ["http://localhost"],
    }
    secrets.write_text(json.dumps({"installed": installed}))
    acct = dovecot.account(
        "user1@example.test",
        name="gmail-imap",
        password_command=None,
        auth="oauth2",
        oauth2_provider="google",
        client_secrets_file=secrets,
    )
    oauth_sources.register(acct, GoogleTokens(acct, token_uri=gmail.url + "token"))
    return acct


def folders_of(acct: ImapAccount) -> tuple[str, ...]:
    box = ImapMailbox(acct, attempts=2, sleep=lambda _s: None)
    try:
        return box.folders().watched
    finally:
        box.close()


def stored_token(gmail: FakeGmailServer, **extra: object) -> str:
    info = json.loads(gmail.token_json())
    info.update(scopes=list(SCOPES), **extra)
    return json.dumps(info)


def test_consent_asks_for_the_imap_scope_and_the_stored_sign_in_logs_in(
    dovecot: OAuthDovecot,
    gmail: FakeGmailServer,
    memory: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is http
    monkeypatch.setenv("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")  # the fake answers with its own scope
    acct = account(dovecot, tmp_path, gmail)
    said: list[str] = []

    def browser_consents(text: str) -> None:
        said.append(text)
        if "Open this URL" in text:
            url = urllib.parse.urlsplit(text.split()[-1])
            query = urllib.parse.parse_qs(url.query)
            answer = {"state": query["state"][0], "code": "4/fake-code", "scope": SCOPES[0]}
            target = query["redirect_uri"][0] + "?" + urllib.parse.urlencode(answer)
            threading.Thread(
                target=lambda: urllib.request.urlopen(target, timeout=10).read()
            ).start()

    sign_in(acct, browser_consents, timeout=10)
    consent = urllib.parse.parse_qs(urllib.parse.urlsplit(said[0].split()[-1]).query)
    assert consent["scope"] == ["https://mail.google.com/"]
    assert consent["access_type"] == ["offline"]
    assert said[-1] == "IMAP account gmail-imap is authorized; the sign-in is stored in the keyring"
    stored = json.loads(memory.entries[("followup", "gmail-imap")])
    assert stored["refresh_token"] == "1//fake-refresh"
    assert folders_of(acct) == ("INBOX",)


def test_a_google_token_the_server_refuses_is_refreshed_once(
    dovecot: OAuthDovecot, gmail: FakeGmailServer, memory: MemoryKeyring, tmp_path: Path
) -> None:
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    memory.set_password(
        "followup", "gmail-imap", stored_token(gmail, token="ya29.stale", expiry=later)
    )
    before = gmail.fake.token_requests
    assert folders_of(account(dovecot, tmp_path, gmail)) == ("INBOX",)
    assert gmail.fake.token_requests == before + 1


def test_a_revoked_google_sign_in_needs_followup_auth(
    dovecot: OAuthDovecot, gmail: FakeGmailServer, memory: MemoryKeyring, tmp_path: Path
) -> None:
    memory.set_password("followup", "gmail-imap", stored_token(gmail))
    gmail.fake.token_error = "invalid_grant"
    try:
        with pytest.raises(AuthError) as info:
            folders_of(account(dovecot, tmp_path, gmail))
    finally:
        gmail.fake.token_error = None
    assert str(info.value).startswith(
        "IMAP account gmail-imap needs `followup auth gmail-imap` (Google refused the stored"
    )
    assert "1//fake-refresh" not in str(info.value)
