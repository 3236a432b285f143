"""The declarative description of every configuration key.

One table drives three things so they can never drift apart: validation
(``followup.config.check``), the documentation test of ``config.example.toml``, and the
starter file ``followup init`` writes (``followup.config.starter``). Each key carries the
converter that checks its value.
"""

from __future__ import annotations

import datetime as dt
import json

from followup.config import kinds as k
from followup.config.keys import REQUIRED, Key, Section
from followup.config.schema_accounts import (
    ACCOUNT_KINDS,
    ACCOUNTS,
    ANY_ACCOUNT,
    GMAIL_ACCOUNT,
    IMAP_ACCOUNT,
    MAILDIR_ACCOUNT,
)
from followup.config.schema_notify import NOTIFY
from followup.core.model import STAGES

IDENTITY = Section(
    "identity",
    "Who you are: drafts are written from this address, and mail from it is never a reply.",
    (
        Key(
            "name",
            k.string,
            "your name, as it appears in the From of a draft",
            "Jordan Rivera",
            REQUIRED,
        ),
        Key("email", k.email, "the address you applied with", "jordan@example.com", REQUIRED),
        Key("aliases", k.emails, 'other addresses that are "me"', ["j.rivera@example.org"], []),
    ),
    required=True,
)

SCHEDULE = Section(
    "schedule",
    "When follow-ups come due. Every key is optional.",
    (
        Key(
            "timezone",
            k.timezone,
            "IANA time zone every date and time is read in",
            "America/New_York",
            None,
            default_doc="the system's zone, else UTC",
        ),
        Key(
            "workdays",
            k.weekdays,
            "days that count as business days (mon..sun)",
            ["mon", "tue", "wed", "thu", "fri"],
            ["mon", "tue", "wed", "thu", "fri"],
        ),
        Key(
            "holidays",
            k.holidays,
            "public holidays that are not business days: country, optional subdivision",
            "US",
            None,
            default_doc="none",
        ),
        Key(
            "grace_business_days",
            k.integer,
            "business days to wait past the promised date before a check-in",
            4,
            4,
            minimum=0,
            maximum=60,
        ),
        Key(
            "default_wait_business_days",
            k.integer,
            "without a promised date: business days after the interview to assume",
            5,
            5,
            minimum=0,
            maximum=120,
        ),
        Key(
            "closure_business_days",
            k.integer,
            "business days after your own follow-up before a closing note",
            7,
            7,
            minimum=1,
            maximum=120,
        ),
        Key(
            "late_limit_business_days",
            k.integer,
            "a check-in or closure more than this many business days past due is skipped",
            10,
            10,
            minimum=1,
            maximum=120,
        ),
        Key(
            "draft_time",
            k.time_of_day,
            "local time check-in and closure drafts appear",
            "09:00",
            "09:00",
        ),
        Key(
            "thank_you_time",
            k.time_of_day,
            "local time the thank-you draft appears",
            "17:00",
            "17:00",
        ),
        Key(
            "stages",
            k.stages,
            "which drafts to write: thank_you, check_in, closure",
            list(STAGES),
            list(STAGES),
        ),
    ),
)

DAEMON = Section(
    "daemon",
    "How the background service runs. Every key is optional.",
    (
        Key(
            "poll_interval",
            k.duration,
            'how often to look for new mail ("30s", "5m", "1h")',
            "5m",
            "5m",
            minimum=1,
            maximum=7 * 86400,
        ),
        Key(
            "state_dir",
            k.path,
            "where the state database lives",
            "~/.local/state/followup",
            "~/.local/state/followup",
        ),
    ),
)

TEMPLATES = Section(
    "templates",
    "Optional overrides of the built-in texts, one table per stage ([templates.check_in]).",
    (
        Key(
            "subject",
            k.template,
            "subject when the draft starts a new thread",
            "Following up on the {{ role }} interview",
            None,
            default_doc="built-in",
        ),
        Key(
            "body",
            k.template,
            "the draft's text",
            "{% if interviewer %}Hi {{ interviewer }},{% else %}Hello,{% endif %}\n...",
            None,
            default_doc="built-in",
        ),
    ),
    per_stage=True,
)

INTERVIEWS = Section(
    "interviews",
    "One table per interview.",
    (
        Key(
            "id",
            k.slug,
            "stable unique slug: lower-case letters, digits, . _ -",
            "acme-backend",
            REQUIRED,
        ),
        Key("company", k.string, "company name", "Acme Corp", REQUIRED),
        Key("role", k.string, "the position", "Backend Engineer", REQUIRED),
        Key(
            "interviewed_on",
            k.date_or_datetime,
            "date or datetime of the interview (a bare date starts at 00:00)",
            dt.date(2026, 11, 16),
            REQUIRED,
        ),
        Key(
            "reply_promised_by",
            k.date,
            "the date they said you would hear back",
            dt.date(2026, 11, 20),
            None,
            default_doc="interviewed_on + default_wait_business_days",
        ),
        Key(
            "contacts",
            k.contacts,
            'people you met, as "Name <email>"',
            ["Dana Whitfield <dana@acme.com>"],
            [],
        ),
        Key(
            "domains",
            k.domains,
            "mail domains of the company (subdomains count too)",
            ["acme.com"],
            None,
            default_doc="the contacts' domains minus free-mail ones",
        ),
        Key(
            "account",
            k.name,
            "account the drafts go to; required with several accounts",
            "mail",
            None,
            default_doc="the only account",
        ),
        Key(
            "highlight",
            k.string,
            "an idea you want to offer in the follow-up",
            "the caching idea we discussed",
            None,
        ),
        Key(
            "stages",
            k.stages,
            "override [schedule] stages for this interview",
            ["check_in"],
            None,
            default_doc="[schedule] stages",
        ),
        Key("closed", k.boolean, "true: stop all work for this interview", False, False),
    ),
    array=True,
)

SECTIONS: tuple[Section, ...] = (
    IDENTITY,
    SCHEDULE,
    DAEMON,
    NOTIFY,
    ACCOUNTS,
    TEMPLATES,
    INTERVIEWS,
)


def section(name: str) -> Section:
    for s in SECTIONS:
        if s.name == name:
            return s
    raise KeyError(name)


def account_types_with(key_name: str) -> list[str]:
    """The account types that have a key of this name (for "only used by …" messages)."""
    return [kind for kind, sec in ACCOUNT_KINDS.items() if sec.key(key_name) is not None]


def all_key_paths() -> list[str]:
    """Every documented key as ``section.key`` (``templates.*.body`` for per-stage keys)."""
    paths: list[str] = []
    for sec in (*SECTIONS, *ACCOUNT_KINDS.values()):
        prefix = f"{sec.name}.*" if sec.per_stage else sec.name
        paths.extend(f"{prefix}.{key.name}" for key in sec.keys)
    return list(dict.fromkeys(paths))


def toml_value(value: object) -> str:
    """A TOML literal for the simple values the schema uses."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date | dt.time):
        return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML rendering for {value!r}")


__all__ = [
    "ACCOUNTS",
    "ACCOUNT_KINDS",
    "ANY_ACCOUNT",
    "DAEMON",
    "GMAIL_ACCOUNT",
    "IDENTITY",
    "IMAP_ACCOUNT",
    "INTERVIEWS",
    "MAILDIR_ACCOUNT",
    "NOTIFY",
    "SCHEDULE",
    "SECTIONS",
    "TEMPLATES",
    "Key",
    "Section",
    "account_types_with",
    "all_key_paths",
    "section",
    "toml_value",
]
