"""Drafts a careful person would send, and a first run without surprises: each case a new
user observed, through the real CLI (Maildir, and a real Dovecot where the thread matters).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest

from support.cli import followup
from support.configs import head
from support.dovecot import DovecotServer
from support.messages import ME, mail
from support.story_env import NY, DovecotStory, MaildirStory, StoryEnv, parsed, run

LENA = "Lena Park <lena@globex.example>"  # the recruiter
JOSE = "José Alvarez <jose@globex.example>"  # the interviewer

GLOBEX = """
[[interviews]]
id = "globex-platform"
company = "Globex"
role = "Platform Engineer"
interviewed_on = 2026-11-19T14:00:00
reply_promised_by = 2026-11-20
contacts = ["{lena}", "{jose}"]
"""


def with_interview(env: StoryEnv, text: str) -> None:
    """Replace the story's Acme interview by ``text``."""
    config = env.config.read_text("utf-8")
    env.config.write_text(config[: config.index("[[interviews]]")] + text.lstrip(), "utf-8")


def status(env: StoryEnv, now: str) -> Any:
    done = followup(env.config, "status", "--json", "--now", now)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stages_of(env: StoryEnv, now: str) -> dict[str, Any]:
    (iv,) = status(env, now)["interviews"]
    return {f"{s['stage']}.{s['round']}": s for s in iv["stages"]}


@pytest.fixture(params=["maildir", "dovecot"])
def story(request: pytest.FixtureRequest, tmp_path: Path) -> StoryEnv:
    if request.param == "maildir":
        return MaildirStory(tmp_path, ["check_in"])
    server: DovecotServer = request.getfixturevalue("dovecot_server")
    return DovecotStory(server, tmp_path, ["check_in"])


@pytest.fixture
def maildir(tmp_path: Path) -> MaildirStory:
    return MaildirStory(tmp_path, ["thank_you", "check_in", "closure"])


# --- recipient and thread agree ---------------------------------------------------------


def test_the_check_in_goes_to_someone_in_the_thread_it_replies_to_and_greets_them(
    story: StoryEnv,
) -> None:
    """Lena invited in one thread; the user thanked José in another. The check-in joins
    the user's own latest conversation, so it is To José, in reply to that note, "Hi José"."""
    with_interview(story, GLOBEX.format(lena=LENA, jose=JOSE))
    story.put(
        "INBOX",
        mail(
            "invite@globex.example",
            dt.datetime(2026, 11, 12, 10, tzinfo=NY),
            sender=LENA,
            subject="Interview for Platform Engineer",
        ),
    )
    story.put(
        "Sent",
        mail(
            "thanks-jose@example.com",
            dt.datetime(2026, 11, 19, 18, tzinfo=NY),
            sender=ME,
            to=JOSE,
            subject="Thank you",
        ),
    )
    run(story, "2026-11-30T10:00")
    (draft,) = [parsed(raw) for raw in story.drafts()]
    to = [a for _, a in getaddresses([str(draft["To"])])]
    assert to == ["jose@globex.example"]
    assert str(draft["In-Reply-To"]).strip("<>") == "thanks-jose@example.com"
    body = draft.get_content()
    assert body.startswith("Hi José,")
    assert "Lena" not in body


def test_the_thread_that_made_the_promise_is_the_one_answered_with_its_writer(
    story: StoryEnv,
) -> None:
    with_interview(story, GLOBEX.format(lena=LENA, jose=JOSE))
    story.put(
        "Sent",
        mail(
            "thanks-jose@example.com",
            dt.datetime(2026, 11, 19, 18, tzinfo=NY),
            sender=ME,
            to=JOSE,
            subject="Thank you",
        ),
    )
    story.put(
        "INBOX",
        mail(
            "update@globex.example",
            dt.datetime(2026, 11, 20, 9, tzinfo=NY),
            sender=LENA,
            subject="Your application",
            body="Hi Jordan,\n\nThe team is still deciding; we'll get back to you by "
            "November 25.\n\nLena\n",
        ),
    )
    run(story, "2026-12-03T10:00")
    (draft,) = [parsed(raw) for raw in story.drafts()]
    assert [a for _, a in getaddresses([str(draft["To"])])] == ["lena@globex.example"]
    assert str(draft["In-Reply-To"]).strip("<>") == "update@globex.example"
    assert draft.get_content().startswith("Hi Lena,")


# --- no draft to nobody -----------------------------------------------------------------


def test_an_interview_with_no_one_to_write_to_gets_no_draft_and_says_to_add_a_contact(
    maildir: MaildirStory,
) -> None:
    with_interview(
        maildir,
        '[[interviews]]\nid = "initech"\ncompany = "Initech"\nrole = "SRE"\n'
        "interviewed_on = 2026-11-16\nreply_promised_by = 2026-11-20\n",
    )
    run(maildir, "2026-11-30T10:00")
    assert maildir.drafts() == []
    check_in = stages_of(maildir, "2026-11-30T10:00")["check_in.1"]
    assert check_in["state"] in ("scheduled", "skipped")
    assert "add a contact" in check_in["reason"]
    human = followup(maildir.config, "status", "--now", "2026-11-30T10:00").stdout
    assert "add a contact" in human


# --- late means never -------------------------------------------------------------------


def test_an_interview_added_fourteen_months_late_gets_no_note_at_all(
    maildir: MaildirStory,
) -> None:
    with_interview(
        maildir,
        '[[interviews]]\nid = "old"\ncompany = "Umbrella"\nrole = "Engineer"\n'
        "interviewed_on = 2025-10-01\nreply_promised_by = 2025-10-03\n"
        'contacts = ["Ada <ada@umbrella.example>"]\n',
    )
    out = run(maildir, "2026-12-02T10:00")
    assert maildir.drafts() == []
    stages = stages_of(maildir, "2026-12-02T10:00")
    for name in ("thank_you.1", "check_in.1"):
        assert stages[name]["state"] == "skipped", stages[name]
    assert "too late for this note" in stages["check_in.1"]["reason"]
    assert "drafted" not in out


def test_a_draft_about_last_year_names_the_year(maildir: MaildirStory) -> None:
    with_interview(
        maildir,
        '[[interviews]]\nid = "dec"\ncompany = "Hooli"\nrole = "Engineer"\n'
        "interviewed_on = 2026-12-21\nreply_promised_by = 2026-12-23\n"
        'contacts = ["Gavin Belson <gavin@hooli.example>"]\nstages = ["check_in"]\n',
    )
    run(maildir, "2027-01-05T10:00")
    (draft,) = [parsed(raw) for raw in maildir.drafts()]
    body = draft.get_content()
    assert "Monday, December 21, 2026" in body and "Wednesday, December 23, 2026" in body


# --- a stale thank-you gives way ----------------------------------------------------------


def test_an_untouched_thank_you_is_withdrawn_when_the_check_in_is_drafted(
    maildir: MaildirStory,
) -> None:
    with_interview(
        maildir,
        '[[interviews]]\nid = "acme-backend"\ncompany = "Acme Corp"\nrole = "Backend Engineer"\n'
        "interviewed_on = 2026-11-24T10:00:00\nreply_promised_by = 2026-11-25\n"
        'contacts = ["Dana Whitfield <dana@acme.example>"]\n',
    )
    for p in (maildir.mail / "Sent" / "cur").iterdir():  # no thank-you was sent this time
        p.unlink()
    run(maildir, "2026-11-24T17:30")
    (thanks,) = [parsed(raw) for raw in maildir.drafts()]
    assert "Thank you" in thanks.get_content()
    run(maildir, "2026-12-02T09:30")
    (check_in,) = [parsed(raw) for raw in maildir.drafts()]
    assert "following up" in check_in.get_content()
    stages = stages_of(maildir, "2026-12-02T09:30")
    assert stages["thank_you.1"]["state"] == "withdrawn"
    assert (
        "check-in" in stages["thank_you.1"]["reason"]
        or "check_in" in stages["thank_you.1"]["reason"]
    )
    assert "Thanks again" not in check_in.get_content()  # it was never sent


# --- see before it is written -------------------------------------------------------------


def test_a_dry_run_prints_every_draft_in_full_and_writes_nothing(maildir: MaildirStory) -> None:
    done = followup(maildir.config, "run", "--once", "--dry-run", "--now", "2026-11-27T09:30")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "--- the check_in draft for Acme Corp (acme-backend) ---" in out
    for header in (
        "From: Jordan Rivera <jordan@example.com>",
        "To: Dana Whitfield",
        "Subject: Re: Thank you for today",
        "In-Reply-To: <ty@example.com>",
    ):
        assert header in out
    assert "Hi Dana," in out and "Best,\nJordan Rivera" in out
    assert maildir.drafts() == []
    assert stages_of(maildir, "2026-11-27T09:30")["check_in.1"]["state"] == "scheduled"


# --- status on the first run ---------------------------------------------------------------


def test_status_before_the_first_sync_says_so_and_lists_every_account(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    mail_dir = MaildirStory(tmp_path / "a", ["check_in"]).mail
    config.write_text(
        head(tmp_path / "state")
        + f'[[accounts]]\nname = "home"\ntype = "maildir"\npath = "{mail_dir}"\n\n'
        + f'[[accounts]]\nname = "gone"\ntype = "maildir"\npath = "{tmp_path}/nowhere"\n\n'
        + '[[interviews]]\nid = "acme"\ncompany = "Acme"\nrole = "Engineer"\n'
        'interviewed_on = 2026-11-16\ncontacts = ["dana@acme.example"]\naccount = "home"\n',
        "utf-8",
    )
    done = followup(config, "status", "--json")
    assert done.returncode == 0, done.stderr
    before_json = json.loads(done.stdout)
    before = before_json["accounts"]
    (acme,) = before_json["interviews"]
    assert acme["synced"] is False
    assert "no reply" not in json.dumps(acme), acme  # nothing is claimed about replies yet
    assert [{k: a[k] for k in ("name", "last_sync", "error")} for a in before] == [
        {"name": "home", "last_sync": None, "error": None},
        {"name": "gone", "last_sync": None, "error": None},
    ]
    human = followup(config, "status").stdout
    assert "not synced yet — run `followup run --once`" in human
    assert "no reply" not in human
    followup(config, "run", "--once")
    after_json = json.loads(followup(config, "status", "--json").stdout)
    assert after_json["interviews"][0]["synced"] is True
    after = {a["name"]: a for a in after_json["accounts"]}
    assert after["home"]["error"] is None
    assert dt.datetime.fromisoformat(after["home"]["last_sync"]).utcoffset() is not None
    assert after["gone"]["last_sync"] is None and "does not exist" in after["gone"]["error"]


def test_an_account_whose_every_sync_failed_still_claims_nothing_about_replies(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        head(tmp_path / "state")
        + f'[[accounts]]\nname = "gone"\ntype = "maildir"\npath = "{tmp_path}/nowhere"\n\n'
        + '[[interviews]]\nid = "acme"\ncompany = "Acme"\nrole = "Engineer"\n'
        'interviewed_on = 2026-11-16\ncontacts = ["dana@acme.example"]\n',
        "utf-8",
    )
    failed = followup(config, "run", "--once", "--now", "2026-11-27T09:30")
    assert failed.returncode == 75, failed.stderr
    status = json.loads(followup(config, "status", "--json", "--now", "2026-11-27T09:30").stdout)
    (acme,) = status["interviews"]
    assert acme["synced"] is False, acme
    assert "no reply" not in json.dumps(acme), acme
    assert status["accounts"][0]["last_sync"] is None and status["accounts"][0]["error"]
    human = followup(config, "status", "--now", "2026-11-27T09:30").stdout
    assert "does not exist" in human, human  # the failure is told
    assert "never read" in human and "no reply" not in human, human


def test_check_warns_while_the_identity_is_still_the_starters(maildir: MaildirStory) -> None:
    text = maildir.config.read_text("utf-8")
    maildir.config.write_text(text.replace('name = "Jordan Rivera"', 'name = "Your Name"'), "utf-8")
    done = followup(maildir.config, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'warning: [identity] name is still the starter\'s "Your Name"' in done.stdout
    maildir.config.write_text(text, "utf-8")
    assert "warning" not in followup(maildir.config, "check").stdout


def test_check_on_the_untouched_starter_names_every_placeholder_at_once(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    done = followup(config, "init")
    assert done.returncode == 0, done.stderr
    started = time.monotonic()
    checked = followup(config, "check")
    assert checked.returncode == 75, checked.stdout + checked.stderr
    assert time.monotonic() - started < 10  # no connection attempts to a made-up host
    out = checked.stdout
    assert "[identity] name is still the starter's" in out, out
    assert "[identity] email is still the starter's" in out, out
    assert 'FAILED: host is still the starter\'s "imap.example.com"' in out, out


def test_the_closure_never_claims_the_check_in_the_user_sent_was_never_sent(
    maildir: MaildirStory,
) -> None:
    """The user sent the check-in from their client (same Message-ID, gone from Drafts):
    when the closure comes, the check-in is not "replaced" — it is the follow-up it follows."""
    run(maildir, "2026-11-27T09:30")
    (check_in,) = [parsed(raw) for raw in maildir.drafts()]
    for path in (maildir.mail / "Drafts" / "cur").iterdir():
        path.unlink()
    maildir.put(
        "Sent",
        mail(
            str(check_in["Message-ID"]).strip("<>"),
            dt.datetime(2026, 11, 27, 12, tzinfo=NY),
            sender=ME,
            to="Dana Whitfield <dana@acme.example>",
            subject=str(check_in["Subject"]),
            in_reply_to="ty@example.com",
            body=check_in.get_content(),
        ),
    )
    out = run(maildir, "2026-12-09T09:30")
    assert "drafted: closure" in out and "kept:" not in out
    stages = stages_of(maildir, "2026-12-09T09:30")
    assert stages["check_in.1"]["state"] == "drafted"
    assert "replaces it" not in stages["check_in.1"]["reason"]
