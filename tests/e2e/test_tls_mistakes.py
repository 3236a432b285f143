"""The two ways to get `security` wrong against a real Dovecot with a plain and an
implicit-TLS listener: each is recognised at once and named, with the value to use."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.configs import acme_interview, head
from support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


def account(server: DovecotServer, user: str, port: int, security: str) -> str:
    return (
        f'[[accounts]]\nname = "work"\ntype = "imap"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "{security}"\nusername = "{user}"\n'
        f'password_command = "printf %s {server.password(user)}"\ntimeout = 30\n'
        f'tls_ca_file = "{server.cert_file}"\n\n'
    )


def followup(
    tmp_path: Path, text: str, *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    config = tmp_path / "config.toml"
    config.write_text(head(tmp_path / "state") + text + acme_interview(), "utf-8")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "followup", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize("security", ["none", "starttls"])
def test_a_plain_connection_to_the_implicit_tls_port_says_to_use_tls(
    dovecot_server: DovecotServer, tmp_path: Path, security: str
) -> None:
    user = dovecot_server.add_user()
    text = account(dovecot_server, user, dovecot_server.tls_port, security)
    done, took = followup(tmp_path, text, "check")
    out = done.stdout + done.stderr
    assert done.returncode == 75, out
    assert "expects TLS from the first byte" in out and 'set security = "tls"' in out, out
    assert "Traceback" not in out
    # Told after one greeting wait, not after the account's 30 s timeout, let alone retries.
    assert took < 25, took


def test_tls_against_the_plain_port_says_to_use_starttls(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    text = account(dovecot_server, user, dovecot_server.port, "tls")
    done, _ = followup(tmp_path, text, "check")
    out = done.stdout + done.stderr
    assert done.returncode == 75, out
    assert "plain IMAP greeting" in out and 'set security = "starttls"' in out, out
    assert "tls_ca_file" not in out  # the certificate is not the problem here


def test_the_same_mistake_in_a_cycle_fails_the_account_with_the_same_advice(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    text = account(dovecot_server, user, dovecot_server.tls_port, "none")
    done, _ = followup(tmp_path, text, "run", "--once", "--now", "2026-11-27T09:30")
    out = done.stdout + done.stderr
    assert done.returncode == 75, out
    assert 'set security = "tls" for account work' in out, out


def test_the_right_values_work_on_both_ports(dovecot_server: DovecotServer, tmp_path: Path) -> None:
    user = dovecot_server.add_user()
    for port, security in ((dovecot_server.tls_port, "tls"), (dovecot_server.port, "none")):
        done, _ = followup(tmp_path, account(dovecot_server, user, port, security), "check")
        assert done.returncode == 0, done.stdout + done.stderr
