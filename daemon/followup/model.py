"""Plain, frozen values shared by the pure core and the adapters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

StageName = Literal["thank_you", "check_in", "closure"]
STAGES: tuple[StageName, ...] = ("thank_you", "check_in", "closure")

# Stage states as the CLI contract names them, plus two internal intents recorded before a
# mailbox write: "intent" (a draft is being written: crash recovery looks for its
# Message-ID first) and "withdrawing" (our draft is being removed: if it is gone on the
# retry, we removed it ourselves).
StageState = Literal[
    "scheduled", "intent", "drafted", "cancelled", "skipped", "withdrawn", "withdrawing"
]
InterviewState = Literal["waiting", "replied", "closed", "done"]


@dataclass(frozen=True)
class Address:
    """A mail address; ``email`` is lower-cased, ``name`` is the decoded display name."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    def formatted(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True)
class MessageMeta:
    """What the core needs to know about one message; built by ``parsing`` from headers.

    ``message_id``, ``in_reply_to`` and ``references`` hold ids without angle brackets.
    ``headers`` keeps the few raw header fields the automation rules look at, with
    lower-cased names. ``body_excerpt`` is a bounded plain-text start of the body ("" when
    the backend did not fetch it).
    """

    message_id: str
    date: dt.datetime | None
    sender: Address | None
    subject: str = ""
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/plain"
    body_excerpt: str = ""
    thread_id: str | None = None
    folder: str = ""
    uid: str = ""

    def header(self, name: str) -> str | None:
        """First value of a kept header field (case-insensitive), or None."""
        lname = name.lower()
        for key, value in self.headers:
            if key == lname:
                return value
        return None

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc


# Sorts undated messages first, as the oldest.
FAR_PAST = dt.datetime.min.replace(tzinfo=dt.UTC)


def when_text(when: dt.datetime) -> str:
    """How every date-time is shown to the user: "Fri 2026-11-27 09:00"."""
    return when.strftime("%a %Y-%m-%d %H:%M")


MatchKind = Literal["reply", "own", "automatic", "early", "unrelated", "company"]


@dataclass(frozen=True)
class Match:
    """The verdict on one message.

    ``interview_id`` is set only for a genuine reply (``kind == "reply"``) or, with
    ``kind == "company"``, for a message tied to the company that does not count as a
    reply (dated before the interview). ``own`` messages tie the user's mail to an
    interview (``interview_id`` set when it went to the company). ``reason`` is always
    a human-readable sentence.
    """

    kind: MatchKind
    interview_id: str | None
    reason: str


@dataclass(frozen=True)
class FolderInfo:
    """Which folders of one account play which role."""

    watched: tuple[str, ...]
    sent: str | None
    drafts: str


@dataclass(frozen=True)
class FetchResult:
    """New messages of one folder since ``cursor``, and the cursor to store next."""

    messages: tuple[MessageMeta, ...]
    cursor: str
    reset: bool = False  # the server invalidated the old cursor (e.g. UIDVALIDITY changed)
    warnings: tuple[str, ...] = field(default=())


WithdrawOutcome = Literal["withdrawn", "gone", "changed"]
