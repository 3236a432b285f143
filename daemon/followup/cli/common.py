"""What every command module shares: the help's exit-code table, the context, ``--now``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import click

from followup.config import Config, find_config_path, load_config
from followup.core.calendar import parse_when
from followup.core.errors import EXIT_CONFIG, EXIT_STATE, EXIT_UNREACHABLE, EXIT_USAGE


def exit_codes(*codes: tuple[int, str]) -> str:
    """The "Exit codes" paragraph of a command's help."""
    rows = [(0, "ok"), *codes, (EXIT_USAGE, "usage error")]
    lines = "\n".join(f"{code:>4}  {what}" for code, what in sorted(rows))
    return f"\b\nExit codes:\n{lines}"


CONFIG = (EXIT_CONFIG, "the configuration is invalid (every problem is listed)")
STATE = (EXIT_STATE, "the state database cannot be used (the message says what to do)")
UNREACHABLE = (EXIT_UNREACHABLE, "a mailbox could not be reached, or refused the login")


@dataclass
class Context:
    config_arg: str | None
    verbose: int

    def config_path(self) -> Path:
        return find_config_path(self.config_arg)

    def load(self) -> Config:
        return load_config(self.config_path())


def parse_now(text: str | None, config: Config) -> dt.datetime:
    tz = config.schedule.tz
    if text is None:
        return dt.datetime.now(tz)
    try:
        return parse_when(text, tz).astimezone(tz)  # shown in the configured zone
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from exc
