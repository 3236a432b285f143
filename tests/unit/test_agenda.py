"""The calendar: upcoming stages and promises, stable UIDs, an RFC 5545 file kept current."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from followup.config import Config, load_config
from followup.core.agenda import agenda, promise_uid, stage_uid
from followup.core.planner import InterviewPlan
from followup.derived import plan_from_store
from followup.engine import run_once
from followup.mailbox.maildir import MaildirMailbox
from followup.notify.calendar_file import CalendarFile, render
from followup.store import Store
from support.maildir_env import AFTER_DUE, BEFORE_DUE, NY, Env
from support.messages import mail

THREE = """
[[interviews]]
id = "globex-platform"
company = "Globex"
role = "Platform Engineer"
interviewed_on = 2026-11-25T14:00:00
contacts = ["Priya Nair <priya@globex.example>"]
stages = ["thank_you", "check_in"]
"""


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=NY)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    e = Env(tmp_path)
    e.config.write_text(e.config.read_text() + THREE)
    return e


def plans(env: Env, now: str, *, cycle: bool = False) -> tuple[Config, list[InterviewPlan]]:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    try:
        if cycle:
            account = config.accounts[0]
            run_once(config, {"local": MaildirMailbox(account)}, store, when(now))  # type: ignore[arg-type]
        return config, plan_from_store(config, store, when(now))
    finally:
        store.close()


def events_of(data: bytes) -> dict[str, icalendar.Component]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_holds_exactly_the_upcoming_stages_and_the_promise(env: Env) -> None:
    config, found = plans(env, BEFORE_DUE)
    items = agenda(found, config.identity.email)
    assert [(i.summary, i.start, i.day) for i in items] == [
        ("Follow up with Acme Corp (check-in)", when("2026-11-27T09:00"), None),
        ("Acme Corp promised an answer", None, dt.date(2026, 11, 20)),
        ("Follow up with Globex (thank-you)", when("2026-11-25T17:00"), None),
        ("Follow up with Globex (check-in)", when("2026-12-09T09:00"), None),
    ]
    # The closure waits for a follow-up nobody sent yet: it has no time, so no event.


def test_the_file_parses_with_the_times_in_the_configured_zone(env: Env) -> None:
    config, found = plans(env, BEFORE_DUE)
    data = render(agenda(found, config.identity.email), dt.datetime.now(dt.UTC))
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    events = events_of(data)
    check_in = events[stage_uid("acme-backend", "check_in", "jordan@example.com")]
    start = check_in.decoded("DTSTART")
    assert start == when("2026-11-27T09:00")
    assert str(start.tzinfo) == "America/New_York"
    assert check_in.decoded("DTEND") - start == dt.timedelta(minutes=15)
    assert str(check_in["SUMMARY"]) == "Follow up with Acme Corp (check-in)"
    assert "due Fri 2026-11-27 09:00 unless Acme Corp replies first" in str(check_in["DESCRIPTION"])
    promise = events[promise_uid("acme-backend", "jordan@example.com")]
    assert promise.decoded("DTSTART") == dt.date(2026, 11, 20)
    assert promise.decoded("DTEND") == dt.date(2026, 11, 21)
    assert "check-in is due Fri 2026-11-27 09:00" in str(promise["DESCRIPTION"])
    assert all(e.decoded("DTSTAMP").tzinfo is not None for e in events.values())


def test_drafted_and_cancelled_stages_leave_the_calendar(env: Env) -> None:
    config, _ = plans(env, AFTER_DUE, cycle=True)  # Acme's check-in is drafted now
    env.put(
        "INBOX",
        mail(
            "p1@globex.example",
            when("2026-11-27T08:00"),
            sender="Priya Nair <priya@globex.example>",
        ),
    )
    config, found = plans(env, "2026-11-27T10:00", cycle=True)
    assert [i.summary for i in agenda(found, config.identity.email)] == []


def test_uids_are_stable_for_interview_stage_and_round() -> None:
    assert stage_uid("acme-backend", "check_in", "jordan@example.com") == (
        "followup-acme-backend-check_in@example.com"
    )
    assert stage_uid("acme-backend", "check_in", "jordan@example.com", 1) == stage_uid(
        "acme-backend", "check_in", "jordan@example.com"
    )
    assert stage_uid("acme-backend", "check_in", "jordan@example.com", 2) == (
        "followup-acme-backend-check_in-r2@example.com"
    )
    assert promise_uid("acme-backend", "jordan@example.com", 3) == (
        "followup-acme-backend-promise-r3@example.com"
    )


def test_the_kept_file_is_rewritten_only_when_an_event_changed(env: Env, tmp_path: Path) -> None:
    config, found = plans(env, BEFORE_DUE)
    path = tmp_path / "state" / "followup.ics"
    kept = CalendarFile(path)
    assert kept.refresh(config, found) is True
    first = path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o600
    assert kept.refresh(config, found) is False
    again = CalendarFile(path)  # a restart: the same events, so the file stays as it is
    assert again.refresh(config, found) is False
    assert path.read_bytes() == first
    config, later = plans(env, AFTER_DUE, cycle=True)
    assert again.refresh(config, later) is True
    # Both thank-you and Acme's check-in were drafted; only Globex's check-in is still ahead.
    assert set(events_of(path.read_bytes())) == {
        stage_uid("globex-platform", "check_in", "jordan@example.com")
    }
    assert list(path.parent.glob(".followup.ics.*")) == []  # no temporary file left behind
