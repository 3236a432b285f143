"""read_message end to end: promises, return dates, automatic mail, reasons, import cost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from followup.core.reading import RULES_VERSION, Reading, read_message

CHICAGO = ZoneInfo("America/Chicago")
WED = dt.datetime(2026, 11, 18, 10, 0, tzinfo=CHICAGO)


def read(
    body: str, subject: str = "Update", sent_at: dt.datetime | None = WED, **extra: object
) -> Reading:
    return read_message(
        subject=subject,
        body=body,
        sent_at=sent_at,
        tz=CHICAGO,
        is_workday=lambda day: day.weekday() < 5,
        **extra,  # type: ignore[arg-type]
    )


def test_rules_version_is_an_integer() -> None:
    assert isinstance(RULES_VERSION, int) and RULES_VERSION >= 1


# --- promised_by -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("We don't have a decision yet. I expect to have news for you by Friday.", "2026-11-20"),
        ("Wir führen noch Gespräche und melden uns bis Ende nächster Woche.", "2026-11-27"),
        ("Le comité se réunit vendredi, et nous reviendrons vers vous mardi.", "2026-11-24"),
        (
            "Seguimos entrevistando; te daremos una respuesta antes del 4 de diciembre.",
            "2026-12-04",
        ),
        (
            "Still waiting on one interviewer, we'll get back to you Monday or Tuesday.",
            "2026-11-24",
        ),
    ],
)
def test_a_delay_promises_the_date_nearest_its_promise(body: str, expected: str) -> None:
    reading = read(body)
    assert reading.kind == "delay"
    assert reading.promised_by == dt.date.fromisoformat(expected)


def test_a_meeting_date_in_the_same_sentence_is_not_the_promise() -> None:
    reading = read("The team meets on Monday, and we will reach a decision by Wednesday.")
    assert reading.promised_by == dt.date(2026, 11, 25)


def test_a_hold_up_in_another_sentence_does_not_lend_its_date() -> None:
    reading = read("Wir führen diese Woche noch Gespräche. Wir melden uns zeitnah.")
    assert (reading.kind, reading.promised_by) == ("delay", None)


def test_a_vague_promise_is_a_delay_without_a_date() -> None:
    reading = read("Sorry for the wait. We'll get back to you after the holidays.")
    assert (reading.kind, reading.promised_by) == ("delay", None)
    assert "no date named" in reading.reason


def test_day_0_is_the_date_in_the_users_zone_not_the_senders() -> None:
    late_in_seattle = dt.datetime(2026, 12, 21, 22, 15, tzinfo=ZoneInfo("America/Los_Angeles"))
    reading = read("Feedback is in, I'll send you an update tomorrow.", sent_at=late_in_seattle)
    assert reading.promised_by == dt.date(2026, 12, 23)


def test_a_next_step_promises_when_they_will_write_next() -> None:
    reading = read("The team would like you to do a take-home. I'll send it to you on Monday.")
    assert (reading.kind, reading.promised_by) == ("next_step", dt.date(2026, 11, 23))


@pytest.mark.parametrize(
    "body",
    [
        "Your final interview is confirmed for Monday, November 23 at 10am.",
        "Please submit your take-home within 5 days of opening the link.",
        "Please review the offer and sign it by December 14.",
        "Tendrás 5 días para enviar la prueba técnica.",
        "Merci de la signer avant le 23 décembre.",
    ],
)
def test_a_meeting_a_start_or_the_candidates_deadline_is_no_promise(body: str) -> None:
    assert read(body).promised_by is None


def test_the_users_own_quoted_deadline_is_no_promise() -> None:
    body = (
        "Thanks for checking in, we are still reviewing.\n\nOn Mon, Nov 16, 2026 at 9:00 AM "
        "Priya <priya@example.org> wrote:\n> Could you let me know by Friday?"
    )
    reading = read(body, subject="Re: Checking in")
    assert (reading.kind, reading.promised_by) == ("delay", None)


def test_a_promise_to_call_someone_else_is_no_promise_to_the_candidate() -> None:
    reading = read("Got them, thank you! I'll reach out to both today.", subject="Re: References")
    assert (reading.kind, reading.promised_by) == ("courtesy", None)


def test_without_a_message_date_no_date_can_be_read() -> None:
    reading = read("No decision yet, we'll be in touch by Friday.", sent_at=None)
    assert (reading.kind, reading.promised_by) == ("delay", None)


# --- away_until ------------------------------------------------------------------------

AUTO = "auto-reply (Auto-Submitted: auto-replied)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("I'm out of the office until Monday, November 30.", "2026-11-30"),
        ("I am travelling and will be back on 11/30.", "2026-11-30"),
        ("I'm on leave, returning December 1.", "2026-12-01"),
        ("Ich bin bis einschließlich 27.11. nicht im Büro.", "2026-11-27"),
        ("Ich bin ab dem 30.11. wieder erreichbar.", "2026-11-30"),
        ("Ich bin im Urlaub und zurück am 30. November.", "2026-11-30"),
        ("Je suis absente jusqu'au 27 novembre inclus.", "2026-11-27"),
        ("Je serai de retour le 30/11.", "2026-11-30"),
        ("Estoy de vacaciones hasta el 30 de noviembre.", "2026-11-30"),
        ("Out from December 14 until January 4 with no access to email.", "2027-01-04"),
        ("Estaré fuera del 23 al 27 de noviembre.", "2026-11-27"),
        ("I'm at a conference November 19-20, checking mail rarely.", "2026-11-20"),
        ("Out of office today, back tomorrow.", "2026-11-19"),
        ("Away this week, back next week.", "2026-11-27"),
    ],
)
def test_an_out_of_office_names_its_return_date(body: str, expected: str) -> None:
    reading = read(body, subject="Automatic reply: Update", automatic=AUTO)
    assert reading.kind == "auto_reply"
    assert reading.away_until == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    "body",
    [
        "We have received your message and will answer within 3 business days.",
        "Nous avons bien reçu votre message et vous répondrons sous 2 jours ouvrés.",
        "I am out of the office with limited access to email.",
    ],
)
def test_an_acknowledgement_or_an_undated_absence_has_no_return_date(body: str) -> None:
    reading = read(body, automatic=AUTO)
    assert (reading.kind, reading.away_until) == ("auto_reply", None)


def test_a_bounce_is_automatic_and_never_says_when_anyone_is_back() -> None:
    body = "Delivery failed.\n\nHi Dana, I'm back on Monday and would love to chat."
    reading = read(body, automatic="bounce (Auto-Submitted: auto-replied)")
    assert (reading.kind, reading.away_until) == ("auto_reply", None)


# --- automatic mail and relays -----------------------------------------------------------


@pytest.mark.parametrize(
    "automatic",
    ["bulk mail (Precedence: bulk)", "mailing-list mail (List-Id: news.acme.test)",
     "job alert from an applicant-tracking system"],
)  # fmt: skip
def test_bulk_and_list_mail_is_not_about_the_candidacy(automatic: str) -> None:
    reading = read("We'd like to invite you to our webinar next week!", automatic=automatic)
    assert reading.kind is None
    assert automatic in reading.reason


def test_an_automatic_system_decision_is_still_read_as_news() -> None:
    reading = read(
        "We have decided not to move forward with your application.",
        automatic="auto-generated (empty Return-Path)",
    )
    assert reading.kind == "rejection"


def test_a_person_relayed_by_a_google_group_is_judged_by_their_words() -> None:
    body = (
        "Hi Priya, unfortunately we have decided to go with another candidate.\n\n--\n"
        'You received this message because you are subscribed to the Google Groups "Hiring" '
        "group."
    )
    reading = read(body, subject="[Hiring] Update", automatic="mailing-list mail (List-Id)")
    assert reading.kind == "rejection"


def test_a_linkedin_notice_is_judged_by_the_recruiters_words() -> None:
    body = (
        "Dana Lee just messaged you\n\nHi Priya, could you share your availability for a "
        "final round?\n\nView message\n\nUnsubscribe"
    )
    reading = read(body, subject="Dana just messaged you", automatic="bulk mail (List-Unsubscribe)")
    assert reading.kind == "next_step"


def test_an_out_of_office_subject_alone_makes_an_auto_reply() -> None:
    reading = read("Thanks for your email.", subject="Automatische Antwort: Nachfrage")
    assert reading.kind == "auto_reply"


# --- reasons and language ---------------------------------------------------------------


def test_every_reason_quotes_the_deciding_phrase_in_the_senders_spelling() -> None:
    reading = read("Leider haben wir uns für einen anderen Bewerber entschieden.")
    assert reading.reason.startswith("rejection: ")
    assert '"anderen Bewerber entschieden"' in reading.reason


def test_a_dated_reason_names_the_date_and_the_words() -> None:
    reading = read("No decision yet, you'll hear from us by Friday.")
    assert reading.reason.endswith('promised by 2026-11-20 ("Friday")')


def test_the_language_is_that_of_the_own_words_not_of_the_quote() -> None:
    body = (
        "Gracias, seguimos revisando los perfiles.\n\nOn Mon, Nov 16, 2026 Priya wrote:\n"
        "> Thank you for your time, I really enjoyed the conversation with the team."
    )
    assert read(body, subject="Re: Thank you").language == "es"


# --- cost ----------------------------------------------------------------------------------


def test_importing_the_package_loads_no_rules() -> None:
    code = (
        "import sys, followup.core.reading as r; "
        "print(sorted(m for m in sys.modules if m.startswith('followup.core.reading.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['followup.core.reading.model']"


def test_an_answer_held_until_a_day_is_a_delay_to_that_day() -> None:
    reading = read("The hiring manager is out, so we won't have an answer until next Monday.")
    assert (reading.kind, reading.promised_by) == ("delay", dt.date(2026, 11, 23))


def test_a_bilingual_out_of_office_reads_each_line_in_its_language() -> None:
    reading = read(
        "Je suis absent jusqu'au 04/01.\n\nI'm out of the office until 01/04.",
        sent_at=dt.datetime(2026, 12, 20, 9, 0, tzinfo=CHICAGO),
        automatic=AUTO,
    )
    assert reading.away_until == dt.date(2027, 1, 4)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Estoy de vacaciones. Volveré a la oficina el 4 de enero.", "2027-01-04"),
        ("Ich bin zurück im Büro am 30. November.", "2026-11-30"),
        ("I'm away until Friday and will get back to you on Monday.", "2026-11-20"),
        ("Ich bin in der Zeit vom 21.12. bis 04.01. nicht im Büro.", "2027-01-04"),
    ],
)
def test_return_words_reach_over_a_few_words_but_answering_is_not_returning(
    body: str, expected: str
) -> None:
    reading = read(body, automatic=AUTO)
    assert reading.away_until == dt.date.fromisoformat(expected)


def test_a_next_step_with_a_meeting_date_promises_only_when_they_write() -> None:
    reading = read("Your onsite is on December 3. I'll send the agenda by Monday.")
    assert (reading.kind, reading.promised_by) == ("next_step", dt.date(2026, 11, 23))
