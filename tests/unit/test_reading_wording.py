"""Other people's wording: each kind said in ways the first fixtures do not use."""

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


def test_thanks_followed_by_facts_is_a_reply_not_a_courtesy() -> None:
    reading = read("Thank you, we use Go and Postgres.", subject="Re: Thank you")
    assert reading.kind == "reply"


def test_a_legal_footer_does_not_turn_a_courtesy_into_a_reply() -> None:
    body = (
        "Thanks, Priya! Great meeting you.\n\nDana\n\nCONFIDENTIALITY NOTICE: This email is "
        "confidential and intended solely for the addressee. If you are not the intended "
        "recipient, please delete it."
    )
    assert read(body, subject="Re: Thank you").kind == "courtesy"


@pytest.mark.parametrize(
    "body",
    [
        "We've decided to proceed with candidates whose experience more closely matches.",
        "We have decided not to extend an offer at this stage.",
        "Leider können wir Ihnen kein Angebot machen.",
        "Nous avons choisi un autre profil pour ce poste.",
        "Hemos optado por otro candidato con más experiencia.",
    ],
)
def test_rejections_in_other_words_are_rejections(body: str) -> None:
    assert read(body).kind == "rejection"


@pytest.mark.parametrize(
    "body",
    [
        "Your interview with Acme has been scheduled for December 1 at 10:00.",
        "Ihr Gespräch ist bestätigt: Dienstag, 1. Dezember, 10 Uhr.",
        "Votre entretien est confirmé pour le mardi 1er décembre.",
        "Tu entrevista ha sido agendada para el martes 1 de diciembre.",
    ],
)
def test_an_interview_confirmation_is_a_next_step(body: str) -> None:
    assert read(body).kind == "next_step"


def test_a_system_generated_next_step_is_still_a_next_step() -> None:
    reading = read(
        "Please complete the questionnaire in your candidate portal.",
        automatic="auto-generated (empty Return-Path)",
    )
    assert reading.kind == "next_step"


def test_a_pitch_for_another_opening_is_not_about_the_candidacy() -> None:
    body = "We have another opening that might be a better fit for you: Senior Data Engineer."
    assert read(body).kind is None


@pytest.mark.parametrize(
    "body",
    [
        "¡Gracias, Andrés! Fue un placer. Le paso tus comentarios a Rodrigo.",
        "Vielen Dank, Herr Kaya! Ich gebe Ihre Nachricht an das Team weiter.",
        "Merci beaucoup, c'était un plaisir d'échanger avec vous. Je transmets à l'équipe.",
        "Thanks Priya, I've passed your note along to the hiring manager.",
    ],
)
def test_thanks_and_passing_the_note_on_is_a_courtesy_in_any_language(body: str) -> None:
    assert read(body, subject="Re: Thank you", replying_to_thank_you=True).kind == "courtesy"


@pytest.mark.parametrize(
    "subject", ["Special offer: 20% off all tents", "Black-Friday-Sonderangebot", "Oferta especial"]
)
def test_a_shop_offer_is_marketing_not_a_job_offer(subject: str) -> None:
    assert read("Hi Priya,\n\nSee what's new inside.", subject=subject).kind is None


def test_a_person_answering_in_an_out_of_office_thread_is_no_auto_reply() -> None:
    reading = read(
        "Thanks, I'm back now. Yes, the role is still open.", subject="Re: Out of office"
    )
    assert reading.kind == "reply"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "Hi Priya, thank you, that's very kind! I've shared your note with the panel.",
            "courtesy",
        ),
        ("Many thanks for your kind words. I'll make sure the team sees them.", "courtesy"),
        ("Dear Priya, thank you for your message. We appreciate your interest.", "courtesy"),
        ("Thanks, Priya. Noted!", "courtesy"),
        ("Hi Priya, sure thing: the team is 8 engineers, mostly Go.", "reply"),
        ("Great question. We're fully remote but meet quarterly in Berlin.", "reply"),
        ("Attached is the benefits summary you requested.", "reply"),
        ("Thanks for reaching out. I've moved to a new company, please contact Dana.", "reply"),
    ],
)
def test_answers_to_the_thank_you_note_are_courtesies_only_when_they_say_nothing(
    body: str, kind: str
) -> None:
    reading = read(body, subject="Re: Thank you", replying_to_thank_you=True)
    assert reading.kind == kind, reading.reason


@pytest.mark.parametrize(
    "body",
    [
        "We're running a bit behind schedule, sorry!",
        "It's taking a little longer than planned.",
        "Our hiring manager is travelling, so expect a delay of about a week.",
        "The decision has been pushed to next week.",
    ],
)
def test_word_of_a_hold_up_is_a_delay(body: str) -> None:
    assert read(body).kind == "delay"


@pytest.mark.parametrize(
    "body",
    [
        "Nous ne donnerons pas suite à votre candidature.",
        "Wir haben uns gegen eine weitere Zusammenarbeit entschieden.",
        "Sie kommen leider nicht in die nächste Runde.",
        "Unfortunately you won't be moving on to the next round.",
        "Malheureusement, vous ne passez pas à l'étape suivante.",
        "Lamentablemente no pasarás a la siguiente etapa.",
    ],
)
def test_not_reaching_the_next_round_is_a_rejection_not_a_next_step(body: str) -> None:
    assert read(body).kind == "rejection"


def test_deciding_against_a_meeting_time_is_no_rejection() -> None:
    reading = read("Wir haben uns gegen einen Termin am Montag entschieden, ginge Dienstag?")
    assert reading.kind == "next_step"


def test_every_word_family_compiles_and_kept_its_repetition_counts() -> None:
    import re

    from followup.core.reading import talk, vocabulary

    families = [f for m in (vocabulary, talk) for f in vars(m).values() if isinstance(f, tuple)]
    for pattern in (p for family in families for p in family):
        re.compile(pattern)
        assert not re.search(r"\(\d+, ?\d+\)", pattern), pattern  # an f-string ate "{0,40}"


@pytest.mark.parametrize(
    "body",
    [
        "Donnez-nous votre avis sur notre processus de recrutement : 3 minutes suffisent.",
        "Vielen Dank! Ihre Bewerbungsunterlagen sind bei uns eingegangen.",
        "Merci d'avoir postulé, votre candidature a bien été reçue.",
        "Gracias por postularte. Tu postulación fue recibida.",
    ],
)
def test_surveys_and_application_receipts_in_other_languages_have_no_kind(body: str) -> None:
    assert read(body).kind is None


def test_thanks_for_the_application_with_a_dated_promise_is_not_a_receipt() -> None:
    reading = read("Merci pour votre candidature, nous reviendrons vers vous d'ici vendredi.")
    assert (reading.kind, reading.promised_by) == ("delay", dt.date(2026, 11, 20))
