"""Pure helpers of the IMAP backend, tested on plain values and bytes."""

from __future__ import annotations

import pytest

from followup.mailbox.imap_parse import (
    DRAFTS_FLAG,
    DRAFTS_NAMES,
    SENT_FLAG,
    SENT_NAMES,
    Cursor,
    DraftRef,
    content_digest,
    fetch_item,
    find_special,
    join_header_and_body,
    parse_appenduid,
    resolve_name,
    sender_domains,
    uid_set,
)

DOTTED = [
    ((rb"\HasChildren",), b".", "INBOX"),
    ((rb"\HasNoChildren",), b".", "INBOX.Entwürfe"),
    ((rb"\HasNoChildren",), b".", "INBOX.Sent Items"),
    ((rb"\HasChildren",), b".", "INBOX.Jobs"),
    ((rb"\HasNoChildren",), b".", "INBOX.Jobs.Acme"),
    ((rb"\Noselect",), b".", "INBOX.Gone"),
]


def test_cursor_round_trips_through_its_text_form() -> None:
    cursor = Cursor(uidvalidity=1795662722, last_uid=41, modseq=99)
    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(Cursor(7, 0).encode()).modseq is None


@pytest.mark.parametrize(
    "text", ["", "garbage", "[]", '{"v":2}', '{"v":1,"uidvalidity":"x","last_uid":1}']
)
def test_a_cursor_this_backend_did_not_write_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        Cursor.decode(text)


def test_draft_ref_keeps_a_message_id_that_contains_colons() -> None:
    ref = DraftRef(12, 5, "abc", "followup:acme:check_in@example.com")
    assert ref.encode() == "12:5:abc:followup:acme:check_in@example.com"
    assert DraftRef.decode(ref.encode()) == ref
    with pytest.raises(ValueError):
        DraftRef.decode("12:x:abc:id")


def test_appenduid_is_read_from_the_append_response() -> None:
    assert parse_appenduid(b"[APPENDUID 1795662727 17] Append completed (0.010 secs).") == (
        1795662727,
        17,
    )
    assert parse_appenduid("[appenduid 3 4] ok") == (3, 4)
    assert parse_appenduid(b"Append completed.") is None
    assert parse_appenduid(None) is None


def test_uid_sets_are_compressed_into_ranges() -> None:
    assert uid_set([9, 1, 2, 3, 7, 10, 2]) == "1:3,7,9:10"
    assert uid_set([5]) == "5"
    with pytest.raises(ValueError):
        uid_set([])


def test_digest_ignores_crlf_versus_lf_but_not_content() -> None:
    assert content_digest(b"a: b\r\n\r\nhi\r\n") == content_digest(b"a: b\n\nhi\n")
    assert content_digest(b"a: b\n\nhi\n") != content_digest(b"a: b\n\nhi!\n")


def test_fetch_items_are_found_whatever_the_server_echoes_as_section_name() -> None:
    data = {
        b"SEQ": 3,
        b"BODY[HEADER.FIELDS (FROM SUBJECT)]": b"From: a@b\r\n\r\n",
        b"BODY[TEXT]<0>": b"hi",
    }
    assert fetch_item(data, b"BODY[HEADER") == b"From: a@b\r\n\r\n"
    assert fetch_item(data, b"BODY[TEXT]") == b"hi"
    assert fetch_item(data, b"BODY[]") is None


def test_sender_domains_come_from_from_and_sender() -> None:
    header = b'From: "Acme via Greenhouse" <no-reply@US.Greenhouse.io>\r\nSender: bounce@mail.acme.com\r\n\r\n'
    assert sender_domains(header) == ("us.greenhouse.io", "mail.acme.com")
    assert sender_domains(b"Subject: none\r\n\r\n") == ()


def test_header_and_body_are_joined_with_exactly_one_blank_line() -> None:
    assert join_header_and_body(b"From: a@b\r\n\r\n", b"hello") == b"From: a@b\r\n\r\nhello"


def test_special_use_flag_wins_over_folder_names() -> None:
    rows = [((), b"/", "Drafts"), ((DRAFTS_FLAG,), b"/", "Brouillons en cours")]
    assert find_special(rows, DRAFTS_FLAG, DRAFTS_NAMES, "") == "Brouillons en cours"


def test_well_known_names_are_used_when_the_server_has_no_special_use() -> None:
    assert find_special(DOTTED, DRAFTS_FLAG, DRAFTS_NAMES, "INBOX.") == "INBOX.Entwürfe"
    assert find_special(DOTTED, SENT_FLAG, SENT_NAMES, "INBOX.") == "INBOX.Sent Items"
    assert find_special([((), b"/", "Archive")], SENT_FLAG, SENT_NAMES, "") is None


def test_configured_names_tolerate_missing_prefix_other_separator_and_case() -> None:
    assert resolve_name(DOTTED, "inbox", "INBOX.") == "INBOX"
    assert resolve_name(DOTTED, "Entwürfe", "INBOX.") == "INBOX.Entwürfe"
    assert resolve_name(DOTTED, "Jobs/Acme", "INBOX.") == "INBOX.Jobs.Acme"
    assert resolve_name(DOTTED, "INBOX.Jobs.Acme", "INBOX.") == "INBOX.Jobs.Acme"
    assert resolve_name(DOTTED, "sent items", "INBOX.") == "INBOX.Sent Items"
    assert resolve_name(DOTTED, "Gone", "INBOX.") is None  # \Noselect
    assert resolve_name(DOTTED, "Nowhere", "INBOX.") is None
    slashed = [((), b"/", "INBOX"), ((), b"/", "Jobs/Acme")]
    assert resolve_name(slashed, "Jobs.Acme", "") == "Jobs/Acme"
