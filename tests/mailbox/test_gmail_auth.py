"""`followup auth` for Gmail, run end to end against the fake server's /token endpoint."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from followup.config import GmailAccount
from followup.core.errors import UserError
from followup.mailbox.gmail import SCOPES, GmailMailbox
from followup.mailbox.gmail_auth import run_oauth_flow
from support.fake_gmail import GmailHarness

pytestmark = pytest.mark.gmail


def secrets_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "client_secret.json"
    installed = {
        "client_id": "fake-client.apps.googleusercontent.com",
        "client_secret": "fake-secret",
        "auth_uri": base + "auth",
        "token_uri": base + "token",
        "redirect_uris": ["http://localhost"],
    }
    path.write_text(json.dumps({"installed": installed}))
    return path


def test_the_oauth_flow_prints_the_url_and_tunnel_hint_and_stores_the_token(
    gmail_harness: GmailHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is http
    base = gmail_harness.server.url
    account = GmailAccount(
        name="work", client_secrets_file=secrets_file(tmp_path, base), api_endpoint=base
    )
    said: list[str] = []
    stored: dict[str, str] = {}

    def browser_consents(text: str) -> None:
        said.append(text)
        if "http" in text and not any("ssh" in s for s in said):
            url = urllib.parse.urlsplit(text.split()[-1])
            query = urllib.parse.parse_qs(url.query)
            target = (
                query["redirect_uri"][0]
                + "?"
                + urllib.parse.urlencode(
                    {"state": query["state"][0], "code": "4/fake-code", "scope": " ".join(SCOPES)}
                )
            )
            threading.Thread(
                target=lambda: urllib.request.urlopen(target, timeout=10).read()
            ).start()

    run_oauth_flow(account, stored.__setitem__, browser_consents, timeout_seconds=10)

    consent_url = urllib.parse.urlsplit(said[0].split()[-1])
    params = urllib.parse.parse_qs(consent_url.query)
    assert sorted(params["scope"][0].split()) == sorted(SCOPES)
    assert params["access_type"] == ["offline"]
    port = urllib.parse.urlsplit(params["redirect_uri"][0]).port
    assert f"ssh -N -L {port}:localhost:{port}" in said[1]
    token = json.loads(stored["work"])
    assert token["refresh_token"] == "1//fake-refresh"
    # The stored token is exactly what the backend reads back.
    box = GmailMailbox(account, tmp_path, load_token=lambda: stored["work"])
    assert box.fetch_new("INBOX", None, dt.date(2026, 11, 1)).messages == ()


def test_a_missing_client_secrets_file_says_it_was_not_found(tmp_path: Path) -> None:
    account = GmailAccount(name="work", client_secrets_file=tmp_path / "nope.json")
    with pytest.raises(UserError, match="not found"):
        run_oauth_flow(account, lambda _a, _s: None, lambda _t: None)
