"""Signing in to a real Dovecot: OAuth2 bearer tokens, UTF-8 passwords, refusals and cuts.

Dovecot checks tokens with its ``oauth2`` passdb against the local introspection server
(``support.oauth_servers``), which accepts exactly the tokens a test gives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.config import ImapAccount
from followup.core.errors import AuthError, MailboxUnreachable
from followup.mailbox.imap import ImapMailbox
from support.dovecot_oauth import UTF8_PASSWORD, UTF8_USER, OAuthDovecot
from support.oauth_servers import IntrospectionServer
from support.tcp_proxy import TcpProxy
from support.token_command import TokenCommand

pytestmark = pytest.mark.imap


@pytest.fixture(scope="module")
def dovecot(oauth_dovecot: OAuthDovecot) -> OAuthDovecot:
    return oauth_dovecot


@pytest.fixture(scope="module")
def bearer_only(introspection: IntrospectionServer) -> Iterator[OAuthDovecot]:
    """A server that offers OAUTHBEARER (RFC 7628) but not XOAUTH2."""
    server = OAuthDovecot(introspection.url, mechanisms="plain oauthbearer")
    yield server
    server.close()


def oauth_account(server: OAuthDovecot, user: str, command: str, **extra: object) -> ImapAccount:
    return server.account(
        user, auth="oauth2", password_command=None, token_command=command, **extra
    )


def folders_of(account: ImapAccount) -> tuple[str, ...]:
    box = ImapMailbox(account, attempts=2, sleep=lambda _s: None)
    try:
        return box.folders().watched
    finally:
        box.close()


# ---------------------------------------------------------------- OAuth2


def test_a_token_from_token_command_signs_in_with_xoauth2(
    dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    introspection.accept("tok-good-1", user)
    tokens = TokenCommand(tmp_path, "tok-good-1")
    assert folders_of(oauth_account(dovecot, user, tokens.command)) == ("INBOX",)
    assert tokens.runs == 1
    assert f"user=<{user}>, method=XOAUTH2" in dovecot.log()


def test_oauthbearer_is_used_when_the_server_offers_no_xoauth2(
    bearer_only: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = bearer_only.add_user()
    introspection.accept("tok-bearer-1", user)
    tokens = TokenCommand(tmp_path, "tok-bearer-1")
    assert folders_of(oauth_account(bearer_only, user, tokens.command)) == ("INBOX",)
    assert f"user=<{user}>, method=OAUTHBEARER" in bearer_only.log()


def test_an_expired_token_is_refreshed_once_and_the_login_goes_on(
    dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    introspection.accept("tok-fresh-2", user)  # "tok-expired-1" is no longer accepted
    tokens = TokenCommand(tmp_path, "tok-expired-1", "tok-fresh-2", "tok-unused-3")
    assert folders_of(oauth_account(dovecot, user, tokens.command)) == ("INBOX",)
    assert tokens.runs == 2


def test_a_revoked_token_is_refreshed_once_then_the_account_needs_a_new_sign_in(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    tokens = TokenCommand(tmp_path, "tok-revoked-1", "tok-revoked-2", "tok-revoked-3")
    with pytest.raises(AuthError) as info:
        folders_of(oauth_account(dovecot, user, tokens.command))
    message = str(info.value)
    assert message.startswith("IMAP account test needs a new sign-in: the server at 127.0.0.1")
    assert "token_command" in message
    assert "AUTHENTICATIONFAILED" in message
    assert "tok-revoked" not in message
    assert tokens.runs == 2  # refreshed once, not in a loop


def test_a_server_without_oauth2_mechanisms_gets_a_clear_message(tmp_path: Path) -> None:
    introspection = IntrospectionServer()
    server = OAuthDovecot(introspection.url, mechanisms="plain login")
    try:
        user = server.add_user()
        tokens = TokenCommand(tmp_path, "tok-x")
        with pytest.raises(AuthError, match="offers neither XOAUTH2 nor OAUTHBEARER"):
            folders_of(oauth_account(server, user, tokens.command))
        assert tokens.runs == 0
    finally:
        server.close()
        introspection.stop()


def test_a_server_that_cannot_check_tokens_just_now_is_unreachable_not_a_refusal(
    tmp_path: Path,
) -> None:
    introspection = IntrospectionServer()
    server = OAuthDovecot(introspection.url)
    try:
        user = server.add_user()
        introspection.stop()  # Dovecot answers NO [UNAVAILABLE]
        tokens = TokenCommand(tmp_path, *(f"tok-{n}" for n in range(10)))
        with pytest.raises(MailboxUnreachable) as info:
            folders_of(oauth_account(server, user, tokens.command))
        assert not isinstance(info.value, AuthError)
        assert "could not be reached after 2 attempts" in str(info.value)
        assert "cannot check the login right now" in str(info.value)
    finally:
        server.close()


# ---------------------------------------------------------------- passwords (issue 17 #5, #6)


def test_a_connection_cut_during_the_login_reply_is_retried_not_called_a_wrong_password(
    dovecot: OAuthDovecot,
) -> None:
    user = dovecot.add_user()
    with TcpProxy(dovecot.port) as proxy:
        proxy.cut_on_command("LOGIN", when="response")  # the server logged us in; we never hear
        account = dovecot.account(user, port=proxy.port)
        assert folders_of(account) == ("INBOX",)
        assert proxy.stats.connections == 2


def test_a_non_ascii_password_signs_in_with_authenticate_plain(dovecot: OAuthDovecot) -> None:
    account = dovecot.account(UTF8_USER, password_command=f"printf %s '{UTF8_PASSWORD}'")
    assert folders_of(account) == ("INBOX",)
    assert f"user=<{UTF8_USER}>, method=PLAIN" in dovecot.log()


def test_a_wrong_non_ascii_password_is_a_refusal_naming_the_password_command(
    dovecot: OAuthDovecot,
) -> None:
    account = dovecot.account(UTF8_USER, password_command="printf %s 'Zq9vÄß€-wrong'")
    with pytest.raises(AuthError) as info:
        folders_of(account)
    assert "refused the login for utf8@example.test" in str(info.value)
    assert "check what password_command of account test prints" in str(info.value)


def test_a_non_ascii_password_without_authenticate_plain_gets_a_clear_message() -> None:
    introspection = IntrospectionServer()
    server = OAuthDovecot(introspection.url, mechanisms="login xoauth2")
    try:
        account = server.account(UTF8_USER, password_command=f"printf %s '{UTF8_PASSWORD}'")
        with pytest.raises(AuthError) as info:
            folders_of(account)
        assert "non-ASCII characters, which IMAP LOGIN cannot carry" in str(info.value)
        assert "does not offer AUTHENTICATE PLAIN" in str(info.value)
    finally:
        server.close()
        introspection.stop()


def test_a_refused_password_from_the_credentials_directory_names_that_file(
    dovecot: OAuthDovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "test").write_text("not-the-password\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    account = dovecot.account(dovecot.add_user(), password_command=None)
    with pytest.raises(AuthError) as info:
        folders_of(account)
    assert "check the credential file $CREDENTIALS_DIRECTORY/test" in str(info.value)
    assert "followup auth" not in str(info.value)
