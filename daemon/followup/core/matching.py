"""Decide whether a message is a genuine reply from a company the user interviewed with.

Pure: a message, the interviews, the user's identity and the thread knowledge in, a
``Match`` with a human sentence out. Rules are general (headers, domains, thread links,
ATS conventions), never lists of particular companies: a false "reply" silently cancels a
follow-up, a missed one writes an unwanted draft, so every verdict explains itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from followup.core.ats import (
    company_named_in,
    domain_matches,
    is_ats_domain,
    is_free_mail,
    same_person_name,
    sender_names_company,
)
from followup.core.automatic import is_automatic
from followup.core.model import FAR_PAST, Address, Identity, Interview, Match, MessageMeta
from followup.core.signals import TextSignals, read_signals
from followup.core.text import is_forward_subject
from followup.core.threads import ThreadIndex

# --- identity and company knowledge -------------------------------------------------


def normalize_address(email: str) -> str:
    """Lower-cased address without a ``+tag``: how "the same mailbox" is compared."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local:
        return email.strip().lower()
    return f"{local.split('+', 1)[0]}@{domain.rstrip('.')}"


def is_own(address: Address | None, identity: Identity) -> bool:
    if address is None:
        return False
    mine = {normalize_address(a) for a in identity.addresses()}
    return normalize_address(address.email) in mine


def company_domains(interview: Interview) -> tuple[str, ...]:
    """The configured domains, else the contacts' ones; never free-mail or ATS domains."""
    listed = interview.domains or tuple(c.domain for c in interview.contacts)
    seen: dict[str, None] = {}
    for domain in listed:
        d = domain.strip().lower().lstrip("@").rstrip(".")
        if d and not is_free_mail(d) and not is_ats_domain(d):
            seen.setdefault(d, None)
    return tuple(seen)


def is_contact(address: Address, interview: Interview) -> bool:
    email = normalize_address(address.email)
    return any(normalize_address(c.email) == email for c in interview.contacts)


def at_company(address: Address, interview: Interview) -> str | None:
    """The company domain ``address`` belongs to (exact or subdomain), or None."""
    for domain in company_domains(interview):
        if domain_matches(address.domain, domain):
            return domain
    return None


# --- evidence -----------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why a message ties to an interview; higher ``strength`` wins."""

    interview: Interview
    strength: int
    why: str


THREAD, CONTACT, DOMAIN, ATS_STRONG, ATS_SUBJECT, ATS_BODY = 60, 50, 40, 30, 20, 10


def evidence(
    msg: MessageMeta, interview: Interview, threads: ThreadIndex, signals: TextSignals
) -> Evidence | None:
    """The strongest tie between ``msg`` and ``interview``, if any."""
    sender = msg.sender
    linked = threads.lookup(msg)
    if linked == interview.id:
        who = sender.email if sender else "an unknown sender"
        return Evidence(
            interview, THREAD, f"{who} wrote in a thread exchanged with {_name(interview)}"
        )
    if sender is None:
        return None
    if is_contact(sender, interview):
        return Evidence(interview, CONTACT, f"sender {sender.email} is a contact of {interview.id}")
    domain = at_company(sender, interview)
    if domain is not None:
        where = "" if sender.domain == domain else f" (a subdomain of {domain})"
        return Evidence(
            interview, DOMAIN, f"sender {sender.email} is at a domain of {_name(interview)}{where}"
        )
    if is_ats_domain(sender.domain):
        return _ats_evidence(msg, sender, interview, signals)
    return None


def _ats_evidence(
    msg: MessageMeta, sender: Address, interview: Interview, signals: TextSignals
) -> Evidence | None:
    system = sender.domain
    named = sender_names_company(sender.name, sender.email, interview.company)
    if named == "named":
        return Evidence(
            interview,
            ATS_STRONG,
            f"applicant-tracking mail ({system}) sent for {interview.company}",
        )
    for contact in interview.contacts:
        if contact.name and same_person_name(sender.name, contact.name):
            return Evidence(
                interview,
                ATS_STRONG,
                f"applicant-tracking mail ({system}) in the name of contact {contact.name}",
            )
    for addr in msg.reply_to:
        if is_contact(addr, interview) or at_company(addr, interview):
            return Evidence(
                interview,
                ATS_STRONG,
                f"applicant-tracking mail ({system}) with Reply-To {addr.email} at "
                f"{_name(interview)}",
            )
    if company_named_in(msg.subject, interview.company) is not None:
        return Evidence(
            interview,
            ATS_SUBJECT,
            f"applicant-tracking mail ({system}) whose subject names {interview.company}",
        )
    if named == "other" and company_named_in(msg.subject, sender.name) is not None:
        return None  # mail about the sender's own (other) company: a body mention is not enough
    mention = signals.mention(interview.id)
    pos = mention.company_at if mention is not None else None
    if pos is not None:
        # Earlier mentions are stronger: the company an ATS mail is about comes first.
        return Evidence(
            interview,
            ATS_BODY - min(pos // 500, 5),
            f"applicant-tracking mail ({system}) whose text names {interview.company}",
        )
    return None


def _name(interview: Interview) -> str:
    return interview.company or interview.id


def _day(when: dt.datetime) -> str:
    return when.date().isoformat()


# --- classification -----------------------------------------------------------------


def best_evidence(
    msg: MessageMeta,
    interviews: Sequence[Interview],
    threads: ThreadIndex,
    signals: TextSignals | None = None,
) -> tuple[Evidence | None, list[Evidence]]:
    """The winning tie and every other interview that also had one."""
    text = signals if signals is not None else read_signals(msg, interviews)
    found = [e for iv in interviews if (e := evidence(msg, iv, threads, text)) is not None]
    if not found:
        return None, []

    def rank(e: Evidence) -> tuple[int, int, int, int, float]:
        started = e.interview.started_at
        eligible = msg.date is None or msg.date >= started
        # Among equal evidence prefer an interview the message can answer, then the one
        # whose role or company it names, then the most recent interview.
        return (
            e.strength,
            int(eligible),
            int(_mentions_role(msg, e.interview, text)),
            _mentions_company(msg, e.interview, text),
            started.timestamp(),
        )

    found.sort(key=rank, reverse=True)
    return found[0], found[1:]


def _mentions_company(msg: MessageMeta, interview: Interview, signals: TextSignals) -> int:
    if company_named_in(msg.subject, interview.company) is not None:
        return 2
    mention = signals.mention(interview.id)
    return int(mention is not None and mention.company_at is not None)


def _mentions_role(msg: MessageMeta, interview: Interview, signals: TextSignals) -> bool:
    role = interview.role.strip().lower()
    if not role:
        return False
    mention = signals.mention(interview.id)
    return role in msg.subject.lower() or (mention is not None and mention.role)


def classify(
    msg: MessageMeta,
    interviews: Sequence[Interview],
    identity: Identity,
    threads: ThreadIndex,
    signals: TextSignals | None = None,
) -> Match:
    """Classify one message; always returns a Match with a reason, never raises.

    ``signals`` are what its text showed; without them they are read from the message's
    own ``body_excerpt`` (empty when its text was never fetched)."""
    try:
        text = signals if signals is not None else read_signals(msg, interviews)
        return _classify(msg, interviews, identity, threads, text)
    except Exception as exc:  # a classification bug must not stop a sync
        return Match("unrelated", None, f"not a reply: could not be classified ({exc!r})")


def _classify(
    msg: MessageMeta,
    interviews: Sequence[Interview],
    identity: Identity,
    threads: ThreadIndex,
    signals: TextSignals,
) -> Match:
    if is_own(msg.sender, identity):
        return _own(msg, interviews, threads, signals)
    automatic = is_automatic(msg, signals)
    if automatic is not None:
        tied, _ = best_evidence(msg, interviews, threads, signals)
        concerns = tied.interview.id if tied is not None else None
        return Match("automatic", None, f"not a reply: {automatic}", concerns)
    best, others = best_evidence(msg, interviews, threads, signals)
    if best is None:
        return _unrelated(msg, interviews)
    interview = best.interview
    sender = msg.sender
    from_company = sender is not None and (
        is_contact(sender, interview) or at_company(sender, interview) is not None
    )
    forwarded = is_forward_subject(msg.subject) or signals.forwarded
    if forwarded and not from_company:
        who = sender.email if sender else "someone"
        return Match("unrelated", None, f"not a reply: {who} forwarded an older message")
    if best.strength <= DOMAIN:
        if signals.acknowledgement:
            return Match(
                "company", interview.id, f"not a reply: application acknowledgement ({best.why})"
            )
        if signals.job_alert:
            return Match("company", interview.id, f"not a reply: a job alert ({best.why})")
    if best.strength == DOMAIN and signals.newsletter:
        return Match(
            "company",
            interview.id,
            f"not a reply: a newsletter or marketing mail (unsubscribe link; {best.why})",
        )
    extra = _alternatives(best, others)
    if msg.date is not None and msg.date < interview.started_at:
        return Match(
            "company",
            interview.id,
            f"not a reply: dated {_day(msg.date)}, before the interview with "
            f"{_name(interview)} on {_day(interview.started_at)} ({best.why}){extra}",
        )
    undated = " (undated)" if msg.date is None else ""
    return Match("reply", interview.id, f"reply{undated}: {best.why}{extra}")


def _alternatives(best: Evidence, others: list[Evidence]) -> str:
    if not others:
        return ""
    names = ", ".join(
        sorted({o.interview.id for o in others if o.interview.id != best.interview.id})
    )
    if not names:
        return ""
    if all(o.strength < best.strength for o in others):
        return f"; chosen over {names}, which had only weaker evidence"
    return f"; also tied to {names}, chose {best.interview.id} as the better fit"


def _own(
    msg: MessageMeta, interviews: Sequence[Interview], threads: ThreadIndex, signals: TextSignals
) -> Match:
    linked = threads.lookup(msg)
    for iv in interviews:
        if linked == iv.id:
            return Match(
                "own", iv.id, f"not a reply: the user's own mail, in a thread with {_name(iv)}"
            )
    candidates: list[tuple[tuple[int, int, int, int, float], Interview, str]] = []
    for iv in interviews:
        for rcpt in msg.recipients:
            contact = is_contact(rcpt, iv)
            if contact or at_company(rcpt, iv) is not None:
                started = iv.started_at
                eligible = msg.date is None or msg.date >= started
                key = (
                    int(contact),
                    int(eligible),
                    int(_mentions_role(msg, iv, signals)),
                    _mentions_company(msg, iv, signals),
                    started.timestamp(),
                )
                candidates.append((key, iv, rcpt.email))
                break
    if not candidates:
        return Match("own", None, "not a reply: the user's own mail")
    candidates.sort(key=lambda c: c[0], reverse=True)
    _, iv, email = candidates[0]
    return Match("own", iv.id, f"not a reply: the user's own mail to {email} at {_name(iv)}")


def _unrelated(msg: MessageMeta, interviews: Sequence[Interview]) -> Match:
    sender = msg.sender
    if sender is None:
        return Match("unrelated", None, "not a reply: the message has no sender")
    starts = [iv.started_at for iv in interviews]
    if msg.date is not None and starts and msg.date < min(starts):
        return Match(
            "early",
            None,
            f"not a reply: dated {_day(msg.date)}, before every tracked interview, "
            f"and {sender.email} is not tied to any of them",
        )
    if is_ats_domain(sender.domain):
        label = f' "{sender.name}"' if sender.name else ""
        return Match(
            "unrelated",
            None,
            f"not a reply: applicant-tracking mail from {sender.email}{label} "
            "that names none of the tracked companies",
        )
    return Match(
        "unrelated",
        None,
        f"not a reply: {sender.email} is not a contact, domain or thread of any tracked interview",
    )


# --- a whole mailbox ----------------------------------------------------------------


def _learn(match: Match, msg: MessageMeta, threads: ThreadIndex) -> None:
    if match.interview_id is None or match.kind not in ("reply", "own", "company"):
        return
    if msg.message_id:
        threads.add(msg.message_id, match.interview_id)
    if msg.thread_id:
        threads.add_thread(msg.thread_id, match.interview_id)


def match_all(
    messages: Sequence[MessageMeta],
    interviews: Sequence[Interview],
    identity: Identity,
    threads: ThreadIndex | None = None,
    signals: Sequence[TextSignals | None] | None = None,
) -> tuple[list[Match], ThreadIndex]:
    """Classify a whole mailbox (Sent and watched folders); results align with the input.

    Messages are taken in date order so the user's mail and the company's earlier mail
    are known before the replies that reference them; a second pass catches references to
    messages whose Date header was later than their reply's (clock skew). ``signals``,
    aligned with ``messages``, are what each one's text showed (None: read its excerpt).
    """
    index = threads if threads is not None else ThreadIndex()
    text: Sequence[TextSignals | None] = signals if signals is not None else [None] * len(messages)
    far_past = FAR_PAST
    order = sorted(range(len(messages)), key=lambda i: (messages[i].date or far_past, i))
    results: list[Match | None] = [None] * len(messages)
    for _ in range(2):
        before = len(index)
        for i in order:
            match = classify(messages[i], interviews, identity, index, text[i])
            _learn(match, messages[i], index)
            results[i] = match
        if len(index) == before:
            break
    return [m for m in results if m is not None], index
