"""The capability table: every extension the IMAP backend checks is in it, with a fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import followup.mailbox
from followup.mailbox.imap_caps import BY_NAME, CAPABILITIES, describe_lacking, lacking
from followup.mailbox.imap_parse import has_flag, server_words, uidvalidity_in

MAILBOX_DIR = Path(followup.mailbox.__file__).parent
# imapclient methods that need a capability (its require_capability), as the backend uses them.
IMAPCLIENT_NEEDS = {
    "unselect_folder": "UNSELECT",
    "uid_expunge": "UIDPLUS",
    "idle": "IDLE",
    "enable": "ENABLE",
    "namespace": "NAMESPACE",
}


def used_capabilities() -> set[str]:
    found: set[str] = set()
    for path in MAILBOX_DIR.glob("imap*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'has_capability\("([A-Z+=-]+)"\)', text))
        found |= {cap for meth, cap in IMAPCLIENT_NEEDS.items() if f".{meth}(" in text}
    return found


def test_every_capability_the_backend_checks_or_needs_is_in_the_table() -> None:
    used = used_capabilities()
    assert used >= {"UIDPLUS", "IDLE", "ENABLE", "CONDSTORE", "UNSELECT", "NAMESPACE"}
    assert used <= set(BY_NAME), f"missing from CAPABILITIES: {used - set(BY_NAME)}"


def test_every_capability_the_backend_needs_is_checked_before_use() -> None:
    for path in MAILBOX_DIR.glob("imap*.py"):
        text = path.read_text(encoding="utf-8")
        for meth, cap in IMAPCLIENT_NEEDS.items():
            if f".{meth}(" in text and meth != "idle":  # IDLE is checked in idle_wait's op
                assert f'has_capability("{cap}")' in text, f"{path.name}: {meth} without {cap}"


@pytest.mark.parametrize("cap", CAPABILITIES, ids=lambda c: c.name)
def test_every_row_says_what_it_is_for_where_it_is_checked_and_the_fallback(cap: object) -> None:
    assert cap.used_for and cap.checked and cap.fallback  # type: ignore[attr-defined]


def test_what_a_server_lacks_is_listed_in_table_order_in_any_letter_case() -> None:
    names = [c.name for c in lacking([b"IMAP4rev1", b"idle", b"Namespace", b"UNSELECT"])]
    assert names == [
        "STARTTLS",
        "UIDPLUS",
        "ENABLE",
        "CONDSTORE",
        "SPECIAL-USE",
        "AUTH=PLAIN",
        "AUTH=XOAUTH2",
        "AUTH=OAUTHBEARER",
    ]


def test_a_user_is_told_what_a_missing_uidplus_or_idle_means_and_nothing_about_the_rest() -> None:
    lines = describe_lacking([b"IMAP4rev1", b"ENABLE", b"CONDSTORE"])
    assert lines == [
        "no UIDPLUS: drafts cannot be withdrawn after a reply: they stay in Drafts for you "
        "to delete",
        "no IDLE: new replies are seen at the next poll (poll_interval), not within seconds",
        "no SPECIAL-USE: Drafts and Sent are found by name; set drafts_folder or sent_folder "
        "if they differ",
    ]
    full = [c.name.encode() for c in CAPABILITIES]
    assert describe_lacking(full) == []


def test_the_server_words_are_taken_out_of_imapclient_and_imaplib_wrapping() -> None:
    assert server_words(Exception("append failed: Current box is selected READ-ONLY.")) == (
        "Current box is selected READ-ONLY."
    )
    bad = Exception("APPEND command error: BAD [b'Invalid arguments.']")
    assert server_words(bad) == "Invalid arguments."
    assert server_words(Exception("something else")) == "something else"


def test_uidvalidity_is_read_when_present_and_none_when_left_out() -> None:
    assert uidvalidity_in({b"UIDVALIDITY": 42}) == 42
    assert uidvalidity_in({b"UIDVALIDITY": [b"7"]}) == 7
    assert uidvalidity_in({b"EXISTS": 3}) is None
    assert uidvalidity_in({b"UIDVALIDITY": b"x"}) is None


def test_flags_are_compared_in_any_letter_case() -> None:
    assert has_flag((b"\\draft", b"\\Seen"), rb"\Draft")
    assert not has_flag((b"\\Seen",), rb"\Draft")
