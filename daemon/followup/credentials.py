"""Where secrets come from: a command, systemd credentials, or the keyring.

This is the only module that imports ``keyring``, so a missing or locked keyring can
only ever surface as one ``CredentialsUnavailable`` that says what to do instead.
Every secret handed out is registered with ``logs.add_secret`` so it never reaches a log.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from followup import logs
from followup.core.errors import CredentialsUnavailable

SERVICE = "followup"
COMMAND_TIMEOUT = 60.0  # seconds; a password manager may ask for a passphrase

Source = Literal["command", "credentials_directory", "keyring"]


@dataclass(frozen=True)
class Secret:
    """A secret and where it came from, so that a refusal can name the place to fix."""

    value: str
    source: Source
    account: str
    key: str = "password_command"  # the config key of the command, when it came from one

    def hint(self) -> str:
        """What to check when the server refuses this secret."""
        if self.source == "command":
            return f"check what {self.key} of account {self.account} prints"
        if self.source == "credentials_directory":
            return f"check the credential file $CREDENTIALS_DIRECTORY/{self.account}"
        return f"store the right one with `followup auth {self.account}`"


def get_secret(
    account_name: str, command: str | None = None, *, key: str = "password_command"
) -> str:
    """The secret of an account: ``command`` if given, else systemd credentials, else keyring."""
    return lookup(account_name, command, key=key).value


def lookup(
    account_name: str, command: str | None = None, *, key: str = "password_command"
) -> Secret:
    """Like ``get_secret``, and says which source the secret came from."""
    found: Secret | None
    if command:
        found = Secret(_from_command(account_name, command, key), "command", account_name, key)
    else:
        found = stored(account_name, key=key)
        if found is None:
            raise CredentialsUnavailable(
                f"no password is stored for account {account_name}; run "
                f"`followup auth {account_name}` or set {key} for it"
            )
    logs.add_secret(found.value)
    return found


def stored(account_name: str, *, key: str = "password_command") -> Secret | None:
    """What systemd credentials or else the keyring hold for an account, or None."""
    value = _from_credentials_directory(account_name)
    if value is not None:
        logs.add_secret(value)
        return Secret(value, "credentials_directory", account_name, key)
    value = keyring_get(account_name, key=key)
    if value is None:
        return None
    logs.add_secret(value)
    return Secret(value, "keyring", account_name, key)


def require_keyring(account_name: str, *, key: str = "password_command") -> None:
    """Fail now, before asking the user anything, when no keyring could store a secret."""
    keyring_get(account_name, key=key)


def store_secret(account_name: str, secret: str, *, key: str = "password_command") -> None:
    """Save a secret (password or OAuth token) for an account in the keyring."""
    logs.add_secret(secret)
    keyring_set(account_name, secret, key=key)


def prompt_and_store_password(account_name: str) -> None:
    """Ask for a password without echo (twice) and store it; for ``followup auth``."""
    require_keyring(account_name)
    first = getpass.getpass(f"Password for account {account_name}: ")
    if not first:
        raise CredentialsUnavailable("no password entered; nothing was stored")
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        raise CredentialsUnavailable("the two passwords differ; nothing was stored")
    store_secret(account_name, first)


def _from_command(account_name: str, command: str, key: str = "password_command") -> str:
    try:
        done = subprocess.run(  # noqa: S602 - the user's own configured shell command
            command,
            shell=True,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise CredentialsUnavailable(
            f"{key} of account {account_name} did not finish within {COMMAND_TIMEOUT:.0f} seconds"
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.strip() or "(no error output)"
        raise CredentialsUnavailable(
            f"{key} of account {account_name} failed with exit status {done.returncode}: {detail}"
        )
    secret = done.stdout.strip()
    if not secret:
        raise CredentialsUnavailable(f"{key} of account {account_name} printed nothing")
    return secret


def _from_credentials_directory(account_name: str) -> str | None:
    """``$CREDENTIALS_DIRECTORY/<account>`` as systemd's LoadCredential= provides it."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    if not directory:
        return None
    path = Path(directory) / account_name
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CredentialsUnavailable(f"cannot read the credential file {path}: {exc}") from exc
    return secret or None


_NO_BACKEND = (
    "no usable keyring is available on this system; set {key} for account "
    "{name} (e.g. `{example}`) or provide it with systemd LoadCredential={name}:FILE"
)
_LOCKED = (
    "the keyring is locked; unlock your login keyring (e.g. log in to the desktop "
    "session or run `secret-tool` once), or set {key} for account {name}"
)
_EXAMPLES = {"password_command": "pass show mail", "token_command": "oama access you@example.com"}


def _no_backend(account_name: str, key: str) -> str:
    example = _EXAMPLES.get(key, "pass show mail")
    return _NO_BACKEND.format(name=account_name, key=key, example=example)


def _require_backend(account_name: str, key: str) -> None:
    """The "null" backend silently stores nothing: treat it like having no keyring."""
    import keyring
    from keyring.backends import null

    if isinstance(keyring.get_keyring(), null.Keyring):
        raise CredentialsUnavailable(_no_backend(account_name, key))


def keyring_get(account_name: str, *, key: str = "password_command") -> str | None:
    """The keyring entry (service ``followup``, user = account name), or None."""
    import keyring

    _require_backend(account_name, key)
    with _keyring_errors(account_name, key, "failed to read"):
        value = keyring.get_password(SERVICE, account_name)
    return str(value) if value is not None else None


def keyring_set(account_name: str, secret: str, *, key: str = "password_command") -> None:
    """Write the keyring entry (service ``followup``, user = account name)."""
    import keyring

    _require_backend(account_name, key)
    with _keyring_errors(account_name, key, "refused to store"):
        keyring.set_password(SERVICE, account_name, secret)


@contextlib.contextmanager
def _keyring_errors(account_name: str, key: str, doing: str) -> Iterator[None]:
    """A keyring failure as the one sentence that says what to do instead."""
    import keyring.errors

    try:
        yield
    except keyring.errors.NoKeyringError as exc:
        raise CredentialsUnavailable(_no_backend(account_name, key)) from exc
    except keyring.errors.KeyringLocked as exc:
        raise CredentialsUnavailable(_LOCKED.format(name=account_name, key=key)) from exc
    except keyring.errors.KeyringError as exc:
        raise CredentialsUnavailable(
            f"the keyring {doing} the secret of account {account_name} ({exc}); "
            f"set {key} for it instead"
        ) from exc
