"""text/calendar parts: method, an aware start in the right zone, organizer, summary."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from followup.core.reading import Invite, parse_invite

CHICAGO = ZoneInfo("America/Chicago")


def ics(*event: str, method: str = "REQUEST") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"METHOD:{method}", "BEGIN:VEVENT", *event]
    return "\r\n".join([*lines, "END:VEVENT", "END:VCALENDAR", ""])


def test_a_request_with_a_tzid_start_is_read_in_that_zone() -> None:
    invite = parse_invite(
        ics(
            "DTSTART;TZID=Europe/Berlin:20261208T150000",
            "ORGANIZER;CN=Lena Vogt:mailto:Lena.Vogt@Example.DE",
            "SUMMARY:Zweitgespräch – Platform Engineer",
        ),
        CHICAGO,
    )
    assert invite == Invite(
        method="REQUEST",
        start=dt.datetime(2026, 12, 8, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        organizer="lena.vogt@example.de",
        summary="Zweitgespräch – Platform Engineer",
    )


def test_a_utc_start_is_aware_and_utc() -> None:
    invite = parse_invite(ics("DTSTART:20261201T160000Z", "SUMMARY:Final round"), CHICAGO)
    assert invite is not None and invite.start is not None
    assert invite.start == dt.datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO)
    assert invite.start.utcoffset() == dt.timedelta(0)


def test_a_date_only_start_is_midnight_in_the_users_zone() -> None:
    invite = parse_invite(ics("DTSTART;VALUE=DATE:20261210", "SUMMARY:Onsite day"), CHICAGO)
    assert invite is not None
    assert invite.start == dt.datetime(2026, 12, 10, 0, 0, tzinfo=CHICAGO)


def test_a_floating_start_is_read_in_the_users_zone() -> None:
    invite = parse_invite(ics("DTSTART:20261210T093000"), CHICAGO)
    assert invite is not None
    assert invite.start == dt.datetime(2026, 12, 10, 9, 30, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("tzid", "zone"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ('"Pacific Standard Time"', "America/Los_Angeles"),
        ("/mozilla.org/20050126_1/Europe/Paris", "Europe/Paris"),
    ],
)
def test_outlook_and_vendor_zone_names_are_understood(tzid: str, zone: str) -> None:
    invite = parse_invite(ics(f"DTSTART;TZID={tzid}:20261208T140000"), CHICAGO)
    assert invite is not None
    assert invite.start == dt.datetime(2026, 12, 8, 14, 0, tzinfo=ZoneInfo(zone))


def test_folded_lines_and_escapes_are_unfolded() -> None:
    text = ics("DTSTART:20261201T160000Z", "SUMMARY:Final round\\, system design and", "  coding")
    invite = parse_invite(text, CHICAGO)
    assert invite is not None
    assert invite.summary == "Final round, system design and coding"


def test_a_cancellation_keeps_its_method() -> None:
    invite = parse_invite(ics("DTSTART:20261201T160000Z", method="CANCEL"), CHICAGO)
    assert invite is not None and invite.method == "CANCEL"


def test_only_the_first_event_counts() -> None:
    text = ics("DTSTART:20261201T160000Z", "SUMMARY:First") + ics("DTSTART:20261202T160000Z")
    invite = parse_invite(text, CHICAGO)
    assert invite is not None and invite.summary == "First"


def test_text_without_an_event_is_no_invite() -> None:
    assert parse_invite("hello", CHICAGO) is None


def test_an_unreadable_start_is_none_but_the_invite_remains() -> None:
    invite = parse_invite(ics("DTSTART:next tuesday"), CHICAGO)
    assert invite is not None and invite.start is None
