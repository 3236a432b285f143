"""Events from real cycles on a Maildir: each told once, in the journal's words, across restarts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from followup.actions import result_line
from followup.config import Config, MaildirAccount, NotifyConfig, load_config
from followup.core.errors import AuthError
from followup.core.model import FolderInfo
from followup.engine import CycleReport, run_once
from followup.logs import add_secret
from followup.mailbox.maildir import MaildirMailbox
from followup.notify.announce import Announcer
from followup.notify.events import Event, auth_event
from followup.notify.notices import ANSWERS_BASELINE, claim, told
from followup.store import Store
from support.maildir_env import AFTER_DUE, BEFORE_DUE, NY, Env
from support.messages import mail

QUIET = NotifyConfig(desktop=False)  # in-process tests tell nothing; they look at the events


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=NY)


class Cycles:
    """Cycles of the real engine on a Maildir, each followed by the announcer, like the daemon."""

    def __init__(self, root: Path) -> None:
        self.env = Env(root)
        self.config: Config = replace(load_config(self.env.config), notify=QUIET)
        self.store = Store.in_dir(self.config.daemon.state_dir)
        self.announcer = Announcer(self.config)

    def box(self) -> MaildirMailbox:
        account = self.config.accounts[0]
        assert isinstance(account, MaildirAccount)
        return MaildirMailbox(account)

    def cycle(self, now: str) -> tuple[CycleReport, list[Event]]:
        report = run_once(self.config, {"local": self.box()}, self.store, when(now))
        return report, self.announcer.after_cycle(self.config, self.store, report)

    def restart(self) -> None:
        self.close()
        self.store = Store.in_dir(self.config.daemon.state_dir)
        self.announcer = Announcer(self.config)

    def close(self) -> None:
        self.announcer.close(1)
        self.store.close()


@pytest.fixture
def cycles(tmp_path: Path) -> Iterator[Cycles]:
    c = Cycles(tmp_path)
    yield c
    c.close()


def test_a_written_draft_is_one_event_in_the_words_of_the_journal(cycles: Cycles) -> None:
    assert cycles.cycle(BEFORE_DUE)[1] == []
    report, events = cycles.cycle(AFTER_DUE)
    (event,) = events
    (action,) = report.actions
    assert event.event == "draft_written"
    assert event.text == result_line(action)
    assert event.text.startswith("drafted check_in for Acme Corp (acme-backend): due since")
    assert event.title == "Follow-up draft ready — Acme Corp"
    assert event.body == "Check-in for Dana Whitfield (Backend Engineer) is in your Drafts folder."
    assert event.person == "Dana Whitfield"
    assert event.key == f"draft:{event.message_id}"


def test_a_draft_is_told_once_across_cycles_and_restarts(cycles: Cycles) -> None:
    cycles.cycle(BEFORE_DUE)
    assert len(cycles.cycle(AFTER_DUE)[1]) == 1
    assert cycles.cycle("2026-11-27T10:00")[1] == []
    cycles.restart()
    assert cycles.cycle("2026-11-27T11:00")[1] == []


def test_an_answer_after_the_draft_is_told_once_with_the_withdrawal(cycles: Cycles) -> None:
    cycles.cycle(BEFORE_DUE)
    cycles.cycle(AFTER_DUE)
    cycles.env.put(
        "INBOX",
        mail("r2@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY), subject="Good news"),
    )
    _, events = cycles.cycle("2026-11-27T12:00")
    assert sorted(e.event for e in events) == ["answer_arrived", "draft_withdrawn"]
    answer = next(e for e in events if e.event == "answer_arrived")
    assert answer.kind == "next_step"  # what the default test answer says
    assert answer.promised_by is None
    assert answer.key == "answer:acme-backend:r2@acme.example"
    assert answer.title == "Next step with Acme Corp"
    assert answer.body == "Dana Whitfield wrote about the Backend Engineer role: “Good news”"
    assert answer.text.startswith("answer from dana@acme.example on Fri 2026-11-27 11:00")
    withdrawn = next(e for e in events if e.event == "draft_withdrawn")
    assert withdrawn.title == "Draft withdrawn — Acme Corp"
    assert withdrawn.body.startswith("Dana Whitfield answered, so the check-in draft was removed")
    assert cycles.cycle("2026-11-27T13:00")[1] == []
    cycles.restart()
    assert cycles.cycle("2026-11-27T14:00")[1] == []


def test_answers_already_in_the_mailbox_at_the_first_sync_are_not_announced(
    cycles: Cycles,
) -> None:
    cycles.env.put("INBOX", mail("old@acme.example", dt.datetime(2026, 11, 24, 10, tzinfo=NY)))
    assert cycles.cycle(BEFORE_DUE)[1] == []
    assert ANSWERS_BASELINE in told(cycles.store)
    assert "answer:acme-backend:old@acme.example" in told(cycles.store)


def test_no_baseline_is_taken_while_an_account_fails_so_later_answers_still_count(
    tmp_path: Path,
) -> None:
    store = Store.in_dir(tmp_path)
    try:
        answer = Event("answer_arrived", "answer:acme:r1@x", "answer from dana@x")
        assert claim(store, [answer], when(BEFORE_DUE), all_synced=False) == []
        assert told(store) == set()
        assert claim(store, [], when(BEFORE_DUE), all_synced=True) == []
        assert claim(store, [answer], when(AFTER_DUE), all_synced=True) == [answer]
    finally:
        store.close()


class RevokedLogin(MaildirMailbox):
    def folders(self) -> FolderInfo:
        raise AuthError("Gmail account local needs `followup auth local` (token revoked)")


def test_an_account_that_needs_auth_is_told_once_and_again_after_it_recovered(
    cycles: Cycles,
) -> None:
    account = cycles.config.accounts[0]
    assert isinstance(account, MaildirAccount)

    def broken_cycle(now: str) -> list[Event]:
        boxes = {"local": RevokedLogin(account)}
        report = run_once(cycles.config, boxes, cycles.store, when(now))
        assert report.needs_auth == {"local"}
        return cycles.announcer.after_cycle(cycles.config, cycles.store, report)

    (event,) = broken_cycle(BEFORE_DUE)
    assert event.event == "needs_auth"
    assert (
        event.text
        == "account local: Gmail account local needs `followup auth local` (token revoked)"
    )
    assert event.title == "Sign-in needed — local"
    assert event.environment()["FOLLOWUP_ACCOUNT"] == "local"
    assert broken_cycle("2026-11-26T13:00") == []
    cycles.restart()
    assert broken_cycle("2026-11-26T14:00") == []
    assert cycles.cycle("2026-11-26T15:00")[1] == []  # healthy again: the notice is forgotten
    assert [e.event for e in broken_cycle("2026-11-26T16:00")] == ["needs_auth"]


def test_an_unreachable_account_is_no_sign_in_event() -> None:
    report = CycleReport(now=when(BEFORE_DUE), account_errors={"local": "connection refused"})
    assert report.needs_auth == set()


def test_every_variable_is_set_for_the_command_even_when_empty() -> None:
    env = auth_event("work", "login refused").environment()
    assert set(env) == {
        f"FOLLOWUP_{name}"
        for name in (
            "EVENT",
            "TEXT",
            "TITLE",
            "BODY",
            "INTERVIEW",
            "COMPANY",
            "ROLE",
            "STAGE",
            "PERSON",
            "ACCOUNT",
            "KIND",
            "PROMISED_BY",
            "MESSAGE_ID",
        )
    }
    assert env["FOLLOWUP_EVENT"] == "needs_auth"
    assert env["FOLLOWUP_COMPANY"] == ""


def test_a_delay_answer_says_the_new_date_in_its_body_and_variables() -> None:
    delay = Event(
        "answer_arrived",
        "answer:acme:d1@x",
        "answer from dana@acme.example for Acme Corp (acme): reply",
        company="Acme Corp",
        person="Dana Whitfield",
        kind="delay",
        promised_by=dt.date(2026, 12, 10),
    )
    assert delay.title == "Acme Corp needs more time"
    assert delay.body == "Dana Whitfield wrote. They expect to answer by Thu 2026-12-10."
    env = delay.environment()
    assert env["FOLLOWUP_KIND"] == "delay"
    assert env["FOLLOWUP_PROMISED_BY"] == "2026-12-10"


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("reply", "Answer from Acme Corp"),
        (None, "Answer from Acme Corp"),
        ("rejection", "Acme Corp will not move forward"),
        ("offer", "Offer from Acme Corp"),
        ("next_step", "Next step with Acme Corp"),
    ],
)
def test_an_answer_title_names_what_kind_of_answer_it_is(kind: str | None, title: str) -> None:
    assert Event("answer_arrived", "k", "t", company="Acme Corp", kind=kind).title == title


def test_a_multi_line_value_reaches_the_command_as_one_line() -> None:
    event = Event("needs_auth", "auth:x", "account x: line one\nline two", account="x")
    assert event.environment()["FOLLOWUP_TEXT"] == "account x: line one line two"


def test_a_secret_in_an_account_error_never_reaches_a_notification() -> None:
    add_secret("hunter2-correct-horse")
    event = auth_event("mail", "LOGIN refused for password hunter2-correct-horse")
    assert "hunter2-correct-horse" not in event.text
    assert "hunter2-correct-horse" not in event.environment()["FOLLOWUP_BODY"]
