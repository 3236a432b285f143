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

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup.core.reading.model import KINDS, Invite, Kind, Reading

if TYPE_CHECKING:
    from followup.core.reading.reader import read_message

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


def __getattr__(name: str) -> object:
    """``read_message`` is looked up on first use, so importing the package loads no rule."""
    if name == "read_message":
        from followup.core.reading.reader import read_message

        return read_message
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
