"""Hostile mail through the whole pipeline: parse → store → match → plan never crashes.

Whatever bytes arrive (broken MIME, odd charsets, huge or malformed headers), the
answer is either a parsed message whose every verdict carries a reason, or a
``MalformedMessage`` that says why it was skipped (DESIGN §1.6).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from followup.config import Config, parse_config
from followup.core.errors import MalformedMessage
from followup.core.model import MessageMeta
from followup.core.parsing import parse_message
from followup.core.planner import plan_all
from followup.facts import derive_facts, read_new_facts
from followup.holiday_tables import calendar_for
from followup.store import Store, StoredMessage
from followup.store_codec import meta_from_json, meta_to_json

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY)

CONFIG = """\
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"
aliases = ["j.rivera+jobs@example.org"]

[schedule]
timezone = "America/New_York"
holidays = "US"

[daemon]
state_dir = "{state}"

[[accounts]]
name = "local"
type = "maildir"
path = "{state}/Mail"

[[interviews]]
id = "acme-backend"
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16
reply_promised_by = 2026-11-20
contacts = ["Dana Whitfield <dana@acme.example>"]

[[interviews]]
id = "globex"
company = "Globex"
role = "SRE"
interviewed_on = 2026-11-10T14:00:00
contacts = ["Hank <hank@globex.example>"]
domains = ["globex.example"]
"""

# A thank-you note the fuzzed mail may thread into.
CONTEXT = parse_message(
    b"From: Jordan Rivera <jordan@example.com>\r\nTo: Dana Whitfield <dana@acme.example>\r\n"
    b"Subject: Thank you\r\nDate: Mon, 16 Nov 2026 18:00:00 -0500\r\n"
    b"Message-ID: <ty@example.com>\r\n\r\nThanks!\r\n",
    folder="Sent",
    uid="1",
)

FIELDS = [
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Sender",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
    "X-Autoreply",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "Return-Path",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
    "X-Failed-Recipients",
    "Received",
]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis", "gb2312", "utf-7"]
CHARSETS += ["x-unknown", "utf-16", "", "us-ascii'en'", "\u00e9t\u00e9", "big5"]
ADDRESSES = [
    "Dana Whitfield <dana@acme.example>",
    "dana@ACME.example",
    "noreply@greenhouse.io",
    "Acme Corp via Lever <no-reply@hire.lever.co>",
    "hank@mail.globex.example",
    "jordan+jobs@example.com",
    "MAILER-DAEMON@acme.example",
    "<>",
    '"unterminated <x@y',
    "a@b@c",
    "=?utf-8?b?w4lsaXNl?= <e@acme.example>",
    "undisclosed-recipients:;",
    "@@@",
]

text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=80
)  # lone surrogates cannot be written as bytes at all
raw_bytes = st.binary(min_size=0, max_size=120)


@st.composite
def encoded_word(draw: st.DrawFn) -> str:
    charset = draw(st.sampled_from(CHARSETS))
    enc = draw(st.sampled_from(["B", "Q", "b", "q", "X"]))
    payload = draw(
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh0123456789=_+/?", max_size=40)
    )
    return f"=?{charset}?{enc}?{payload}?="


@st.composite
def header_value(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return draw(text).encode("utf-8", "surrogatepass")
    if kind == 1:
        return draw(raw_bytes).replace(b"\r", b"").replace(b"\n", b" ")
    if kind == 2:
        return " ".join(draw(st.lists(encoded_word(), max_size=4))).encode()
    if kind == 3:
        return ", ".join(draw(st.lists(st.sampled_from(ADDRESSES), max_size=5))).encode()
    if kind == 4:  # huge: far beyond any sane header
        unit = draw(st.sampled_from([b"<a@b> ", b"x", b"=?utf-8?q?=C3?= ", b"\t\r\n "]))
        return unit * draw(st.integers(1000, 60_000))
    if kind == 5:
        return draw(
            st.sampled_from(
                [
                    b"Mon, 30 Feb 2026 25:61:61 +9999",
                    b"yesterday",
                    b"Fri, 27 Nov 2026 10:00:00",
                    b"27 Nov 10000 10:00 -0500",
                    b"",
                    b"Tue, 1 Dec 2026 09:00:00 -0500 (EST)",
                ]
            )
        )
    if kind == 6:
        return b'multipart/mixed; boundary="' + draw(raw_bytes).replace(b"\n", b"") + b'"'
    return b"<" + draw(raw_bytes).replace(b"\n", b"") + b">"


@st.composite
def message(draw: st.DrawFn) -> bytes:
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 12))):
        name = draw(
            st.one_of(st.sampled_from(FIELDS), st.from_regex(r"[!-9;-~]{1,20}", fullmatch=True))
        )
        value = draw(header_value())
        fold = draw(st.booleans())
        line = name.encode() + b": " + (value[:40] + b"\r\n\t" + value[40:] if fold else value)
        lines.append(line)
    sep = draw(st.sampled_from([b"\r\n", b"\n", b"\r"]))
    body = draw(body_part())
    raw = sep.join(lines) + sep + sep + body
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]  # truncated mid-transfer
    return raw


@st.composite
def reply_like(draw: st.DrawFn) -> bytes:
    """A plausible answer from the company, then the same hostile extras on top."""
    sender = draw(
        st.sampled_from(
            [
                b"Dana Whitfield <dana@acme.example>",
                b"Hank <hank@eu.globex.example>",
                b"Acme Corp via Greenhouse <no-reply@greenhouse.io>",
                b"Jordan Rivera <jordan@example.com>",
            ]
        )
    )
    base = [
        b"From: " + sender,
        b"To: Jordan Rivera <jordan@example.com>",
        b"Date: " + draw(st.sampled_from([b"Tue, 24 Nov 2026 10:00:00 -0500", b"garbage"])),
        b"Message-ID: <r" + str(draw(st.integers(0, 10**6))).encode() + b"@acme.example>",
    ]
    if draw(st.booleans()):
        base.append(b"In-Reply-To: <ty@example.com>")
    extra = draw(message())
    return b"\r\n".join(base) + b"\r\n" + extra


@st.composite
def body_part(draw: st.DrawFn, depth: int = 0) -> bytes:
    kind = draw(st.integers(0, 3 if depth < 2 else 1))
    if kind == 0:
        return draw(raw_bytes)
    if kind == 1:
        return draw(text).encode("utf-8")
    boundary = draw(st.sampled_from([b"b1", b"", b"--", b"x" * 80]))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        ctype = draw(
            st.sampled_from(
                [
                    b"text/plain; charset=" + draw(st.sampled_from(CHARSETS)).encode(),
                    b"text/html",
                    b"text/calendar",
                    b"application/octet-stream",
                    b"message/rfc822",
                    b"multipart/alternative; boundary=b1",
                ]
            )
        )
        cte = draw(st.sampled_from([b"base64", b"quoted-printable", b"8bit", b"x-uuencode", b""]))
        inner = draw(body_part(depth=depth + 1))
        parts.append(
            b"--" + boundary + b"\r\nContent-Type: " + ctype + b"\r\n"
            b"Content-Transfer-Encoding: " + cte + b"\r\n\r\n" + inner + b"\r\n"
        )
    closing = b"--" + boundary + b"--\r\n" if draw(st.booleans()) else b""
    return b"".join(parts) + closing


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    state = tmp_path_factory.mktemp("fuzz-state")
    return parse_config(CONFIG.format(state=state), state / "config.toml")


@pytest.fixture(scope="module")
def store(config: Config) -> Store:
    return Store.in_dir(config.daemon.state_dir)


_uids = itertools.count(1)


def through_the_pipeline(raw: bytes, config: Config, store: Store) -> None:
    try:
        meta = parse_message(raw, folder="INBOX", uid=str(next(_uids)), body_limit=4096)
    except MalformedMessage as exc:
        assert str(exc).strip(), "a skipped message needs a reason"
        _note("skipped as malformed")
        return
    assert isinstance(meta, MessageMeta)
    textless = replace(meta, body_excerpt="", calendar="")  # the store never keeps the text
    assert meta_from_json(meta_to_json(meta)) == textless
    store.save_fetch(
        "local",
        "INBOX",
        "watched",
        [meta],
        "c",
        dt.date(2026, 10, 1),
        reset=True,
        facts=read_new_facts(config, [meta]),
    )  # reset: the store holds just this message (plus the Sent context below)
    (stored,) = [s for s in store.messages() if s.meta.uid == meta.uid]
    assert stored.meta == textless
    facts, found, _ = derive_facts(config, [*_context(), stored])
    for v in found:
        assert isinstance(v.match.reason, str) and v.match.reason.strip()
    _note(f"parsed; verdict {found[-1].match.kind}")
    plans = plan_all(
        config.identity,
        config.schedule,
        facts,
        store.stage_records(),
        NOW,
        calendar_for(config.schedule),
    )
    assert len(plans) == len(config.interviews)
    for plan in plans:
        assert plan.state in {"waiting", "replied", "closed", "done"}
        for stage in plan.stages:
            assert stage.reason.strip(), f"{plan.interview.id}/{stage.stage} has no reason"


def _note(what: str) -> None:
    if currently_in_test_context():  # statistics: shows the fuzzing reaches every verdict
        event(what)


def _context() -> list[StoredMessage]:
    return [StoredMessage("local", "sent", CONTEXT)]


@given(raw=st.one_of(message(), reply_like()))
def test_any_message_either_parses_with_reasons_everywhere_or_is_skipped_with_one(
    raw: bytes, config: Config, store: Store
) -> None:
    through_the_pipeline(raw, config, store)


@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_pipeline(raw: bytes, config: Config, store: Store) -> None:
    through_the_pipeline(raw, config, store)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\r\n\r\n",
        b"not a message at all",
        b"From: " + b"A" * 3_000_000 + b"\r\n\r\nbody",
        b"References: " + b"<r@x> " * 200_000 + b"\r\nFrom: dana@acme.example\r\n\r\n",
        b"Subject: =?utf-8?b?" + b"////" * 10_000 + b"?=\r\nFrom: a@acme.example\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=x\r\nFrom: dana@acme.example\r\n\r\n"
        + b"--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n" * 500,
        b"From: dana@acme.example\r\nDate: Fri, 27 Nov 2026 10:00:00 -0500\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"!!!not base64!!!",
        b"From: \xff\xfe\x00d\x00a\x00n\x00a@acme.example\r\nSubject: \x80\x81\x82\r\n\r\n\x00\x00",
        "From: Dana <dana@acme.example>\r\nSubject: Nächste Schritte – 次のステップ\r\n\r\nHallo".encode(),
    ],
    ids=[
        "empty",
        "blank",
        "no-header",
        "3MB-from",
        "200k-references",
        "huge-encoded-word",
        "recursive-multipart",
        "bad-base64",
        "binary-garbage",
        "raw-utf8-headers",
    ],
)
def test_known_nasty_messages_are_handled_with_a_reason(
    raw: bytes, config: Config, store: Store
) -> None:
    through_the_pipeline(raw, config, store)
