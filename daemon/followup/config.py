"""The typed, frozen configuration and its loader (TOML via tomllib).

The schema in ``followup.schema`` is the single source of truth for the keys, their
types, defaults and documentation; ``load_config`` validates a file against it and
reports every problem at once with its key path (the checks live in
``followup.config_check``).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from followup.errors import ConfigError
from followup.model import Address, StageName

AccountType = Literal["imap", "gmail", "maildir"]
Security = Literal["tls", "starttls", "none"]


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
    draft_time: dt.time = dt.time(9, 0)
    thank_you_time: dt.time = dt.time(17, 0)
    stages: tuple[StageName, ...] = ("thank_you", "check_in", "closure")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DaemonConfig:
    poll_interval: dt.timedelta = dt.timedelta(minutes=5)
    state_dir: Path = field(default_factory=lambda: Path("~/.local/state/followup").expanduser())


@dataclass(frozen=True)
class AccountConfig:
    name: str
    type: AccountType
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str | None = None
    drafts_folder: str | None = None
    # imap
    host: str | None = None
    port: int | None = None
    security: Security = "tls"
    username: str | None = None
    password_command: str | None = None
    tls_ca_file: Path | None = None
    timeout: float = 30.0
    # maildir
    path: Path | None = None
    # gmail
    client_secrets_file: Path | None = None
    token_command: str | None = None
    api_endpoint: str | None = None  # tests point this at a fake server


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


@dataclass(frozen=True)
class Config:
    path: Path
    identity: Identity
    schedule: ScheduleConfig
    daemon: DaemonConfig
    accounts: tuple[AccountConfig, ...]
    interviews: tuple[Interview, ...]
    templates: dict[StageName, TemplateOverride] = field(default_factory=dict)

    def account_for(self, interview: Interview) -> AccountConfig:
        """The account an interview's drafts go to (validated at load time)."""
        if interview.account is None:
            return self.accounts[0]
        for account in self.accounts:
            if account.name == interview.account:
                return account
        raise KeyError(interview.account)

    def stages_for(self, interview: Interview) -> tuple[StageName, ...]:
        return interview.stages if interview.stages is not None else self.schedule.stages


# ---------------------------------------------------------------- loading


def find_config_path(explicit: str | None) -> Path:
    """``--config``, else ``$FOLLOWUP_CONFIG``, else the XDG location."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("FOLLOWUP_CONFIG")
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "followup" / "config.toml"


def load_config(path: Path) -> Config:
    """Read and validate ``path``; raises ``ConfigError`` listing every problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found (create one with `followup init`)"]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), [f"not UTF-8 text (byte {exc.start})"]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Validate TOML ``text`` (read from ``path``) against ``followup.schema``.

    Never writes anything; collects every problem before raising ``ConfigError``.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"TOML syntax error: {exc}"]) from None
    from followup.config_check import build_config

    return build_config(raw, path)
