"""TOML → ``Config``: the schema, its checks, loading, the starter file and edits."""

from __future__ import annotations

from followup.config.load import find_config_path, load_config, parse_config, system_timezone
from followup.config.model import (
    AccountConfig,
    Config,
    DaemonConfig,
    GmailAccount,
    ImapAccount,
    MaildirAccount,
    NotifyConfig,
)

__all__ = [
    "AccountConfig",
    "Config",
    "DaemonConfig",
    "GmailAccount",
    "ImapAccount",
    "MaildirAccount",
    "NotifyConfig",
    "find_config_path",
    "load_config",
    "parse_config",
    "system_timezone",
]
