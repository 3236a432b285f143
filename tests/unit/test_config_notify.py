"""The [notify] table: its defaults, and its problems reported with their key paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup.config import NotifyConfig, parse_config
from followup.core.errors import ConfigError

BASE = """
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"

[schedule]
timezone = "America/New_York"

[[accounts]]
name = "mail"
type = "maildir"
path = "/srv/mail/jordan"
"""


def load(extra: str) -> NotifyConfig:
    return parse_config(BASE + extra, Path("/etc/followup/test.toml")).notify


def problems(extra: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(extra)
    return info.value.problems


def test_without_a_notify_table_desktop_is_on_and_there_is_no_command() -> None:
    assert load("") == NotifyConfig(
        desktop=True, command=None, command_timeout=dt.timedelta(seconds=30)
    )


def test_every_notify_key_is_read() -> None:
    notify = load(
        '[notify]\ndesktop = false\ncommand = "ntfy publish me \\"$FOLLOWUP_TEXT\\""\n'
        'command_timeout = "2m"\n'
    )
    assert notify == NotifyConfig(
        desktop=False,
        command='ntfy publish me "$FOLLOWUP_TEXT"',
        command_timeout=dt.timedelta(minutes=2),
    )


def test_bad_notify_values_are_each_reported_at_their_key() -> None:
    found = problems('[notify]\ndesktop = "yes"\ncommand = ""\ncommand_timeout = "soon"\n')
    assert len(found) == 3
    assert found[0].startswith("at 'notify.desktop': expected true or false")
    assert found[1] == "at 'notify.command': must not be empty"
    assert found[2].startswith("at 'notify.command_timeout': expected a duration")


def test_an_unknown_notify_key_gets_a_hint() -> None:
    (problem,) = problems('[notify]\ncomand = "x"\n')
    assert problem == "at 'notify.comand': unknown key (did you mean \"command\"?)"
