"""The typed, frozen configuration: one class per account type, and the whole ``Config``.

The parts the pure core reasons about (``Identity``, ``ScheduleConfig``, ``Interview``,
``TemplateOverride``) are defined in ``followup.core.model``; this module adds what only
the adapters and the service need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

from followup.core.model import Identity, Interview, ScheduleConfig, StageName, TemplateOverride

Security = Literal["tls", "starttls", "none"]
AuthMode = Literal["password", "oauth2"]
OAuth2Provider = Literal["microsoft", "google"]

IMAP_PORTS: dict[str, int] = {"tls": 993, "starttls": 143, "none": 143}
"""The port an IMAP account uses when it names none, by ``security``."""

DEFAULT_STATE_DIR = "~/.local/state/followup"


@dataclass(frozen=True)
class DaemonConfig:
    poll_interval: dt.timedelta = dt.timedelta(minutes=5)
    state_dir: Path = field(default_factory=lambda: Path(DEFAULT_STATE_DIR).expanduser())


@dataclass(frozen=True)
class NotifyConfig:
    """``[notify]``: desktop notifications and the user's own command, per event."""

    desktop: bool = True  # used only when a session bus is found
    command: str | None = None  # run through /bin/sh -c with FOLLOWUP_* variables
    command_timeout: dt.timedelta = dt.timedelta(seconds=30)


@dataclass(frozen=True, kw_only=True)
class _Account:
    """What every account has: a name and the folders it plays roles with."""

    name: str
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str | None = None
    drafts_folder: str | None = None


@dataclass(frozen=True, kw_only=True)
class ImapAccount(_Account):
    type: ClassVar[Literal["imap"]] = "imap"
    host: str
    username: str
    security: Security = "tls"
    port: int = 993
    password_command: str | None = None
    auth: AuthMode = "password"
    token_command: str | None = None
    oauth2_provider: OAuth2Provider | None = None
    client_id: str | None = None
    tenant: str = "common"
    oauth2_authority: str | None = None  # Microsoft sign-in host (national clouds, tests)
    client_secrets_file: Path | None = None
    tls_ca_file: Path | None = None
    timeout: float = 30.0


@dataclass(frozen=True, kw_only=True)
class GmailAccount(_Account):
    type: ClassVar[Literal["gmail"]] = "gmail"
    client_secrets_file: Path
    token_command: str | None = None
    api_endpoint: str | None = None  # tests point this at a fake server
    timeout: float = 30.0


@dataclass(frozen=True, kw_only=True)
class MaildirAccount(_Account):
    type: ClassVar[Literal["maildir"]] = "maildir"
    path: Path


AccountConfig = ImapAccount | GmailAccount | MaildirAccount


@dataclass(frozen=True)
class Config:
    path: Path
    identity: Identity
    schedule: ScheduleConfig
    daemon: DaemonConfig
    accounts: tuple[AccountConfig, ...]
    interviews: tuple[Interview, ...]
    templates: dict[StageName, TemplateOverride] = field(default_factory=dict)
    notify: NotifyConfig = field(default_factory=NotifyConfig)

    def account_for(self, interview: Interview) -> AccountConfig:
        """The account an interview's drafts go to (validated at load time)."""
        if interview.account is None:
            return self.accounts[0]
        for account in self.accounts:
            if account.name == interview.account:
                return account
        raise KeyError(interview.account)

    def stages_for(self, interview: Interview) -> tuple[StageName, ...]:
        return interview.stages_in(self.schedule)
