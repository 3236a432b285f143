"""Which of English, German, French or Spanish a text is written in.

Only numeric dates depend on it ("12/11" is m/d in English, d/m elsewhere), so a cheap
count of function words is enough; every kind rule runs in all four languages anyway,
because messages mix them.
"""

from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("en", "de", "fr", "es")

_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "you",
            "your",
            "we",
            "our",
            "for",
            "with",
            "thank",
            "thanks",
            "will",
            "be",
            "is",
            "are",
            "of",
            "this",
            "that",
            "have",
            "please",
            "would",
            "to",
            "on",
            "it",
            "i",
            "i'm",
            "we'll",
            "we're",
            "as",
            "at",
            "from",
            "an",
            "not",
            "can",
            "let",
            "know",
        ]
    ),
    "de": frozenset(
        [
            "und",
            "der",
            "die",
            "das",
            "sie",
            "ihnen",
            "ihre",
            "ihr",
            "wir",
            "uns",
            "nicht",
            "mit",
            "fur",
            "ist",
            "ein",
            "eine",
            "einen",
            "bei",
            "auf",
            "ich",
            "vielen",
            "dank",
            "noch",
            "zu",
            "den",
            "dem",
            "im",
            "sich",
            "wie",
            "auch",
            "aber",
            "oder",
            "bitte",
            "gerne",
            "freundlichen",
            "grusse",
            "hallo",
            "herr",
            "frau",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "vous",
            "votre",
            "vos",
            "nous",
            "pour",
            "avec",
            "des",
            "est",
            "une",
            "pas",
            "merci",
            "je",
            "du",
            "au",
            "sur",
            "ce",
            "cette",
            "qui",
            "dans",
            "tres",
            "bien",
            "bonjour",
            "sommes",
            "serai",
            "suis",
            "ne",
            "avons",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "y",
            "tu",
            "te",
            "usted",
            "nosotros",
            "para",
            "con",
            "una",
            "por",
            "gracias",
            "es",
            "del",
            "al",
            "muy",
            "estoy",
            "hola",
            "saludos",
            "tus",
            "su",
            "sus",
            "pero",
            "como",
            "esta",
            "estamos",
            "hemos",
            "nos",
        ]
    ),
}
_MARKS: dict[str, str] = {"de": "äöüß", "fr": "çèêàùœëî", "es": "ñ¿¡áíóú"}


@cache
def _word_re() -> re.Pattern[str]:
    return re.compile(r"[a-zß']+")


def scores(text: str, folded: str) -> dict[str, int]:
    """Evidence per language: function words of ``folded`` plus accented letters of ``text``."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for word in _word_re().findall(folded):
        for lang in LANGUAGES:
            if word in _WORDS[lang]:
                counts[lang] += 1
    low = text.lower()
    for lang, marks in _MARKS.items():
        counts[lang] += 2 * sum(low.count(ch) for ch in marks)
    return counts


def detect(text: str, folded: str) -> tuple[str, int]:
    """The most likely language and its margin over the runner-up (0: a guess; English)."""
    counts = scores(text, folded)
    ranked = sorted(LANGUAGES, key=lambda lang: (-counts[lang], LANGUAGES.index(lang)))
    best, second = ranked[0], ranked[1]
    if counts[best] == 0:
        return "en", 0
    return best, counts[best] - counts[second]
