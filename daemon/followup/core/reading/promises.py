"""Which named date is a promise (``promised_by``) and which a return date (``away_until``).

A promise is a clause in which *they* say they will write, decide or send something
("we'll get back to you", "wir melden uns", "nous reviendrons vers vous", "te daremos una
respuesta"); its date is the one nearest to those words. A clause that sets the candidate
a deadline ("please submit within 5 days", "sign by December 14") or names a meeting is
never a promise. A return date is the date after "until", "back on", "bis", "zurück am",
"de retour le", "hasta el"…, or the end of a range.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import cache
from typing import NamedTuple

from followup.core.reading.dates import DateHit

# Words of the employer promising to come back: a verb of writing, deciding or sending,
# usually after a future or modal marker. Folded text (see text.norm).
_PROMISE = (
    # English
    r"\b(?:will|'ll|shall|going to|expects?(?: to)?|expecting to|hopes? to|hoping to|aims? to"
    r"|aiming to|plans? to|planning to"
    r"|intends? to|should|anticipate|can|'d like to|would like to|want to)\s+"
    r"(?:(?:be able to|try to|definitely|certainly|also|then|likely|probably|hopefully"
    r"|make sure to|be sure to|aim to|be|have|all|both)\s+)*"
    r"(?:get back|be (?:back )?in touch|touch base|reach out|follow up|circle back|come back"
    r"|update|let you know|send|share|give you|hear|have (?:an? |the |some |more |final )?"
    r"(?:news|answer|update|decision|feedback|response|verdict|outcome|results?|next steps)"
    r"|reach a (?:final )?decision|make (?:a|the|our|their) (?:final )?decision|decide"
    r"|confirm|contact you|write|respond|reply|revert|inform|know more|provide|arrive"
    r"|follow\b|go out|come through|finali[sz]e|reach you|wrap (?:things )?up|conclude"
    r"|need (?:until|till|through))"
    r"|\byou(?:'ll| will| should| can expect to| may| can| would)\s+(?:\w+\s+){0,2}?"
    r"(?:hear|receive|get|have (?:an? |the |our |some )?(?:answer|update|decision|news"
    r"|feedback|response))\b"
    r"|\b(?:decision|answer|update|news|feedback|response|outcome)\s+(?:\w+\s+){0,4}?"
    r"(?:by|within|no later than|before|early|next|on|this|tomorrow|in|until)\b"
    r"|\b(?:will|should) be (?:sent|shared|made|communicated|finali[sz]ed|ready|available)\b"
    # German
    r"|\bmelde[nt]?\b|\bruckmeldung\b|\bbescheid\b|\bzuruck(?:kommen|melden)\b"
    r"|\bkommen? (?:\w+\s+){0,3}auf sie zu\b|\b(?:horen|erhalten|bekommen) sie\b"
    r"|\bsie (?:horen|erhalten|bekommen) (?:\w+\s+){0,4}(?:von uns|von mir|nachricht|antwort)"
    r"|\b(?:schicke|sende|schicken|senden|geben|gebe) (?:ich |wir )?(?:ihnen|dir)\b"
    r"|\binformieren\b|\bzukommen lassen\b|\bentscheidung (?:\w+\s+){0,4}(?:fallen|treffen"
    r"|mitteilen|bis|vorliegen)\b|\b(?:entscheidung|antwort|nachricht)\s+(?:\w+\s+){0,3}?"
    r"(?:bis|innerhalb|binnen|spatestens|in den|nachste)\b|\brechnen (?:\w+\s+){0,2}?mit\b"
    # French
    r"|\brev(?:enir|iendr\w*|iens|enons) vers\b|\brecontact\w*|\btenir inform\w*|\btiendr\w*"
    r" inform\w*|\bvous (?:informer|informerons|communiquer|communiquerons|enverr\w*|envoie"
    r"|envoyer|envoyons|ferons|ferai|donnerons|donnerai|recontacte\w*|repondr\w*|ecri\w*)\b"
    r"|\b(?:ferons|ferai) (?:un )?(?:retour|signe)|\bvous aurez (?:une |notre |des )?"
    r"(?:reponse|nouvelles|retour)|\b(?:reponse|decision) (?:\w+\s+){0,3}(?:d'ici|avant|sous)\b"
    # Spanish
    r"|\bte (?:daremos|dare|damos|doy|escribo|escribire|escribiremos|confirmaremos|confirmo"
    r"|confirmare|contactaremos|contacto|contactare|avisaremos|avisare|aviso|haremos saber"
    r"|hare saber|informaremos|informare|informo|enviaremos|enviare|envio|mando|mandare"
    r"|mandaremos|respondere|responderemos|compartire|compartiremos)\b"
    r"|\b(?:nos|me) pondr(?:emos|e) en contacto\b|\b(?:respuesta|decision|noticias|novedades)"
    r"\s+(?:\w+\s+){0,3}?(?:antes|en|dentro|el|para|a mas tardar|la proxima)\b"
    r"|\btendr(?:emos|e|as) (?:una |la )?"
    r"(?:respuesta|decision|noticias)\b|\bdecision (?:final )?se tomara\b"
)

# The candidate's own deadline or a request to them: never a promise.
_DEADLINE = (
    r"\bplease (?:\w+\s+){0,3}?(?:submit|send|sign|complete|return|reply|respond|confirm|let"
    r"|share|upload|fill|choose|pick|select|book|schedule|review|accept|finish)"
    r"|\b(?:could|can|would) you (?:please )?(?:\w+\s+){0,2}?(?:send|submit|share|confirm|let"
    r"|reply|complete|sign|provide|pick|choose|do|make)\b|\blet (?:us|me) know\b"
    r"|\byou(?:'ll| will)? have (?:\w+\s+){0,2}?(?:days?|weeks?|hours?|until)\b"
    r"|\byou have until\b|\b(?:submit|sign|complete|return|accept|finish)\w* (?:\w+\s+){0,5}?"
    r"(?:by|within|before|no later than)\b|\bdue (?:date|by|on)\b|\bdeadline\b"
    r"|\byour (?:answer|response|decision|reply|availability|signature|feedback)\b"
    r"|\bbitte\b|\b(?:konnten|konnen|wurden) sie\b|\bsie haben (?:\w+\s+){0,2}?(?:tage|wochen"
    r"|zeit)\b|\bfrist\b|\bihre (?:antwort|entscheidung|ruckmeldung|unterschrift)\b"
    r"|\bmerci de\b|\bveuillez\b|\b(?:pourriez|pouvez)-vous\b|\bvous (?:avez|aurez) (?:\w+\s+)"
    r"{0,2}?(?:jours|semaines|jusqu)|\bvotre (?:reponse|decision|signature)\b|\bdate limite\b"
    r"|\bpor favor\b|\b(?:podrias|puedes|podria usted)\b|\btendras (?:\w+\s+){0,2}?(?:dias"
    r"|semanas|horas)\b|\btienes hasta\b|\blimite\b|\bplazo\b|\btu (?:respuesta|decision"
    r"|disponibilidad|firma)\b"
)

_RETURN_BEFORE = (
    r"(?:\b(?:until|till|til|through|thru|back(?: in the office| at work| in office)?(?: on| from)?"
    r"|returning(?: to the office)?(?: on)?|return(?: to the office)?(?: on)?|returns(?: on)?"
    r"|in the office (?:on|from)|available (?:again )?(?:on|from)|bis(?: einschl\w*\.?| inkl\w*\.?"
    r"| zum| zur| und mit| einschliesslich)?|zuruck(?: am| ab)?|wieder (?:im buro|erreichbar|da"
    r"|zuruck)(?: ab| am)?|jusqu'(?:au|a|en)|de retour(?: au bureau)?(?: le| a partir du| lundi)?"
    r"|retour (?:prevu )?le|reviens le|hasta(?: el)?|regreso(?: el)?|de regreso(?: el)?"
    r"|de vuelta(?: el)?|vuelvo el|volvere el|al|au|to)|-)"
    r"\s*,?\s*(?:the\s+|el\s+|le\s+|den\s+|dem\s+|zum\s+|on\s+)?$"
)
# "back in the office on", "zurück im Büro am", "de regreso en la oficina el" (not "get
# back to you on": that is when they answer, not when they return).
_RETURN_GENERIC = (
    r"(?<!get )\b(?:back|return\w*|zuruck|wieder|de retour|reviens|regres\w*|vuelv\w*"
    r"|volver\w*|de vuelta)\b(?!\s+to you)(?:\s+[\w'-]+){0,4}?\s+(?:on|am|le|el|the|ab"
    r"|a partir del?)\s*$"
)
_RETURN_AFTER = r"^[\s,.]*(?:\w+\s+){0,3}?(?:wieder|zuruck|back|de retour|de vuelta|de regreso)\b"
# "I'll reach out to them": a promise to someone else (references, the team).
_THIRD_PARTY = (
    r"^\s*(?:to|with|bei|a|con)\s+(?:them|him|her|both|each|your references|the references"
    r"|the team|the hiring manager|den referenzen|ihren referenzen|vos references|tus referencias)\b"
)
# "after Monday's meeting": an open end, no deadline.
_AFTER_DATE = (
    r"\b(?:after|nach|apres|despues de|despues del|tras)\s+(?:the\s+|our\s+|el\s+|le\s+|dem\s+)?$"
)
_START_BEFORE = r"(?:from|since|starting|ab|seit|vom|du|des|desde|a partir del?)\s*(?:the\s+|dem\s+|el\s+|le\s+)?$"


@cache
def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Promise(NamedTuple):
    """A clause in which they say they will come back: its span, the span of the words
    that say so, and the date it names (None: no date, or only a vague one)."""

    clause: tuple[int, int]
    cue: tuple[int, int]
    hit: DateHit | None


def promises(
    ntext: str, clauses: list[tuple[int, int]], hits: list[DateHit], day0: dt.date | None
) -> list[Promise]:
    """Every promise clause with the date nearest to its words (after them, else before).
    A clause that asks something of the candidate is no promise; a date written with a
    year before day 0 is the past, and "after Monday" is an open end: neither is a date."""
    found: list[Promise] = []
    for start, end in clauses:
        clause = ntext[start:end]
        cues = list(_re(_PROMISE).finditer(clause))
        if not cues or _re(_DEADLINE).search(clause):
            continue
        inside = [
            h
            for h in hits
            if start <= h.start
            and h.end <= end
            and not (day0 and h.form == "date" and h.value < day0)
        ]
        inside = [
            h for h in inside if not _re(_AFTER_DATE).search(ntext[max(0, h.start - 24) : h.start])
        ]
        best: Promise | None = None
        for cue in cues:
            if _re(_THIRD_PARTY).match(clause[cue.end() :]):
                continue
            cue_start, cue_end = start + cue.start(), start + cue.end()
            after = [h for h in inside if h.start >= cue_start]
            before = [h for h in inside if h.end <= cue_start]
            pick = _alternatives(ntext, after) if after else (before[-1] if before else None)
            candidate = Promise((start, end), (cue_start, cue_end), pick)
            if best is None or (
                pick is not None and (best.hit is None or pick.value > best.hit.value)
            ):
                best = candidate  # several cues in one clause: the latest date
        if best is not None:
            found.append(best)
    return found


def _alternatives(ntext: str, hits: list[DateHit]) -> DateHit:
    """The first date, or the latest of "Monday or Tuesday", "Dec 1 - Dec 3" that starts
    with it: a promise means the latest day it can mean."""
    best = hits[0]
    for prev, nxt in itertools.pairwise(hits):
        gap = ntext[prev.end : nxt.start]
        if not re.fullmatch(
            r"\s*(?:,|-|/|or|and|oder|und|ou|et|o|y|bis|to|or at the latest)?\s*", gap
        ):
            break
        best = max(best, nxt, key=lambda h: h.value)
    return best


def promised_by(found: list[Promise]) -> Promise | None:
    """The promise that decides: the latest dated one (never follow up early)."""
    dated = [p for p in found if p.hit is not None]
    return max(dated, key=lambda p: p.hit.value if p.hit else dt.date.min, default=None)


def return_date(ntext: str, hits: list[DateHit], day0: dt.date, away: bool) -> DateHit | None:
    """The date an automatic reply says the sender is back: after a return word, else the
    end of a range, else (``away``: the text says they are away) the latest date named.
    "Within N days" is how long an answer takes, never a return date."""
    usable = [h for h in hits if h.form not in ("span", "business") and h.value >= day0]
    cued: list[DateHit] = []
    for i, hit in enumerate(usable):
        before = ntext[max(0, hit.start - 40) : hit.start]
        after = ntext[hit.end : hit.end + 30]
        if before.rstrip().endswith(("-", " to")) and not (
            i and hit.start - usable[i - 1].end <= 8
        ):
            continue  # "- " or "to" only joins two dates
        if (
            _re(_RETURN_BEFORE).search(before)
            or _re(_RETURN_GENERIC).search(before)
            or _re(_RETURN_AFTER).search(after)
        ):
            cued.append(hit)
    if cued:
        return max(cued, key=lambda h: h.value)
    ranged = [h for h in usable if h.range_end]
    if ranged:
        return max(ranged, key=lambda h: h.value)
    if not away:
        return None
    plain = [
        h for h in usable if not _re(_START_BEFORE).search(ntext[max(0, h.start - 20) : h.start])
    ]
    return max(plain, key=lambda h: h.value) if plain else None
