"""The human `status` before anything is known: it says so, and only where it applies."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from followup.cli.render import render_status, status_json

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def test_without_interviews_status_says_how_to_add_one_and_claims_nothing_about_replies() -> None:
    text = render_status(NOW, [], {}, ["mail"])
    assert "no interviews configured" in text
    assert "! account mail: not synced yet" in text
    assert "nothing below is known" not in text  # there is nothing below


def test_the_json_of_a_never_synced_account_has_no_sync_time_and_no_error() -> None:
    (account,) = status_json(NOW, [], {}, ["mail"])["accounts"]
    assert (account["name"], account["last_sync"], account["error"]) == ("mail", None, None)
