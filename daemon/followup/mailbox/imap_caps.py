"""Which IMAP capabilities the backend uses, where it checks each one, and what it does without.

Servers differ (Dovecot, Cyrus, Courier, Mailutils, pymap, hosted ones): the backend never
assumes an extension it did not see in CAPABILITY. This table is the one place that says
what each extension buys, so ``followup check`` can tell a user what their server lacks and
what that means for them, and a test can hold the code to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    """One IMAP extension: what we use it for, where it is checked, the fallback."""

    name: str
    used_for: str
    checked: str
    fallback: str
    without: str  # what a user should know when their server lacks it ("" if nothing)


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "STARTTLS",
        'security = "starttls": the connection is encrypted before the login',
        "before STARTTLS is sent (Connection._open)",
        'none: the login is refused with a message to use security = "tls"',
        "",
    ),
    Capability(
        "UIDPLUS",
        "APPENDUID names the UID of an appended draft; UID EXPUNGE removes exactly one draft",
        "before every withdrawal and before check --write (ImapMailbox.withdraw_draft, probe)",
        "the appended draft is found by its Message-ID; a draft is never removed without it "
        "(a bare EXPUNGE could remove other mail marked deleted): it is kept and said so",
        "drafts cannot be withdrawn after a reply: they stay in Drafts for you to delete",
    ),
    Capability(
        "IDLE",
        "the watcher is told of new mail in each watched folder within seconds",
        "by the IDLE watcher before it idles (ImapMailbox.idle_wait)",
        "polling every poll_interval; an IDLE that stays silent while polls find mail is "
        "dropped for polling too",
        "new replies are seen at the next poll (poll_interval), not within seconds",
    ),
    Capability(
        "ENABLE",
        "ENABLE CONDSTORE, so that SELECT reports HIGHESTMODSEQ",
        "after login, together with CONDSTORE (Connection._open)",
        "no ENABLE is sent; nothing else depends on it",
        "",
    ),
    Capability(
        "CONDSTORE",
        "HIGHESTMODSEQ is kept in the sync cursor",
        "after login (Connection._open)",
        "the cursor keeps UIDVALIDITY and the last UID only",
        "",
    ),
    Capability(
        "UNSELECT",
        "leaves the EXAMINEd Drafts folder before APPEND (Courier refuses APPEND to a "
        "mailbox it has open read-only)",
        "before every APPEND (ImapMailbox._leave)",
        "CLOSE, which expunges nothing on a folder opened read-only",
        "",
    ),
    Capability(
        "SPECIAL-USE",
        "finds Drafts and Sent by their \\Drafts and \\Sent flags",
        "in the flags of the LIST reply (imap_parse.find_special)",
        "well-known names (Drafts, Entwürfe, Sent Items, …) or drafts_folder / sent_folder",
        "Drafts and Sent are found by name; set drafts_folder or sent_folder if they differ",
    ),
    Capability(
        "AUTH=PLAIN",
        "AUTHENTICATE PLAIN with UTF-8, for a user name or password LOGIN cannot carry",
        "before a non-ASCII login (imap_auth)",
        "none: a clear message says the password cannot be sent to this server",
        "",
    ),
    Capability(
        "AUTH=XOAUTH2",
        'auth = "oauth2": the access token is sent with SASL XOAUTH2',
        "before an OAuth2 login (imap_auth)",
        "OAUTHBEARER (RFC 7628) when the server offers it, else a message that it has neither",
        "",
    ),
    Capability(
        "AUTH=OAUTHBEARER",
        'auth = "oauth2" where XOAUTH2 is not offered',
        "before an OAuth2 login (imap_auth)",
        "XOAUTH2; without either the account cannot sign in with OAuth2 (said so)",
        "",
    ),
    Capability(
        "NAMESPACE",
        "the personal prefix (INBOX.) of folder names",
        "before NAMESPACE is sent (ImapMailbox._resolve_folders)",
        "no prefix; configured names are tried with and without INBOX. and either separator",
        "",
    ),
)

BY_NAME = {cap.name: cap for cap in CAPABILITIES}


def lacking(advertised: Iterable[bytes | str]) -> list[Capability]:
    """The capabilities of the table that a server did not advertise, in table order."""
    have = {(c.decode() if isinstance(c, bytes) else c).upper() for c in advertised}
    return [cap for cap in CAPABILITIES if cap.name not in have]


def describe_lacking(advertised: Iterable[bytes | str]) -> list[str]:
    """One line per missing capability that matters to a user: what it means for them."""
    return [f"no {cap.name}: {cap.without}" for cap in lacking(advertised) if cap.without]
