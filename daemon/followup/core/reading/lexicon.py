"""Calendar words of the four languages, written in the folded form `text.norm` produces.

Data only: the grammar in `dates` builds its patterns from these tables, so adding a
language or a spelling is one line here and not a new rule.
"""

from __future__ import annotations

# month number -> spellings (lower case, accents folded, abbreviations without the dot)
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "janner", "janvier", "janv", "enero", "ene"),
    2: ("february", "feb", "februar", "feber", "fevrier", "fevr", "fev", "febrero"),
    3: ("march", "mar", "marz", "maerz", "mars", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo"),
    6: ("june", "jun", "juni", "juin", "junio"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio"),
    8: ("august", "aug", "aout", "agosto", "ago"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "dezember", "dez", "decembre", "diciembre", "dic"),
}

# Spellings that are also everyday words: a month only next to a day number or a year.
AMBIGUOUS_MONTHS = frozenset({"mar", "may", "jun", "jul", "ago", "sep", "ene", "dic", "abr", "dez"})

# weekday number (Monday = 0) -> spellings
WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "lundi", "lunes"),
    1: ("tuesday", "dienstag", "mardi", "martes"),
    2: ("wednesday", "mittwoch", "mercredi", "miercoles"),
    3: ("thursday", "donnerstag", "jeudi", "jueves"),
    4: ("friday", "freitag", "vendredi", "viernes"),
    5: ("saturday", "samstag", "sonnabend", "samedi", "sabado"),
    6: ("sunday", "sonntag", "dimanche", "domingo"),
}

# Small numbers as words. "a couple", "a few", "ein paar", "quelques", "unos" are vague on
# purpose and absent: DESIGN §2a reads them as no date.
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4,
    "funf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "vierzehn": 14,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "quinze": 15,
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "quince": 15,
}  # fmt: skip

# French counts days inclusively: "huit jours" is a week, "quinze jours" two.
FRENCH_DAY_IDIOMS: dict[int, int] = {8: 7, 15: 14}


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of plain words, longest first so that prefixes never win."""
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


def month_number(word: str) -> int | None:
    for number, spellings in MONTHS.items():
        if word in spellings:
            return number
    return None


def weekday_number(word: str) -> int | None:
    for number, spellings in WEEKDAYS.items():
        if word in spellings:
            return number
    return None


def number_value(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)
