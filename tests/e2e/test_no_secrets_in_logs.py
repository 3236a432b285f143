"""Promise 5: at the loudest verbosity, no password or token ever reaches the output.

Every command runs as a subprocess at ``-vvv`` (imapclient then logs each IMAP command,
LOGIN included) against a real Dovecot and the fake Gmail server; everything it prints,
and the state database it leaves behind, is searched for each secret and the encodings
a protocol log would show it in.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.configs import acme_interview, head, imap_account, imap_oauth_account
from support.dovecot import DovecotServer
from support.dovecot_oauth import OAuthDovecot
from support.fake_gmail import FakeGmailServer
from support.keyrings import keyring_env, read_file_keyring
from support.oauth_servers import FakeEntra, IntrospectionServer
from support.token_command import TokenCommand

NOW = "2026-11-27T09:30"
WRONG_PASSWORD = "Wr0ng-Horse-Battery-7731"
LOG_NAME = "followup-output.log"  # what the tests here write; the last test scans them all

GMAIL_ACCOUNT = """\
[[accounts]]
name = "gmail"
type = "gmail"
client_secrets_file = "{secrets}"
token_command = "cat {token}"
api_endpoint = "{url}"
"""


def encodings(secret: str, user: str = "") -> set[str]:
    """The secret as it could appear in a protocol log: plain, quoted, SASL base64.

    With a user, also the SASL initial responses that carry it: PLAIN, and XOAUTH2 and
    OAUTHBEARER for a token.
    """
    forms = {secret, repr(secret), secret.replace("/", "\\/")}
    if user:
        sasl = (
            f"\0{user}\0{secret}",
            f"{user}\0{user}\0{secret}",
            f"user={user}\1auth=Bearer {secret}\1\1",
        )
        forms.update(base64.b64encode(s.encode()).decode() for s in sasl)
    return {f for f in forms if f}


class Run:
    """Runs followup at -vvv and keeps everything it printed in ``LOG_NAME``."""

    def __init__(self, root: Path, config_text: str, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.config = root / "config.toml"
        self.config.write_text(config_text, encoding="utf-8")
        self.log = root / LOG_NAME
        self.env = env or {}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FOLLOWUP_CONFIG": str(self.config), **self.env}
        env.pop("FOLLOWUP_FAULTS", None)
        done = subprocess.run(
            [sys.executable, "-m", "followup", "-vvv", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=90,
        )
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ followup -vvv {' '.join(args)} -> {done.returncode}\n")
            fh.write(done.stdout + done.stderr)
        return done

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def state_bytes(self) -> bytes:
        return b"".join(p.read_bytes() for p in (self.root / "state").glob("state.sqlite3*"))


def assert_absent(secrets: set[str], text: str, where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret ({secret[:3]}…) appears in {where}"


@pytest.fixture
def imap_user(dovecot_server: DovecotServer) -> Iterator[str]:
    user = dovecot_server.add_user()
    with dovecot_server.client(user) as client:
        client.append(
            "INBOX",
            b"From: Dana <dana@acme.example>\r\nTo: jordan@example.com\r\nSubject: Hi\r\n"
            b"Date: Tue, 24 Nov 2026 10:00:00 -0500\r\nMessage-ID: <hi@acme.example>\r\n\r\nHi\r\n",
        )
    yield user


@pytest.fixture
def gmail() -> Iterator[FakeGmailServer]:
    server = FakeGmailServer.start()
    yield server
    server.stop()


def imap_config(server: DovecotServer, user: str, state: Path, command: str | None) -> str:
    return (
        head(state, stages=["check_in"], holidays=False)
        + imap_account(server.port, user, command)
        + acme_interview(account="mail")
    )


def test_imap_commands_at_full_verbosity_never_show_the_password(
    dovecot_server: DovecotServer, imap_user: str, tmp_path: Path
) -> None:
    password = dovecot_server.password(imap_user)
    run = Run(
        tmp_path,
        imap_config(dovecot_server, imap_user, tmp_path / "state", f"echo {password}"),
    )
    assert run("check").returncode == 0
    assert run("run", "--once", "--now", NOW).returncode == 0
    assert run("run", "--once", "--now", "2026-11-27T10:00").returncode == 0
    assert run("status", "--now", NOW).returncode == 0
    assert run("status", "--json").returncode == 0
    out = run.output()
    assert "LOGIN" in out, "-vvv should show the IMAP protocol, or this test proves nothing"
    assert_absent(encodings(password, imap_user), out, "the output")
    assert_absent(encodings(password, imap_user), run.state_bytes().decode("latin-1"), "state")


def test_a_refused_password_is_not_echoed_in_the_error(
    dovecot_server: DovecotServer, imap_user: str, tmp_path: Path
) -> None:
    run = Run(
        tmp_path,
        imap_config(
            dovecot_server,
            imap_user,
            tmp_path / "state",
            f"printf %s {WRONG_PASSWORD}",
        ),
    )
    checked = run("check")
    assert checked.returncode == 75
    ran = run("run", "--once", "--now", NOW)
    assert ran.returncode == 75
    assert "refused the login" in ran.stderr + ran.stdout
    assert_absent(encodings(WRONG_PASSWORD, imap_user), run.output(), "the output")


def test_a_password_from_the_credentials_directory_stays_out_of_the_output(
    dovecot_server: DovecotServer, imap_user: str, tmp_path: Path
) -> None:
    password = dovecot_server.password(imap_user)
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "mail").write_text(password + "\n", encoding="utf-8")
    run = Run(
        tmp_path,
        imap_config(dovecot_server, imap_user, tmp_path / "state", None),
        env={"CREDENTIALS_DIRECTORY": str(creds)},
    )
    assert run("check").returncode == 0
    assert run("run", "--once", "--now", NOW).returncode == 0
    assert_absent(encodings(password, imap_user), run.output(), "the output")


def test_a_failing_password_command_does_not_leak_what_it_printed(
    dovecot_server: DovecotServer, imap_user: str, tmp_path: Path
) -> None:
    """A password manager that prints the secret and then fails must not get it logged."""
    run = Run(
        tmp_path,
        imap_config(
            dovecot_server,
            imap_user,
            tmp_path / "state",
            f"echo {WRONG_PASSWORD}; echo 'vault locked' >&2; exit 3",
        ),
    )
    done = run("run", "--once", "--now", NOW)
    assert done.returncode == 75
    assert "vault locked" in done.stderr + done.stdout
    assert_absent(encodings(WRONG_PASSWORD), run.output(), "the output")


def test_gmail_commands_at_full_verbosity_never_show_a_token(
    gmail: FakeGmailServer, tmp_path: Path
) -> None:
    token = tmp_path / "token.json"
    token.write_text(gmail.token_json(), encoding="utf-8")
    secrets_file = tmp_path / "client_secret.json"
    secrets_file.write_text('{"installed": {"client_id": "x", "client_secret": "y"}}')
    config = (
        head(tmp_path / "state", stages=["check_in"], holidays=False)
        + GMAIL_ACCOUNT.format(secrets=secrets_file, token=token, url=gmail.url)
        + acme_interview(account="gmail")
    )
    run = Run(tmp_path, config)
    assert run("check").returncode == 0
    assert run("run", "--once", "--now", NOW).returncode == 0
    assert run("status").returncode == 0
    fake = gmail.fake
    assert fake.token_requests >= 1, "the token was never used, so this test proves nothing"
    access = set(fake.valid_tokens)
    secrets = {"1//fake-refresh", "fake-secret", gmail.token_json(), *access}
    out = run.output()
    assert_absent(secrets, out, "the output")
    assert_absent(secrets, run.state_bytes().decode("latin-1"), "state")


def test_oauth2_tokens_from_token_command_never_show_even_when_one_is_refused(
    oauth_dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = oauth_dovecot.add_user()
    refused, good = "tok-secret-refused-1", "tok-secret-good-2"
    introspection.accept(good, user)
    tokens = TokenCommand(tmp_path / "tokens", refused, good, good, good, good)
    config = (
        head(tmp_path / "state", stages=["check_in"], holidays=False)
        + imap_oauth_account(oauth_dovecot.port, user, token_command=tokens.command)
        + acme_interview(account="mail")
    )
    run = Run(tmp_path, config)
    assert run("check").returncode == 0
    assert run("run", "--once", "--now", NOW).returncode == 0
    assert tokens.runs >= 2, "the refused token was never refreshed, so this proves less"
    out = run.output()
    assert "AUTHENTICATE" in out, "-vvv should show the IMAP protocol, or this test proves nothing"
    for token in (refused, good):
        assert_absent(encodings(token, user), out, "the output")
        assert_absent(encodings(token, user), run.state_bytes().decode("latin-1"), "state")


def test_a_microsoft_sign_in_never_shows_a_token_or_the_device_code(
    oauth_dovecot: OAuthDovecot, introspection: IntrospectionServer, tmp_path: Path
) -> None:
    user = oauth_dovecot.add_user()
    entra = FakeEntra(introspection, user)
    try:
        keyring_file = tmp_path / "keyring.json"
        env = {**keyring_env(keyring_file), "REQUESTS_CA_BUNDLE": str(entra.cert_file)}
        entra.access_lifetime = 60  # so every run refreshes it
        config = (
            head(tmp_path / "state", stages=["check_in"], holidays=False)
            + imap_oauth_account(oauth_dovecot.port, user, microsoft_authority=entra.base)
            + acme_interview(account="mail")
        )
        run = Run(tmp_path, config, env=env)
        entra.approve()  # the user is quick: the first poll gets the tokens
        assert run("auth", "mail").returncode == 0
        assert run("check").returncode == 0
        entra.expire_access_tokens()  # refused once, refreshed once
        assert run("run", "--once", "--now", NOW).returncode == 0
        assert entra.grants("refresh_token") >= 2
        secrets = {
            *entra.access_tokens,
            *entra.refresh_tokens,
            read_file_keyring(keyring_file)["followup/mail"],
        }
        secrets.update(f"device-code-{r}-secret" for r in ("FAKE0001",))
        out = run.output()
        assert "FAKE0001" in out, "the user code is shown to the user, on purpose"
        for secret in secrets:
            assert_absent(encodings(secret, user), out, "the output")
            assert_absent(encodings(secret, user), run.state_bytes().decode("latin-1"), "state")
    finally:
        entra.stop()


SECRET_PATTERNS = (
    re.compile(r"pw-user\d+"),  # every Dovecot test password (support.dovecot)
    re.compile(re.escape(WRONG_PASSWORD)),
    re.compile(r"1//fake-refresh|ya29\.fake-\d+|fake-secret"),  # the fake Gmail's tokens
    re.compile(r"tok-secret-\w+"),  # the token_command tokens above
    re.compile(r"EwA-fake-access-\d+|M\.C5-fake-refresh-\d+|device-code-FAKE\d+-secret"),  # Entra
)
SCANNED = ("*.log", "*.err", "*.stderr", "state.sqlite3", "state.sqlite3-wal")


def test_no_output_or_state_left_by_any_test_of_this_session_holds_a_secret(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Scans followup's own leftovers only (Dovecot's logs live elsewhere and are not ours)."""
    base = tmp_path_factory.getbasetemp()
    scanned = 0
    for pattern in SCANNED:
        for path in base.rglob(pattern):
            text = path.read_bytes().decode("latin-1")
            for secret in SECRET_PATTERNS:
                found = secret.search(text)
                assert found is None, f"{path} holds a secret: {found.group(0)[:3]}…"
            scanned += 1
    assert scanned >= 3, "the tests above should have left their output to scan"
