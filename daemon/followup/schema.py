"""The declarative description of every configuration key.

One table drives three things so they can never drift apart: validation in
``followup.config``, the documentation test of ``config.example.toml``, and the starter
file ``followup init`` writes (``starter_config``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

# Key kinds; ``followup.config`` has one converter per kind.
KINDS = frozenset(
    {
        "str",  # any non-empty string
        "name",  # an account name: letters, digits, ".", "_", "-"
        "slug",  # an interview id: [a-z0-9][a-z0-9._-]*
        "bool",
        "int",
        "number",  # seconds, int or float
        "choice",
        "email",
        "emails",
        "timezone",
        "weekdays",
        "holidays",
        "time",  # "HH:MM"
        "duration",  # "5m", "1h", "2h30m"
        "path",
        "url",
        "strings",  # a non-empty list of strings
        "stages",
        "template",
        "date",
        "date_or_datetime",
        "contacts",
        "domains",
    }
)

STAGE_NAMES: tuple[str, ...] = ("thank_you", "check_in", "closure")
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ACCOUNT_TYPES: tuple[str, ...] = ("imap", "gmail", "maildir")
SECURITY_MODES: tuple[str, ...] = ("tls", "starttls", "none")


class _Required:
    """Marker default: the key must be present."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


@dataclass(frozen=True)
class Key:
    """One key: how to check it, its default, and how to explain it to a user.

    ``default`` is a TOML-ready value, ``None`` (optional, no value) or ``REQUIRED``.
    ``default_doc`` replaces the rendered default in docs when it is computed at load time.
    ``only_for`` lists the account types a key applies to (empty: every type).
    ``required_for`` lists account types for which the key is required.
    """

    name: str
    kind: str
    doc: str
    example: object
    default: object = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default_doc: str | None = None
    only_for: tuple[str, ...] = ()
    required_for: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Section:
    """A table (``[identity]``), an array of tables (``[[accounts]]``) or, with
    ``per_stage``, one table per stage (``[templates.check_in]``)."""

    name: str
    doc: str
    keys: tuple[Key, ...]
    array: bool = False
    required: bool = False
    per_stage: bool = False

    def key(self, name: str) -> Key | None:
        for k in self.keys:
            if k.name == name:
                return k
        return None

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


IDENTITY = Section(
    "identity",
    "Who you are: drafts are written from this address, and mail from it is never a reply.",
    (
        Key(
            "name",
            "str",
            "your name, as it appears in the From of a draft",
            "Jordan Rivera",
            REQUIRED,
        ),
        Key("email", "email", "the address you applied with", "jordan@example.com", REQUIRED),
        Key("aliases", "emails", 'other addresses that are "me"', ["j.rivera@example.org"], []),
    ),
    required=True,
)

SCHEDULE = Section(
    "schedule",
    "When follow-ups come due. Every key is optional.",
    (
        Key(
            "timezone",
            "timezone",
            "IANA time zone every date and time is read in",
            "America/New_York",
            None,
            default_doc="the system's zone, else UTC",
        ),
        Key(
            "workdays",
            "weekdays",
            "days that count as business days (mon..sun)",
            ["mon", "tue", "wed", "thu", "fri"],
            ["mon", "tue", "wed", "thu", "fri"],
        ),
        Key(
            "holidays",
            "holidays",
            "public holidays that are not business days: country, optional subdivision",
            "US",
            None,
            default_doc="none",
        ),
        Key(
            "grace_business_days",
            "int",
            "business days to wait past the promised date before a check-in",
            4,
            4,
            minimum=0,
            maximum=60,
        ),
        Key(
            "default_wait_business_days",
            "int",
            "without a promised date: business days after the interview to assume",
            5,
            5,
            minimum=0,
            maximum=120,
        ),
        Key(
            "closure_business_days",
            "int",
            "business days after your own follow-up before a closing note",
            7,
            7,
            minimum=1,
            maximum=120,
        ),
        Key(
            "draft_time", "time", "local time check-in and closure drafts appear", "09:00", "09:00"
        ),
        Key("thank_you_time", "time", "local time the thank-you draft appears", "17:00", "17:00"),
        Key(
            "stages",
            "stages",
            "which drafts to write: thank_you, check_in, closure",
            list(STAGE_NAMES),
            list(STAGE_NAMES),
        ),
    ),
)

DAEMON = Section(
    "daemon",
    "How the background service runs. Every key is optional.",
    (
        Key(
            "poll_interval",
            "duration",
            'how often to look for new mail ("30s", "5m", "1h")',
            "5m",
            "5m",
        ),
        Key(
            "state_dir",
            "path",
            "where the state database lives",
            "~/.local/state/followup",
            "~/.local/state/followup",
        ),
    ),
)

_IMAP = ("imap",)
_GMAIL = ("gmail",)
_MAILDIR = ("maildir",)

ACCOUNTS = Section(
    "accounts",
    "Mailboxes to watch and to write drafts into. At least one.",
    (
        Key(
            "name",
            "name",
            "a short name for `followup auth NAME` and `account =`",
            "mail",
            REQUIRED,
        ),
        Key("type", "choice", "imap | gmail | maildir", "imap", REQUIRED, choices=ACCOUNT_TYPES),
        Key("folders", "strings", "folders watched for replies", ["INBOX"], ["INBOX"]),
        Key(
            "sent_folder",
            "str",
            "your sent mail; found by SPECIAL-USE / label when unset",
            "Sent",
            None,
            default_doc="found automatically (maildir: Sent)",
        ),
        Key(
            "drafts_folder",
            "str",
            "where drafts go; found by SPECIAL-USE / label when unset",
            "Drafts",
            None,
            default_doc="found automatically (maildir: Drafts)",
        ),
        Key(
            "host",
            "str",
            "IMAP server name",
            "imap.example.com",
            None,
            only_for=_IMAP,
            required_for=_IMAP,
        ),
        Key(
            "port",
            "int",
            "IMAP port",
            993,
            None,
            minimum=1,
            maximum=65535,
            only_for=_IMAP,
            default_doc="993 with tls, 143 with starttls or none",
        ),
        Key(
            "security",
            "choice",
            "tls | starttls | none (none only to a loopback host)",
            "tls",
            "tls",
            choices=SECURITY_MODES,
            only_for=_IMAP,
        ),
        Key(
            "username",
            "str",
            "IMAP login name",
            "jordan@example.com",
            None,
            only_for=_IMAP,
            required_for=_IMAP,
        ),
        Key(
            "password_command",
            "str",
            "command printing the password; default: keyring (`followup auth NAME`)",
            "pass show mail",
            None,
            only_for=_IMAP,
        ),
        Key(
            "tls_ca_file",
            "path",
            "extra CA bundle to trust (self-signed servers)",
            "~/.config/followup/ca.pem",
            None,
            only_for=_IMAP,
        ),
        Key(
            "timeout",
            "number",
            "network timeout in seconds",
            30,
            30,
            minimum=1,
            maximum=600,
            only_for=("imap", "gmail"),
        ),
        Key(
            "path",
            "path",
            "Maildir root holding INBOX, Sent, Drafts",
            "~/Mail/personal",
            None,
            only_for=_MAILDIR,
            required_for=_MAILDIR,
        ),
        Key(
            "client_secrets_file",
            "path",
            "OAuth client JSON downloaded from Google Cloud",
            "~/.config/followup/client_secret.json",
            None,
            only_for=_GMAIL,
            required_for=_GMAIL,
        ),
        Key(
            "token_command",
            "str",
            "command printing a refresh token; default: keyring (`followup auth NAME`)",
            "pass show gmail-token",
            None,
            only_for=_GMAIL,
        ),
        Key(
            "api_endpoint",
            "url",
            "Gmail API base URL (only for testing against a fake)",
            "http://127.0.0.1:8080/",
            None,
            only_for=_GMAIL,
        ),
    ),
    array=True,
    required=True,
)

TEMPLATES = Section(
    "templates",
    "Optional overrides of the built-in texts, one table per stage ([templates.check_in]).",
    (
        Key(
            "subject",
            "template",
            "subject when the draft starts a new thread",
            "Following up on the {{ role }} interview",
            None,
            default_doc="built-in",
        ),
        Key(
            "body",
            "template",
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
            "slug",
            "stable unique slug: lower-case letters, digits, . _ -",
            "acme-backend",
            REQUIRED,
        ),
        Key("company", "str", "company name", "Acme Corp", REQUIRED),
        Key("role", "str", "the position", "Backend Engineer", REQUIRED),
        Key(
            "interviewed_on",
            "date_or_datetime",
            "date or datetime of the interview (a bare date starts at 00:00)",
            dt.date(2026, 11, 16),
            REQUIRED,
        ),
        Key(
            "reply_promised_by",
            "date",
            "the date they said you would hear back",
            dt.date(2026, 11, 20),
            None,
            default_doc="interviewed_on + default_wait_business_days",
        ),
        Key(
            "contacts",
            "contacts",
            'people you met, as "Name <email>"',
            ["Dana Whitfield <dana@acme.com>"],
            [],
        ),
        Key(
            "domains",
            "domains",
            "mail domains of the company (subdomains count too)",
            ["acme.com"],
            None,
            default_doc="the contacts' domains minus free-mail ones",
        ),
        Key(
            "account",
            "name",
            "account the drafts go to; required with several accounts",
            "mail",
            None,
            default_doc="the only account",
        ),
        Key(
            "highlight",
            "str",
            "an idea you want to offer in the follow-up",
            "the caching idea we discussed",
            None,
        ),
        Key(
            "stages",
            "stages",
            "override [schedule] stages for this interview",
            ["check_in"],
            None,
            default_doc="[schedule] stages",
        ),
        Key("closed", "bool", "true: stop all work for this interview", False, False),
    ),
    array=True,
)

SECTIONS: tuple[Section, ...] = (IDENTITY, SCHEDULE, DAEMON, ACCOUNTS, TEMPLATES, INTERVIEWS)


def section(name: str) -> Section:
    for s in SECTIONS:
        if s.name == name:
            return s
    raise KeyError(name)


def all_key_paths() -> list[str]:
    """Every documented key as ``section.key`` (``templates.*.body`` for per-stage keys)."""
    paths: list[str] = []
    for s in SECTIONS:
        prefix = f"{s.name}.*" if s.per_stage else s.name
        paths.extend(f"{prefix}.{k.name}" for k in s.keys)
    return paths


# ---------------------------------------------------------------- rendering


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


def _doc_line(key: Key) -> str:
    if key.required:
        return f"{key.doc} (required)"
    if key.required_for:
        return f"{key.doc} (required for {' and '.join(key.required_for)})"
    if key.default_doc is not None:
        return f"{key.doc} (default: {key.default_doc})"
    if key.default is None:
        return f"{key.doc} (optional)"
    return f"{key.doc} (default: {toml_value(key.default)})"


def _key_lines(keys: Iterable[Key], values: dict[str, object], commented: bool) -> list[str]:
    """Each key as a doc comment line and an assignment, commented out unless given."""
    lines = []
    for key in keys:
        lines.append(f"# {_doc_line(key)}")
        if key.name in values:
            lines.append(f"{key.name} = {toml_value(values[key.name])}")
            continue
        shown = key.default
        if shown is None or shown is REQUIRED or shown == []:
            shown = key.example
        prefix = "# " if commented or not key.required else ""
        lines.append(f"{prefix}{key.name} = {toml_value(shown)}")
    return lines


def starter_config(
    *,
    name: str = "Your Name",
    email: str = "you@example.com",
    timezone: str | None = None,
    account_type: str = "imap",
    host: str = "imap.example.com",
    username: str | None = None,
    maildir_path: str = "~/Mail",
    client_secrets_file: str = "~/.config/followup/client_secret.json",
) -> str:
    """A commented starter file that loads as is (``followup init``).

    Required keys get the given values; optional keys appear commented out with their
    defaults, so the file is also a reference.
    """
    if account_type not in ACCOUNT_TYPES:
        raise ValueError(f"unknown account type {account_type!r}")
    out = [
        "# followup configuration. Uncomment a key to change its default.",
        "# Secrets never go here: use `followup auth NAME`, password_command or",
        "# $CREDENTIALS_DIRECTORY.",
        "",
        f"# {IDENTITY.doc}",
        "[identity]",
        *_key_lines(IDENTITY.keys, {"name": name, "email": email}, commented=False),
        "",
        f"# {SCHEDULE.doc}",
        "[schedule]",
    ]
    schedule_values: dict[str, object] = {"timezone": timezone} if timezone else {}
    out += _key_lines(SCHEDULE.keys, schedule_values, commented=False)
    out += ["", f"# {DAEMON.doc}", "[daemon]", *_key_lines(DAEMON.keys, {}, commented=False)]
    account: dict[str, object] = {"name": "mail", "type": account_type}
    if account_type == "imap":
        account.update(host=host, username=username or email)
    elif account_type == "maildir":
        account["path"] = maildir_path
    else:
        account["client_secrets_file"] = client_secrets_file
    keys = [k for k in ACCOUNTS.keys if not k.only_for or account_type in k.only_for]
    out += ["", f"# {ACCOUNTS.doc}", "[[accounts]]", *_key_lines(keys, account, False)]
    out += [
        "",
        f"# {TEMPLATES.doc}",
        "# [templates.check_in]",
        *_key_lines(TEMPLATES.keys, {}, commented=True),
        "",
        f"# {INTERVIEWS.doc} Add one with `followup add` or by hand:",
        "# [[interviews]]",
        *_key_lines(INTERVIEWS.keys, {}, commented=True),
        "",
    ]
    return "\n".join(out)
