"""From the stored messages to what they mean for each interview: ties, kinds, answers.

The matcher ties each message to an interview (or not) from its header fields and the
signals its text showed; the text facts say what it says. Both were taken when the text
was fetched (``read_new_facts``), so this runs on stored values only — the same for the
daemon, ``status`` and ``explain``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from followup.config import Config
from followup.core.ats import is_ats_domain
from followup.core.matching import at_company, classify, is_contact, is_own, match_all
from followup.core.model import FAR_PAST, Interview, Match, MessageMeta
from followup.core.planner import InterviewFacts
from followup.core.reading import Reading
from followup.core.rounds import Answer
from followup.core.text_facts import TextFacts, facts_key, read_text_facts
from followup.core.threads import ThreadIndex
from followup.holiday_tables import calendar_for
from followup.mailbox import TextWanted
from followup.store import StoredMessage

THANKS_WINDOW = dt.timedelta(days=3)
"""The user's mail this soon after an interview began is taken for their thank-you note."""


@dataclass(frozen=True)
class Verdict:
    """One message: how it ties to an interview, and what it says (None: not read)."""

    meta: MessageMeta
    match: Match
    reading: Reading | None

    @property
    def kind(self) -> str | None:
        """The §2a kind; a tied reply whose text was never read counts as a reply."""
        if self.reading is not None:
            return self.reading.kind
        if self.match.kind == "automatic":
            return "auto_reply" if self.match.concerns else None
        return "reply" if self.match.kind == "reply" else None

    @property
    def is_reply(self) -> bool:
        """An answer tied to an interview (the `interview` of `explain`)."""
        return self.match.kind == "reply" and self.kind not in (None, "auto_reply")


def current_key(config: Config) -> str:
    return facts_key(config.interviews, config.schedule)


def text_wanted(config: Config, threads: ThreadIndex) -> TextWanted:
    """Which new messages a backend fetches a bounded text for: those that may concern an
    interview (a contact, the company's domains, an ATS, a known thread, the user's own
    mail to the company), so cost follows the interviews, not the mailbox."""

    def wanted(meta: MessageMeta) -> bool:
        if threads.lookup(meta) is not None:
            return True
        people = [*meta.reply_to, *([meta.sender] if meta.sender else [])]
        if is_own(meta.sender, config.identity):
            people = list(meta.recipients)
        for person in people:
            if is_ats_domain(person.domain):
                return True
            for iv in config.interviews:
                if is_contact(person, iv) or at_company(person, iv) is not None:
                    return True
        return False

    return wanted


def lazy_text_wanted(config: Config, stored: Callable[[], Sequence[StoredMessage]]) -> TextWanted:
    """``text_wanted`` over the threads of the stored messages, matched on the first
    question only: a sync that brings no mail never runs the rules."""
    found: list[TextWanted] = []

    def wanted(meta: MessageMeta) -> bool:
        if not found:
            found.append(text_wanted(config, verdicts(config, stored())[1]))
        return found[0](meta)

    return wanted


def read_new_facts(config: Config, metas: Sequence[MessageMeta]) -> dict[str, TextFacts]:
    """Text facts of the messages whose text was fetched, by uid (read with today's config)."""
    key = current_key(config)
    cal = calendar_for(config.schedule)
    return {
        m.uid: read_text_facts(m, config.interviews, config.schedule, cal.is_business_day, key)
        for m in metas
        if m.body_excerpt or m.calendar
    }


def _answers_thanks(meta: MessageMeta, iv: Interview, own_by_id: dict[str, MessageMeta]) -> bool:
    for ref in (*meta.in_reply_to, *reversed(meta.references)):
        mine = own_by_id.get(ref)
        if mine is not None and mine.date is not None:
            return iv.started_at <= mine.date <= iv.started_at + THANKS_WINDOW
    return False


def _reading(
    config: Config,
    meta: MessageMeta,
    match: Match,
    facts: TextFacts | None,
    own_by_id: dict[str, MessageMeta],
) -> Reading | None:
    if facts is None:
        return None
    iv = next((i for i in config.interviews if i.id == match.concerns), None)
    return facts.reading_for(iv is not None and _answers_thanks(meta, iv, own_by_id))


def _own_by_id(metas: Sequence[MessageMeta], matches: Sequence[Match]) -> dict[str, MessageMeta]:
    return {
        meta.message_id: meta
        for meta, m in zip(metas, matches, strict=True)
        if m.kind == "own" and meta.message_id
    }


def verdicts(config: Config, stored: Sequence[StoredMessage]) -> tuple[list[Verdict], ThreadIndex]:
    """Every stored message matched, with what its text said (in the order given)."""
    metas = [s.meta for s in stored]
    signals = [s.facts.signals if s.facts is not None else None for s in stored]
    matches, threads = match_all(metas, config.interviews, config.identity, signals=signals)
    own_by_id = _own_by_id(metas, matches)
    out = [
        Verdict(s.meta, m, _reading(config, s.meta, m, s.facts, own_by_id))
        for s, m in zip(stored, matches, strict=True)
    ]
    return out, threads


class Explainer:
    """Judges one more message (``explain``'s file) against everything seen so far, with the
    very rules the daemon uses on the same text."""

    def __init__(self, config: Config, stored: Sequence[StoredMessage]) -> None:
        self.config = config
        found, self.threads = verdicts(config, stored)
        self._own = _own_by_id([v.meta for v in found], [v.match for v in found])

    def verdict(self, meta: MessageMeta) -> Verdict:
        """``meta`` must carry its text (``body_excerpt``, ``calendar``) as a backend hands it."""
        cfg = self.config
        facts = read_new_facts(cfg, [meta]).get(meta.uid)
        signals = facts.signals if facts is not None else None
        match = classify(meta, cfg.interviews, cfg.identity, self.threads, signals)
        return Verdict(meta, match, _reading(cfg, meta, match, facts, self._own))


def _answer(v: Verdict, iv: Interview) -> Answer:
    reading = v.reading
    sender = v.meta.sender
    from_contact = sender is not None and (
        is_contact(sender, iv) or at_company(sender, iv) is not None
    )
    meeting = None
    if reading is not None and reading.invite is not None:
        invite = reading.invite
        if invite.method.upper() == "REQUEST" and invite.start is not None:
            meeting = invite.start
    return Answer(
        meta=v.meta,
        match_reason=v.match.reason,
        kind=v.kind,
        reason=reading.reason if reading is not None else "its text was not read",
        promised_by=reading.promised_by if reading is not None else None,
        away_until=reading.away_until if reading is not None else None,
        meeting=meeting if v.kind == "next_step" else None,
        from_contact=from_contact,
    )


def derive_facts(
    config: Config, stored: Sequence[StoredMessage]
) -> tuple[list[InterviewFacts], list[Verdict], ThreadIndex]:
    """Per interview: the answers in date order, the user's own mail and the conversation."""
    found, threads = verdicts(config, stored)
    answers: dict[str, list[Answer]] = defaultdict(list)
    own: dict[str, list[MessageMeta]] = defaultdict(list)
    convo: dict[str, list[MessageMeta]] = defaultdict(list)
    by_id = {iv.id: iv for iv in config.interviews}
    for v in found:
        iv = by_id.get(v.match.concerns or "")
        if iv is None:
            continue
        if v.match.kind == "own":
            own[iv.id].append(v.meta)
            convo[iv.id].append(v.meta)
            continue
        if v.match.kind in ("reply", "automatic") and v.kind is not None:
            answers[iv.id].append(_answer(v, iv))
        unwanted = v.reading is not None and v.reading.kind in (None, "auto_reply")
        if v.match.kind in ("reply", "company") and not unwanted:
            convo[iv.id].append(v.meta)  # never a receipt, a survey or an out-of-office
    facts = [
        InterviewFacts(
            interview=iv,
            answers=tuple(sorted(answers[iv.id], key=lambda a: a.date)),
            own_messages=tuple(sorted(own[iv.id], key=_date_key)),
            conversation=tuple(sorted(convo[iv.id], key=_date_key)),
        )
        for iv in config.interviews
    ]
    return facts, found, threads


def _date_key(m: MessageMeta) -> dt.datetime:
    return m.date or FAR_PAST
