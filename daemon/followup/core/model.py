"""Plain, frozen values shared by the pure core and the adapters.

The parts of the configuration the core reasons about (who the user is, the schedule,
the interviews) live here too, so the core never needs the config loader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

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
    the backend did not fetch it); it lives only for one cycle: the state database keeps
    what the rules read from it (``TextFacts``), never the text.
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
    calendar: str = ""  # the raw text/calendar part, bounded ("" when none or not fetched)
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
    interview (``interview_id`` set when it went to the company). An ``automatic``
    message (an out-of-office, say) is never a reply but may still ``concern`` one.
    ``reason`` is always a human-readable sentence.
    """

    kind: MatchKind
    interview_id: str | None
    reason: str
    concerns_id: str | None = None  # for automatic mail: the interview it is tied to

    @property
    def concerns(self) -> str | None:
        """The interview this message is tied to, whether or not it is a reply."""
        return self.interview_id if self.interview_id is not None else self.concerns_id


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


WithdrawOutcome = Literal["withdrawn", "gone", "changed", "unsupported"]
"""``unsupported``: still exactly ours, but the server cannot remove one message safely."""


# --- what the user configured, as the core sees it ----------------------------------


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    aliases: tuple[str, ...] = ()

    def addresses(self) -> frozenset[str]:
        """Every address that is "me", lower-cased."""
        return frozenset({self.email.lower(), *(a.lower() for a in self.aliases)})


@dataclass(frozen=True)
class ScheduleConfig:
    timezone: str
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0, as datetime.weekday()
    holidays: str | None = None  # "US", "GB", "DE-BY"
    grace_business_days: int = 4
    default_wait_business_days: int = 5
    closure_business_days: int = 7
    late_limit_business_days: int = 10
    draft_time: dt.time = dt.time(9, 0)
    thank_you_time: dt.time = dt.time(17, 0)
    stages: tuple[StageName, ...] = STAGES

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class TemplateOverride:
    subject: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Interview:
    id: str
    company: str
    role: str
    interviewed_on: dt.date
    started_at: dt.datetime  # aware; a bare date means 00:00 in the configured zone
    contacts: tuple[Address, ...] = ()
    domains: tuple[str, ...] = ()
    reply_promised_by: dt.date | None = None
    account: str | None = None
    highlight: str | None = None
    stages: tuple[StageName, ...] | None = None  # None: the [schedule] stages
    closed: bool = False

    def stages_in(self, schedule: ScheduleConfig) -> tuple[StageName, ...]:
        """The stages this interview drafts: its own override, else the schedule's."""
        return self.stages if self.stages is not None else schedule.stages


@dataclass(frozen=True)
class StageRecord:
    """What this program did for one (interview, stage, round): the durable draft facts."""

    interview_id: str
    stage: StageName
    state: StageState
    account: str
    message_id: str
    ref: str | None
    reason: str
    updated_at: dt.datetime
    round: int = 1
