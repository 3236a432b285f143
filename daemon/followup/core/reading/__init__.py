"""What one message *says* (DESIGN §2a): its kind, a promised date, a return date.

Pure and standard-library only. Importing this package loads only the value types; the
rules load on the first call and compile their patterns on first use, so `status` and
`--help` pay nothing for them.

Only the subject and the message's own words count: quoted mail ("On … wrote:", "Am …
schrieb", "Le … a écrit", "El … escribió", ``>`` lines, Outlook "From:/Sent:",
"Von:/Gesendet:", "De :/Envoyé :" blocks, "-----Original Message-----", forwarded-message
headers) and signatures ("-- ", sign-off blocks) never do. A reply's subject is the
thread's, usually the user's own words, and is read only for "is this the offer's thread".

Kinds are read in English, German, French and Spanish in every message (they mix); the
language only decides how "12/11" reads (m/d in English, d/m elsewhere). Dates follow
DESIGN §2a: day 0 is the message's date in the user's zone, a vague promise means the
latest day it can mean, and "soon" means no date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from followup.core.reading.model import KINDS, Invite, Kind, Reading

# Stored facts carry the version they were derived with; bump it whenever a rule changes.
RULES_VERSION: int = 1

__all__ = [
    "KINDS",
    "RULES_VERSION",
    "Invite",
    "Kind",
    "Reading",
    "own_text",
    "parse_invite",
    "read_message",
]


def own_text(body: str) -> str:
    """The message's own words: quoted earlier mail ("On … wrote:", "Am … schrieb", "Le …
    a écrit", "El … escribió", ``>`` lines, Outlook "From: … Sent: …" / "De : … Envoyé :" /
    "Von: … Gesendet:" blocks, "-----Original Message-----", forwarded-message headers)
    and signatures ("-- " line, typical sign-off blocks) removed."""
    from followup.core.reading import text

    return text.own_text(body)


def parse_invite(ics: str, tz: ZoneInfo) -> Invite | None:
    """The METHOD, aware start (TZID/UTC honoured; floating and date-only starts read in
    ``tz``), organizer and summary of a text/calendar part; None if it holds no event."""
    from followup.core.reading import calendar_part

    return calendar_part.parse_invite(ics, tz)


def read_message(
    *,
    subject: str,
    body: str,
    sent_at: dt.datetime | None,
    tz: ZoneInfo,
    is_workday: Callable[[dt.date], bool],
    automatic: str | None = None,
    calendar: str | None = None,
    replying_to_thank_you: bool = False,
) -> Reading:
    """What one message says.

    ``body`` is plain text (HTML already turned into text), quotes included; ``sent_at``
    its aware Date (None: no dates can be read); ``tz`` the user's zone (day 0 is
    ``sent_at``'s date there); ``is_workday`` the business-day predicate. ``automatic`` is
    what header rules found ("auto-reply (…)", "bulk mail (…)", "bounce (…)", …): bulk and
    list mail reads as kind None, anything else as ``auto_reply``, except a relayed person
    (a Google Group, a LinkedIn message notice), whose words are read. ``calendar`` is a
    text/calendar part; ``replying_to_thank_you`` says the message answers the user's
    thank-you note, which lets a one-line answer be a courtesy."""
    from followup.core.reading import reader

    return reader.read_message(
        subject=subject,
        body=body,
        sent_at=sent_at,
        tz=tz,
        is_workday=is_workday,
        automatic=automatic,
        calendar=calendar,
        replying_to_thank_you=replying_to_thank_you,
    )
