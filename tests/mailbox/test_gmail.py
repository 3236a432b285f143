"""The Gmail backend with the real google-api-python-client against a local fake server."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import pytest

from followup.core.errors import AuthError, MailboxUnreachable
from followup.mailbox.gmail import SCOPES, GmailMailbox
from support.fake_gmail import GmailHarness
from support.paths import PACKAGE

pytestmark = pytest.mark.gmail

UTC = dt.UTC
SINCE = dt.date(2026, 11, 1)


def mail(
    mid: str,
    when: dt.datetime = dt.datetime(2026, 11, 20, 12, tzinfo=UTC),
    *,
    sender: str = "Dana Whitfield <dana@acme.example>",
    subject: str = "Your interview",
    body: str = "Hi Jordan,\n\nthanks for your time.\n",
    in_reply_to: str | None = None,
) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "Jordan Rivera <jordan@example.com>"
    m["Subject"] = subject
    m["Date"] = format_datetime(when)
    m["Message-ID"] = f"<{mid}>"
    if in_reply_to:
        m["In-Reply-To"] = f"<{in_reply_to}>"
        m["References"] = f"<{in_reply_to}>"
    m.set_content(body)
    return m.as_bytes(policy=SMTP)


def follow_up(mid: str, replying_to: str | None = "dana-1@acme.example") -> EmailMessage:
    m = EmailMessage(policy=SMTP)
    m["From"] = "Jordan Rivera <jordan@example.com>"
    m["To"] = "Dana Whitfield <dana@acme.example>"
    m["Subject"] = "Re: Your interview"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 27, 9, tzinfo=UTC))
    m["Message-ID"] = f"<{mid}>"
    if replying_to:
        m["In-Reply-To"] = f"<{replying_to}>"
        m["References"] = f"<root@acme.example> <{replying_to}>"
    m.set_content("Hi Dana,\n\nI wanted to follow up on our conversation.\n")
    return m


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record backoff sleeps instead of waiting (the library and the backend use time.sleep)."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


def ids(result: object) -> list[str]:
    return sorted(m.message_id for m in result.messages)  # type: ignore[attr-defined]


def api_requests(h: GmailHarness) -> list[str]:
    """Paths of the HTTP requests that reached the server (batch parts and tokens excluded)."""
    return [r.path for r in h.fake.requests if not r.batched and r.path != "/token"]


# --- reading -------------------------------------------------------------------------


def test_first_sync_returns_recent_replies_but_not_old_sent_or_draft_mail(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("old@acme.example", dt.datetime(2026, 9, 1, tzinfo=UTC)))
    h.deliver("INBOX", mail("dana-1@acme.example"))
    h.deliver("Sent", mail("mine@example.com", sender="jordan@example.com"), flags=["seen"])
    h.fake.add_message(mail("to-self@example.com"), ["INBOX", "SENT"])
    h.deliver("Drafts", mail("a-draft@example.com"))
    box = h.open()
    result = box.fetch_new("INBOX", None, SINCE)
    assert ids(result) == ["dana-1@acme.example"]
    meta = result.messages[0]
    gmail_id = h.fake.by_rfc_id("dana-1@acme.example")[0]
    assert (meta.folder, meta.uid, meta.thread_id) == ("INBOX", gmail_id.id, gmail_id.thread_id)
    assert meta.subject == "Your interview" and meta.body_excerpt == ""
    assert not result.reset
    assert ids(box.fetch_new("SENT", None, SINCE)) == ["mine@example.com", "to-self@example.com"]


def test_first_sync_asks_only_for_the_header_fields_the_parser_needs(
    gmail_harness: GmailHarness,
) -> None:
    gmail_harness.deliver("INBOX", mail("dana-1@acme.example"))
    gmail_harness.open().fetch_new("INBOX", None, SINCE)
    (get,) = [
        r for r in gmail_harness.fake.requests if r.path.endswith("/messages/" + r.path[-16:])
    ]
    assert get.batched and get.query["format"] == ["metadata"]
    assert "message-id" in get.query["metadataHeaders"] and "from" in get.query["metadataHeaders"]
    (listing,) = [r for r in gmail_harness.fake.requests if r.path.endswith("/messages")]
    after = dt.datetime.fromtimestamp(int(listing.query["q"][0].removeprefix("after:")), UTC)
    assert after.date() < SINCE and listing.query["labelIds"] == ["INBOX"]


def test_incremental_sync_returns_only_what_arrived_since_the_cursor(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    box = h.open()
    first = box.fetch_new("INBOX", None, SINCE)
    h.deliver("INBOX", mail("dana-2@acme.example"))
    h.deliver("Sent", mail("mine@example.com", sender="jordan@example.com"))
    second = box.fetch_new("INBOX", first.cursor, SINCE)
    assert ids(second) == ["dana-2@acme.example"]
    assert second.cursor != first.cursor and not second.reset
    assert ids(box.fetch_new("INBOX", second.cursor, SINCE)) == []


def test_a_message_moved_into_the_watched_label_counts_as_new(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    box = h.open()
    first = box.fetch_new("INBOX", None, SINCE)
    spam = h.fake.add_message(mail("rescued@acme.example"), ["SPAM"])
    h.fake.messages[spam].labels.discard("SPAM")
    h.fake.add_label(spam, "INBOX")
    assert ids(box.fetch_new("INBOX", first.cursor, SINCE)) == ["rescued@acme.example"]


def test_a_user_label_is_watched_by_its_name(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.fake.user_labels["Label_7"] = "Job hunt"
    h.fake.add_message(mail("dana-1@acme.example"), ["Label_7"])
    result = h.open().fetch_new("Job hunt", None, SINCE)
    assert ids(result) == ["dana-1@acme.example"]


def test_a_no_change_poll_costs_one_request_per_folder(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    box = h.open()
    inbox = box.fetch_new("INBOX", None, SINCE).cursor
    sent = box.fetch_new("SENT", None, SINCE).cursor
    before = len(api_requests(h))
    box.fetch_new("INBOX", inbox, SINCE)
    box.fetch_new("SENT", sent, SINCE)
    assert [p.rsplit("/", 1)[-1] for p in api_requests(h)[before:]] == ["history", "history"]


def test_expired_history_falls_back_to_a_bounded_resync(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    box = h.open()
    cursor = box.fetch_new("INBOX", None, SINCE).cursor
    h.deliver("INBOX", mail("old@acme.example", dt.datetime(2026, 8, 1, tzinfo=UTC)))
    h.deliver("INBOX", mail("dana-2@acme.example"))
    h.fake.expire_history()
    result = box.fetch_new("INBOX", cursor, SINCE)
    assert result.reset
    assert ids(result) == ["dana-1@acme.example", "dana-2@acme.example"]
    assert ids(box.fetch_new("INBOX", result.cursor, SINCE)) == []


def test_only_the_mail_the_engine_asks_for_is_fetched_in_full(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    body = "Thank you for interviewing with Acme Corp.\n" + "x" * 20000
    h.deliver("INBOX", mail("ats@greenhouse.io", sender="no-reply@greenhouse.io", body=body))
    h.deliver("INBOX", mail("dana-1@acme.example"))
    result = h.open().fetch_new(
        "INBOX", None, SINCE, lambda m: m.sender is not None and m.sender.domain == "greenhouse.io"
    )
    by_id = {m.message_id: m for m in result.messages}
    assert by_id["ats@greenhouse.io"].body_excerpt.startswith(
        "Thank you for interviewing with Acme"
    )
    assert len(by_id["ats@greenhouse.io"].body_excerpt) <= 4096
    assert by_id["dana-1@acme.example"].body_excerpt == ""
    full = [r for r in h.fake.requests if r.query.get("format") == ["full"]]
    assert [r.path.rsplit("/", 1)[-1] for r in full] == [
        h.fake.by_rfc_id("ats@greenhouse.io")[0].id
    ]


def test_many_messages_are_fetched_in_batches_not_one_request_each(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    for i in range(120):
        h.deliver("INBOX", mail(f"m{i}@acme.example", dt.datetime(2026, 11, 2, tzinfo=UTC)))
    result = h.open().fetch_new("INBOX", None, SINCE)
    assert len(result.messages) == 120
    assert api_requests(h).count("/batch/gmail/v1") == 3  # 50 + 50 + 20
    assert len(api_requests(h)) == 5  # profile, one listing page, three batches


# --- drafts --------------------------------------------------------------------------


def test_a_draft_reply_joins_the_thread_of_the_message_it_answers(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    original = h.fake.by_rfc_id("dana-1@acme.example")[0]
    ref = h.open().append_draft(follow_up("followup.check_in.1@example.com"))
    (stored,) = h.fake.by_rfc_id("followup.check_in.1@example.com")
    assert stored.thread_id == original.thread_id and stored.labels == {"DRAFT"}
    assert ref == f"{next(iter(h.fake.drafts))}:{stored.id}"
    sent = message_from_bytes(stored.raw)
    assert sent["In-Reply-To"] == "<dana-1@acme.example>"
    assert sent["References"] == "<root@acme.example> <dana-1@acme.example>"
    assert sent["Subject"] == "Re: Your interview"
    lookup = [r for r in h.fake.requests if r.query.get("q") == ["rfc822msgid:dana-1@acme.example"]]
    assert lookup and lookup[0].path.endswith("/messages")


def test_the_create_request_carries_the_thread_id(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    thread = h.fake.by_rfc_id("dana-1@acme.example")[0].thread_id
    captured: list[dict[str, object]] = []
    real = h.fake._api

    def spy(method: str, parts: list[str], query: dict[str, list[str]], body: bytes) -> object:
        if method == "POST":
            captured.append(json.loads(body))
        return real(method, parts, query, body)

    h.fake._api = spy  # type: ignore[method-assign]
    h.open().append_draft(follow_up("followup.check_in.2@example.com"))
    (payload,) = captured
    assert payload["message"]["threadId"] == thread  # type: ignore[index]
    raw = base64.urlsafe_b64decode(payload["message"]["raw"])  # type: ignore[index]
    assert b"Message-ID: <followup.check_in.2@example.com>" in raw


def test_a_draft_without_a_known_thread_is_created_standalone(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    h.open().append_draft(follow_up("followup.thank_you.3@example.com", replying_to=None))
    (stored,) = h.fake.by_rfc_id("followup.thank_you.3@example.com")
    assert stored.thread_id == stored.id


def test_a_crash_after_create_never_leads_to_a_second_draft(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    first = h.open().append_draft(follow_up("followup.check_in.4@example.com"))
    # The daemon died before recording ``first``; after the restart it tries again.
    restarted = h.open()
    assert restarted.find_draft("followup.check_in.4@example.com") == first
    assert restarted.append_draft(follow_up("followup.check_in.4@example.com")) == first
    assert len(h.drafts()) == 1
    creates = [r for r in h.fake.requests if r.path.endswith("/drafts") and r.method == "POST"]
    assert len(creates) == 1


def test_an_unchanged_draft_is_withdrawn(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    box = h.open()
    ref = box.append_draft(follow_up("followup.check_in.5@example.com"))
    assert box.withdraw_draft(ref) == "withdrawn"
    assert h.drafts() == [] and h.fake.by_rfc_id("followup.check_in.5@example.com") == []


def test_a_draft_the_user_deleted_is_gone_and_not_recreated_by_withdraw(
    gmail_harness: GmailHarness,
) -> None:
    h = gmail_harness
    box = h.open()
    ref = box.append_draft(follow_up("followup.check_in.7@example.com"))
    h.delete("Drafts", "followup.check_in.7@example.com")
    assert box.withdraw_draft(ref) == "gone"
    assert box.find_draft("followup.check_in.7@example.com") is None


# --- auth, retries and the promise never to send ---------------------------------------


def test_a_revoked_token_asks_the_user_to_run_followup_auth(gmail_harness: GmailHarness) -> None:
    gmail_harness.fake.token_error = "invalid_grant"
    box = gmail_harness.open()
    with pytest.raises(AuthError, match=r"needs `followup auth gmail-test`.*revoked or expired"):
        box.fetch_new("INBOX", None, SINCE)
    with pytest.raises(AuthError):
        box.append_draft(follow_up("followup.check_in.8@example.com"))
    assert gmail_harness.fake.drafts == {}


def test_an_unreadable_token_is_an_auth_error(gmail_harness: GmailHarness, tmp_path: Path) -> None:
    box = GmailMailbox(gmail_harness.account, tmp_path, load_token=lambda: "not json")
    with pytest.raises(AuthError, match="followup auth gmail-test"):
        box.fetch_new("INBOX", None, SINCE)


def test_the_token_refresh_asks_for_readonly_and_compose_only(
    gmail_harness: GmailHarness,
) -> None:
    gmail_harness.open().fetch_new("INBOX", None, SINCE)
    (form,) = gmail_harness.fake.token_forms
    assert sorted(form["scope"][0].split()) == sorted(SCOPES)
    assert form["grant_type"] == ["refresh_token"]


def test_server_errors_and_rate_limits_are_retried(
    gmail_harness: GmailHarness, sleeps: list[float]
) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    h.fake.fail_next(1, 503, "/profile")
    h.fake.fail_next(1, 429, "/messages")
    h.fake.fail_next(2, 500, "/messages/")  # inside the batch: per-part failures
    result = h.open().fetch_new("INBOX", None, SINCE)
    assert ids(result) == ["dana-1@acme.example"]
    assert len(sleeps) == 4 and h.fake.failures == []


def test_a_failing_batch_as_a_whole_is_retried(
    gmail_harness: GmailHarness, sleeps: list[float]
) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    h.fake.fail_next(1, 502, "/batch")
    assert ids(h.open().fetch_new("INBOX", None, SINCE)) == ["dana-1@acme.example"]
    assert api_requests(h).count("/batch/gmail/v1") == 2 and len(sleeps) == 1


def test_a_server_that_keeps_failing_is_reported_unreachable(
    gmail_harness: GmailHarness, sleeps: list[float]
) -> None:
    gmail_harness.fake.fail_next(50, 500, "/profile")
    with pytest.raises(MailboxUnreachable, match="HTTP 500"):
        gmail_harness.open().fetch_new("INBOX", None, SINCE)
    assert len(sleeps) == 4


def test_no_request_ever_asks_gmail_to_send(gmail_harness: GmailHarness) -> None:
    h = gmail_harness
    h.deliver("INBOX", mail("dana-1@acme.example"))
    box = h.open()
    cursor = box.fetch_new("INBOX", None, SINCE).cursor
    box.fetch_new("SENT", None, SINCE)
    ref = box.append_draft(follow_up("followup.check_in.9@example.com"))
    box.append_draft(follow_up("followup.check_in.9@example.com"))
    h.deliver("INBOX", mail("dana-2@acme.example", in_reply_to="dana-1@acme.example"))
    box.fetch_new("INBOX", cursor, SINCE)
    assert box.withdraw_draft(ref) == "withdrawn"
    paths = [r.path for r in h.fake.requests]
    assert len(paths) > 10
    assert not [p for p in paths if "/send" in p]
    for source in (PACKAGE / "mailbox").glob("gmail*.py"):
        assert ".send(" not in source.read_text(), source


def test_the_token_comes_from_token_command_when_configured(
    gmail_harness: GmailHarness, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    token_file.write_text(gmail_harness.server.token_json())
    account = dataclasses.replace(gmail_harness.account, token_command=f"cat '{token_file}'")
    box = GmailMailbox(account, tmp_path)
    gmail_harness.deliver("INBOX", mail("dana-1@acme.example"))
    assert ids(box.fetch_new("INBOX", None, SINCE)) == ["dana-1@acme.example"]
    box.close()
