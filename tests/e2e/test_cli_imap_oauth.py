"""The CLI and the daemon signing in to a real Dovecot with OAuth2, and with a UTF-8 password.

Every command is the real ``followup`` as a subprocess. Tokens come from a
``token_command`` or from the real ``msal`` against the local fake of Microsoft's sign-in;
Dovecot accepts exactly the tokens the introspection server was given.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support.cli import followup
from support.configs import acme_interview, head, imap_account, imap_oauth_account
from support.daemon_proc import DaemonProcess, NotifyListener
from support.dovecot_oauth import UTF8_PASSWORD, UTF8_USER, OAuthDovecot
from support.keyrings import keyring_env, no_keyring_env, read_file_keyring
from support.oauth_servers import FakeEntra, IntrospectionServer
from support.token_command import TokenCommand

pytestmark = pytest.mark.imap

NOW = "2026-11-27T09:30"  # the Acme check-in is due (holidays off: Thu 2026-11-26 09:00)


@pytest.fixture(scope="module")
def dovecot(oauth_dovecot: OAuthDovecot) -> OAuthDovecot:
    return oauth_dovecot


def write(tmp_path: Path, *accounts: str, interviews: str | None = None) -> Path:
    config = tmp_path / "config.toml"
    text = head(tmp_path / "state", stages=["check_in"], holidays=False) + "".join(accounts)
    config.write_text(text + (interviews or acme_interview()), encoding="utf-8")
    return config


def drafts(dovecot: OAuthDovecot, user: str) -> list[int]:
    with dovecot.client(user) as client:
        client.select_folder("Drafts", readonly=True)
        found: list[int] = client.search()
        return found


def test_check_says_signed_in_and_run_once_writes_the_draft_with_a_token_command(
    dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    tokens = TokenCommand(tmp_path / "tokens", "tok-a1", "tok-a2")
    introspection.accept("tok-a1", user)
    introspection.accept("tok-a2", user)
    config = write(tmp_path, imap_oauth_account(dovecot.port, user, token_command=tokens.command))
    checked = followup(config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"account mail (imap): ok; signed in as {user} (OAuth2, token_command);" in (
        checked.stdout
    )
    ran = followup(config, "run", "--once", "--now", NOW)
    assert ran.returncode == 0, ran.stderr
    assert len(drafts(dovecot, user)) == 1
    assert "Traceback" not in checked.stderr + ran.stderr


def test_a_revoked_token_shows_in_check_and_status_and_run_once_exits_75(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    tokens = TokenCommand(tmp_path / "tokens", *(f"tok-revoked-{n}" for n in range(10)))
    config = write(tmp_path, imap_oauth_account(dovecot.port, user, token_command=tokens.command))
    checked = followup(config, "check")
    assert checked.returncode == 75
    assert "account mail (imap): FAILED: IMAP account mail needs a new sign-in" in checked.stdout
    assert tokens.runs == 2  # the refused token was refreshed once
    ran = followup(config, "run", "--once", "--now", NOW)
    assert ran.returncode == 75
    status = followup(config, "status", "--now", NOW)
    assert status.returncode == 0
    assert "! account mail: IMAP account mail needs a new sign-in" in status.stdout
    assert drafts(dovecot, user) == []
    assert "Traceback" not in checked.stderr + ran.stderr + status.stderr


@pytest.mark.daemon
def test_the_daemon_serves_the_other_account_while_one_needs_a_new_sign_in(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    good, revoked = dovecot.add_user(), dovecot.add_user()
    tokens = TokenCommand(tmp_path / "tokens", *(f"tok-gone-{n}" for n in range(50)))
    config = write(
        tmp_path,
        imap_account(dovecot.port, good, f"printf %s {dovecot.password(good)}", name="mail"),
        imap_oauth_account(dovecot.port, revoked, token_command=tokens.command, name="outlook"),
        interviews=acme_interview(account="mail")
        + acme_interview(account="outlook").replace("acme-backend", "acme-outlook"),
    )
    notify = NotifyListener()
    daemon = DaemonProcess(config, ["--now", NOW], notify=notify)
    try:
        notify.wait_for(
            lambda m: "needs" in m.get("STATUS", "") or "unreachable" in m.get("STATUS", ""),
            timeout=30,
        )
        deadline = time.monotonic() + 20
        while not drafts(dovecot, good) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(drafts(dovecot, good)) == 1
        assert drafts(dovecot, revoked) == []
        time.sleep(2)
        assert daemon.proc.poll() is None
        status = followup(config, "status", "--now", NOW)
        assert "! account outlook: IMAP account outlook needs a new sign-in" in status.stdout
        runs = tokens.runs
        time.sleep(3)
        assert tokens.runs - runs <= 4, "the refused account is retried in a loop"
        daemon.signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
        assert "Traceback" not in daemon.stderr()
    finally:
        daemon.close()
        notify.close()


def test_followup_auth_explains_instead_of_prompting_when_a_command_supplies_the_secret(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        imap_oauth_account(dovecot.port, "a@example.test", token_command="oama access a"),
        imap_account(dovecot.port, "b@example.test", "pass show mail", name="pw"),
        interviews=acme_interview(account="pw"),
    )
    by_token = followup(config, "auth", "mail")
    assert by_token.returncode == 2
    assert "account mail gets its access tokens from token_command" in by_token.stderr
    by_password = followup(config, "auth", "pw")
    assert by_password.returncode == 2
    assert "account pw reads its password from password_command" in by_password.stderr
    assert "Password" not in by_token.stderr + by_password.stderr


def test_followup_auth_without_a_keyring_says_to_use_password_command_before_prompting(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    config = write(tmp_path, imap_account(dovecot.port, "a@example.test", None))
    done = followup(config, "auth", "mail", env=no_keyring_env())
    assert done.returncode == 75
    assert "no usable keyring is available on this system; set password_command" in done.stderr
    assert "Password for account" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_non_ascii_password_works_for_check_and_run_once(
    dovecot: OAuthDovecot, tmp_path: Path
) -> None:
    config = write(tmp_path, imap_account(dovecot.port, UTF8_USER, f"printf %s '{UTF8_PASSWORD}'"))
    checked = followup(config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = followup(config, "run", "--once", "--now", NOW)
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in checked.stderr + ran.stderr
    assert len(drafts_of_utf8_user(dovecot)) == 1


def drafts_of_utf8_user(dovecot: OAuthDovecot) -> list[int]:
    from imapclient import IMAPClient

    with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10) as client:
        client.plain_login(UTF8_USER, UTF8_PASSWORD)
        client.select_folder("Drafts", readonly=True)
        found: list[int] = client.search()
        return found


def test_followup_auth_signs_in_to_microsoft_and_the_account_then_works(
    dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = dovecot.add_user()
    entra = FakeEntra(introspection, user)
    try:
        keyring_file = tmp_path / "keyring.json"
        env = {**keyring_env(keyring_file), "REQUESTS_CA_BUNDLE": str(entra.cert_file)}
        config = write(
            tmp_path, imap_oauth_account(dovecot.port, user, microsoft_authority=entra.base)
        )
        full = {**os.environ, "FOLLOWUP_CONFIG": str(config), **env}
        proc = subprocess.Popen(
            [sys.executable, "-m", "followup", "auth", "mail"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=full,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the user reads the code, enters it elsewhere
        assert "https://microsoft.com/devicelogin" in first
        assert "enter the code FAKE" in first
        threading.Timer(0.5, entra.approve).start()
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert f"signed in as {user}; the sign-in is stored in the keyring" in out
        assert '"RefreshToken"' in read_file_keyring(keyring_file)["followup/mail"]
        checked = followup(config, "check", env=env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"signed in as {user} (OAuth2, Microsoft)" in checked.stdout
        ran = followup(config, "run", "--once", "--now", NOW, env=env)
        assert ran.returncode == 0, ran.stderr
        assert len(drafts(dovecot, user)) == 1
        entra.revoke_sign_in()
        revoked = followup(config, "check", env=env)
        assert revoked.returncode == 75
        assert "IMAP account mail needs `followup auth mail` (Microsoft refused" in revoked.stdout
    finally:
        entra.stop()
