"""The message's own words: every quote style and signature the reader must cut away."""

from __future__ import annotations

import pytest

from followup.core.reading import own_text
from followup.core.reading.relay import relayed_words
from followup.core.reading.text import norm, sentences, split_subject

REPLY = "Thanks, we are still deciding."
QUOTED = "Could you let me know by Friday?"


@pytest.mark.parametrize(
    "attribution",
    [
        "On Mon, Nov 16, 2026 at 9:12 AM Priya Raman <priya@example.org> wrote:",
        "On 16 Nov 2026, at 09:12, Priya Raman <priya@example.org> wrote:",
        "Am Mo., 16. Nov. 2026 um 09:12 Uhr schrieb Priya Raman <priya@example.org>:",
        "Le lun. 16 nov. 2026 à 09:12, Priya Raman <priya@example.org> a écrit :",
        "El lun, 16 nov 2026 a las 9:12, Priya Raman (<priya@example.org>) escribió:",
    ],
    ids=["gmail-en", "apple-mail", "gmail-de", "gmail-fr", "gmail-es"],
)
def test_an_attribution_line_and_the_quote_below_it_are_cut(attribution: str) -> None:
    body = f"{REPLY}\n\n{attribution}\n\n> {QUOTED}\n>\n> Priya\n"
    assert own_text(body) == REPLY


def test_an_attribution_wrapped_over_two_lines_is_still_recognised() -> None:
    body = f"{REPLY}\n\nOn Mon, Nov 16, 2026 at 9:12 AM Priya Raman <\npriya@example.org> wrote:\n\n{QUOTED}\n"
    assert own_text(body) == REPLY


def test_an_attribution_without_angle_quotes_cuts_everything_below_it() -> None:
    # HTML turned into text often loses the ">" marks of a blockquote
    body = f"{REPLY}\n\nOn Mon, Nov 16, 2026 at 9:12 AM Priya wrote:\n{QUOTED}\nPriya"
    assert own_text(body) == REPLY


@pytest.mark.parametrize(
    "header",
    [
        "From: Priya Raman <priya@example.org>\nSent: Monday, November 16, 2026 9:12 AM\n"
        "To: Dana Lee <dana@acme.test>\nSubject: Checking in",
        "Von: Priya Raman <priya@example.org>\nGesendet: Montag, 16. November 2026 09:12\n"
        "An: Dana Lee <dana@acme.test>\nBetreff: Nachfrage",
        "De : Priya Raman <priya@example.org>\nEnvoyé : lundi 16 novembre 2026 09:12\n"
        "À : Dana Lee <dana@acme.test>\nObjet : Suivi",
        "De: Priya Raman <priya@example.org>\nEnviado el: lunes, 16 de noviembre de 2026 9:12\n"
        "Para: Dana Lee <dana@acme.test>\nAsunto: Seguimiento",
        "*From:* Priya Raman <priya@example.org>\n*Sent:* Monday, November 16, 2026 9:12 AM",
    ],
    ids=["outlook-en", "outlook-de", "outlook-fr", "outlook-es", "outlook-bold"],
)
def test_an_outlook_header_block_and_the_mail_below_it_are_cut(header: str) -> None:
    body = f"{REPLY}\n\n________________________________\n{header}\n\n{QUOTED}\n"
    assert own_text(body) == REPLY
    assert own_text(f"{REPLY}\n\n{header}\n\n{QUOTED}\n") == REPLY


@pytest.mark.parametrize(
    "separator",
    [
        "-----Original Message-----",
        "----- Ursprüngliche Nachricht -----",
        "-------- Message d'origine --------",
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "---------- Mensaje reenviado ---------",
    ],
)
def test_original_and_forwarded_message_separators_end_the_own_text(separator: str) -> None:
    body = f"{REPLY}\n\n{separator}\nFrom: Priya Raman <priya@example.org>\n\n{QUOTED}"
    assert own_text(body) == REPLY


def test_angle_quoted_lines_are_dropped_and_interleaved_answers_kept() -> None:
    body = (
        "On Mon, Nov 16, 2026 Priya wrote:\n> Is the role remote?\nYes, two days a week.\n"
        "> When will I hear back?\nBy Friday."
    )
    assert own_text(body) == "Yes, two days a week.\nBy Friday."


def test_a_double_dash_signature_is_cut() -> None:
    assert own_text(f"{REPLY}\n-- \nDana Lee\nHead of Talent") == REPLY


def test_a_sign_off_block_with_name_title_and_address_is_cut() -> None:
    body = (
        f"Hi Priya,\n\n{REPLY}\n\nBest regards,\nDana Lee\nHead of Talent | Acme\n"
        "12 Harbour Rd, Leeds\nPlease consider the environment before printing this email."
    )
    assert own_text(body) == f"Hi Priya,\n\n{REPLY}"


@pytest.mark.parametrize(
    "closing", ["Viele Grüße", "Mit freundlichen Grüßen", "Bien cordialement,", "Saludos,"]
)
def test_sign_offs_in_every_language_are_cut(closing: str) -> None:
    assert own_text(f"{REPLY}\n\n{closing}\nDana Lee\nAcme GmbH") == REPLY


def test_a_mobile_signature_is_cut() -> None:
    assert own_text(f"{REPLY}\n\nSent from my iPhone") == REPLY


def test_a_trailing_name_line_is_cut() -> None:
    assert own_text(f"{REPLY}\n\nDana") == REPLY


def test_a_message_that_is_only_thanks_keeps_its_thanks() -> None:
    assert own_text("Hi Priya,\n\nThank you!\n\nDana") == "Hi Priya,\n\nThank you!"


def test_a_google_group_relay_is_read_for_the_persons_words() -> None:
    body = (
        "Hi Priya, we'd like to invite you to a final round.\n\n--\nYou received this message "
        'because you are subscribed to the Google Groups "Hiring" group.\nTo unsubscribe...'
    )
    assert relayed_words("[Hiring] Final round", body) == (
        "Hi Priya, we'd like to invite you to a final round."
    )


def test_a_linkedin_message_notice_is_read_for_the_recruiters_words() -> None:
    body = (
        "Dana Lee just messaged you\n\nHi Priya, are you free for a call on Monday?\n\n"
        "View message\n\nYou are receiving InMail notification emails."
    )
    assert relayed_words("Dana just messaged you", body) == (
        "Hi Priya, are you free for a call on Monday?"
    )


def test_ordinary_mail_is_no_relay() -> None:
    assert relayed_words("Re: Thanks", "Thanks, we'll be in touch.") is None


def test_reply_prefixes_are_stripped_from_the_subject_and_reported() -> None:
    assert split_subject("AW: Re: Ihre Bewerbung") == ("Ihre Bewerbung", True)
    assert split_subject("[EXT] Your offer") == ("Your offer", False)


def test_folding_keeps_positions_so_reasons_can_quote_the_original() -> None:
    original = "Wir melden uns bis Ende nächster Woche – versprochen’s"
    folded = norm(original)
    assert len(folded) == len(original)
    assert "nachster woche - versprochen's" in folded


def test_sentences_never_split_a_german_date() -> None:
    text = "Ich bin bis 27.11. nicht im Büro. Am 10. Dezember bin ich zurück."
    spans = sentences(text, norm(text), [(12, 18), (37, 49)])
    assert [text[a:b] for a, b in spans] == [
        "Ich bin bis 27.11. nicht im Büro.",
        "Am 10. Dezember bin ich zurück.",
    ]


def test_a_trailing_legal_disclaimer_is_cut_but_a_sentence_about_confidentiality_is_not() -> None:
    disclaimer = (
        "This email is confidential and intended solely for the addressee. If you are not "
        "the intended recipient, please delete it."
    )
    assert own_text(f"{REPLY}\n\nDana\n\n{disclaimer}") == REPLY
    kept = "We decided not to move forward. Please keep this confidential."
    assert own_text(f"Hi,\n\n{kept}") == f"Hi,\n\n{kept}"


def test_a_bilingual_sign_off_is_cut() -> None:
    assert own_text(f"{REPLY}\n\nKind regards / Viele Grüße\nDana Lee") == REPLY


def test_an_outlook_header_run_into_one_line_is_still_a_quote() -> None:
    header = (
        "From: Priya Raman <priya@example.org> Sent: Monday, November 16, 2026 9:12 AM To: Dana"
    )
    assert own_text(f"{REPLY}\n\n{header}\n\n{QUOTED}") == REPLY
