"""The CLI against servers that lack what Dovecot has, or go silent (issues 12 and 17).

Real ``followup`` subprocesses, a real Dovecot behind ``support.imap_quirks.QuirkProxy``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support.cli import followup
from support.configs import head, imap_account
from support.dovecot import DovecotServer
from support.imap_quirks import QuirkProxy, Quirks
from support.messages import mail

pytestmark = pytest.mark.imap

BEFORE_DUE, AFTER_DUE, LATER = "2026-11-26T12:00", "2026-11-27T09:30", "2026-11-27T12:00"
LATE_REPLY = dt.datetime(2026, 11, 27, 11, tzinfo=ZoneInfo("America/New_York"))
COMPANIES = (("acme", "Acme Corp"), ("globex", "Globex"), ("initech", "Initech"))


def interviews(count: int) -> str:
    """``count`` interviews, each promised Fri 2026-11-20: all check-ins due 11-27 09:00."""
    out = ""
    for slug, company in COMPANIES[:count]:
        out += (
            f'[[interviews]]\nid = "{slug}-backend"\ncompany = "{company}"\n'
            f'role = "Backend Engineer"\ninterviewed_on = 2026-11-16\n'
            f'reply_promised_by = 2026-11-20\ncontacts = ["Dana <dana@{slug}.example>"]\n\n'
        )
    return out


class Setup:
    def __init__(self, root: Path, dovecot: DovecotServer, quirks: Quirks, count: int) -> None:
        self.dovecot = dovecot
        self.user = dovecot.add_user()
        self.proxy = QuirkProxy(dovecot.port, quirks)
        self.config = root / "config.toml"
        self.config.write_text(
            head(root / "state", stages=["check_in"])
            + imap_account(
                self.proxy.port, self.user, f"printf %s {dovecot.password(self.user)}", timeout=1
            )
            + interviews(count),
            encoding="utf-8",
        )

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return followup(self.config, *args, timeout=300)

    def drafts(self) -> dict[int, tuple[bytes, ...]]:
        with self.dovecot.client(self.user) as client:
            client.select_folder("Drafts", readonly=True)
            return dict(client.get_flags(client.search()))


@pytest.fixture
def setups(tmp_path: Path, dovecot_server: DovecotServer) -> Iterator[list[Setup]]:
    made: list[Setup] = []
    yield made
    for s in made:
        s.proxy.close()


def make(
    tmp_path: Path, dovecot: DovecotServer, made: list[Setup], quirks: Quirks, count: int = 1
) -> Setup:
    setup = Setup(tmp_path, dovecot, quirks, count)
    made.append(setup)
    return setup


def test_a_server_silent_after_the_sync_fails_the_account_once_and_run_once_exits_75(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    cli = make(tmp_path, dovecot_server, setups, Quirks(), count=3)
    first = cli("run", "--once", "--now", BEFORE_DUE)
    assert first.returncode == 0, first.stdout + first.stderr
    cli.proxy.quirks.stall_on = "SEARCH"  # the first look into Drafts gets no answer, ever
    started = time.monotonic()
    result = cli("run", "--once", "--now", AFTER_DUE)
    elapsed = time.monotonic() - started
    assert result.returncode == 75, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len([x for x in lines if x.startswith("failed: check_in")]) == 1
    skipped = [x for x in lines if "failed a write earlier in this cycle" in x]
    assert len(skipped) == 2
    assert cli.proxy.count("SEARCH") == 1  # no second draft was even looked for
    assert elapsed < 20, f"run --once took {elapsed:.1f} s"
    assert "Traceback" not in result.stderr


def test_a_refused_append_is_a_failed_write_that_status_names_and_exits_75(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    cli = make(tmp_path, dovecot_server, setups, Quirks(refuse_append="Quota exceeded"))
    result = cli("run", "--once", "--now", AFTER_DUE)
    assert result.returncode == 75, result.stdout + result.stderr
    said = 'refused to store the draft in Drafts for account mail: "Quota exceeded"'
    assert said in result.stdout
    status = cli("status", "--json", "--now", AFTER_DUE)
    (account,) = json.loads(status.stdout)["accounts"]
    assert account["ok"] is False and said in account["detail"]
    assert cli.drafts() == {}


def test_courier_style_drafts_are_written_and_check_write_proves_it(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    quirks = Quirks(refuse_append_to_examined=True, hide=frozenset({"ENABLE"}))
    cli = make(tmp_path, dovecot_server, setups, quirks)
    check = cli("check", "--write")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "write: ok, a probe draft was stored in Drafts" in check.stdout
    assert cli.drafts() == {}  # the probe is gone again
    result = cli("run", "--once", "--now", AFTER_DUE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "drafted: check_in for Acme Corp" in result.stdout
    assert [rb"\Draft" in flags for flags in cli.drafts().values()] == [True]


def test_check_says_what_a_server_lacks_and_write_refuses_without_uidplus(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    quirks = Quirks(hide=frozenset({"UIDPLUS", "IDLE"}))
    cli = make(tmp_path, dovecot_server, setups, quirks)
    check = cli("check", "--write")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "server has no UIDPLUS: drafts cannot be withdrawn after a reply" in check.stdout
    assert "server has no IDLE: new replies are seen at the next poll" in check.stdout
    assert "write: not tested: the server 127.0.0.1 lacks UIDPLUS" in check.stdout
    assert cli.drafts() == {}
    assert cli.proxy.count("APPEND") == 0


def test_check_write_fails_where_drafts_cannot_be_stored(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    cli = make(tmp_path, dovecot_server, setups, Quirks(refuse_append="Permission denied"))
    plain = cli("check")
    assert plain.returncode == 0  # reading works: only a write shows the problem
    check = cli("check", "--write")
    assert check.returncode == 75
    assert "FAILED: the server 127.0.0.1 refused to store the draft in Drafts" in check.stdout
    assert '"Permission denied"' in check.stdout


def test_without_uidplus_an_answered_draft_is_honestly_kept(
    tmp_path: Path, dovecot_server: DovecotServer, setups: list[Setup]
) -> None:
    cli = make(tmp_path, dovecot_server, setups, Quirks(hide=frozenset({"UIDPLUS"})))
    assert cli("run", "--once", "--now", AFTER_DUE).returncode == 0
    with dovecot_server.client(cli.user) as client:
        answer = mail("answer@acme.example", LATE_REPLY, sender="Dana <dana@acme.example>")
        client.append("INBOX", answer)
    result = cli("run", "--once", "--now", LATER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kept: check_in for Acme Corp" in result.stdout
    assert "without UIDPLUS" in result.stdout and "you edited it" not in result.stdout
    assert len(cli.drafts()) == 1
    status = json.loads(cli("status", "--json", "--now", LATER).stdout)
    (stage,) = status["interviews"][0]["stages"]
    assert "without UIDPLUS" in stage["reason"] and "edited" not in stage["reason"]
    again = cli("run", "--once", "--now", LATER)
    assert "kept:" not in again.stdout  # said once, not tried on every cycle
