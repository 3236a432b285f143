"""`followup add` as a user types it: every problem named by its option, with the value
given and the form that works; the config is never touched by a refused add."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.maildir_env import Env

BASE = ("add", "--id", "globex-sre", "--company", "Globex", "--role", "SRE")
GOOD_DAY = ("--interviewed-on", "2026-11-18")


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


@pytest.mark.parametrize(
    ("options", "told"),
    [
        (("--interviewed-on", "11/20/2026"),
         '--interviewed-on: expected YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got "11/20/2026"'),
        ((*GOOD_DAY, "--reply-promised-by", "next Friday"),
         '--reply-promised-by: expected YYYY-MM-DD, got "next Friday"'),
        (("--interviewed-on", "2026-02-30"), "--interviewed-on: 2026-02-30 is not a day on the calendar"),
        ((*GOOD_DAY, "--reply-promised-by", "2026-13-01"),
         "--reply-promised-by: 2026-13-01 is not a day on the calendar"),
        ((*GOOD_DAY, "--contact", "Okafor, Sam <sam@globex.example>"),
         """--contact "Okafor, Sam <sam@globex.example>": a name with ',' in it needs quotes """
         """around it; use --contact '"Okafor, Sam" <sam@globex.example>'"""),
        ((*GOOD_DAY, "--contact", "sam at globex"),
         '--contact "sam at globex": expected "Name <name@company.com>"'),
        ((*GOOD_DAY, "--domain", "globex"), '--domain "globex": expected a mail domain'),
        ((*GOOD_DAY, "--account", "work"), '--account: no account named "work"'),
    ],
)  # fmt: skip
def test_a_bad_option_is_named_with_its_value_and_nothing_is_written(
    env: Env, options: tuple[str, ...], told: str
) -> None:
    before = env.config.read_bytes()
    result = env.followup(*BASE, *options)
    assert result.returncode == 2, result.stderr
    assert told in result.stderr
    assert "interviews[" not in result.stderr  # an index the user never typed
    assert "Traceback" not in result.stderr and "isoformat" not in result.stderr
    assert env.config.read_bytes() == before


def test_every_bad_option_is_told_at_once(env: Env) -> None:
    result = env.followup(*BASE, "--interviewed-on", "yesterday", "--reply-promised-by", "soon")
    assert result.returncode == 2
    assert "2 problems with the options" in result.stderr
    assert "--interviewed-on" in result.stderr and "--reply-promised-by" in result.stderr


def test_the_suggested_quoted_contact_is_accepted_as_is(env: Env) -> None:
    result = env.followup(*BASE, *GOOD_DAY, "--contact", '"Okafor, Sam" <sam@globex.example>')
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # a contact: no warning


def test_an_interview_without_a_contact_is_added_with_a_warning_saying_what_it_means(
    env: Env,
) -> None:
    result = env.followup(*BASE, *GOOD_DAY)
    assert result.returncode == 0, result.stderr
    assert "added interview globex-sre" in result.stdout
    assert "has neither --contact nor --domain" in result.stderr
    assert "no one to write a follow-up to" in result.stderr
    with_domain = env.followup(
        "add", "--id", "initech", "--company", "Initech", "--role", "SRE", *GOOD_DAY,
        "--domain", "initech.example",
    )  # fmt: skip
    assert with_domain.returncode == 0
    assert "no follow-up is drafted until someone from there has written" in with_domain.stderr


def test_a_broken_config_file_is_still_told_with_its_keys_and_exit_78(env: Env) -> None:
    env.config.write_text(env.config.read_text().replace('"America/New_York"', '"Mars/Base"'))
    result = env.followup(*BASE, *GOOD_DAY)
    assert result.returncode == 78
    assert "at 'schedule.timezone'" in result.stderr
