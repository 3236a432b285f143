"""parse_message: robust to broken mail, and gives matching what it needs."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import quopri

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.core.errors import MalformedMessage
from followup.core.parsing import HEADER_FIELDS, parse_message


def raw(headers: str, body: str = "Hello.\n") -> bytes:
    return (headers.strip("\n").replace("\n", "\r\n") + "\r\n\r\n" + body).encode()


BASIC = """\
From: Pat Kim <Pat.Kim@Example.org>
To: Robin Lee <robin@home.test>, "Doe, Jane" <jane@home.test>
Cc: other@home.test
Reply-To: recruiting@example.org
Subject: Next steps
Date: Tue, 17 Nov 2026 10:00:00 -0500
Message-ID: <abc123@example.org>
In-Reply-To: <mine-1@home.test>
References: <root@example.org>
 <mine-1@home.test>
Auto-Submitted: no
"""


def test_basic_fields_are_parsed() -> None:
    m = parse_message(raw(BASIC), folder="INBOX", uid="7", thread_id="t1")
    assert m.message_id == "abc123@example.org"
    assert m.sender is not None
    assert m.sender.email == "pat.kim@example.org"
    assert m.sender.name == "Pat Kim"
    assert [a.email for a in m.to] == ["robin@home.test", "jane@home.test"]
    assert m.to[1].name == "Doe, Jane"
    assert [a.email for a in m.cc] == ["other@home.test"]
    assert m.reply_to[0].email == "recruiting@example.org"
    assert m.in_reply_to == ("mine-1@home.test",)
    assert m.references == ("root@example.org", "mine-1@home.test")
    assert m.date == dt.datetime(2026, 11, 17, 15, 0, tzinfo=dt.UTC)
    assert m.date is not None and m.date.utcoffset() == dt.timedelta(hours=-5)
    assert (m.folder, m.uid, m.thread_id) == ("INBOX", "7", "t1")
    assert m.header("Auto-Submitted") == "no"
    assert m.body_excerpt == "Hello."


def test_rfc2047_display_name_and_subject_are_decoded() -> None:
    headers = (
        "From: =?iso-8859-1?Q?J=F8rgen_=C5berg?= <jorgen@firma.test>\n"
        "Subject: =?utf-8?b?UsOpc3Vtw6k=?= and =?utf-8?q?caf=C3=A9?=\n"
        "Date: Wed, 18 Nov 2026 09:00:00 +0100\n"
    )
    m = parse_message(raw(headers))
    assert m.sender is not None
    assert m.sender.name == "Jørgen Åberg"
    assert m.subject == "Résumé and café"


def test_quoted_encoded_word_in_display_name_is_decoded() -> None:
    m = parse_message(raw('From: "=?utf-8?q?Ren=C3=A9e?=" <renee@x.test>\nSubject: x\n'))
    assert m.sender is not None
    assert m.sender.name == "Renée"


def test_unknown_charset_in_encoded_word_does_not_crash() -> None:
    m = parse_message(raw("From: =?x-klingon?q?Qapla=27?= <k@x.test>\nSubject: =?bogus?b?!!!?=\n"))
    assert m.sender is not None
    assert m.sender.email == "k@x.test"
    assert isinstance(m.subject, str)


def test_date_without_zone_is_utc() -> None:
    m = parse_message(raw("From: a@b.test\nDate: Tue, 17 Nov 2026 10:00:00\n"))
    assert m.date == dt.datetime(2026, 11, 17, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["yesterday", "Tue, 99 Foo 2026 25:61:00 +0000", "", "0"])
def test_unparseable_date_is_none(value: str) -> None:
    m = parse_message(raw(f"From: a@b.test\nDate: {value}\n"))
    assert m.date is None


def test_missing_from_and_date_give_none() -> None:
    m = parse_message(raw("Subject: lonely\n"))
    assert m.sender is None
    assert m.date is None
    assert m.message_id == ""


def test_message_id_without_angle_brackets_is_kept() -> None:
    m = parse_message(raw("From: a@b.test\nMessage-ID: bare-id@b.test\nReferences: r1@x r2@x\n"))
    assert m.message_id == "bare-id@b.test"
    assert m.references == ("r1@x", "r2@x")


@pytest.mark.parametrize("data", [b"", b"   \r\n  ", b"just some words without a colon\n"])
def test_bytes_that_are_not_a_message_raise_malformed(data: bytes) -> None:
    with pytest.raises(MalformedMessage):
        parse_message(data)


def test_huge_references_header_is_bounded_but_keeps_root_and_latest() -> None:
    refs = " ".join(f"<id{i}@x.test>" for i in range(5000))
    m = parse_message(raw(f"From: a@b.test\nReferences: {refs}\n"))
    assert len(m.references) <= 100
    assert m.references[0] == "id0@x.test"
    assert m.references[-1] == "id4999@x.test"


def test_huge_subject_is_bounded() -> None:
    m = parse_message(raw("From: a@b.test\nSubject: " + "x" * 200_000 + "\n"))
    assert 0 < len(m.subject) <= 4000


def test_first_text_plain_part_is_the_excerpt() -> None:
    body = (
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words here.\r\n"
        "--b1\r\nContent-Type: text/html\r\n\r\n<p>Other words</p>\r\n--b1--\r\n"
    )
    m = parse_message(
        raw('From: a@b.test\nContent-Type: multipart/alternative; boundary="b1"\n', body)
    )
    assert m.content_type == "multipart/alternative"
    assert m.body_excerpt == "Plain words here."


def test_html_only_body_is_stripped_to_text() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body><p>Hi &amp; welcome,</p>"
        "<div>see you <b>Monday</b></div><script>alert(1)</script></body></html>"
    )
    m = parse_message(raw("From: a@b.test\nContent-Type: text/html; charset=utf-8\n", html))
    assert "Hi & welcome," in m.body_excerpt
    assert "see you Monday" in m.body_excerpt
    assert "color" not in m.body_excerpt
    assert "alert" not in m.body_excerpt


def test_base64_and_quoted_printable_bodies_with_odd_charsets_are_decoded() -> None:
    b64 = base64.b64encode("Grüße aus Köln".encode()).decode()
    m = parse_message(
        raw(
            "From: a@b.test\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n",
            b64,
        )
    )
    assert m.body_excerpt == "Grüße aus Köln"
    qp = quopri.encodestring("Tak for samtalen, Søren".encode("iso-8859-1")).decode()
    m = parse_message(
        raw(
            "From: a@b.test\nContent-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: quoted-printable\n",
            qp,
        )
    )
    assert m.body_excerpt == "Tak for samtalen, Søren"


def test_unknown_body_charset_falls_back() -> None:
    m = parse_message(
        raw("From: a@b.test\nContent-Type: text/plain; charset=x-unheard-of\n", "caf\u00e9 ok")
    )
    assert "ok" in m.body_excerpt


def test_calendar_only_message_gives_a_summary() -> None:
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Final round with \r\n "
        "Example Org\r\nORGANIZER;CN=Pat:mailto:pat@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    m = parse_message(raw("From: a@b.test\nContent-Type: text/calendar; method=REQUEST\n", ics))
    assert "METHOD:REQUEST" in m.body_excerpt
    assert "Final round with Example Org" in m.body_excerpt


def test_body_is_bounded_by_body_limit() -> None:
    m = parse_message(raw("From: a@b.test\n", "word " * 10_000), body_limit=100)
    assert len(m.body_excerpt) <= 100
    m = parse_message(raw("From: a@b.test\n", "word"), body_limit=0)
    assert m.body_excerpt == ""


def test_broken_mime_without_closing_boundary_still_parses() -> None:
    body = "--zz\r\nContent-Type: text/plain\r\n\r\nTruncated mess"
    m = parse_message(raw('From: a@b.test\nContent-Type: multipart/mixed; boundary="zz"\n', body))
    assert m.sender is not None
    assert "Truncated" in m.body_excerpt


def test_eight_bit_raw_headers_are_decoded() -> None:
    data = "From: Zoë <zoe@b.test>\r\nSubject: Über\r\n\r\nx".encode()
    m = parse_message(data)
    assert m.sender is not None
    assert m.sender.name == "Zoë"
    assert m.subject == "Über"


def test_header_fields_cover_what_matching_needs() -> None:
    for name in (
        "from",
        "reply-to",
        "in-reply-to",
        "references",
        "auto-submitted",
        "list-id",
        "precedence",
        "x-autoreply",
        "content-type",
        "message-id",
        "date",
    ):
        assert name in HEADER_FIELDS
    assert all(f == f.lower() for f in HEADER_FIELDS)


def test_header_only_fetch_gives_headers_and_empty_body() -> None:
    only_headers = raw(BASIC).split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    m = parse_message(only_headers)
    assert m.message_id == "abc123@example.org"
    assert m.body_excerpt == ""


header_names = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "References",
        "In-Reply-To",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Reply-To",
        "Auto-Submitted",
        "X-Weird",
    ]
)
header_values = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "=?utf-8?b?invalid?=",
            "=?utf-8?q?=FF=FE?=",
            "multipart/mixed; boundary=",
            "<<>>@@",
            'text/plain; charset=""',
            "base64",
            "=?iso-2022-jp?b?GyRCJCIbKEI=?=",
            '"unterminated',
        ]
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.tuples(header_names, header_values), min_size=1, max_size=12),
    st.binary(max_size=2000),
)
def test_parse_message_never_crashes_on_random_headers_and_bodies(
    fields: list[tuple[str, str]], body: bytes
) -> None:
    head = "".join(f"{n}: {v.replace(chr(13), ' ').replace(chr(10), ' ')}\r\n" for n, v in fields)
    data = head.encode("utf-8", errors="surrogateescape") + b"\r\n" + body
    try:
        m = parse_message(data)
    except MalformedMessage:
        return
    assert isinstance(m.subject, str)
    assert m.date is None or m.date.tzinfo is not None
    assert len(m.body_excerpt) <= 4096


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_parse_message_on_arbitrary_bytes_raises_only_malformed(data: bytes) -> None:
    with contextlib.suppress(MalformedMessage):
        parse_message(data)
