"""Reply matching: every rule of DESIGN §2 "Reply", with hand-written messages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.core.automatic import is_automatic
from followup.core.errors import MalformedMessage
from followup.core.matching import classify, match_all
from followup.core.model import Address, Identity, Interview, Match, MessageMeta
from followup.core.parsing import parse_message
from followup.core.threads import ThreadIndex

TZ = ZoneInfo("Europe/Berlin")
ME = Identity(name="Robin Lee", email="Robin.Lee@home.test", aliases=("robin@alias.test",))

ACME = Interview(
    id="acme-backend",
    company="Acme Widgets Inc.",
    role="Backend Engineer",
    interviewed_on=dt.date(2026, 11, 16),
    started_at=dt.datetime(2026, 11, 16, tzinfo=TZ),
    contacts=(Address("Dana Vogel", "dana@acmewidgets.test"),),
    domains=("acmewidgets.test",),
)
GLOBEX = Interview(
    id="globex-sre",
    company="Globex Systems",
    role="Site Reliability Engineer",
    interviewed_on=dt.date(2026, 11, 20),
    started_at=dt.datetime(2026, 11, 20, 14, 0, tzinfo=TZ),
    contacts=(Address("Kai Brun", "kai@globex.test"),),
    domains=(),  # as if the loader left it empty: derived from the contacts
)
STUDIO = Interview(
    id="studio-frontend",
    company="Pinecone Studio",
    role="Frontend Developer",
    interviewed_on=dt.date(2026, 11, 18),
    started_at=dt.datetime(2026, 11, 18, tzinfo=TZ),
    contacts=(Address("Mia Roth", "mia.roth.design@gmail.com"),),
    domains=(),
)
INTERVIEWS = (ACME, GLOBEX, STUDIO)
AFTER = "Thu, 19 Nov 2026 10:00:00 +0100"
LATE = "Wed, 25 Nov 2026 10:00:00 +0100"
BEFORE = "Tue, 10 Nov 2026 10:00:00 +0100"


def mail(
    sender: str,
    subject: str = "Hello",
    date: str | None = LATE,
    body: str = "Hi Robin,\n\nThanks for your time.\n",
    extra: str = "",
    msgid: str = "<m1@mail.test>",
    to: str = "Robin Lee <robin.lee@home.test>",
    content_type: str = "text/plain; charset=utf-8",
) -> MessageMeta:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Message-ID: {msgid}"]
    if date is not None:
        lines.append(f"Date: {date}")
    lines.append(f"Content-Type: {content_type}")
    lines.extend(line for line in extra.strip("\n").splitlines() if line)
    data = "\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")
    return parse_message(data.encode())


def verdict(msg: MessageMeta, threads: ThreadIndex | None = None) -> Match:
    return classify(msg, INTERVIEWS, ME, threads if threads is not None else ThreadIndex())


def assert_reply(msg: MessageMeta, interview_id: str, threads: ThreadIndex | None = None) -> Match:
    m = verdict(msg, threads)
    assert (m.kind, m.interview_id) == ("reply", interview_id), m.reason
    assert m.reason.startswith("reply")
    return m


def assert_not_reply(msg: MessageMeta, kind: str | None = None) -> Match:
    m = verdict(msg)
    assert m.kind != "reply", m.reason
    assert m.reason.startswith("not a reply")
    if kind is not None:
        assert m.kind == kind, m.reason
    return m


# --- ties to an interview -------------------------------------------------------------


def test_reply_from_a_contact_counts_as_reply() -> None:
    m = assert_reply(mail("Dana Vogel <dana@acmewidgets.test>"), "acme-backend")
    assert "dana@acmewidgets.test is a contact of acme-backend" in m.reason


def test_contact_address_is_compared_without_case() -> None:
    assert_reply(mail("Dana <DANA@AcmeWidgets.TEST>"), "acme-backend")


def test_colleague_at_the_company_domain_counts_as_reply() -> None:
    m = assert_reply(mail("Lee Park <lee.park@acmewidgets.test>"), "acme-backend")
    assert "domain" in m.reason


def test_reply_from_subdomain_counts_as_reply() -> None:
    m = assert_reply(mail("Talent <talent@jobs.acmewidgets.test>"), "acme-backend")
    assert "subdomain" in m.reason


def test_domains_default_to_the_contacts_domains_when_empty() -> None:
    assert_reply(mail("Ops <ops@globex.test>", date=LATE), "globex-sre")


def test_free_mail_contact_domain_is_not_the_company_domain() -> None:
    assert_not_reply(mail("Someone Else <friend.of.robin@gmail.com>"), "unrelated")


def test_free_mail_contact_counts_as_reply() -> None:
    assert_reply(mail("Mia Roth <mia.roth.design@gmail.com>"), "studio-frontend")


def test_in_thread_reply_from_unknown_free_mail_sender_counts_as_reply() -> None:
    threads = ThreadIndex()
    threads.add("<thanks-1@home.test>", "studio-frontend")
    msg = mail(
        "Co Founder <cofounder.dev@gmail.com>",
        "Re: Thanks for the chat",
        extra="In-Reply-To: <thanks-1@home.test>\nReferences: <thanks-1@home.test>",
    )
    m = assert_reply(msg, "studio-frontend", threads)
    assert "thread" in m.reason


def test_gmail_thread_id_ties_a_message_to_its_interview() -> None:
    threads = ThreadIndex()
    threads.add_thread("thr-42", "globex-sre")
    base = mail("Kai Helper <k.helper@outlook.com>")
    msg = MessageMeta(**{**base.__dict__, "thread_id": "thr-42"})
    assert threads.lookup(msg) == "globex-sre"
    assert_reply(msg, "globex-sre", threads)


def test_thread_index_ignores_angle_brackets_and_unknown_ids() -> None:
    threads = ThreadIndex()
    threads.add("<a@x>", "acme-backend")
    assert "a@x" in threads
    assert threads.lookup(mail("x@y.test", extra="References: <zzz@x>")) is None
    assert threads.lookup(mail("x@y.test", extra="References: <zzz@x> <a@x>")) == "acme-backend"


def test_html_only_reply_from_contact_counts_as_reply() -> None:
    msg = mail(
        "Dana Vogel <dana@acmewidgets.test>",
        body="<html><body><p>Next steps inside</p></body></html>",
        content_type="text/html; charset=utf-8",
    )
    assert_reply(msg, "acme-backend")


def test_encoded_display_name_and_subject_reply_counts() -> None:
    msg = mail("=?utf-8?q?Dana_V=C3=B6gel?= <dana@acmewidgets.test>", "=?utf-8?b?UmU6IERhbmtl?=")
    assert_reply(msg, "acme-backend")


def test_calendar_invite_from_the_company_after_the_interview_is_a_reply() -> None:
    ics = "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nSUMMARY:Final round\nEND:VEVENT\n"
    msg = mail(
        "Dana Vogel <dana@acmewidgets.test>",
        "Invitation: Final round @ Mon Nov 30",
        body=ics,
        content_type="text/calendar; method=REQUEST",
        extra="Sender: Calendar <calendar-notification@calendar.test>",
    )
    assert_reply(msg, "acme-backend")


def test_calendar_invite_before_the_interview_is_not_a_reply() -> None:
    msg = mail("Dana Vogel <dana@acmewidgets.test>", "Invitation: Onsite", date=BEFORE)
    m = assert_not_reply(msg, "company")
    assert m.interview_id == "acme-backend"


# --- ATS ------------------------------------------------------------------------------


def test_ats_sender_whose_display_name_names_the_company_is_a_reply() -> None:
    msg = mail('"Acme Widgets" <no-reply@greenhouse-mail.io>', "Please schedule your final round")
    m = assert_reply(msg, "acme-backend")
    assert "applicant-tracking" in m.reason


def test_ats_sender_with_tenant_address_is_a_reply() -> None:
    assert_reply(mail("acmewidgets@myworkday.com", "Action required: assessment"), "acme-backend")


def test_ats_generic_sender_with_company_in_subject_is_a_reply() -> None:
    assert_reply(
        mail("Recruiting Team <no-reply@ashbyhq.com>", "Update from Globex Systems"), "globex-sre"
    )


def test_ats_generic_sender_with_company_only_in_body_is_a_reply() -> None:
    msg = mail(
        "Hiring Team <no-reply@hire.lever.co>",
        "Your application",
        body="Hi Robin,\n\nAfter careful consideration, Globex Systems decided to move on.\n",
    )
    assert_reply(msg, "globex-sre")


def test_ats_sender_with_only_a_generic_name_never_matches() -> None:
    msg = mail("Recruiting Team <no-reply@greenhouse.io>", "Update on your application")
    m = assert_not_reply(msg, "unrelated")
    assert "names none of the tracked companies" in m.reason


def test_ats_mail_for_another_company_that_mentions_ours_in_body_is_not_a_reply() -> None:
    msg = mail(
        "Initech <no-reply@smartrecruiters.com>",
        "Your application to Initech",
        body="We saw you also talked to Acme Widgets; we would like to interview you too.\n",
    )
    assert_not_reply(msg)


def test_ats_mail_in_a_recruiters_name_with_company_in_body_is_a_reply() -> None:
    msg = mail(
        "Jo Brandt <no-reply@greenhouse.io>",
        "Next steps",
        body="Hi Robin, Jo from Globex Systems here: please pick a slot for the final round.\n",
    )
    assert_reply(msg, "globex-sre")


def test_ats_display_name_with_part_of_the_company_name_still_needs_the_text() -> None:
    assert_not_reply(mail("Jane from Acme <no-reply@lever.co>", "Hello"))
    assert_reply(mail("Jane from Acme <no-reply@lever.co>", "Acme Widgets: next"), "acme-backend")


def test_ats_auto_generated_header_does_not_hide_a_rejection() -> None:
    msg = mail(
        "Globex Systems <noreply@smartrecruiters.com>",
        "Update on your application",
        body="Unfortunately we will not be moving forward.\n",
        extra="Auto-Submitted: auto-generated",
    )
    assert_reply(msg, "globex-sre")


def test_ats_reply_to_a_contact_ties_the_mail() -> None:
    msg = mail(
        "Notifications <no-reply@greenhouse.io>",
        "Pick a time",
        extra="Reply-To: Dana Vogel <dana@acmewidgets.test>",
    )
    assert_reply(msg, "acme-backend")


def test_ats_application_confirmation_is_never_a_reply_even_after_the_interview() -> None:
    msg = mail('"Acme Widgets" <no-reply@greenhouse.io>', "Thank you for applying to Acme Widgets")
    m = assert_not_reply(msg, "company")
    assert "acknowledgement" in m.reason


def test_ats_application_confirmation_in_body_only_is_not_a_reply() -> None:
    msg = mail(
        "Globex Systems <noreply@smartrecruiters.com>",
        "Globex Systems",
        body="Dear Robin,\n\nWe have received your application for Platform Engineer.\n",
    )
    assert_not_reply(msg)


def test_ats_rejection_is_a_reply() -> None:
    msg = mail(
        "Globex Systems <noreply@smartrecruiters.com>",
        "Update on your application",
        body="Thank you for your interest. Unfortunately we will not be moving forward.\n",
    )
    assert_reply(msg, "globex-sre")


def test_job_alert_from_an_ats_is_not_a_reply() -> None:
    msg = mail("Acme Widgets <jobs@lever.co>", "New jobs at Acme Widgets matching your profile")
    assert_not_reply(msg)


# --- exclusions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        "Robin Lee <robin.lee@home.test>",
        "ROBIN.LEE@HOME.TEST",
        "robin.lee+jobs@home.test",
        "Me <Robin@Alias.test>",
    ],
)
def test_own_mail_is_never_a_reply(sender: str) -> None:
    m = assert_not_reply(mail(sender, to="Dana <dana@acmewidgets.test>"), "own")
    assert m.interview_id == "acme-backend"


def test_own_note_to_self_is_own_without_interview() -> None:
    m = assert_not_reply(mail("robin.lee@home.test", "notes"), "own")
    assert m.interview_id is None


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted"),
        ("Auto-Submitted: auto-generated", "Auto-Submitted"),
        ("X-Autoreply: yes", "X-Autoreply"),
        ("X-Autorespond: on", "X-Autorespond"),
        ("Precedence: auto_reply", "Precedence"),
        ("Precedence: bulk", "Precedence"),
        ("Precedence: list", "Precedence"),
        ("Precedence: junk", "Precedence"),
        ("List-Id: <news.acmewidgets.test>", "List-Id"),
        ("List-Unsubscribe: <https://acmewidgets.test/unsub>", "List-Unsubscribe"),
        ("Return-Path: <>", "Return-Path"),
    ],
)
def test_automatic_headers_make_a_contact_message_automatic(extra: str, needle: str) -> None:
    m = assert_not_reply(mail("Dana Vogel <dana@acmewidgets.test>", extra=extra), "automatic")
    assert needle in m.reason


def test_auto_submitted_no_is_not_automatic() -> None:
    assert_reply(mail("dana@acmewidgets.test", extra="Auto-Submitted: no"), "acme-backend")


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Thank you",
        "Automatic reply: Thank you",
        "Auto-Reply: Thank you",
        "[Auto-Reply] Thank you",
        "Abwesenheitsnotiz: Danke",
        "Automatische Antwort: Danke",
        "Réponse automatique : Merci",
        "Respuesta automática: Gracias",
        "Risposta automatica: Grazie",
        "Afwezig: Bedankt",
        "Autosvar: Tack",
        "Away until 30 Nov",
        "RE: Out of office",
        "自動返信: ありがとう",
    ],
)
def test_out_of_office_subject_without_headers_is_automatic(subject: str) -> None:
    m = assert_not_reply(mail("Dana Vogel <dana@acmewidgets.test>", subject), "automatic")
    assert "out-of-office" in m.reason


def test_out_of_office_body_without_headers_or_subject_is_automatic() -> None:
    msg = mail(
        "Dana Vogel <dana@acmewidgets.test>",
        "Re: Thank you",
        body="I am currently out of the office until Monday with limited access to email.\n",
    )
    assert_not_reply(msg, "automatic")


def test_human_reply_that_mentions_an_earlier_auto_reply_is_a_reply() -> None:
    msg = mail(
        "Dana Vogel <dana@acmewidgets.test>",
        "Re: Thank you",
        body="Hi Robin, sorry for the auto-reply yesterday. We would like to move ahead.\n",
    )
    assert_reply(msg, "acme-backend")


@pytest.mark.parametrize(
    ("sender", "subject", "extra"),
    [
        ("Mail Delivery System <MAILER-DAEMON@mx.home.test>", "Undelivered Mail", ""),
        ("postmaster@acmewidgets.test", "Undeliverable: Thank you", ""),
        ("dana@acmewidgets.test", "Delivery report", "X-Failed-Recipients: x@acmewidgets.test"),
    ],
)
def test_bounces_are_automatic(sender: str, subject: str, extra: str) -> None:
    m = assert_not_reply(mail(sender, subject, extra=extra), "automatic")
    assert "bounce" in m.reason


def test_multipart_report_is_a_bounce() -> None:
    body = "--r\r\nContent-Type: text/plain\r\n\r\nDelayed\r\n--r--\r\n"
    msg = mail(
        "dana@acmewidgets.test",
        "Delayed",
        body=body,
        content_type='multipart/report; report-type="delivery-status"; boundary="r"',
    )
    assert_not_reply(msg, "automatic")


def test_read_receipt_and_calendar_response_are_automatic() -> None:
    assert_not_reply(mail("dana@acmewidgets.test", "Read: Thank you"), "automatic")
    assert_not_reply(mail("dana@acmewidgets.test", "Accepted: Final round"), "automatic")


def test_newsletter_from_company_domain_without_list_headers_is_not_a_reply() -> None:
    msg = mail(
        "Acme Widgets <hello@acmewidgets.test>",
        "Widget news for November",
        body="Our latest widgets.\n\nView this email in your browser | Unsubscribe\n",
    )
    assert_not_reply(msg)


def test_newsletter_mailbox_at_company_domain_is_bulk() -> None:
    assert_not_reply(mail("Acme <newsletter@acmewidgets.test>", "Monthly digest"), "automatic")


def test_mail_dated_before_the_interview_is_not_a_reply_and_says_so() -> None:
    m = assert_not_reply(mail("Dana Vogel <dana@acmewidgets.test>", date=BEFORE), "company")
    assert m.interview_id == "acme-backend"
    assert "dated 2026-11-10, before the interview with Acme Widgets Inc. on 2026-11-16" in (
        m.reason
    )


def test_interview_start_time_is_exact() -> None:
    same_day_morning = "Fri, 20 Nov 2026 09:00:00 +0100"
    same_day_evening = "Fri, 20 Nov 2026 18:00:00 +0100"
    assert_not_reply(mail("kai@globex.test", date=same_day_morning), "company")
    assert_reply(mail("kai@globex.test", date=same_day_evening), "globex-sre")


def test_mail_before_every_interview_from_a_stranger_is_early() -> None:
    assert_not_reply(mail("x@random.test", date="Mon, 02 Nov 2026 09:00:00 +0100"), "early")


@pytest.mark.parametrize(
    "sender",
    [
        "Acme Widgets Careers <offers@acmewidgets-careers.test>",
        "Acme Talent <talent@hr-acmewidgets.test>",
        "Acme Recruiting <r@acmewidgets.test.verify-now.example>",
        "Acme Widgets HR <no-reply@mailer.random.example>",
        '"Dana Vogel" <dana@acme-widgets.test>',
    ],
)
def test_lookalike_domains_and_spoofed_display_names_are_not_replies(sender: str) -> None:
    assert_not_reply(mail(sender, "Offer letter - Acme Widgets"), "unrelated")


def test_forwarded_old_thread_from_a_third_party_is_not_a_reply() -> None:
    threads = ThreadIndex()
    threads.add("<old@acmewidgets.test>", "acme-backend")
    msg = mail(
        "Coach <coach@coaching.example>",
        "Fwd: Interview availability",
        body="FYI\n\n---------- Forwarded message ---------\nFrom: Dana Vogel <dana@acmewidgets.test>\n",
        extra="References: <old@acmewidgets.test>",
    )
    m = verdict(msg, threads)
    assert m.kind == "unrelated", m.reason
    assert "forwarded" in m.reason


def test_job_board_alert_naming_the_company_is_not_a_reply() -> None:
    msg = mail(
        "Job Alerts <alerts@jobboard.example>",
        "Acme Widgets is hiring: Backend Engineer",
        extra="List-Unsubscribe: <https://jobboard.example/u>",
    )
    assert_not_reply(msg)


# --- several interviews -----------------------------------------------------------------


def test_contact_of_one_company_mentioning_another_belongs_to_the_sender() -> None:
    msg = mail(
        "Kai Brun <kai@globex.test>",
        "Final round",
        body="I hear you are also talking to Acme Widgets; we'll move quickly.\n",
    )
    assert_reply(msg, "globex-sre")


def test_thread_evidence_beats_a_contact_of_another_interview() -> None:
    threads = ThreadIndex()
    threads.add("<t@home.test>", "globex-sre")
    msg = mail("Dana Vogel <dana@acmewidgets.test>", extra="In-Reply-To: <t@home.test>")
    m = assert_reply(msg, "globex-sre", threads)
    assert "acme-backend" in m.reason  # the reason says what else could have matched


def test_two_interviews_at_one_company_pick_by_role_and_say_so() -> None:
    platform = Interview(
        id="acme-platform",
        company="Acme Widgets Inc.",
        role="Platform Engineer",
        interviewed_on=dt.date(2026, 11, 17),
        started_at=dt.datetime(2026, 11, 17, tzinfo=TZ),
        contacts=(Address("Sam", "sam@acmewidgets.test"),),
        domains=("acmewidgets.test",),
    )
    msg = mail("Lee <lee@acmewidgets.test>", "Your Backend Engineer interview")
    m = classify(msg, (ACME, platform), ME, ThreadIndex())
    assert (m.kind, m.interview_id) == ("reply", "acme-backend"), m.reason
    assert "acme-platform" in m.reason
    other = classify(
        mail("Lee <lee@acmewidgets.test>", "News"), (ACME, platform), ME, ThreadIndex()
    )
    assert other.interview_id == "acme-platform"  # no hint: the most recent interview


# --- a whole mailbox ------------------------------------------------------------------


def test_match_all_recognises_a_reply_in_a_thread_the_user_started() -> None:
    sent = mail(
        "Robin Lee <robin.lee@home.test>",
        "Thank you",
        date="Wed, 18 Nov 2026 18:00:00 +0100",
        to="Mia Roth <mia.roth.design@gmail.com>",
        msgid="<ty@home.test>",
    )
    reply = mail(
        "Partner <partner.studio@gmail.com>",
        "Re: Thank you",
        date=AFTER,
        msgid="<r@gmail.com>",
        extra="In-Reply-To: <ty@home.test>\nReferences: <ty@home.test>",
    )
    second = mail(
        "Someone <someone.else@gmail.com>",
        "Re: Thank you",
        date=LATE,
        msgid="<r2@gmail.com>",
        extra="In-Reply-To: <r@gmail.com>",
    )
    results, threads = match_all([second, reply, sent], INTERVIEWS, ME)
    assert [r.kind for r in results] == ["reply", "reply", "own"]
    assert {r.interview_id for r in results} == {"studio-frontend"}
    assert "ty@home.test" in threads


def test_match_all_learns_from_company_mail_before_the_interview() -> None:
    early = mail("Dana <dana@acmewidgets.test>", date=BEFORE, msgid="<e1@acmewidgets.test>")
    later = mail(
        "Helper <helper.person@outlook.com>",
        "Re: scheduling",
        date=LATE,
        msgid="<e2@outlook.com>",
        extra="In-Reply-To: <e1@acmewidgets.test>",
    )
    results, _ = match_all([later, early], INTERVIEWS, ME)
    assert (results[0].kind, results[0].interview_id) == ("reply", "acme-backend")
    assert results[1].kind == "company"


def test_match_all_with_no_interviews_classifies_everything_as_not_a_reply() -> None:
    results, _ = match_all([mail("dana@acmewidgets.test")], (), ME)
    assert results[0].kind == "unrelated"


def test_is_automatic_returns_none_for_a_plain_human_message() -> None:
    assert is_automatic(mail("dana@acmewidgets.test", "Next steps")) is None


# --- fuzzing --------------------------------------------------------------------------

fuzz_names = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Reply-To",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Auto-Submitted",
        "Precedence",
        "List-Id",
        "Content-Type",
        "X-Autoreply",
    ]
)
fuzz_values = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "dana@acmewidgets.test",
            "Acme Widgets <no-reply@greenhouse.io>",
            "<t@home.test>",
            "robin.lee@home.test",
            "=?utf-8?q?Dana_V=C3=B6gel?= <dana@acmewidgets.test>",
            "multipart/report",
            "Out of Office",
            "Thu, 19 Nov 2026 10:00:00 +0100",
            "@@<<",
            "=?utf-8?b?!!?=",
            "bulk",
            "x" * 5000,
        ]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(fuzz_names, fuzz_values), min_size=1, max_size=10), st.text(max_size=500))
def test_classify_never_crashes_and_always_gives_a_reason(
    fields: list[tuple[str, str]], body: str
) -> None:
    head = "".join(f"{n}: {v.replace(chr(13), ' ').replace(chr(10), ' ')}\r\n" for n, v in fields)
    try:
        msg = parse_message(head.encode("utf-8", "surrogateescape") + b"\r\n" + body.encode())
    except MalformedMessage:
        return
    threads = ThreadIndex()
    threads.add("t@home.test", "acme-backend")
    m = classify(msg, INTERVIEWS, ME, threads)
    assert m.kind in ("reply", "own", "automatic", "early", "unrelated", "company")
    assert m.reason.strip()
    if m.kind == "reply":
        assert m.interview_id in {iv.id for iv in INTERVIEWS}
    results, _ = match_all([msg, msg], INTERVIEWS, ME)
    assert len(results) == 2
    assert all(r.reason for r in results)
