"""Where secrets come from: a command, systemd credentials, or the keyring.

This is the only module that imports ``keyring``, so a missing or locked keyring can
only ever surface as one ``CredentialsUnavailable`` that says what to do instead.
Every secret handed out is registered with ``logs.add_secret`` so it never reaches a log.
"""

from __future__ import annotations

import getpass
import os
import subprocess
from pathlib import Path

from followup import logs
from followup.core.errors import CredentialsUnavailable

SERVICE = "followup"
COMMAND_TIMEOUT = 60.0  # seconds; a password manager may ask for a passphrase


def get_secret(account_name: str, command: str | None = None) -> str:
    """The secret of an account: ``command`` if given, else systemd credentials, else keyring."""
    secret: str | None
    if command:
        secret = _from_command(account_name, command)
    else:
        secret = _from_credentials_directory(account_name)
        if secret is None:
            secret = keyring_get(account_name)
            if secret is None:
                raise CredentialsUnavailable(
                    f"no password is stored for account {account_name}; run "
                    f"`followup auth {account_name}` or set password_command for it"
                )
    logs.add_secret(secret)
    return secret


def store_secret(account_name: str, secret: str) -> None:
    """Save a secret (password or OAuth token) for an account in the keyring."""
    logs.add_secret(secret)
    keyring_set(account_name, secret)


def prompt_and_store_password(account_name: str) -> None:
    """Ask for a password without echo (twice) and store it; for ``followup auth``."""
    first = getpass.getpass(f"Password for account {account_name}: ")
    if not first:
        raise CredentialsUnavailable("no password entered; nothing was stored")
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        raise CredentialsUnavailable("the two passwords differ; nothing was stored")
    store_secret(account_name, first)


def _from_command(account_name: str, command: str) -> str:
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
            f"password_command of account {account_name} did not finish within "
            f"{COMMAND_TIMEOUT:.0f} seconds"
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.strip() or "(no error output)"
        raise CredentialsUnavailable(
            f"password_command of account {account_name} failed with exit status "
            f"{done.returncode}: {detail}"
        )
    secret = done.stdout.strip()
    if not secret:
        raise CredentialsUnavailable(f"password_command of account {account_name} printed nothing")
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
    "no usable keyring is available on this system; set password_command for account "
    "{name} (e.g. `pass show mail`) or provide it with systemd LoadCredential={name}:FILE"
)
_LOCKED = (
    "the keyring is locked; unlock your login keyring (e.g. log in to the desktop "
    "session or run `secret-tool` once), or set password_command for account {name}"
)


def _require_backend(account_name: str) -> None:
    """The "null" backend silently stores nothing: treat it like having no keyring."""
    import keyring
    from keyring.backends import null

    if isinstance(keyring.get_keyring(), null.Keyring):
        raise CredentialsUnavailable(_NO_BACKEND.format(name=account_name))


def keyring_get(account_name: str) -> str | None:
    """The keyring entry (service ``followup``, user = account name), or None."""
    import keyring
    import keyring.errors

    _require_backend(account_name)
    try:
        value = keyring.get_password(SERVICE, account_name)
    except keyring.errors.NoKeyringError as exc:
        raise CredentialsUnavailable(_NO_BACKEND.format(name=account_name)) from exc
    except keyring.errors.KeyringLocked as exc:
        raise CredentialsUnavailable(_LOCKED.format(name=account_name)) from exc
    except keyring.errors.KeyringError as exc:
        raise CredentialsUnavailable(
            f"the keyring failed to read the password of account {account_name} ({exc}); "
            f"set password_command for it instead"
        ) from exc
    return str(value) if value is not None else None


def keyring_set(account_name: str, secret: str) -> None:
    """Write the keyring entry (service ``followup``, user = account name)."""
    import keyring
    import keyring.errors

    _require_backend(account_name)
    try:
        keyring.set_password(SERVICE, account_name, secret)
    except keyring.errors.NoKeyringError as exc:
        raise CredentialsUnavailable(_NO_BACKEND.format(name=account_name)) from exc
    except keyring.errors.KeyringLocked as exc:
        raise CredentialsUnavailable(_LOCKED.format(name=account_name)) from exc
    except keyring.errors.KeyringError as exc:
        raise CredentialsUnavailable(
            f"the keyring refused to store the secret of account {account_name} ({exc}); "
            f"set password_command for it instead"
        ) from exc
