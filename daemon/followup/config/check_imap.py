"""The checks of an IMAP account that span several keys: how it signs in.

Each problem is (key, message); ``check`` puts the account's path in front. A key that
only means something with another sign-in is reported where the user wrote it, so a
leftover ``password_command`` after switching to OAuth2 is not silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

_OAUTH2_KEYS = ("token_command", "oauth2_provider")
_PROVIDER_KEYS: dict[str, tuple[str, ...]] = {
    "microsoft": ("client_id", "tenant", "oauth2_authority"),
    "google": ("client_secrets_file",),
}


def imap_auth_problems(values: Mapping[str, Any], raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with the sign-in keys of one IMAP account.

    ``values`` are the converted values, ``raw`` the table as written: a key whose value
    was already reported as bad is not guessed at, so it causes no follow-on problems.
    """
    keys = ("auth", "password_command", *_OAUTH2_KEYS, *_PROVIDER_KEYS["microsoft"])
    if any(key in raw and key not in values for key in (*keys, *_PROVIDER_KEYS["google"])):
        return []
    auth = values.get("auth", "password")
    if auth == "password":
        return [
            (key, 'only used with auth = "oauth2"')
            for key in (*_OAUTH2_KEYS, *_PROVIDER_KEYS["microsoft"], *_PROVIDER_KEYS["google"])
            if key in values
        ]
    problems: list[tuple[str, str]] = []
    if "password_command" in values:
        problems.append(
            (
                "password_command",
                'not used with auth = "oauth2"; remove it (token_command prints an access token)',
            )
        )
    provider = values.get("oauth2_provider")
    if "token_command" in values and provider is not None:
        problems.append(
            (
                "token_command",
                "set either token_command or oauth2_provider, not both (token_command "
                "gets its tokens from your own helper, oauth2_provider signs in with "
                "`followup auth NAME`)",
            )
        )
    elif "token_command" not in values and provider is None:
        problems.append(
            (
                "auth",
                'auth = "oauth2" needs token_command (a command that prints an access token) '
                'or oauth2_provider = "microsoft" | "google"',
            )
        )
    for other, keys in _PROVIDER_KEYS.items():
        if other == provider:
            continue
        for key in keys:
            if key in values:
                problems.append((key, f'only used with oauth2_provider = "{other}"'))
    if provider == "microsoft" and "client_id" not in values:
        problems.append(
            (
                "client_id",
                'required for oauth2_provider = "microsoft": the Application (client) ID '
                "of your app registration in the Microsoft Entra admin center",
            )
        )
    if provider == "google" and "client_secrets_file" not in values:
        problems.append(
            (
                "client_secrets_file",
                'required for oauth2_provider = "google": the OAuth client JSON (Desktop '
                "app) downloaded from the Google Cloud console",
            )
        )
    authority = values.get("oauth2_authority")
    if provider == "microsoft" and authority and urlsplit(authority).scheme != "https":
        problems.append(("oauth2_authority", "Microsoft sign-in needs an https:// URL"))
    return problems
