"""Through the real CLI: ``run --once`` runs the notify command, ``calendar``, ``completion``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from followup.core.agenda import promise_uid, stage_uid
from support.maildir_env import AFTER_DUE, BEFORE_DUE, Env

FOLLOWUP = Path(sys.executable).with_name("followup")  # the installed entry point


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


def with_notify(env: Env, table: str) -> None:
    env.config.write_text(env.config.read_text() + "\n[notify]\n" + table)


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_run_once_runs_the_notify_command_with_the_event_in_its_environment(env: Env) -> None:
    out = env.root / "events"
    out.mkdir()
    with_notify(
        env,
        f"desktop = false\ncommand = 'env | grep ^FOLLOWUP_ > {out}/\"$FOLLOWUP_EVENT\".env'\n",
    )
    env.run(BEFORE_DUE)
    assert list(out.iterdir()) == []
    env.run(AFTER_DUE)
    (found,) = out.iterdir()
    variables = read_env(found)
    assert variables["FOLLOWUP_EVENT"] == "draft_written"
    assert variables["FOLLOWUP_INTERVIEW"] == "acme-backend"
    assert variables["FOLLOWUP_COMPANY"] == "Acme Corp"
    assert variables["FOLLOWUP_ROLE"] == "Backend Engineer"
    assert variables["FOLLOWUP_STAGE"] == "check_in"
    assert variables["FOLLOWUP_PERSON"] == "Dana Whitfield"
    assert variables["FOLLOWUP_TITLE"] == "Follow-up draft ready — Acme Corp"
    assert variables["FOLLOWUP_TEXT"].startswith("drafted check_in for Acme Corp (acme-backend)")
    assert variables["FOLLOWUP_KIND"] == ""
    found.unlink()
    env.run("2026-11-27T10:00")
    assert list(out.iterdir()) == []  # told once


def test_a_dry_run_tells_nothing(env: Env) -> None:
    marker = env.root / "told"
    with_notify(env, f"desktop = false\ncommand = 'touch {marker}'\n")
    env.run(BEFORE_DUE)
    env.run(AFTER_DUE, "--dry-run")
    assert not marker.exists()
    env.run(AFTER_DUE)
    assert marker.exists()


def test_a_failing_notify_command_is_logged_and_the_run_still_succeeds(env: Env) -> None:
    with_notify(env, "desktop = false\ncommand = 'echo no route to ntfy >&2; exit 7'\n")
    env.run(BEFORE_DUE)
    result = env.run(AFTER_DUE)
    assert "notify command failed with exit status 7" in result.stderr
    assert "no route to ntfy" in result.stderr
    assert len(env.drafts()) == 1


def calendar_events(data: bytes) -> dict[str, icalendar.Component]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_calendar_writes_the_upcoming_stages_with_stable_uids(env: Env) -> None:
    env.run(BEFORE_DUE)
    out = env.root / "cal" / "followup.ics"
    result = env.followup("calendar", "--now", BEFORE_DUE, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}: 2 event(s)\n"
    first = calendar_events(out.read_bytes())
    check_in = stage_uid("acme-backend", "check_in", "jordan@example.com")
    promise = promise_uid("acme-backend", "jordan@example.com")
    assert set(first) == {check_in, promise}
    assert first[check_in].decoded("DTSTART").isoformat() == "2026-11-27T09:00:00-05:00"
    again = env.followup("calendar", "--now", BEFORE_DUE)  # to standard output
    assert again.returncode == 0, again.stderr
    second = calendar_events(again.stdout.encode())
    assert set(second) == set(first)
    assert {u: str(e["SUMMARY"]) for u, e in second.items()} == {
        u: str(e["SUMMARY"]) for u, e in first.items()
    }
    env.run(AFTER_DUE)
    after = env.followup("calendar", "--now", AFTER_DUE)
    assert calendar_events(after.stdout.encode()) == {}


def test_calendar_into_a_file_that_cannot_be_written_exits_73(env: Env) -> None:
    blocker = env.root / "not-a-dir"
    blocker.write_text("")
    result = env.followup("calendar", "-o", str(blocker / "followup.ics"))
    assert result.returncode == 73
    assert result.stderr.startswith(f"followup: cannot write {blocker}/followup.ics")
    assert "Traceback" not in result.stderr


def test_status_loads_neither_the_calendar_nor_the_d_bus_library(env: Env) -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom followup.cli.main import main\n"
        f"r = CliRunner().invoke(main, ['--config', {str(env.config)!r}, 'status', '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('icalendar', 'jeepney') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().replace("'", '"')) == []


@pytest.mark.parametrize(
    ("shell", "hook"),
    [
        ("bash", "complete -o nosort -F _followup_completion followup"),
        ("zsh", "#compdef followup"),
        ("fish", 'complete --no-files --command followup --arguments "(_followup_completion)"'),
    ],
)
def test_completion_prints_the_script_for_each_shell(shell: str, hook: str) -> None:
    done = subprocess.run([FOLLOWUP, "completion", shell], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert hook in done.stdout
    assert f"_FOLLOWUP_COMPLETE={shell}_" in done.stdout  # it asks followup itself


def test_the_bash_completion_script_completes_commands_and_options() -> None:
    script = (
        f'PATH="{FOLLOWUP.parent}:$PATH"\n'
        "source <(followup completion bash)\n"
        "complete -p followup\n"
        "COMP_WORDS=(followup cal); COMP_CWORD=1; _followup_completion followup\n"
        'echo "commands: ${COMPREPLY[*]}"\n'
        "COMPREPLY=(); COMP_WORDS=(followup calendar --n); COMP_CWORD=2; _followup_completion followup\n"
        'echo "options: ${COMPREPLY[*]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env={**os.environ}, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("complete -o nosort -F _followup_completion followup")
    assert "commands: calendar" in lines
    assert "options: --now" in lines


def test_an_unknown_shell_is_a_usage_error() -> None:
    done = subprocess.run([FOLLOWUP, "completion", "tcsh"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in done.stderr
