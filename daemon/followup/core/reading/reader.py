"""`read_message`: the rules of `kinds` and the dates of `promises`, put together."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from followup.core.reading import kinds, language, promises, relay, talk, text
from followup.core.reading.calendar_part import parse_invite
from followup.core.reading.dates import Context, DateHit, find_dates
from followup.core.reading.model import Reading

# Automatic mail that never says when someone is back (a bounce carries the returned text).
_NOT_AWAY = r"bounce|delivery|receipt|calendar"


def _line_language(original: str, folded: str, default: str) -> Callable[[int], str]:
    """The language of the line at a position when that line says clearly, else ``default``
    (a German signature under an English message keeps "12/11" English)."""

    def at(pos: int) -> str:
        start = folded.rfind("\n", 0, pos) + 1
        end = folded.find("\n", pos)
        end = len(folded) if end < 0 else end
        lang, margin = language.detect(original[start:end], folded[start:end])
        return lang if margin >= 2 else default

    return at


def _when(hit: DateHit, original: str) -> str:
    return f'{hit.value.isoformat()} ("{kinds.quote(original, hit.start, hit.end).rstrip(".,;")}")'


def read_message(
    *,
    subject: str,
    body: str,
    sent_at: dt.datetime | None,
    tz: ZoneInfo,
    is_workday: Callable[[dt.date], bool],
    automatic: str | None = None,
    calendar: str | None = None,
    replying_to_thank_you: bool = False,
) -> Reading:
    """What one message says: its kind, the date it promises an answer by, the date its
    sender is back, and why (see the package docstring).

    ``body`` is plain text (HTML already turned into text), quotes included; ``sent_at``
    its aware Date (None: no dates can be read); ``tz`` the user's zone (day 0 is
    ``sent_at``'s date there); ``is_workday`` the business-day predicate. ``automatic`` is
    what header rules found ("auto-reply (…)", "bulk mail (…)", "bounce (…)", …): bulk and
    list mail reads as kind None, anything else as ``auto_reply``, except a relayed person
    (a Google Group, a LinkedIn message notice), whose words are read. ``calendar`` is a
    text/calendar part; ``replying_to_thank_you`` says the message answers the user's
    thank-you note, which lets a one-line answer be a courtesy."""
    core_subject, reply_subject = text.split_subject(subject)
    relayed = relay.relayed_words(subject, body)
    own, unquoted = text.split_body(body)
    if relayed is not None:
        own = relayed
    folded = text.norm(own)
    sample = own if reply_subject else f"{core_subject}\n{own}"  # a reply's subject is ours
    lang, _ = language.detect(sample, text.norm(sample))
    invite = parse_invite(calendar, tz) if calendar else None
    day0 = sent_at.astimezone(tz).date() if sent_at is not None else None
    hits: list[DateHit] = []
    if day0 is not None:
        ctx = Context(day0, is_workday, _line_language(own, folded, lang))
        hits = find_dates(folded, ctx)
    spans = text.sentences(own, folded, [(h.start, h.end) for h in hits])
    found = promises.promises(folded, spans, hits, day0)
    view = kinds.View(
        text=own,
        ntext=folded,
        subject=core_subject,
        nsubject=text.norm(core_subject),
        reply_subject=reply_subject,
        unquoted=unquoted,
        nunquoted=text.norm(unquoted),
        clauses=tuple(spans),
        promises=tuple(found),
        automatic=automatic,
        relayed=relayed is not None,
        invite=invite,
        thanks_reply=replying_to_thank_you,
    )
    decision = kinds.decide(view)
    reason = decision.reason
    promised: dt.date | None = None
    away: dt.date | None = None
    if decision.kind in ("delay", "next_step") and decision.promise is not None:
        hit = decision.promise.hit
        if hit is not None:
            promised = hit.value
            reason += f"; promised by {_when(hit, own)}"
    elif decision.kind == "delay":
        reason += "; no date named"
    bounced = automatic is not None and re.search(_NOT_AWAY, automatic, re.I) is not None
    if decision.kind == "auto_reply" and day0 is not None and not bounced:
        away_text = kinds.find(talk.OUT_OF_OFFICE, folded) is not None
        back = promises.return_date(folded, hits, day0, away_text or automatic is not None)
        if back is not None:
            away = back.value
            reason += f"; back {_when(back, own)}"
    return Reading(decision.kind, reason, promised, away, lang, invite)
