"""The ``[[accounts]]`` part of the schema: the keys every account has, and each type's own.

Each account type is its own section, so a key can only be used where it means something
(``path`` on a maildir account, ``host`` on an IMAP one) and is required only there.
"""

from __future__ import annotations

import re
from dataclasses import replace

from followup.config import kinds as k
from followup.config.keys import REQUIRED, Key, Section

ACCOUNT_TYPES: tuple[str, ...] = ("imap", "gmail", "maildir")
SECURITY_MODES: tuple[str, ...] = ("tls", "starttls", "none")
AUTH_MODES: tuple[str, ...] = ("password", "oauth2")
OAUTH2_PROVIDERS: tuple[str, ...] = ("microsoft", "google")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*\Z")

ACCOUNTS = Section(
    "accounts",
    "Mailboxes to watch and to write drafts into. At least one.",
    (
        Key(
            "name",
            k.name,
            "a short name for `followup auth NAME` and `account =`",
            "mail",
            REQUIRED,
        ),
        Key("type", k.choice, "imap | gmail | maildir", "imap", REQUIRED, choices=ACCOUNT_TYPES),
        Key("folders", k.strings, "folders watched for replies", ["INBOX"], ["INBOX"]),
        Key(
            "sent_folder",
            k.string,
            "your sent mail; found by SPECIAL-USE / label when unset",
            "Sent",
            None,
            default_doc="found automatically (maildir: Sent)",
        ),
        Key(
            "drafts_folder",
            k.string,
            "where drafts go; found by SPECIAL-USE / label when unset",
            "Drafts",
            None,
            default_doc="found automatically (maildir: Drafts)",
        ),
    ),
    array=True,
    required=True,
)
"""The keys every account type has; each type adds its own in ``ACCOUNT_KINDS``."""

_TIMEOUT = Key(
    "timeout",
    k.number,
    "network timeout in seconds",
    30,
    30,
    minimum=1,
    maximum=600,
)

IMAP_ACCOUNT = ACCOUNTS.extended(
    "An IMAP account (any server: Fastmail, iCloud, Yahoo, Gmail with an app password…).",
    (
        Key("host", k.string, "IMAP server name", "imap.example.com", REQUIRED),
        Key(
            "port",
            k.integer,
            "IMAP port",
            993,
            None,
            minimum=1,
            maximum=65535,
            default_doc="993 with tls, 143 with starttls or none",
        ),
        Key(
            "security",
            k.choice,
            "tls | starttls | none (none only to a loopback host)",
            "tls",
            "tls",
            choices=SECURITY_MODES,
        ),
        Key("username", k.string, "IMAP login name", "jordan@example.com", REQUIRED),
        Key(
            "password_command",
            k.string,
            "command printing the password; default: keyring (`followup auth NAME`)",
            "pass show mail",
            None,
        ),
        Key(
            "auth",
            k.choice,
            "password | oauth2 (Outlook.com, Microsoft 365, Gmail without an app password)",
            "password",
            "password",
            choices=AUTH_MODES,
        ),
        Key(
            "token_command",
            k.string,
            "oauth2: command printing a fresh access token (oama, mutt_oauth2.py, …)",
            "oama access jordan@outlook.com",
            None,
        ),
        Key(
            "oauth2_provider",
            k.choice,
            "oauth2 without token_command: microsoft | google (sign in with `followup auth NAME`)",
            "microsoft",
            None,
            choices=OAUTH2_PROVIDERS,
        ),
        Key(
            "client_id",
            k.string,
            "microsoft: the Application (client) ID of your app registration",
            "00000000-0000-0000-0000-000000000000",
            None,
        ),
        Key(
            "tenant",
            k.pattern(_TENANT, 'a tenant like "common", "consumers" or "contoso.onmicrosoft.com"'),
            "microsoft: common | consumers | organizations | your tenant's id or domain",
            "common",
            "common",
        ),
        Key(
            "oauth2_authority",
            k.url,
            "microsoft: the sign-in host, for national clouds (https only)",
            "https://login.microsoftonline.us",
            None,
            default_doc='"https://login.microsoftonline.com"',
        ),
        Key(
            "client_secrets_file",
            k.path,
            "google: OAuth client JSON (Desktop app) downloaded from Google Cloud",
            "~/.config/followup/client_secret.json",
            None,
        ),
        Key(
            "tls_ca_file",
            k.path,
            "extra CA bundle to trust (self-signed servers)",
            "~/.config/followup/ca.pem",
            None,
        ),
        _TIMEOUT,
    ),
)

GMAIL_ACCOUNT = ACCOUNTS.extended(
    "A Gmail account through the Gmail API (your own OAuth client).",
    (
        Key(
            "client_secrets_file",
            k.path,
            "OAuth client JSON downloaded from Google Cloud",
            "~/.config/followup/client_secret.json",
            REQUIRED,
        ),
        Key(
            "token_command",
            k.string,
            "command printing a refresh token; default: keyring (`followup auth NAME`)",
            "pass show gmail-token",
            None,
        ),
        Key(
            "api_endpoint",
            k.url,
            "Gmail API base URL (only for testing against a fake)",
            "http://127.0.0.1:8080/",
            None,
        ),
        _TIMEOUT,
    ),
)

MAILDIR_ACCOUNT = ACCOUNTS.extended(
    "A local Maildir tree (mbsync, offlineimap, notmuch).",
    (
        Key(
            "path",
            k.path,
            "Maildir root holding INBOX, Sent, Drafts",
            "~/Mail/personal",
            REQUIRED,
        ),
    ),
)

ACCOUNT_KINDS: dict[str, Section] = {
    "imap": IMAP_ACCOUNT,
    "gmail": GMAIL_ACCOUNT,
    "maildir": MAILDIR_ACCOUNT,
}

ANY_ACCOUNT = ACCOUNTS.extended(
    "An account whose type is not (yet) valid: every type's keys are checked, none required.",
    tuple(
        {
            key.name: replace(key, default=None) if key.required else key
            for kind in ACCOUNT_KINDS.values()
            for key in kind.keys
            if ACCOUNTS.key(key.name) is None
        }.values()
    ),
)
"""Checks the values of an account with a bad ``type`` without piling up follow-on errors."""
