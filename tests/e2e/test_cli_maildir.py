"""End to end through the real CLI (a subprocess) on a temporary Maildir."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.maildir_env import AFTER_DUE, BEFORE_DUE, NY, Env
from support.maildir_harness import message_id_of
from support.messages import mail


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


def test_nothing_is_drafted_before_the_due_time(env: Env) -> None:
    env.run(BEFORE_DUE)
    assert env.drafts() == []
    stage = env.stage(BEFORE_DUE, "check_in")
    assert stage["state"] == "scheduled"
    assert stage["due"] == "2026-11-27T09:00:00-05:00"


def test_a_silent_employer_gets_exactly_one_threaded_draft_with_the_draft_flag(env: Env) -> None:
    out = env.run(AFTER_DUE)
    assert "drafted: check_in for Acme Corp" in out.stdout
    (draft,) = env.drafts()
    assert draft.name.endswith(":2,D")
    raw = draft.read_bytes()
    assert b"Subject: Re: Thank you for today" in raw
    assert b"In-Reply-To: <ty@example.com>" in raw
    assert b"To: Dana Whitfield <dana@acme.example>" in raw
    assert b"\nX-" not in raw
    assert env.stage(AFTER_DUE, "check_in")["state"] == "drafted"
    env.run("2026-11-27T10:00")
    env.run("2026-11-28T10:00")
    assert len(env.drafts()) == 1


def test_a_draft_the_user_deleted_is_never_created_again(env: Env) -> None:
    env.run(AFTER_DUE)
    (draft,) = env.drafts()
    draft.unlink()
    env.run("2026-11-30T10:00")
    assert env.drafts() == []
    assert env.stage("2026-11-30T10:00", "check_in")["state"] == "drafted"


def test_a_reply_before_the_due_time_cancels_the_check_in(env: Env) -> None:
    env.put(
        "INBOX",
        mail(
            "r1@acme.example",
            dt.datetime(2026, 11, 24, 10, tzinfo=NY),
            in_reply_to="ty@example.com",
        ),
    )
    env.run(AFTER_DUE)
    assert env.drafts() == []
    (iv,) = env.interviews(AFTER_DUE)
    assert iv["state"] == "replied"
    assert iv["reply"]["from"] == "dana@acme.example"
    assert iv["reply"]["message_id"] == "r1@acme.example"
    assert all(s["state"] == "cancelled" for s in iv["stages"])


def test_a_reply_after_the_draft_withdraws_the_untouched_draft(env: Env) -> None:
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1
    env.put("INBOX", mail("r2@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY)))
    out = env.run("2026-11-27T12:00")
    assert "withdrawn: check_in" in out.stdout
    assert env.drafts() == []
    assert env.stage("2026-11-27T12:00", "check_in")["state"] == "withdrawn"


def test_a_draft_the_user_edited_is_kept_when_a_reply_arrives(env: Env) -> None:
    env.run(AFTER_DUE)
    (draft,) = env.drafts()
    draft.write_bytes(draft.read_bytes() + b"\nP.S. edited by me\n")
    env.put("INBOX", mail("r3@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY)))
    env.run("2026-11-27T12:00")
    assert env.drafts() == [draft]
    env.run("2026-11-28T12:00")
    assert env.drafts() == [draft]


def test_an_out_of_office_reply_does_not_count_as_an_answer(env: Env) -> None:
    env.put(
        "INBOX",
        mail(
            "ooo@acme.example",
            dt.datetime(2026, 11, 16, 19, tzinfo=NY),
            subject="Out of office: Thank you for today",
            in_reply_to="ty@example.com",
            headers={"Auto-Submitted": "auto-replied"},
            body="I'm out of the office with limited access to email.\n",
        ),
    )
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1


def test_dry_run_writes_nothing_and_records_nothing(env: Env) -> None:
    out = env.run(AFTER_DUE, "--dry-run")
    assert "would-draft: check_in for Acme Corp" in out.stdout
    assert env.drafts() == []
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1


def test_malformed_messages_are_skipped_with_a_warning_and_the_rest_processed(env: Env) -> None:
    env.put("INBOX", b"")
    env.put("INBOX", b"\x00\xff\xfe garbage without any header\n")
    env.put("INBOX", mail("r4@acme.example", dt.datetime(2026, 11, 24, 10, tzinfo=NY)))
    out = env.run(AFTER_DUE)
    assert "warning:" in out.stdout
    assert env.drafts() == []  # the good reply was still found
    (iv,) = env.interviews(AFTER_DUE)
    assert iv["reply"]["message_id"] == "r4@acme.example"


def test_the_closure_note_follows_a_follow_up_the_user_actually_sent(env: Env) -> None:
    env.run(AFTER_DUE)
    (draft,) = env.drafts()
    # The user sends our draft on Monday 2026-11-30: it moves to Sent.
    raw = draft.read_bytes().replace(
        b"Date: Fri, 27 Nov 2026 09:30:00 -0500", b"Date: Mon, 30 Nov 2026 08:00:00 -0500"
    )
    draft.unlink()
    env.put("Sent", raw)
    env.run("2026-12-01T10:00")
    stage = env.stage("2026-12-01T10:00", "closure")
    # 7 business days after Mon 2026-11-30 → Wed 2026-12-09.
    assert stage["due"] == "2026-12-09T09:00:00-05:00"
    assert stage["state"] == "scheduled"
    env.run("2026-12-09T09:05")
    (closure,) = env.drafts()
    assert message_id_of(closure.read_bytes()).startswith("followup.closure.")


def test_status_json_follows_the_contract(env: Env) -> None:
    env.run(AFTER_DUE)
    data = env.status(AFTER_DUE)
    assert data["now"] == "2026-11-27T09:30:00-05:00"
    (iv,) = data["interviews"]
    assert set(iv) >= {"id", "company", "state", "reply", "stages"}
    assert iv["state"] == "waiting" and iv["reply"] is None
    for stage in iv["stages"]:
        assert set(stage) >= {"stage", "due", "state", "message_id", "reason"}
        assert stage["state"] in {"scheduled", "drafted", "cancelled", "skipped", "withdrawn"}


def test_explain_json_prints_one_line_per_file_with_the_reason(env: Env) -> None:
    env.run(BEFORE_DUE)
    reply = env.root / "reply.eml"
    reply.write_bytes(mail("r5@acme.example", dt.datetime(2026, 11, 24, tzinfo=NY)))
    news = env.root / "news.eml"
    news.write_bytes(
        mail(
            "n1@news.example",
            dt.datetime(2026, 11, 24, tzinfo=NY),
            sender="News <news@news.example>",
            headers={"List-Unsubscribe": "<mailto:x@news.example>", "Precedence": "bulk"},
        )
    )
    result = env.followup("explain", "--json", str(reply), str(news))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["file"]).name for x in lines] == ["reply.eml", "news.eml"]
    assert lines[0]["interview"] == "acme-backend"
    assert lines[1]["interview"] is None
    assert all(x["reason"] for x in lines)


def test_control_characters_in_copied_headers_never_reach_the_draft(env: Env) -> None:
    # Dana's earlier mail carries a display name with BEL and NUL in it.
    env.put(
        "INBOX",
        b"From: =?utf-8?q?Dana=07=00_Whitfield?= <dana@acme.example>\r\n"
        b"To: Jordan Rivera <jordan@example.com>\r\n"
        b"Subject: Scheduling\r\n"
        b"Date: Sun, 15 Nov 2026 10:00:00 -0500\r\n"
        b"Message-ID: <sched\x01@acme.example>\r\n\r\nSee you Monday.\r\n",
    )
    # The latest message of the thread has a subject with NUL, ESC and a bidi override, and
    # a reference with a control byte inside; an older one has such a Message-ID.
    env.put(
        "Sent",
        b"From: Jordan Rivera <jordan@example.com>\r\n"
        b"To: Dana Whitfield <dana@acme.example>\r\n"
        b"Subject: =?utf-8?q?Re:_Next=00_steps=1b[31m_=E2=80=AEevil?=\r\n"
        b"Date: Mon, 16 Nov 2026 19:00:00 -0500\r\n"
        b"Message-ID: <latest@example.com>\r\n"
        b"In-Reply-To: <ty@example.com>\r\n"
        b"References: <ty@example.com> <also\x7fbad@acme.example>\r\n\r\nOne more thing.\r\n",
    )
    env.run(AFTER_DUE)
    (draft,) = env.drafts()
    head = draft.read_bytes().split(b"\n\n", 1)[0]
    controls = [c for c in head if (c < 0x20 and c not in (0x09, 0x0A, 0x0D)) or c == 0x7F]
    assert controls == [], head
    assert b"\xe2\x80\xae" not in head
    assert b"In-Reply-To: <latest@example.com>" in head
    assert b"References: <ty@example.com> <latest@example.com>" in head
    assert b"Subject: Re: Next steps [31m evil" in head
    assert b"Dana" in head


def test_explain_on_a_missing_file_explains_the_others_and_exits_66(env: Env) -> None:
    reply = env.root / "reply.eml"
    reply.write_bytes(mail("r6@acme.example", dt.datetime(2026, 11, 24, tzinfo=NY)))
    result = env.followup("explain", "--json", str(env.root / "nowhere.eml"), str(reply))
    assert result.returncode == 66, result.stderr
    assert "nowhere.eml" in result.stderr and "Traceback" not in result.stderr
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["interview"] == "acme-backend"


def test_explain_reads_no_more_of_a_huge_file_than_the_daemon_would(env: Env) -> None:
    huge = env.root / "huge.eml"
    head = mail("big@acme.example", dt.datetime(2026, 11, 24, tzinfo=NY))
    with huge.open("wb") as fh:
        fh.write(head)
        chunk = b"x" * 1023 + b"\n"
        for _ in range(60 * 1024):  # 60 MiB of body
            fh.write(chunk)
    cmd = [sys.executable, "-m", "followup", "--config", str(env.config), "explain", str(huge)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read() if proc.stdout else b""
    assert b"acme-backend" in out
    assert usage.ru_maxrss < 150 * 1024, f"peak RSS {usage.ru_maxrss / 1024:.0f} MiB"  # KiB


def test_a_bad_config_exits_78_naming_the_key_and_writes_nothing(env: Env) -> None:
    text = env.config.read_text().replace(
        "reply_promised_by = 2026-11-20", 'reply_promised_by = "next friday"'
    )
    env.config.write_text(text + "\n[bogus]\nx = 1\n")
    result = env.followup("run", "--once", "--now", AFTER_DUE)
    assert result.returncode == 78
    assert "interviews[0].reply_promised_by" in result.stderr
    assert "bogus" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (env.root / "state").exists()
    assert env.drafts() == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('state_dir = "', 'poll_interval = "99999999999999h"\nstate_dir = "'),
        ('state_dir = "', 'poll_interval = "1000000000d"\nstate_dir = "'),
        ("interviewed_on = 2026-11-16", "interviewed_on = 0001-01-01"),
        ("reply_promised_by = 2026-11-20", "reply_promised_by = 9999-12-31"),
        ('id = "acme-backend"', 'id = "acme\\n"'),
    ],
)
def test_values_that_once_crashed_the_cli_exit_78_without_a_traceback(
    env: Env, old: str, new: str
) -> None:
    env.config.write_text(env.config.read_text().replace(old, new, 1))
    for command in (("check",), ("status",), ("run", "--once", "--now", AFTER_DUE)):
        result = env.followup(*command)
        assert result.returncode == 78, (command, result.stderr)
        assert "Traceback" not in result.stderr and "at '" in result.stderr


@pytest.mark.parametrize(
    ("tail", "told"),
    [
        ("deep = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        (
            '[templates.check_in]\nbody = "'
            + "{% if company %}" * 2000
            + "{% endif %}" * 2000
            + '"\n',
            "templates.check_in.body",
        ),
    ],
    ids=["arrays-5000-deep", "template-2000-nested-ifs"],
)
def test_a_config_nested_beyond_reason_exits_78_without_a_traceback(
    env: Env, tail: str, told: str
) -> None:
    env.config.write_text(env.config.read_text() + "\n" + tail)
    for command in (("check",), ("run", "--once", "--now", AFTER_DUE)):
        result = env.followup(*command)
        assert result.returncode == 78, (command, result.stderr[-500:])
        assert told in result.stderr and "Traceback" not in result.stderr
    assert env.drafts() == []


def test_a_now_at_the_end_of_the_calendar_is_a_usage_error(env: Env) -> None:
    result = env.followup("run", "--once", "--now", "9999-12-31T23:59:59")
    assert result.returncode == 2, result.stderr
    assert "--now" in result.stderr and "Traceback" not in result.stderr


def test_a_password_in_the_config_is_refused_with_where_to_put_it(env: Env) -> None:
    env.config.write_text(
        env.config.read_text().replace('type = "maildir"', 'type = "maildir"\npassword = "hunter2"')
    )
    result = env.followup("check")
    assert result.returncode == 78
    assert "keyring" in result.stderr and "password_command" in result.stderr
    assert "hunter2" not in result.stderr


def test_a_missing_maildir_is_reported_by_check_with_exit_75(env: Env) -> None:
    env.config.write_text(
        env.config.read_text().replace(f'path = "{env.root}/Mail"', 'path = "/nonexistent/Mail"')
    )
    result = env.followup("check")
    assert result.returncode == 75
    assert "/nonexistent/Mail" in result.stdout


def test_an_unparseable_now_is_a_usage_error(env: Env) -> None:
    result = env.followup("run", "--once", "--now", "tomorrow-ish")
    assert result.returncode == 2
    assert "--now" in result.stderr


def test_demo_runs_and_shows_a_draft_and_its_reasons() -> None:
    result = demo()
    assert result.returncode == 0, result.stderr
    assert "drafted: check_in for Initech" in result.stdout
    assert "applicant-tracking" in result.stdout
    # One delay that re-arms the wait, one rejection that closes the interview.
    assert "drafted: check_in for Stark Industries" in result.stdout
    assert "check-in (round 2, after their Nov 27 promise)" in result.stdout
    assert "[replied, rejected]" in result.stdout
    assert "you mentioned you hoped to have an update by Friday, November 27" in result.stdout
    assert "--- the check_in draft for Stark Industries" in result.stdout
    assert "{{" not in result.stdout


def demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "followup", "demo", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_demo_keep_builds_in_a_new_directory_and_refuses_one_with_files(tmp_path: Path) -> None:
    kept = demo("--keep", str(tmp_path / "new"))
    assert kept.returncode == 0, kept.stderr
    assert (tmp_path / "new" / "config.toml").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "config.toml").write_text("# the user's own\n", encoding="utf-8")
    refused = demo("--keep", str(mine))
    assert refused.returncode == 73, refused.stderr
    assert "not empty" in refused.stderr and "Traceback" not in refused.stderr
    assert (mine / "config.toml").read_text(encoding="utf-8") == "# the user's own\n"
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    unmakeable = demo("--keep", str(blocked / "sub"))
    assert unmakeable.returncode == 73, unmakeable.stderr
    assert "cannot create the directory" in unmakeable.stderr
    assert "Traceback" not in unmakeable.stderr


def test_a_dry_run_shows_a_withdrawal_without_doing_it(env: Env) -> None:
    env.run(AFTER_DUE)
    env.put("INBOX", mail("r6@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY)))
    out = env.run("2026-11-27T12:00", "--dry-run")
    assert "would-withdraw: check_in" in out.stdout
    assert len(env.drafts()) == 1


def test_odd_entries_in_a_maildir_do_not_stop_the_run(env: Env) -> None:
    (env.mail / "INBOX" / "cur" / "odd:2,S").mkdir()
    env.put("INBOX", mail("r7@acme.example", dt.datetime(2026, 11, 24, 10, tzinfo=NY)))
    result = env.followup("run", "--once", "--now", AFTER_DUE)
    assert result.returncode == 0, result.stderr
    assert env.drafts() == []


def test_a_message_without_a_date_is_dated_by_its_delivery(env: Env) -> None:
    raw = mail("nodate@acme.example", dt.datetime(2026, 11, 24, tzinfo=NY))
    raw = b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date:"))
    path = env.put("INBOX", raw)
    old = dt.datetime(2026, 11, 10, tzinfo=NY).timestamp()  # delivered before the interview
    os.utime(path, (old, old))
    env.run(AFTER_DUE)
    assert len(env.drafts()) == 1  # a message from before the interview is not a reply


def test_auth_for_an_unknown_account_is_a_usage_error(env: Env) -> None:
    result = env.followup("auth", "nope")
    assert result.returncode == 2
    assert "no account named 'nope'" in result.stderr


def test_the_first_sync_skips_files_delivered_long_before_the_interview(env: Env) -> None:
    # Dated inside the window but delivered (file time) months earlier: not even read.
    path = env.put("INBOX", mail("misdated@acme.example", dt.datetime(2026, 11, 24, tzinfo=NY)))
    old = dt.datetime(2026, 6, 1, tzinfo=NY).timestamp()
    os.utime(path, (old, old))
    env.run(AFTER_DUE)
    (iv,) = env.interviews(AFTER_DUE)
    assert iv["reply"] is None


def test_add_appends_an_interview_that_status_then_shows(env: Env) -> None:
    before = env.config.read_text()
    result = env.followup(
        "add",
        "--id",
        "globex-sre",
        "--company",
        "Globex",
        "--role",
        "SRE",
        "--interviewed-on",
        "2026-11-18",
        "--reply-promised-by",
        "2026-11-25",
        "--contact",
        "Sam Okafor <sam@globex.example>",
    )
    assert result.returncode == 0, result.stderr
    assert env.config.read_text().startswith(before)
    ids = [iv["id"] for iv in env.interviews(BEFORE_DUE)]
    assert ids == ["acme-backend", "globex-sre"]
    again = env.followup(
        "add",
        "--id",
        "globex-sre",
        "--company",
        "Globex",
        "--role",
        "SRE",
        "--interviewed-on",
        "2026-11-18",
    )
    assert again.returncode == 2  # the option is wrong, not the file
    assert '--id: "globex-sre" is already used by another interview' in again.stderr


def test_now_with_another_offset_is_shown_in_the_configured_zone(env: Env) -> None:
    assert env.status("2026-11-27T14:30:00+00:00")["now"] == "2026-11-27T09:30:00-05:00"
