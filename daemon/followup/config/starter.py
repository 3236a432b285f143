"""The commented starter file ``followup init`` writes, rendered from the schema.

Required keys get real values so the file loads as is; every optional key appears
commented out with its default, so the file doubles as a reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from followup.config.keys import REQUIRED, Key
from followup.config.schema import (
    ACCOUNT_KINDS,
    ACCOUNTS,
    DAEMON,
    IDENTITY,
    INTERVIEWS,
    NOTIFY,
    SCHEDULE,
    TEMPLATES,
    toml_value,
)

PLACEHOLDER_NAME = "Your Name"
PLACEHOLDER_EMAIL = "you@example.com"
PLACEHOLDER_HOST = "imap.example.com"


def placeholder_warnings(name: str, email: str) -> list[str]:
    """What `check` says when [identity] still holds the starter's stand-ins."""
    out = []
    if name.strip() == PLACEHOLDER_NAME:
        out.append(
            f'[identity] name is still the starter\'s "{PLACEHOLDER_NAME}": every draft would '
            "be signed with it; set your own name in the config"
        )
    if email.strip().lower() == PLACEHOLDER_EMAIL:
        out.append(
            f'[identity] email is still the starter\'s "{PLACEHOLDER_EMAIL}": your own sent '
            "mail would not be recognised and drafts would come from it; set your address"
        )
    return out


def placeholder_host(host: str) -> str | None:
    """Why an IMAP account is not worth connecting to: its host is still the starter's."""
    if host.strip().lower() != PLACEHOLDER_HOST:
        return None
    return (
        f"host is still the starter's \"{PLACEHOLDER_HOST}\"; set host to your provider's IMAP "
        'server (e.g. "outlook.office365.com", "imap.gmail.com", "imap.fastmail.com")'
    )


def _doc_line(key: Key) -> str:
    if key.required:
        return f"{key.doc} (required)"
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
    name: str = PLACEHOLDER_NAME,
    email: str = PLACEHOLDER_EMAIL,
    timezone: str | None = None,
    account_type: str = "imap",
    host: str = PLACEHOLDER_HOST,
    username: str | None = None,
    maildir_path: str = "~/Mail",
    client_secrets_file: str = "~/.config/followup/client_secret.json",
) -> str:
    """A commented starter file that loads as is (``followup init``).

    Required keys get the given values; optional keys appear commented out with their
    defaults, so the file is also a reference.
    """
    if account_type not in ACCOUNT_KINDS:
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
    out += ["", f"# {NOTIFY.doc}", "[notify]", *_key_lines(NOTIFY.keys, {}, commented=False)]
    account: dict[str, object] = {"name": "mail", "type": account_type}
    if account_type == "imap":
        account.update(host=host, username=username or email)
    elif account_type == "maildir":
        account["path"] = maildir_path
    else:
        account["client_secrets_file"] = client_secrets_file
    kind = ACCOUNT_KINDS[account_type]
    out += ["", f"# {ACCOUNTS.doc}", f"# {kind.doc}", "[[accounts]]"]
    out += _key_lines(kind.keys, account, commented=False)
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
