"""The whole loop through the real CLI against a real Dovecot and the fake Gmail server."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support.cli import followup
from support.configs import acme_interview, head, imap_account
from support.dovecot import DovecotServer
from support.fake_gmail import FakeGmailServer
from support.messages import DANA, ME, mail

NY = ZoneInfo("America/New_York")
BEFORE_DUE, AFTER_DUE, LATER = "2026-11-26T12:00", "2026-11-27T09:30", "2026-11-27T12:00"
THANK_YOU = mail(
    "ty@example.com",
    dt.datetime(2026, 11, 16, 18, tzinfo=NY),
    sender=ME,
    to=DANA,
    subject="Thank you for today",
)
REPLY = mail(
    "answer@acme.example",
    dt.datetime(2026, 11, 27, 11, tzinfo=NY),
    in_reply_to="ty@example.com",
    subject="Re: Thank you for today",
)


def base(tmp_path: Path) -> str:
    return head(tmp_path / "state", stages=["check_in"]) + acme_interview() + "\n"


class Cli:
    def __init__(self, root: Path, config_text: str) -> None:
        self.config = root / "config.toml"
        self.config.write_text(config_text, encoding="utf-8")

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return followup(self.config, *args, timeout=120)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def check_in(self, now: str) -> dict[str, object]:
        (iv,) = json.loads(self.ok("status", "--json", "--now", now))["interviews"]
        stage: dict[str, object] = iv["stages"][0]
        return stage


# --- IMAP -----------------------------------------------------------------------------------


def dovecot_account(server: DovecotServer, user: str, password: str) -> str:
    return imap_account(server.port, user, f"printf %s {password}")


def server_drafts(server: DovecotServer, user: str) -> dict[int, dict[bytes, object]]:
    with server.client(user) as client:
        client.select_folder("Drafts", readonly=True)
        uids = client.search(["ALL"])
        found: dict[int, dict[bytes, object]] = (
            client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER]"]) if uids else {}
        )
        return found


@pytest.mark.imap
def test_the_whole_loop_works_against_dovecot_through_the_cli(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    with dovecot_server.client(user) as client:
        client.append("Sent", THANK_YOU, flags=[rb"\Seen"])
    cli = Cli(
        tmp_path,
        base(tmp_path) + dovecot_account(dovecot_server, user, dovecot_server.password(user)),
    )

    checked = cli.ok("check")
    assert "Drafts: Drafts" in checked and "Sent: Sent" in checked

    cli.ok("run", "--once", "--now", BEFORE_DUE)
    assert server_drafts(dovecot_server, user) == {}
    assert cli.check_in(BEFORE_DUE)["state"] == "scheduled"

    assert "drafted: check_in for Acme Corp" in cli.ok("run", "--once", "--now", AFTER_DUE)
    ((uid, data),) = server_drafts(dovecot_server, user).items()
    assert rb"\Draft" in data[b"FLAGS"]  # type: ignore[operator]
    header = data[b"BODY[HEADER]"]
    assert isinstance(header, bytes)
    assert (
        b"In-Reply-To: <ty@example.com>" in header and b"Subject: Re: Thank you for today" in header
    )
    cli.ok("run", "--once", "--now", "2026-11-27T10:00")
    assert list(server_drafts(dovecot_server, user)) == [uid]

    with dovecot_server.client(user) as client:
        client.append("INBOX", REPLY)
    assert "withdrawn: check_in" in cli.ok("run", "--once", "--now", LATER)
    assert server_drafts(dovecot_server, user) == {}
    assert cli.check_in(LATER)["state"] == "withdrawn"


@pytest.mark.imap
def test_a_wrong_password_exits_75_with_one_clear_sentence(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot_server.add_user()
    cli = Cli(
        tmp_path,
        base(tmp_path) + dovecot_account(dovecot_server, user, "not-it"),
    )
    for args in (("run", "--once", "--now", AFTER_DUE), ("check",)):
        result = cli(*args)
        assert result.returncode == 75
        assert "refused the login" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "not-it" not in result.stdout + result.stderr
    status = cli.ok("status", "--now", AFTER_DUE)
    assert "! account mail:" in status and "refused the login" in status


# --- Gmail ----------------------------------------------------------------------------------


@pytest.fixture
def gmail() -> Iterator[FakeGmailServer]:
    server = FakeGmailServer.start()
    yield server
    server.stop()


def gmail_cli(gmail: FakeGmailServer, tmp_path: Path) -> Cli:
    token = tmp_path / "token.json"
    token.write_text(gmail.token_json(), encoding="utf-8")
    secrets = tmp_path / "client_secret.json"
    secrets.write_text('{"installed": {"client_id": "x", "client_secret": "y"}}')
    account = (
        f'[[accounts]]\nname = "gmail"\ntype = "gmail"\nclient_secrets_file = "{secrets}"\n'
        f'token_command = "cat {token}"\napi_endpoint = "{gmail.url}"\n'
    )
    return Cli(tmp_path, base(tmp_path) + account)


@pytest.mark.gmail
def test_the_whole_loop_works_against_the_fake_gmail_through_the_cli(
    gmail: FakeGmailServer, tmp_path: Path
) -> None:
    fake = gmail.fake
    sent_id = fake.add_message(THANK_YOU, ["SENT"])
    thread = fake.messages[sent_id].thread_id
    cli = gmail_cli(gmail, tmp_path)
    assert "account gmail (gmail): ok" in cli.ok("check")

    cli.ok("run", "--once", "--now", BEFORE_DUE)
    assert fake.drafts == {}
    cli.ok("run", "--once", "--now", AFTER_DUE)
    ((_, message_id),) = fake.drafts.items()
    assert fake.messages[message_id].thread_id == thread
    cli.ok("run", "--once", "--now", "2026-11-27T10:00")
    assert len(fake.drafts) == 1

    fake.add_message(REPLY, ["INBOX", "UNREAD"])
    assert "withdrawn: check_in" in cli.ok("run", "--once", "--now", LATER)
    assert fake.drafts == {}
    assert not [p for p in fake.paths() if "/send" in p]


@pytest.mark.gmail
def test_a_revoked_gmail_token_shows_as_needing_followup_auth(
    gmail: FakeGmailServer, tmp_path: Path
) -> None:
    gmail.fake.token_error = "invalid_grant"
    cli = gmail_cli(gmail, tmp_path)
    result = cli("run", "--once", "--now", AFTER_DUE)
    assert result.returncode == 75
    assert "Traceback" not in result.stderr
    assert "followup auth gmail" in cli.ok("status", "--now", AFTER_DUE)
    checked = cli("check")
    assert checked.returncode == 75 and "followup auth gmail" in checked.stdout
