"""The date grammar's patterns: which phrases name a date, in four languages.

Built from the tables in `lexicon` and compiled on first use. `dates` resolves what
these match; `gates` lets it skip a pattern whose words a text does not even contain.
"""

from __future__ import annotations

import re
from functools import cache

from followup.core.reading import lexicon as lx

_ORD = r"(?:\.|st|nd|rd|th|er|re|ro|º|°)?"


@cache
def _words() -> dict[str, str]:
    months = [w for spellings in lx.MONTHS.values() for w in spellings]
    full = [w for w in months if len(w) >= 4 and w not in ("janv", "fevr", "juil", "sept")]
    weekdays = [w for spellings in lx.WEEKDAYS.values() for w in spellings]
    return {
        "M": f"(?:{lx.alternation(months)})",
        "MF": f"(?:{lx.alternation([*full, 'mai'])})",
        "W": f"(?:{lx.alternation(weekdays)})",
        "N": rf"(?:\d{{1,3}}|{lx.alternation(list(lx.NUMBERS))})",
    }


def _p(template: str) -> re.Pattern[str]:
    return re.compile(template.format(**_words()))


@cache
def explicit() -> list[tuple[str, re.Pattern[str]]]:
    wd = r"(?:(?P<wd>{W})\s*,?\s*(?:the\s+|der\s+|den\s+|le\s+|el\s+)?)?"
    year = r"(?:\s*,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"
    return [
        ("iso", _p(r"(?<![\d/.-])(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)")),
        (
            "range_dm",
            _p(
                r"(?<![\w.])\d{{1,2}}" + _ORD + r"\s*(?:-|bis|au|al|to|until|till|through)\s*"
                r"(?P<d>\d{{1,2}})" + _ORD + r"\s*(?:de\s+|of\s+)?(?P<mn>{M})\b\.?" + year
            ),
        ),
        (
            "range_md",
            _p(
                r"\b(?P<mn>{M})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:-|to|through|until|till)\s*"
                r"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])" + year
            ),
        ),
        (
            "dm",
            _p(
                r"\b"
                + wd
                + r"(?<![\d.])(?P<d>\d{{1,2}}|primero)"
                + _ORD
                + r"\s*(?:de\s+|of\s+)?(?P<mn>{M})\b\.?"
                + year
            ),
        ),
        (
            "md",
            _p(
                r"\b" + wd + r"(?P<mn>{M})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                r"(?![\d:]|\s*(?:am|pm|h)\b)" + year
            ),
        ),
        (
            "num",
            _p(
                r"(?:\b" + wd + r")?(?<![\d./:$€£-])(?P<a>\d{{1,2}})(?P<sep>[./])(?P<b>\d{{1,2}})"
                r"(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?(?P<dot>\.)?(?![\d/]|\.\d)"
            ),
        ),
        ("ordinal", _p(r"\b" + wd + r"the\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)\b")),
    ]


@cache
def relative() -> list[tuple[str, re.Pattern[str]]]:
    next_w = r"(?:nachste[nrs]?|kommende[nrs]?|folgende[nrs]?)"
    return [
        (
            "weekday_next_week",
            _p(
                r"\b(?P<wd>{W})\s+(?:of\s+|der\s+|de la\s+)?(?:next week|" + next_w + r" woche"
                r"|semaine prochaine|(?:proxima|siguiente) semana)\b"
                r"|\b(?:next week|" + next_w + r" woche)\s+(?:on\s+|am\s+)?(?P<wd2>{W})\b"
            ),
        ),
        (
            "week_or_two",
            _p(
                r"\b(?:in|within|over)\s+(?:the\s+)?(?:next\s+|coming\s+)?(?:a\s+)?week or two\b"
                r"|\b(?:sous|dans une) quinzaine\b|\bsous huitaine\b|\b(?P<nf>{N})\s+(?P<uf>days?"
                r"|weeks?|tage|wochen|jours|semaines|dias|semanas)\s+(?:from (?:now|today)|ab heute"
                r"|a partir d'aujourd'hui|a partir de hoy)\b"
            ),
        ),
        ("calendar_week", _p(r"\b(?:kw|kalenderwoche)\s*(?P<kw>\d{{1,2}})\b")),
        ("week_after_next", _p(r"\b(?:the )?week after next\b|\bubernachste[nrs]? woche\b")),
        (
            "next_week",
            _p(
                r"\bthis week or (?:early )?next(?: week)?\b"
                r"|(?:\b(?:early|late|later|mid|middle of|end of|the end of|beginning of|start of"
                r"|sometime|during|over|by|in|within)\s+)*\b(?:the\s+)?(?:next|following|coming)"
                r"\s+week\b(?!s)"
                r"|(?:\b(?:anfang|mitte|ende|im laufe|bis ende|bis anfang)\s+)?\b(?:der\s+)?"
                + next_w
                + r"\s+woche\b"
                r"|(?:\b(?:en |au |d'ici (?:la )?)?(?:debut|milieu|fin|courant) de\s+)?\b(?:la\s+)?"
                r"semaine (?:prochaine|suivante|qui vient)\b"
                r"|(?:\b(?:a |para )?(?:principios|inicios|mediados|finales|fines|fin|final"
                r"|comienzos) de\s+)?\b(?:la\s+)?(?:proxima|siguiente|entrante) semana\b"
                r"|\b(?:la\s+)?semana (?:que viene|proxima|siguiente|entrante)\b"
            ),
        ),
        (
            "this_week",
            _p(
                r"\b(?:(?:by|before|until|at|towards?|around) )?(?:the )?end of (?:the|this) week\b"
                r"|\b(?:later )?this week\b|\bweek's end\b|\bend of (?:the )?week\b"
                r"|\b(?:noch )?(?:in )?diese[rn]? woche\b|\bende (?:der|dieser) woche\b"
                r"|\bim laufe der woche\b|\bbis (?:zum )?wochenende\b"
                r"|\bcette semaine\b|\bfin de (?:la |cette )?semaine\b|\bcourant de (?:la |cette )?"
                r"semaine\b|\besta semana\b|\b(?:fin|final|finales|fines) de (?:esta|la) semana\b"
                r"|\b(?:este|antes del) fin de semana\b"
            ),
        ),
        (
            "next_month",
            _p(
                r"\bnext month\b|\b" + r"(?:nachste[nrs]?|kommende[nrs]?) monat\w*"
                r"|\bmois prochain\b|\b(?:proximo|siguiente) mes\b|\bmes (?:que viene|proximo|entrante)\b"
            ),
        ),
        (
            "this_month",
            _p(
                r"\b(?:the )?end of (?:the|this) month\b|\bmonth[- ]end\b|\b(?:later )?this month\b"
                r"|\bende (?:des|dieses) monats\b|\bmonatsende\b|\b(?:in )?diesem monat\b"
                r"|\bfin (?:du|de ce) mois\b|\bfin de mois\b|\bce mois(?:-ci)?\b"
                r"|\b(?:fin|final|finales|fines) de(?:l| este)? mes\b|\beste mes\b"
            ),
        ),
        (
            "year_end",
            _p(
                r"\b(?:the )?end of (?:the|this) year\b|\byear[- ]end\b|\bjahresende\b"
                r"|\bende (?:des|dieses) jahres\b|\bfin (?:d'|de l')annee\b|\b(?:fin|final|finales)"
                r" de(?:l)? ano\b"
            ),
        ),
        ("christmas", _p(r"\b(?:before christmas|vor weihnachten|avant noel|antes de navidad)\b")),
        (
            "day_after",
            _p(
                r"\bthe day after tomorrow\b|\bubermorgen\b|\bapres-demain\b"
                r"|\bpasado manana\b"
            ),
        ),
        (
            "tomorrow",
            _p(
                r"\btomorrow\b|\bdemain\b"
                r"|(?<!guten )(?<!heute )(?<!am )(?<!jeden )(?<!gestern )(?<!diesen )(?<!den )"
                r"(?<!einen )\bmorgen\b"
                r"|(?<!la )(?<!esta )(?<!cada )(?<!una )\bmanana\b"
            ),
        ),
        (
            "today",
            _p(
                r"\b(?:later )?today\b|\btonight\b|\bthis (?:afternoon|evening)\b|\bend of (?:the )?"
                r"(?:day|business)\b|\beod\b|\bheute\b|\baujourd'hui\b|\bce soir\b|\bhoy\b"
                r"|\besta tarde\b"
            ),
        ),
        (
            "within",
            _p(
                r"\b(?:within|in|over|during|inside|the next|next|the coming|innerhalb|binnen"
                r"|im laufe|spatestens in|in spatestens|dans|sous|d'ici|en|au cours des|durant"
                r"|dentro de|en un plazo de|en un maximo de|durante)"
                r"(?:\s+(?:the|of|von|der|den|les|un delai de|los|las|a|a lo sumo))?"
                r"(?:\s+(?:next|coming|nachsten|kommenden|folgenden|prochain|prochaine|prochains"
                r"|prochaines|proximos|proximas|siguientes))?"
                r"\s+(?P<n>{N})(?:\s*(?:-|to|or|bis|oder|a|ou|o)\s*(?P<n2>{N}))?"
                r"(?:\s+(?:prochains|prochaines|proximos|proximas|siguientes))?"
                r"\s+(?:(?P<biz>business|working|work)\s+)?(?P<unit>days?|weeks?|months?"
                r"|arbeitstag\w*|werktag\w*|geschaftstag\w*|tag(?:e|en)?|woche(?:n)?|monat(?:e|en)?"
                r"|jours? ouvr\w*|jours?|semaines?|mois|dias? (?:habiles|laborables|laborales)"
                r"|dias?|semanas?|mes(?:es)?|hours?|stunden|heures|horas)\b"
                r"(?:\s+or\s+(?P<n3>two|three|so))?"
                r"|\b(?P<nb>{N})\s+(?P<bizb>business|working)\s+days?\b"
            ),
        ),
        (
            "weekday",
            _p(
                r"(?:\b(?P<mod>next|this|coming|last|past|kommenden|nachsten|diesen|letzten"
                r"|vergangenen|ce|proximo|este|pasado)\s+)?\b(?P<wd>{W})\b(?!s\b)"
                r"(?:\s+(?P<post>prochain|dernier|que viene|pasado|proximo))?"
            ),
        ),
        (
            "yesterday",
            _p(
                r"\byesterday\b|\bgestern\b|\bayer\b|\blast week\b|\bletzte woche\b"
                r"|\bsemaine (?:derniere|passee)\b|\bsemana pasada\b"
            ),
        ),
        (
            "month",
            _p(
                r"(?:\b(?:in|by|by the end of|until|till|before|before the end of|end of|the end of"
                r"|early|late|mid|mid-|during|sometime in|through|im|bis|bis ende|ende|anfang|mitte"
                r"|vor|bis anfang|en|fin|debut|courant|mi-|d'ici|d'ici fin|d'ici la fin de|avant"
                r"|avant fin|jusqu'en|a finales de|a principios de|a mediados de|a fines de|para"
                r"|durante|antes de|hasta|for)\s*(?:de\s+|of\s+)?(?P<mn>{MF})\b"
                r"|\b(?P<mn2>{M})\s+(?P<y>\d{{4}}))(?:\s+(?P<y2>\d{{4}}))?"
            ),
        ),
    ]


@cache
def gates() -> dict[str, frozenset[str] | re.Pattern[str]]:
    """What a text must contain for a pattern to be worth a scan: a word of the set, or
    a match of a cheap regex (they begin with a character class, so ``re`` skips fast)."""
    months = frozenset(w for spellings in lx.MONTHS.values() for w in spellings)
    weekdays = frozenset(w for spellings in lx.WEEKDAYS.values() for w in spellings)
    weeks = frozenset({"week", "woche", "semaine", "semana", "wochenende", "weekend"})
    units = frozenset(
        [
            "day",
            "days",
            "week",
            "weeks",
            "month",
            "months",
            "hour",
            "hours",
            "tag",
            "tage",
            "tagen",
            "woche",
            "wochen",
            "monat",
            "monate",
            "monaten",
            "stunden",
            "arbeitstag",
            "arbeitstage",
            "arbeitstagen",
            "werktag",
            "werktage",
            "werktagen",
            "geschaftstag",
            "geschaftstage",
            "geschaftstagen",
            "jour",
            "jours",
            "semaine",
            "semaines",
            "mois",
            "heures",
            "dia",
            "dias",
            "semana",
            "semanas",
            "mes",
            "meses",
            "horas",
        ]
    )
    return {
        "iso": re.compile(r"\d{4}-\d"),
        "range_dm": months, "range_md": months, "dm": months, "md": months,
        "num": re.compile(r"\d[./]\d"),
        "ordinal": re.compile(r"\d(?:st|nd|rd|th)\b"),
        "weekday_next_week": weekdays, "week_after_next": weeks, "next_week": weeks,
        "week_or_two": frozenset({"week", "quinzaine", "huitaine", "from", "heute",
                                  "aujourd'hui", "hoy"}),
        "calendar_week": frozenset({"kw", "kalenderwoche"}),
        "this_week": weeks,
        "next_month": frozenset({"month", "monat", "mois", "mes", "monats"}),
        "this_month": frozenset({"month", "monats", "monatsende", "monat", "mois", "mes"}),
        "year_end": frozenset({"year", "jahresende", "jahres", "annee", "ano"}),
        "christmas": frozenset({"christmas", "weihnachten", "noel", "navidad"}),
        "day_after": frozenset({"tomorrow", "ubermorgen", "demain", "manana"}),
        "tomorrow": frozenset({"tomorrow", "morgen", "demain", "manana"}),
        "today": frozenset(["today", "tonight", "afternoon", "evening", "day", "business", "eod", "heute", "aujourd'hui", "soir", "hoy", "tarde"]),
        "within": units,
        "weekday": weekdays,
        "yesterday": frozenset(["yesterday", "gestern", "ayer", "last", "letzte", "derniere", "passee", "pasada"]),
        "month": months,
    }  # fmt: skip


@cache
def word_re() -> re.Pattern[str]:
    return re.compile(r"[a-zß'-]+")


def worth(kind: str, ntext: str, words: set[str]) -> bool:
    gate = gates().get(kind)
    if gate is None:
        return True
    if isinstance(gate, frozenset):
        return not gate.isdisjoint(words)
    return gate.search(ntext) is not None


@cache
def week_of() -> re.Pattern[str]:
    """ "the week of November 30": that week, not that day."""
    return re.compile(r"(?:week of|semaine du|woche vom|semana del)\s+(?:the\s+)?$")
