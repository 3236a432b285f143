"""What the company says decides what happens next: rounds, outcomes, out-of-office.

Each story runs through the real CLI on a Maildir and on a real Dovecot. The Acme
interview was on Mon 2026-11-16; Dana promised an answer by Fri 11-20, so round 1's
check-in is due Fri 11-27 09:00 (US holidays: Thanksgiving is skipped).
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import pytest

from support.cli import followup
from support.dovecot import DovecotServer
from support.messages import DANA, ME, mail
from support.paths import REPO
from support.story_env import (
    ALL_STAGES,
    NY,
    DovecotStory,
    MaildirStory,
    StoryEnv,
    interview,
    parsed,
    run,
    stage,
)

ROUND1_DUE = "2026-11-27T09:30"


@pytest.fixture(params=["maildir", "dovecot"])
def story(request: pytest.FixtureRequest, tmp_path: Path) -> StoryEnv:
    if request.param == "maildir":
        return MaildirStory(tmp_path, ALL_STAGES)
    server: DovecotServer = request.getfixturevalue("dovecot_server")
    return DovecotStory(server, tmp_path, ALL_STAGES)


def from_dana(mid: str, when: dt.datetime, body: str, **kw: object) -> bytes:
    return mail(mid, when, subject="Re: Thank you for today", in_reply_to="ty@example.com",
                body=body, **kw)  # type: ignore[arg-type]  # fmt: skip


def drafts_by_id(env: StoryEnv) -> dict[str, EmailMessage]:
    return {str(parsed(raw)["Message-ID"]).strip("<>"): parsed(raw) for raw in env.drafts()}


def test_a_delay_with_a_date_waits_for_it_then_drafts_one_check_in_in_its_thread(
    story: StoryEnv,
) -> None:
    delay = from_dana(
        "delay@acme.example",
        dt.datetime(2026, 11, 20, 10, tzinfo=NY),
        "Hi Jordan,\n\nWe're still interviewing and will have a decision by December 11.\n\nDana\n",
    )
    story.put("INBOX", delay)
    run(story, ROUND1_DUE)  # round 1's check-in would have been due now
    assert story.drafts() == []
    assert stage(story, ROUND1_DUE, "check_in")["state"] == "cancelled"
    iv = interview(story, "2026-12-16T12:00")
    assert (iv["state"], iv["promised_by"], iv["reply"]) == ("waiting", "2026-12-11", None)
    second = stage(story, "2026-12-16T12:00", "check_in", 2)
    assert second["due"] == "2026-12-17T09:00:00-05:00"  # 4 business days after Fri 12-11
    run(story, "2026-12-16T12:00")
    assert story.drafts() == []
    run(story, "2026-12-17T09:30")
    run(story, "2026-12-17T10:00")
    ((mid, draft),) = drafts_by_id(story).items()
    assert ".r2." in mid
    assert draft["In-Reply-To"] == "<delay@acme.example>"
    assert "dana@acme.example" in str(draft["To"])
    text = draft.get_content()
    assert "you mentioned you hoped to have an update by Friday, December 11" in text


def test_a_delay_without_a_date_waits_the_default_business_days_from_it(story: StoryEnv) -> None:
    story.put(
        "INBOX",
        from_dana(
            "vague@acme.example",
            dt.datetime(2026, 11, 20, 10, tzinfo=NY),
            "Hi Jordan,\n\nWe need a bit more time to make a decision.\n\nDana\n",
        ),
    )
    run(story, "2026-11-25T12:00")
    # Five business days after Fri 11-20 is Mon 11-30 (Thanksgiving skipped), plus four.
    second = stage(story, "2026-11-27T12:00", "check_in", 2)
    assert second["due"] == "2026-12-04T09:00:00-05:00"
    assert interview(story, "2026-11-27T12:00")["promised_by"] is None
    run(story, "2026-12-04T09:30")
    assert len(story.drafts()) == 1


def send_the_draft(story: MaildirStory) -> None:
    """The user sends the one draft from their mail client: it moves from Drafts to Sent."""
    (path,) = [p for sub in ("cur", "new") for p in (story.mail / "Drafts" / sub).iterdir()]
    path.rename(story.mail / "Sent" / "cur" / f"sent-{path.name}")


def test_a_follow_up_the_user_sent_is_told_as_sent_and_never_withdrawn_when_a_round_begins(
    tmp_path: Path,
) -> None:
    story = MaildirStory(tmp_path, ALL_STAGES)
    run(story, ROUND1_DUE)
    send_the_draft(story)
    story.put(
        "INBOX",
        from_dana(
            "later@acme.example",
            dt.datetime(2026, 11, 30, 10, tzinfo=NY),
            "Hi Jordan,\n\nSorry for the wait, we'll have a decision by December 11.\n\nDana\n",
        ),
    )
    out = run(story, "2026-11-30T12:00")
    assert "kept:" not in out and "withdrawn:" not in out, out
    sent = stage(story, "2026-11-30T12:00", "check_in")
    assert (sent["state"], sent["reason"]) == ("drafted", "you sent it on 2026-11-27")
    assert stage(story, "2026-11-30T12:00", "check_in", 2)["state"] == "scheduled"


def test_a_follow_up_sent_in_a_later_round_gives_no_date_to_the_earlier_rounds_closure(
    tmp_path: Path,
) -> None:
    story = MaildirStory(tmp_path, ALL_STAGES)
    story.put(
        "INBOX",
        from_dana(
            "delay@acme.example",
            dt.datetime(2026, 11, 20, 10, tzinfo=NY),
            "Hi Jordan,\n\nWe'll have a decision by December 11.\n\nDana\n",
        ),
    )
    run(story, "2026-12-17T09:30")
    send_the_draft(story)
    run(story, "2026-12-18T09:00")
    assert stage(story, "2026-12-18T09:00", "closure")["due"] is None
    assert stage(story, "2026-12-18T09:00", "closure", 2)["due"] == "2026-12-29T09:00:00-05:00"


def test_a_rejection_after_the_draft_withdraws_it_and_ends_the_interview(story: StoryEnv) -> None:
    run(story, ROUND1_DUE)
    assert len(story.drafts()) == 1
    story.put(
        "INBOX",
        from_dana(
            "no@acme.example",
            dt.datetime(2026, 11, 27, 11, tzinfo=NY),
            "Hi Jordan,\n\nThank you for your patience. Unfortunately, we won't be moving "
            "forward with your application at this time.\n\nDana\n",
        ),
    )
    out = run(story, "2026-11-27T12:00")
    assert "withdrawn: check_in" in out
    assert story.drafts() == []
    iv = interview(story, "2026-12-30T12:00")
    assert (iv["state"], iv["outcome"], iv["reply"]["kind"]) == ("replied", "rejected", "rejection")
    run(story, "2026-12-30T12:00")
    assert story.drafts() == []
    assert all(s["state"] in ("cancelled", "withdrawn", "skipped") for s in iv["stages"])


def test_an_offer_sets_the_outcome_and_no_follow_up_is_drafted(story: StoryEnv) -> None:
    story.put(
        "INBOX",
        from_dana(
            "offer@acme.example",
            dt.datetime(2026, 11, 24, 15, tzinfo=NY),
            "Hi Jordan,\n\nGreat news: we'd like to extend an offer, pending references. "
            "I'll send the details tomorrow.\n\nDana\n",
        ),
    )
    run(story, ROUND1_DUE)
    assert story.drafts() == []
    iv = interview(story, ROUND1_DUE)
    assert (iv["state"], iv["outcome"], iv["reply"]["kind"]) == ("replied", "offer", "offer")


def test_a_courtesy_reply_to_the_thank_you_leaves_the_check_in_on_time(story: StoryEnv) -> None:
    story.put(
        "INBOX",
        from_dana(
            "thanks@acme.example",
            dt.datetime(2026, 11, 17, 9, tzinfo=NY),
            "Thanks, great meeting you too!\n\nDana\n",
        ),
    )
    iv = interview(story, ROUND1_DUE)
    assert (iv["state"], iv["reply"]) == ("waiting", None)
    run(story, ROUND1_DUE)
    assert len(story.drafts()) == 1


def out_of_office(body: str) -> bytes:
    return mail(
        "ooo@acme.example",
        dt.datetime(2026, 11, 25, 8, tzinfo=NY),
        subject="Automatic reply: Thank you for today",
        in_reply_to="ty@example.com",
        headers={"Auto-Submitted": "auto-replied"},
        body=body,
    )


def test_an_out_of_office_with_a_return_date_moves_the_check_in_after_it(story: StoryEnv) -> None:
    story.put("INBOX", out_of_office("I'm out of the office until December 2 with no email.\n"))
    run(story, "2026-11-25T12:00")
    assert stage(story, ROUND1_DUE, "check_in")["due"] == "2026-12-03T09:00:00-05:00"
    run(story, ROUND1_DUE)
    assert story.drafts() == []
    run(story, "2026-12-03T09:30")
    assert len(story.drafts()) == 1


def test_an_out_of_office_without_a_date_changes_nothing(story: StoryEnv) -> None:
    story.put("INBOX", out_of_office("I'm out of the office with limited access to email.\n"))
    run(story, "2026-11-25T12:00")
    assert stage(story, ROUND1_DUE, "check_in")["due"] == "2026-11-27T09:00:00-05:00"
    run(story, ROUND1_DUE)
    assert len(story.drafts()) == 1


def invitation(start: str) -> bytes:
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Acme//Calendar//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:onsite-1@acme.example\r\n"
        f"DTSTART;TZID=America/New_York:{start}\r\nDTEND;TZID=America/New_York:{start[:9]}160000\r\n"
        "SUMMARY:Onsite interview: Backend Engineer\r\n"
        "ORGANIZER;CN=Dana Whitfield:mailto:dana@acme.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    m = EmailMessage()
    m["From"], m["To"] = DANA, ME
    m["Subject"] = "Invitation: Onsite interview: Backend Engineer"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 20, 10, tzinfo=NY))
    m["Message-ID"] = "<invite@acme.example>"
    m.set_content("Dana Whitfield has invited you to an onsite interview on December 1.")
    m.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"})
    return m.as_bytes(policy=SMTP)


def test_an_invitation_opens_a_round_with_a_thank_you_at_17_on_the_meeting_day(
    story: StoryEnv,
) -> None:
    story.put("INBOX", invitation("20261201T140000"))
    run(story, "2026-11-21T12:00")
    thanks = stage(story, "2026-12-01T12:00", "thank_you", 2)
    assert thanks["due"] == "2026-12-01T17:00:00-05:00"
    run(story, ROUND1_DUE)
    assert story.drafts() == []  # round 1 gave way to the onsite
    run(story, "2026-12-01T17:30")
    ((mid, draft),) = drafts_by_id(story).items()
    assert mid.startswith("followup.thank_you.r2.")
    assert "Thank you" in draft.get_content()


def test_a_crash_between_the_new_round_and_its_draft_still_leaves_exactly_one_draft(
    story: StoryEnv,
) -> None:
    story.put(
        "INBOX",
        from_dana(
            "delay@acme.example",
            dt.datetime(2026, 11, 20, 10, tzinfo=NY),
            "We're still interviewing and will have a decision by December 11.\n",
        ),
    )
    killed = followup(
        story.config, "run", "--once", "--now", "2026-12-17T09:30", faults="after-append"
    )
    assert killed.returncode == -signal.SIGKILL
    run(story, "2026-12-17T09:45")
    run(story, "2026-12-17T10:00")
    assert len(story.drafts()) == 1
    assert stage(story, "2026-12-17T10:00", "check_in", 2)["state"] == "drafted"


FIXTURE = REPO / "tests" / "support" / "fixtures" / "state-v1"


def test_a_state_database_of_the_previous_version_carries_its_drafts_over(tmp_path: Path) -> None:
    """Round 1 keeps the Message-IDs of before: the old draft is still ours, never doubled."""
    env = MaildirStory(tmp_path, ["check_in", "closure"])
    shutil.rmtree(env.mail)
    shutil.copytree(FIXTURE / "Mail", env.mail)
    for sub in ("cur", "new", "tmp"):  # git keeps no empty directory
        for folder in ("INBOX", "Sent", "Drafts"):
            (env.mail / folder / sub).mkdir(parents=True, exist_ok=True)
    (tmp_path / "state").mkdir()
    shutil.copy(FIXTURE / "state.sqlite3", tmp_path / "state" / "state.sqlite3")
    before = env.drafts()
    run(env, "2026-11-27T10:00")
    check_in = stage(env, "2026-11-27T10:00", "check_in")
    assert (check_in["state"], check_in["round"]) == ("drafted", 1)
    assert env.drafts() == before
    env.put("INBOX", from_dana("r@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY),
                               "Could we talk on Monday about next steps?\n"))  # fmt: skip
    run(env, "2026-11-27T12:00")
    assert env.drafts() == []  # withdrawn: still exactly as the old version wrote it
