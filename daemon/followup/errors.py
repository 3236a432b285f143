"""One error root; user-facing errors carry the exit code the CLI contract promises."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 75
EXIT_CONFIG = 78


class FollowupError(Exception):
    """Root of every error this program raises on purpose."""


class UserError(FollowupError):
    """An error a user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(UserError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE


class ConfigError(UserError):
    """The configuration is invalid; ``problems`` lists every problem with its key path."""

    exit_code = EXIT_CONFIG

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s) in the configuration:\n{lines}")


class MailboxUnreachable(UserError):
    """A mailbox could not be reached or refused us (network, TLS, login)."""

    exit_code = EXIT_UNREACHABLE


class AuthError(MailboxUnreachable):
    """Credentials are missing, wrong or expired; the message says how to fix it."""


class CredentialsUnavailable(UserError):
    """No way to obtain a secret (no keyring backend, locked collection, failing command)."""

    exit_code = EXIT_UNREACHABLE


class StateError(UserError):
    """The state database cannot be opened or written."""

    exit_code = 74


class MalformedMessage(FollowupError):
    """A message could not be parsed; it is skipped with a warning."""
