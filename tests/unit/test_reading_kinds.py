"""Each kind of DESIGN §2a in English, German, French and Spanish, and the hard cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from followup.core.reading import Reading, read_message

TZ = ZoneInfo("Europe/Berlin")
SENT = dt.datetime(2026, 11, 18, 10, 0, tzinfo=TZ)  # a Wednesday


def read(body: str, subject: str = "Your application", **extra: object) -> Reading:
    return read_message(
        subject=subject,
        body=body,
        sent_at=SENT,
        tz=TZ,
        is_workday=lambda day: day.weekday() < 5,
        **extra,  # type: ignore[arg-type]
    )


CASES = {
    "rejection": {
        "en": "Thank you for your patience. After careful thought we have decided to move "
        "forward with another applicant whose background is closer to our needs.",
        "de": "Vielen Dank für die Gespräche. Leider haben wir uns für eine andere Kandidatin "
        "entschieden.",
        "fr": "Merci pour votre temps. Nous avons le regret de vous annoncer que votre "
        "candidature n'a pas été retenue.",
        "es": "Gracias por tu tiempo. Lamentablemente hemos decidido continuar con otra "
        "candidata para la posición.",
    },
    "offer": {
        "en": "Great news: we would like to extend you an offer for the Staff Engineer role!",
        "de": "Wir freuen uns sehr, Ihnen die Stelle als Data Engineer anbieten zu können.",
        "fr": "J'ai le plaisir de te proposer le poste de développeuse backend chez nous.",
        "es": "Nos encanta decirte que queremos ofrecerte el puesto de Ingeniera de Datos.",
    },
    "next_step": {
        "en": "The panel enjoyed meeting you. Could you share your availability for a "
        "final round with our CTO next week?",
        "de": "Wir würden Sie gerne zu einem Zweitgespräch mit unserem CTO einladen. Wann "
        "hätten Sie Zeit?",
        "fr": "L'équipe souhaite poursuivre avec un test technique. Quelles sont vos "
        "disponibilités ?",
        "es": "Nos gustaría invitarte a la siguiente etapa: una prueba técnica desde casa.",
    },
    "delay": {
        "en": "Quick update: we haven't made a decision yet and need a bit more time.",
        "de": "Wir haben noch keine Entscheidung getroffen und benötigen noch etwas Zeit.",
        "fr": "Nous n'avons pas encore pris de décision, il nous faut encore un peu de temps.",
        "es": "Todavía no tenemos una decisión; seguimos entrevistando a un par de personas.",
    },
    "courtesy": {
        "en": "Thanks for the lovely note, it was great to meet you too!",
        "de": "Vielen Dank für Ihre nette Nachricht, das Gespräch hat uns auch sehr gefallen.",
        "fr": "Merci pour ton message, j'ai beaucoup apprécié notre échange.",
        "es": "¡Muchas gracias por tu mensaje! Fue un gusto conocerte.",
    },
    "reply": {
        "en": "Good question! We run everything on Postgres 16 and deploy twice a day.",
        "de": "Zur Frage nach dem Stack: Wir nutzen Go und Postgres, deployt wird täglich.",
        "fr": "Pour répondre à ta question : nous utilisons Rust et Kafka en production.",
        "es": "Sobre tu pregunta: usamos Kotlin en Android y Swift en iOS.",
    },
}


@pytest.mark.parametrize(
    ("kind", "lang", "body"),
    [(kind, lang, body) for kind, by_lang in CASES.items() for lang, body in by_lang.items()],
    ids=[f"{kind}-{lang}" for kind, by_lang in CASES.items() for lang in by_lang],
)
def test_each_kind_is_read_in_each_language(kind: str, lang: str, body: str) -> None:
    reading = read(body, replying_to_thank_you=kind == "courtesy")
    assert (reading.kind, reading.language) == (kind, lang), reading.reason


@pytest.mark.parametrize(
    ("body", "auto"),
    [
        ("I am out of the office until Monday, November 23.", None),
        ("Ich bin bis einschließlich 23.11. nicht im Büro.", None),
        ("Je suis absente jusqu'au 23 novembre.", None),
        ("Estoy de vacaciones hasta el lunes 23 de noviembre.", None),
        ("Back on Monday!", "auto-reply (Auto-Submitted: auto-replied)"),
    ],
)
def test_out_of_office_in_each_language_is_an_auto_reply_with_its_return(
    body: str, auto: str | None
) -> None:
    reading = read(body, automatic=auto)
    assert (reading.kind, reading.away_until) == ("auto_reply", dt.date(2026, 11, 23))


def test_unfortunately_a_day_does_not_work_is_a_next_step_not_a_rejection() -> None:
    reading = read("Unfortunately Tuesday doesn't work for Sam, could we do Thursday instead?")
    assert reading.kind == "next_step"


@pytest.mark.parametrize(
    "body",
    [
        "Leider passt Dienstag nicht – ginge auch Donnerstag um 14 Uhr?",
        "Malheureusement mardi ne convient pas ; seriez-vous disponible jeudi ?",
        "Lamentablemente el martes no puedo, ¿te vendría bien el jueves?",
    ],
)
def test_the_same_scheduling_regret_in_other_languages_is_a_next_step(body: str) -> None:
    assert read(body).kind == "next_step"


def test_we_wont_be_moving_forward_at_this_time_is_a_rejection() -> None:
    reading = read("Sadly, we won't be moving forward at this time.")
    assert reading.kind == "rejection"
    assert "won't be moving forward" in reading.reason


def test_an_offer_pending_references_is_an_offer() -> None:
    assert read("We'd like to extend an offer, pending references.").kind == "offer"


@pytest.mark.parametrize(
    "body",
    [
        "We'd like to offer you a second conversation with our VP.",
        "We would love to offer you a final interview next week.",
    ],
)
def test_offering_another_conversation_is_a_next_step_not_an_offer(body: str) -> None:
    assert read(body).kind == "next_step"


def test_offering_the_role_to_another_candidate_is_a_rejection() -> None:
    assert read("We have decided to offer the role to another candidate.").kind == "rejection"


def test_thanks_with_a_dated_promise_is_a_delay_with_that_date() -> None:
    reading = read("Thanks! We'll be in touch by the end of next week.", subject="Re: Thank you")
    assert (reading.kind, reading.promised_by) == ("delay", dt.date(2026, 11, 27))


def test_thanks_we_will_be_in_touch_without_a_date_or_a_hold_up_is_a_courtesy() -> None:
    assert read("Thanks, we'll be in touch.", subject="Re: Thank you").kind == "courtesy"


def test_a_one_line_answer_to_the_thank_you_note_is_a_courtesy() -> None:
    reading = read("Likewise, Priya!", subject="Re: Thank you", replying_to_thank_you=True)
    assert reading.kind == "courtesy"


def test_the_same_line_without_the_thank_you_context_stays_a_reply() -> None:
    assert read("Likewise, Priya!", subject="Re: Lunch").kind == "reply"


def test_an_answer_about_an_existing_offer_is_a_reply() -> None:
    reading = read(
        "Good questions: the signing bonus is paid with the first salary, and January 11 "
        "works as a start date. I'll make sure it is in the written offer.",
        subject="Re: Your offer",
    )
    assert reading.kind == "reply"


def test_feedback_after_a_rejection_is_a_reply() -> None:
    reading = read(
        "As promised, here is the panel's feedback: we decided not to move forward mainly "
        "because of the system design round.",
        subject="Re: Your application",
    )
    assert reading.kind == "reply"


def test_an_answer_to_a_question_is_a_reply_even_with_thanks() -> None:
    reading = read(
        "Thanks for the note! To answer your question: yes, on-call rotates weekly.",
        subject="Re: Thank you",
        replying_to_thank_you=True,
    )
    assert reading.kind == "reply"


def test_when_in_doubt_a_persons_message_is_a_reply() -> None:
    assert read("Saw your talk at the meetup, Sam says hi.").kind == "reply"


@pytest.mark.parametrize(
    "body",
    [
        "Good news: your order #RO-5521 has shipped. Track your package here.",
        "How was your interview? Take our 2-minute candidate experience survey.",
        "Wie war Ihr Bewerbungsprozess? Zur Umfrage geht es hier.",
        "I came across your profile and one of my clients is hiring a Staff Engineer.",
        "Connaîtriez-vous quelqu'un dans votre réseau pour notre poste de Data Engineer ?",
        "¿Conoces a alguien en tu red que busque trabajo como diseñador?",
        "Thank you for applying to the Analytics Engineer position. We have received your "
        "application.",
    ],
    ids=["receipt", "survey-en", "survey-de", "pitch", "referral-fr", "referral-es", "applied"],
)
def test_company_mail_that_is_not_about_the_candidacy_has_no_kind(body: str) -> None:
    assert read(body).kind is None


def test_a_rejection_that_invites_to_apply_elsewhere_is_still_a_rejection() -> None:
    body = (
        "We decided not to move forward with your application. You might like our open "
        "Analytics Engineer role, do you know anyone else who would?"
    )
    assert read(body).kind == "rejection"


def test_marketing_without_list_headers_has_no_kind() -> None:
    body = "Our December product news!\n\n--\nUnsubscribe: https://news.acme.test/u"
    assert read(body).kind is None


def test_a_calendar_request_is_a_next_step() -> None:
    ics = (
        "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nDTSTART:20261201T150000Z\n"
        "SUMMARY:Final round\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    reading = read("You have been invited to the following event.", calendar=ics)
    assert reading.kind == "next_step"
    assert reading.invite is not None and reading.invite.method == "REQUEST"


def test_a_quoted_request_from_the_user_is_not_read() -> None:
    body = (
        "Hi Priya, thanks for your patience.\n\nOn Mon, Nov 16, 2026 at 9:00 AM Priya "
        "<priya@example.org> wrote:\n> We'd love to extend an offer? Could you let me know "
        "by Friday?"
    )
    reading = read(body, subject="Re: Checking in")
    assert reading.kind != "offer"
    assert reading.promised_by is None
