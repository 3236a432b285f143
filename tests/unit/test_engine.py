"""engine.run_once in-process: one account's failure never stops another's work."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from followup.config import MaildirAccount, load_config
from followup.core.errors import CredentialsUnavailable
from followup.core.model import FolderInfo
from followup.engine import run_once
from followup.mailbox.maildir import MaildirMailbox
from followup.store import Store
from support.maildir_env import NY, Env


class LockedKeyring(MaildirMailbox):
    """An account whose secret cannot be read (a locked keyring, a Gmail token gone)."""

    def folders(self) -> FolderInfo:
        raise CredentialsUnavailable("the keyring is locked; unlock it or use password_command")


def test_an_account_without_credentials_is_reported_and_the_other_account_still_drafts(
    tmp_path: Path,
) -> None:
    env = Env(tmp_path)
    config = load_config(env.config)
    good = config.accounts[0]
    assert isinstance(good, MaildirAccount)
    bad = replace(good, name="other")
    config = replace(config, accounts=(good, bad))
    store = Store.in_dir(config.daemon.state_dir)
    try:
        boxes = {"local": MaildirMailbox(good), "other": LockedKeyring(bad)}
        report = run_once(config, boxes, store, dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY))
        health = store.account_health()
    finally:
        store.close()
    assert "keyring is locked" in report.account_errors["other"]
    assert [a.outcome for a in report.actions] == ["drafted"]
    assert health["other"].ok is False and health["local"].ok is True
    assert len(env.drafts()) == 1


def test_an_account_is_checked_even_when_no_interview_is_active(tmp_path: Path) -> None:
    env = Env(tmp_path)
    env.config.write_text(env.config.read_text() + "closed = true\n")
    config = load_config(env.config)
    account = config.accounts[0]
    assert isinstance(account, MaildirAccount)
    missing = replace(account, path=tmp_path / "nowhere")
    store = Store.in_dir(config.daemon.state_dir)
    try:
        report = run_once(
            replace(config, accounts=(missing,)),
            {"local": MaildirMailbox(missing)},
            store,
            dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY),
        )
    finally:
        store.close()
    assert "does not exist" in report.account_errors["local"]
