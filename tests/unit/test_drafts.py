"""Draft composition: Message-IDs, recipients, threading and the finished email."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from followup.core.conversation import ThreadContext, address, thread_context
from followup.core.drafts import (
    compose_draft,
    message_id_for,
)
from followup.core.model import (
    STAGES,
    Address,
    Identity,
    Interview,
    MessageMeta,
    ScheduleConfig,
    StageName,
    TemplateOverride,
)
from followup.core.templating import TemplateError
from followup.core.text import base_subject

NY = ZoneInfo("America/New_York")
SCHED = ScheduleConfig(timezone="America/New_York", holidays="US")
ME = Identity(name="Jordan Rivera", email="jordan@example.com", aliases=("j.rivera@mail.test",))
DANA = Address(name="Dana Whitfield", email="dana@acme.com")
SAM = Address(name="Sam Okafor", email="sam@acme.com")
NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


def interview(
    contacts: tuple[Address, ...] = (DANA,), highlight: str | None = "the caching idea"
) -> Interview:
    return Interview(
        id="acme-backend",
        company="Acme Corp",
        role="Backend Engineer",
        interviewed_on=dt.date(2026, 11, 16),
        started_at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=NY),
        contacts=contacts,
        domains=("acme.com",),
        highlight=highlight,
    )


def meta(
    mid: str,
    sender: Address | None,
    day: int | None,
    subject: str = "Interview",
    **extra: object,
) -> MessageMeta:
    date = dt.datetime(2026, 11, day, 12, 0, tzinfo=NY) if day is not None else None
    return MessageMeta(message_id=mid, date=date, sender=sender, subject=subject, **extra)  # type: ignore[arg-type]


def draft(
    *,
    stage: StageName = "check_in",
    identity: Identity = ME,
    recipient: Address | None = DANA,
    thread: ThreadContext | None = None,
    templates: dict[StageName, TemplateOverride] | None = None,
    iv: Interview | None = None,
) -> EmailMessage:
    return compose_draft(
        interview=iv or interview(),
        stage=stage,
        identity=identity,
        templates=templates or {},
        recipient=recipient,
        thread=thread,
        now=NOW,
        sched=SCHED,
    )


def reparse(msg: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(msg.as_bytes(), policy=email_policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def content(msg: EmailMessage) -> str:
    """The body text with the wire's CRLF line ends turned back into newlines."""
    text = msg.get_content()
    assert isinstance(text, str)
    return text.replace("\r\n", "\n")


# --- message_id_for -------------------------------------------------------------------------


def test_message_id_is_deterministic_and_bracket_free() -> None:
    first = message_id_for("acme-backend", "check_in", "jordan@example.com")
    assert first == message_id_for("acme-backend", "check_in", "jordan@example.com")
    assert "<" not in first and ">" not in first
    assert re.fullmatch(r"followup\.check_in\.[0-9a-f]{16}@example\.com", first)


def test_message_id_differs_by_stage_and_interview() -> None:
    ids = {message_id_for(i, s, "jordan@example.com") for i in ("a", "b") for s in STAGES}
    assert len(ids) == 6


def test_message_id_uses_the_identity_domain_in_lower_case() -> None:
    assert message_id_for("a", "closure", "Jordan@Example.COM").endswith("@example.com")


# --- whom a draft goes to ------------------------------------------------------------------


def recipient(
    iv: Interview, messages: list[MessageMeta], me: frozenset[str] = frozenset()
) -> Address | None:
    return address(iv, messages, me=me).recipient


def test_recipient_is_the_person_who_wrote_last() -> None:
    messages = [meta("1", DANA, 17), meta("2", SAM, 19), meta("3", DANA, 18)]
    assert recipient(interview(), messages) == SAM


def test_no_reply_sender_is_never_the_recipient() -> None:
    robot = Address(name="Acme Careers", email="no-reply@acme.com")
    messages = [meta("1", SAM, 17), meta("2", robot, 19)]
    assert recipient(interview(), messages) == SAM


def test_ats_sender_is_skipped_but_its_human_reply_to_is_used() -> None:
    ats = Address(name="Dana via Greenhouse", email="dana-acme@greenhouse-mail.io")
    relayed = meta("1", ats, 19, reply_to=(DANA,))
    assert recipient(interview(contacts=(SAM,)), [relayed]) == DANA


def test_ats_sender_without_a_human_falls_back_to_the_first_contact() -> None:
    ats = Address(name="Acme Hiring", email="notifications@hire.lever.co")
    assert recipient(interview(contacts=(SAM, DANA)), [meta("1", ats, 19)]) == SAM


def test_my_own_messages_never_make_me_the_recipient() -> None:
    mine = Address(name="Jordan Rivera", email="j.rivera@mail.test")
    messages = [meta("1", DANA, 17), meta("2", mine, 20)]
    assert recipient(interview(), messages, ME.addresses()) == DANA


def test_undated_messages_count_as_oldest() -> None:
    messages = [meta("1", SAM, None), meta("2", DANA, 17)]
    assert recipient(interview(), messages) == DANA


def test_without_messages_the_first_human_contact_is_used() -> None:
    robot = Address(name="", email="donotreply@acme.com")
    assert recipient(interview(contacts=(robot, SAM)), []) == SAM


def test_no_human_anywhere_means_no_recipient() -> None:
    assert recipient(interview(contacts=()), []) is None


# --- thread_context -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Re: AW: Fwd: Interview next steps", "Interview next steps"),
        ("RE[2]: Interview", "Interview"),
        ("Fw:  Interview   follow-up", "Interview follow-up"),
        ("SV: Antw: Intervju", "Intervju"),
        ("Regarding: the role", "Regarding: the role"),
        ("Interview", "Interview"),
    ],
)
def test_base_subject_drops_stacked_prefixes_only(subject: str, expected: str) -> None:
    assert base_subject(subject) == expected


def test_thread_context_replies_to_the_latest_message() -> None:
    first = meta("a@acme.com", DANA, 17, subject="Interview next steps")
    second = meta(
        "b@example.com",
        Address("Jordan", "jordan@example.com"),
        18,
        subject="Re: Interview next steps",
        in_reply_to=("a@acme.com",),
        references=("a@acme.com",),
    )
    ctx = thread_context([second, first])
    assert ctx == ThreadContext(
        subject="Interview next steps",
        in_reply_to="b@example.com",
        references=("a@acme.com", "b@example.com"),
    )


def test_thread_context_uses_in_reply_to_when_references_are_missing() -> None:
    latest = meta("c@acme.com", DANA, 18, in_reply_to=("b@example.com",))
    ctx = thread_context([latest])
    assert ctx is not None
    assert ctx.references == ("b@example.com", "c@acme.com")


def test_thread_context_skips_messages_without_an_id() -> None:
    ctx = thread_context([meta("", DANA, 20), meta("x@acme.com", DANA, 17)])
    assert ctx is not None and ctx.in_reply_to == "x@acme.com"


def test_thread_context_of_nothing_is_none() -> None:
    assert thread_context([]) is None


def test_long_reference_chains_keep_the_root_and_the_latest() -> None:
    chain = tuple(f"m{i}@acme.com" for i in range(50))
    ctx = thread_context([meta("last@acme.com", DANA, 18, references=chain)])
    assert ctx is not None
    assert len(ctx.references) == 20
    assert ctx.references[0] == "m0@acme.com"
    assert ctx.references[-1] == "last@acme.com"


# --- compose_draft --------------------------------------------------------------------------


def test_draft_headers_follow_the_design() -> None:
    msg = reparse(draft())
    assert msg["From"] == "Jordan Rivera <jordan@example.com>"
    assert msg["To"] == "Dana Whitfield <dana@acme.com>"
    assert msg["Subject"] == "Following up on the Backend Engineer interview"
    expected_id = message_id_for("acme-backend", "check_in", "jordan@example.com")
    assert msg["Message-ID"] == f"<{expected_id}>"
    assert parsedate_to_datetime(msg["Date"]) == NOW
    assert msg["In-Reply-To"] is None and msg["References"] is None


def test_date_header_is_shown_in_the_configured_zone() -> None:
    assert draft()["Date"].endswith("-0500")


def test_draft_has_no_custom_x_headers() -> None:
    thread = ThreadContext("Interview", "a@acme.com", ("a@acme.com",))
    for stage in STAGES:
        msg = draft(stage=stage, thread=thread)
        assert not [k for k in msg if k.lower().startswith("x-")]


def test_threaded_draft_replies_in_the_conversation() -> None:
    thread = ThreadContext("Interview next steps", "b@acme.com", ("a@acme.com", "b@acme.com"))
    msg = reparse(draft(thread=thread))
    assert msg["Subject"] == "Re: Interview next steps"
    assert msg["In-Reply-To"] == "<b@acme.com>"
    assert msg["References"] == "<a@acme.com> <b@acme.com>"


def test_thread_without_a_subject_falls_back_to_the_template_subject() -> None:
    msg = reparse(draft(thread=ThreadContext("", "b@acme.com", ("b@acme.com",))))
    assert msg["Subject"] == "Following up on the Backend Engineer interview"
    assert msg["In-Reply-To"] == "<b@acme.com>"


def test_draft_without_recipient_has_no_to_and_a_neutral_greeting() -> None:
    msg = reparse(draft(recipient=None))
    assert msg["To"] is None
    assert content(msg).startswith("Hello,")


def test_config_override_replaces_subject_and_body() -> None:
    override = TemplateOverride(
        subject="Checking in: {{ role }}", body="Hi {{ interviewer }}, any news?\n{{ my_name }}"
    )
    msg = reparse(draft(templates={"check_in": override}))
    assert msg["Subject"] == "Checking in: Backend Engineer"
    assert content(msg) == "Hi Dana, any news?\nJordan Rivera\n"


def test_override_of_another_stage_leaves_this_one_alone() -> None:
    msg = reparse(draft(templates={"closure": TemplateOverride(body="Bye")}))
    assert "Bye" not in content(msg)
    assert "next steps" in content(msg)


def test_subject_only_override_keeps_the_default_body() -> None:
    msg = reparse(draft(templates={"check_in": TemplateOverride(subject="Quick question")}))
    assert msg["Subject"] == "Quick question"
    assert "the caching idea" in content(msg)


def test_unfillable_override_raises_instead_of_drafting_a_placeholder() -> None:
    override = TemplateOverride(body="About {{ highlight }}")
    with pytest.raises(TemplateError, match="highlight"):
        draft(templates={"check_in": override}, iv=interview(highlight=None))


def test_non_ascii_names_and_text_survive_a_byte_round_trip() -> None:
    mateo = Identity(name="Mateo Álvarez", email="mateo@example.com")
    zoe = Address(name="Zoë Ñúñez", email="zoe@acme.com")
    iv = interview(highlight="the café-queue design")
    msg = draft(identity=mateo, recipient=zoe, iv=iv)
    raw = msg.as_bytes()
    assert raw.isascii()  # 7-bit clean: encoded words and quoted-printable
    back = reparse(msg)
    assert back["From"].addresses[0].display_name == "Mateo Álvarez"
    assert back["To"].addresses[0].display_name == "Zoë Ñúñez"
    body = content(back)
    assert "Hi Zoë," in body
    assert "Mateo Álvarez" in body
    assert "the café-queue design" in body
    assert reparse(back).as_bytes() == back.as_bytes()


def test_serialised_draft_uses_crlf_line_ends() -> None:
    raw = draft().as_bytes()
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_non_ascii_thread_subject_is_encoded_and_decodes_back() -> None:
    thread = ThreadContext("Entrevista — próximos pasos", "b@acme.com", ("b@acme.com",))
    msg = draft(thread=thread)
    assert msg.as_bytes().isascii()
    assert reparse(msg)["Subject"] == "Re: Entrevista — próximos pasos"


def test_body_ends_with_exactly_one_newline() -> None:
    body = content(reparse(draft()))
    assert body.endswith("Jordan Rivera\n")


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        compose_draft(
            interview=interview(),
            stage="thank_you",
            identity=ME,
            templates={},
            recipient=DANA,
            thread=None,
            now=dt.datetime(2026, 11, 16, 17, 0),
            sched=SCHED,
        )


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_composes_with_its_own_message_id(stage: StageName) -> None:
    msg = draft(stage=stage)
    assert msg["Message-ID"] == f"<{message_id_for('acme-backend', stage, ME.email)}>"
    assert "{{" not in content(msg)
