"""TOML snippets the end-to-end tests and benchmarks assemble their configs from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def head(state: Path | str, *, stages: Sequence[str] | None = None, holidays: bool = True) -> str:
    """[identity], [schedule] (New York) and [daemon] with the given state directory."""
    schedule = 'timezone = "America/New_York"\n'
    if holidays:
        schedule += 'holidays = "US"\n'
    if stages is not None:
        schedule += "stages = [" + ", ".join(f'"{s}"' for s in stages) + "]\n"
    return (
        '[identity]\nname = "Jordan Rivera"\nemail = "jordan@example.com"\n\n'
        f"[schedule]\n{schedule}\n"
        f'[daemon]\nstate_dir = "{state}"\n\n'
    )


def imap_account(
    port: int,
    user: str,
    password_command: str | None,
    *,
    name: str = "mail",
    timeout: int = 5,
) -> str:
    """A plain-text IMAP account on loopback; no password line without a command."""
    secret = f'password_command = "{password_command}"\n' if password_command else ""
    return (
        f'[[accounts]]\nname = "{name}"\ntype = "imap"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "none"\nusername = "{user}"\n{secret}timeout = {timeout}\n\n'
    )


def acme_interview(*, account: str | None = None) -> str:
    """The Acme interview: 2026-11-16, answer promised by Fri 2026-11-20."""
    return (
        '[[interviews]]\nid = "acme-backend"\ncompany = "Acme Corp"\nrole = "Backend Engineer"\n'
        "interviewed_on = 2026-11-16\nreply_promised_by = 2026-11-20\n"
        'contacts = ["Dana Whitfield <dana@acme.example>"]\n'
        + (f'account = "{account}"\n' if account else "")
    )


def imap_oauth_account(
    port: int,
    user: str,
    *,
    token_command: str | None = None,
    microsoft_authority: str | None = None,
    name: str = "mail",
    timeout: int = 5,
) -> str:
    """A plain-text IMAP account on loopback that signs in with OAuth2.

    Its tokens come from ``token_command``, or else from Microsoft's sign-in at
    ``microsoft_authority`` (a local fake).
    """
    if token_command:
        source = f'token_command = "{token_command}"\n'
    else:
        source = (
            'oauth2_provider = "microsoft"\nclient_id = "11111111-2222-3333-4444-555555555555"\n'
            f'oauth2_authority = "{microsoft_authority}"\n'
        )
    return (
        f'[[accounts]]\nname = "{name}"\ntype = "imap"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "none"\nusername = "{user}"\nauth = "oauth2"\n{source}timeout = {timeout}\n\n'
    )
