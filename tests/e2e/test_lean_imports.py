"""Each command imports only what it needs: `followup status` and `check` as real processes.

What a process imported is read from its own ``-X importtime`` report, so the command runs
exactly as a user runs it. Every heavy library has its own test, so a failure names it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.configs import acme_interview, head, imap_account
from support.daemon_proc import MAILDIR_ACCOUNT, DaemonProcess, NotifyListener, make_maildir

GMAIL_ACCOUNT = """\
[[accounts]]
name = "gmail"
type = "gmail"
client_secrets_file = "{secrets}"
token_command = "cat {secrets}"
"""

# Libraries and modules a command that only reads the state (status) or only checks the
# config and the accounts it has (check, on a Maildir) never needs.
NEVER_FOR_STATUS = {
    "googleapiclient": "the Google API client",
    "google.auth": "Google's auth library",
    "google_auth_oauthlib": "Google's OAuth flow",
    "imapclient": "the IMAP library",
    "holidays": "the holidays package (its dates come from the warm cache)",
    "dateutil": "dateutil (the holidays package's date library)",
    "apscheduler": "the scheduler of the daemon",
    "keyring": "the keyring",
    "tomlkit": "the config editor of `add`",
    "email": "the email package (~16 M instructions to import)",
    "followup.mailbox.imap": "the IMAP adapter",
    "followup.mailbox.gmail": "the Gmail adapter",
    "followup.mailbox.maildir": "the Maildir adapter",
    "followup.core.parsing": "the message parser",
    "followup.core.reading": "the text and date reading rules",
}
NEVER_FOR_MAILDIR_CHECK = {
    name: why
    for name, why in NEVER_FOR_STATUS.items()
    if name
    not in ("email", "followup.mailbox.maildir", "followup.core.parsing")  # check reads mail
} | {"followup.core.matching": "the matching rules", "followup.engine": "the engine"}


def imported_by(config: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """Every module ``followup --config CONFIG ARGS`` imported, from its importtime report."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "followup", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return modules_in(done.stderr)


def modules_in(importtime_report: str) -> set[str]:
    names = set()
    for line in importtime_report.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    names.discard("imported package")  # the report's header line
    return names


def loaded(names: set[str], module: str) -> bool:
    return any(n == module or n.startswith(module + ".") for n in names)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A Maildir config after one cycle (state filled, holiday cache warm), and a config
    over the same state that also names an IMAP and a Gmail account."""
    root = tmp_path_factory.mktemp("lean")
    mail = make_maildir(root / "Mail")
    secrets = root / "client_secret.json"
    secrets.write_text('{"installed": {"client_id": "x", "client_secret": "y"}}', "utf-8")
    maildir = root / "maildir.toml"
    maildir.write_text(
        head(root / "state") + MAILDIR_ACCOUNT.format(path=mail) + acme_interview(), "utf-8"
    )
    every = root / "every.toml"
    every.write_text(
        head(root / "state")
        + MAILDIR_ACCOUNT.format(path=mail)
        + imap_account(1, "jordan", "echo never-used", name="imap")
        + GMAIL_ACCOUNT.format(secrets=secrets)
        + acme_interview(account="mail"),
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "followup", "--config", str(maildir), "run", "--once"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return maildir, every


@pytest.fixture(scope="module")
def status_imports(setup: tuple[Path, Path]) -> set[str]:
    """A second `status` under a config the daemon never ran with (the first one matched
    and kept what it found)."""
    imported_by(setup[1], "status")
    return imported_by(setup[1], "status")


@pytest.fixture(scope="module")
def check_imports(setup: tuple[Path, Path]) -> set[str]:
    return imported_by(setup[0], "check")


@pytest.mark.parametrize("module", sorted(NEVER_FOR_STATUS))
def test_status_never_imports(module: str, status_imports: set[str]) -> None:
    assert not loaded(status_imports, module), f"status imported {NEVER_FOR_STATUS[module]}"


@pytest.mark.parametrize("module", sorted(NEVER_FOR_MAILDIR_CHECK))
def test_check_of_a_maildir_account_never_imports(module: str, check_imports: set[str]) -> None:
    assert not loaded(check_imports, module), f"check imported {NEVER_FOR_MAILDIR_CHECK[module]}"


def test_status_never_imports_the_matching_rules(status_imports: set[str]) -> None:
    assert not loaded(status_imports, "followup.core.matching")


def test_status_right_after_a_cycle_plans_from_what_the_cycle_derived(
    setup: tuple[Path, Path],
) -> None:
    assert not loaded(imported_by(setup[0], "status"), "followup.core.matching")


def test_status_after_the_interviews_changed_matches_again_once(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    changed = tmp_path / "changed.toml"
    changed.write_text(setup[0].read_text("utf-8").replace('role = "', 'role = "Senior '), "utf-8")
    assert loaded(imported_by(changed, "status"), "followup.core.matching")
    assert not loaded(imported_by(changed, "status"), "followup.core.matching")


def test_status_with_a_cold_cache_asks_the_package_once_then_never_again(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    cold = {"XDG_CACHE_HOME": str(tmp_path / "cold")}
    first = imported_by(setup[0], "status", env=cold)
    assert loaded(first, "holidays")  # nothing cached yet: the package answers once
    assert list((tmp_path / "cold" / "followup").glob("holidays-US.json"))
    assert not loaded(imported_by(setup[0], "status", env=cold), "holidays")


@pytest.mark.daemon
def test_the_daemon_with_a_cold_cache_computes_the_holidays_in_a_child(tmp_path: Path) -> None:
    mail = make_maildir(tmp_path / "Mail")
    config = tmp_path / "config.toml"
    config.write_text(
        head(tmp_path / "state") + MAILDIR_ACCOUNT.format(path=mail) + acme_interview(), "utf-8"
    )
    cache = tmp_path / "cache"
    notify = NotifyListener()
    daemon = DaemonProcess(
        config,
        ["--now", "2026-11-26T12:00"],
        notify=notify,
        env={"XDG_CACHE_HOME": str(cache), "PYTHONPROFILEIMPORTTIME": "1"},
    )
    try:
        notify.wait_for(lambda m: m.get("READY") == "1", timeout=30)
        assert list((cache / "followup").glob("holidays-US.json")), daemon.stderr()
        assert daemon.stop() == 0
        imports = modules_in(daemon.stderr())
        assert "followup.service.daemon" in imports  # the report is the daemon's own
        assert not loaded(imports, "holidays")  # (dateutil may come with the calendar file)
    finally:
        daemon.close()
        notify.close()
