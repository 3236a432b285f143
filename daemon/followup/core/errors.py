"""One error root; user-facing errors carry the exit code the CLI contract promises."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_NOINPUT = 66  # EX_NOINPUT: an input file does not exist or cannot be read
EXIT_CANTCREAT = 73  # EX_CANTCREAT: an output file cannot be created (e.g. it exists)
EXIT_STATE = 74  # EX_IOERR: the state database cannot be used
EXIT_UNREACHABLE = 75  # EX_TEMPFAIL: a mailbox could not be reached
EXIT_CONFIG = 78  # EX_CONFIG: the configuration is invalid


class FollowupError(Exception):
    """Root of every error this program raises on purpose."""


class UserError(FollowupError):
    """An error a user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(UserError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE


class NoInputError(UserError):
    """A file named on the command line does not exist or cannot be read."""

    exit_code = EXIT_NOINPUT


class CannotCreate(UserError):
    """An output file cannot be created; ``init`` never overwrites a config, for one."""

    exit_code = EXIT_CANTCREAT


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


class WriteRefused(MailboxUnreachable):
    """The server is reachable but refused a write (it said why); a failed write all the same."""


class AuthError(MailboxUnreachable):
    """Credentials are missing, wrong or expired; the message says how to fix it."""


class CredentialsUnavailable(UserError):
    """No way to obtain a secret (no keyring backend, locked collection, failing command)."""

    exit_code = EXIT_UNREACHABLE


def needs_sign_in(exc: BaseException) -> bool:
    """Whether an account error is a login problem the user must fix (``followup auth``)."""
    return isinstance(exc, AuthError | CredentialsUnavailable)


class StateError(UserError):
    """The state database cannot be opened, read or written."""

    exit_code = EXIT_STATE


class CheckSkipped(FollowupError):
    """A check that could not be run safely (``check --write`` without UIDPLUS): said, not failed."""


class MalformedMessage(FollowupError):
    """A message could not be parsed; it is skipped with a warning."""
