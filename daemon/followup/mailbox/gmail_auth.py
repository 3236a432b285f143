"""`followup auth` for Gmail: the installed-app OAuth flow with a loopback redirect.

The browser may be on another machine (a headless server), so the URL is handed to
``say`` together with the SSH port-forward that makes the loopback redirect work there.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from google_auth_oauthlib.flow import InstalledAppFlow

from followup.config import GmailAccount
from followup.core.errors import UserError
from followup.mailbox.gmail_api import SCOPES

Say = Callable[[str], None]


class _AnnouncingFlow(InstalledAppFlow):  # type: ignore[misc]
    """Hands the consent URL to ``say`` instead of printing it (daemon code never prints)."""

    say: Say = staticmethod(lambda _text: None)

    def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
        url, state = super().authorization_url(**kwargs)
        port = urllib.parse.urlsplit(self.redirect_uri).port
        self.say(f"Open this URL in a browser and allow access:\n\n    {url}\n")
        self.say(
            "On a machine without a browser, forward the redirect port first, from the "
            f"computer with the browser: ssh -N -L {port}:localhost:{port} <this-host>"
        )
        return str(url), str(state)


def run_oauth_flow(
    account: GmailAccount,
    store: Callable[[str, str], None],
    say: Say,
    *,
    port: int = 0,
    timeout_seconds: int | None = 600,
) -> None:
    """Ask the user for consent (readonly + compose scopes) and store the token JSON."""
    token = installed_app_consent(
        f"Gmail account {account.name}",
        account.client_secrets_file,
        SCOPES,
        say,
        port=port,
        timeout_seconds=timeout_seconds,
    )
    store(account.name, token)
    say(f"Gmail account {account.name} is authorized.")


def installed_app_consent(
    who: str,
    client_secrets_file: Path,
    scopes: Sequence[str],
    say: Say,
    *,
    port: int = 0,
    timeout_seconds: int | None = 600,
) -> str:
    """The installed-app flow for ``scopes``; returns the authorized-user JSON to store."""
    path = client_secrets_file.expanduser()
    if not path.is_file():
        raise UserError(f"{who}: client_secrets_file {path} not found")
    flow = _AnnouncingFlow.from_client_secrets_file(str(path), scopes=list(scopes))
    flow.say = say
    creds = flow.run_local_server(
        host="localhost",
        port=port,
        open_browser=False,
        authorization_prompt_message=None,
        success_message="followup is authorized. You can close this tab.",
        timeout_seconds=timeout_seconds,
        access_type="offline",
        prompt="consent",
    )
    if not creds.refresh_token:
        raise UserError(f"{who}: Google sent no refresh token; try again")
    return str(creds.to_json())
