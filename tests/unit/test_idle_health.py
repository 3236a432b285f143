"""IdleHealth: an IDLE that stays silent while polls find mail is given up, a slow one is not."""

from __future__ import annotations

import logging

import pytest

from followup.service.idle_health import IdleHealth


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def health(clock: Clock) -> IdleHealth:
    return IdleHealth("mail", late=120, misses=2, clock=clock)


def test_an_idle_that_never_announces_what_two_polls_found_is_given_up_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    h = health(clock)
    h.idling()
    clock.now = 300
    h.poll_found_mail()
    clock.now = 600
    assert h.review() is False  # one miss
    h.poll_found_mail()
    clock.now = 900
    with caplog.at_level(logging.WARNING):
        assert h.review() is True
        assert h.review() is True
    assert h.silent
    assert caplog.text.count("IDLE stayed silent") == 1


def test_a_slow_idle_that_reports_after_the_poll_is_kept() -> None:
    clock = Clock()
    h = health(clock)
    h.idling()
    for start in (300.0, 600.0, 900.0):
        clock.now = start
        h.poll_found_mail()
        clock.now = start + 60  # Courier's default: about a minute later
        h.reported()
        clock.now = start + 290
        assert h.review() is False
    assert not h.silent


def test_the_sync_that_idle_itself_asked_for_is_no_miss() -> None:
    clock = Clock()
    h = health(clock)
    h.idling()
    for start in (300.0, 600.0, 900.0):
        clock.now = start
        h.reported()
        clock.now = start + 1
        h.poll_found_mail()
        clock.now = start + 290
        assert h.review() is False


def test_mail_found_right_after_idle_started_or_while_it_was_down_is_no_test() -> None:
    clock = Clock()
    h = health(clock)
    h.idling()
    clock.now = 10  # IDLE has watched only 10 s: the mail may predate it
    h.poll_found_mail()
    clock.now = 400
    assert h.review() is False
    h.interrupted()
    h.poll_found_mail()  # IDLE is not running at all
    clock.now = 800
    assert h.review() is False
    assert not h.silent
