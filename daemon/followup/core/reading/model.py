"""The values the reader returns (re-exported by the package)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["rejection", "offer", "next_step", "delay", "courtesy", "reply", "auto_reply"]

KINDS: tuple[Kind, ...] = (
    "rejection",
    "offer",
    "next_step",
    "delay",
    "courtesy",
    "reply",
    "auto_reply",
)


@dataclass(frozen=True)
class Invite:
    """What a text/calendar part says: METHOD, the event's aware start, its organizer
    (the mailto address, lower-cased) and summary."""

    method: str
    start: dt.datetime | None
    organizer: str | None
    summary: str


@dataclass(frozen=True)
class Reading:
    """What one message says (DESIGN §2a).

    ``kind`` None is company mail that is not about the candidacy. ``reason`` quotes the
    phrase that decided. ``promised_by`` is set on a delay, and on a next_step that says
    when they will write next; ``away_until`` only on an auto_reply. ``language`` is the
    language of the message's own words."""

    kind: Kind | None
    reason: str
    promised_by: dt.date | None
    away_until: dt.date | None
    language: str
    invite: Invite | None = None
