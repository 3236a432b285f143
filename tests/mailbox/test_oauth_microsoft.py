"""Microsoft sign-in with the real ``msal`` against a local fake of Microsoft's v2.0 endpoints.

msal accepts any https authority (``oauth2_authority``); the fake serves it with a
self-signed certificate that ``REQUESTS_CA_BUNDLE`` makes trusted. The access tokens it
issues are the ones the introspection server tells Dovecot to accept, so every test here
ends in a real XOAUTH2 login.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from followup.config import ImapAccount
from followup.core.errors import AuthError, CredentialsUnavailable
from followup.mailbox import oauth_sources
from followup.mailbox.imap import ImapMailbox
from followup.mailbox.oauth_microsoft import sign_in
from support.dovecot_oauth import OAuthDovecot
from support.keyrings import MemoryKeyring
from support.oauth_servers import FakeEntra, IntrospectionServer

pytestmark = pytest.mark.imap

IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All"


@pytest.fixture(scope="module")
def dovecot(oauth_dovecot: OAuthDovecot) -> OAuthDovecot:
    return oauth_dovecot


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    oauth_sources.forget_all()


@pytest.fixture
def entra(
    introspection: IntrospectionServer, dovecot: OAuthDovecot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeEntra]:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    server = FakeEntra(introspection, dovecot.add_user())
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_file))
    yield server
    server.stop()


def account(dovecot: OAuthDovecot, entra: FakeEntra) -> ImapAccount:
    return dovecot.account(
        entra.user,
        name="outlook",
        password_command=None,
        auth="oauth2",
        oauth2_provider="microsoft",
        client_id="11111111-2222-3333-4444-555555555555",
        oauth2_authority=entra.base,
    )


def consent(entra: FakeEntra, said: list[str]) -> object:
    """What the user does: reads the code, and enters it on another device a moment later."""

    def say(text: str) -> None:
        said.append(text)
        if "enter the code" in text:
            threading.Timer(0.3, entra.approve).start()

    return say


def signed_in(dovecot: OAuthDovecot, entra: FakeEntra) -> tuple[ImapAccount, list[str]]:
    said: list[str] = []
    acct = account(dovecot, entra)
    sign_in(acct, consent(entra, said))  # type: ignore[arg-type]
    return acct, said


def folders_of(acct: ImapAccount) -> tuple[str, ...]:
    box = ImapMailbox(acct, attempts=2, sleep=lambda _s: None)
    try:
        return box.folders().watched
    finally:
        box.close()


def test_the_device_code_flow_shows_the_url_and_code_and_keeps_the_sign_in_in_the_keyring(
    dovecot: OAuthDovecot, entra: FakeEntra, memory: MemoryKeyring
) -> None:
    acct, said = signed_in(dovecot, entra)
    assert "https://microsoft.com/devicelogin" in said[0]
    assert "enter the code FAKE" in said[0]
    assert said[1] == f"signed in as {entra.user}; the sign-in is stored in the keyring"
    (request,) = entra.device_requests
    assert request["client_id"] == acct.client_id
    assert {IMAP_SCOPE, "offline_access"} <= set(request["scope"].split())
    cache = json.loads(memory.entries[("followup", "outlook")])
    assert cache["RefreshToken"] and cache["AccessToken"]
    assert folders_of(acct) == ("INBOX",)
    assert entra.grants("refresh_token") == 0  # the access token from the sign-in was used


def test_an_access_token_about_to_expire_is_refreshed_silently_before_the_login(
    dovecot: OAuthDovecot, entra: FakeEntra, memory: MemoryKeyring
) -> None:
    entra.access_lifetime = 60  # msal refreshes tokens that expire within five minutes
    acct, _ = signed_in(dovecot, entra)
    stored = memory.entries[("followup", "outlook")]
    assert folders_of(acct) == ("INBOX",)
    assert entra.grants("refresh_token") == 1
    assert memory.entries[("followup", "outlook")] != stored  # the new refresh token is kept


def test_a_token_the_server_refuses_is_refreshed_once_and_the_login_goes_on(
    dovecot: OAuthDovecot, entra: FakeEntra, memory: MemoryKeyring
) -> None:
    acct, _ = signed_in(dovecot, entra)
    entra.expire_access_tokens()
    assert folders_of(acct) == ("INBOX",)
    assert entra.grants("refresh_token") == 1


def test_a_revoked_sign_in_needs_followup_auth_and_a_new_one_works_without_a_restart(
    dovecot: OAuthDovecot, entra: FakeEntra, memory: MemoryKeyring
) -> None:
    acct, _ = signed_in(dovecot, entra)
    entra.revoke_sign_in()
    with pytest.raises(AuthError) as info:
        folders_of(acct)
    message = str(info.value)
    assert message.startswith("IMAP account outlook needs `followup auth outlook` (Microsoft")
    assert "invalid_grant: AADSTS70008" in message
    assert "Trace ID" not in message
    assert entra.grants("refresh_token") == 1  # refreshed once, not in a loop
    sign_in(acct, consent(entra, []))  # type: ignore[arg-type]
    assert folders_of(acct) == ("INBOX",)


def test_without_a_stored_sign_in_the_account_needs_followup_auth(
    dovecot: OAuthDovecot, entra: FakeEntra, memory: MemoryKeyring
) -> None:
    with pytest.raises(AuthError, match=r"needs `followup auth outlook` \(no Microsoft sign-in"):
        folders_of(account(dovecot, entra))
    assert entra.token_grants == []


def test_signing_in_without_a_keyring_stops_before_asking_microsoft(
    dovecot: OAuthDovecot, entra: FakeEntra
) -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(CredentialsUnavailable) as info:
        sign_in(account(dovecot, entra), lambda _t: None)
    assert "no usable keyring" in str(info.value)
    assert "set token_command for account outlook" in str(info.value)
    assert entra.device_requests == []


def test_a_sign_in_from_the_credentials_directory_is_used_and_never_written(
    dovecot: OAuthDovecot,
    entra: FakeEntra,
    memory: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entra.access_lifetime = 60
    acct, _ = signed_in(dovecot, entra)
    (tmp_path / "outlook").write_text(memory.entries.pop(("followup", "outlook")))
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    before = (tmp_path / "outlook").read_text()
    oauth_sources.forget_all()
    assert folders_of(acct) == ("INBOX",)
    assert entra.grants("refresh_token") == 1
    assert (tmp_path / "outlook").read_text() == before
    assert memory.entries == {}


def test_msal_is_imported_only_when_a_microsoft_account_signs_in() -> None:
    code = (
        "import sys\n"
        "from followup.config import ImapAccount\n"
        "from followup.mailbox import open_mailbox, oauth_sources\n"
        "import followup.cli.main, followup.service.daemon\n"
        "kw = dict(host='h', username='u', auth='oauth2')\n"
        "oauth_sources.token_source(ImapAccount(name='a', token_command='true', **kw))\n"
        "assert 'msal' not in sys.modules, 'msal loaded for a token_command account'\n"
        "oauth_sources.token_source(\n"
        "    ImapAccount(name='b', oauth2_provider='microsoft', client_id='c', **kw))\n"
        "assert 'msal' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
