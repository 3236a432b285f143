"""Decide whether a message is a genuine reply from a company the user interviewed with.

Pure: a message, the interviews, the user's identity and the thread knowledge in, a
``Match`` with a human sentence out. Rules are general (headers, domains, thread links,
ATS conventions), never lists of particular companies: a false "reply" silently cancels a
follow-up, a missed one writes an unwanted draft, so every verdict explains itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from followup.ats import (
    application_acknowledgement,
    company_named_in,
    domain_matches,
    is_ats_domain,
    is_free_mail,
    job_alert,
    same_person_name,
    sender_names_company,
)
from followup.config import Identity, Interview
from followup.model import FAR_PAST, Address, Match, MessageMeta
from followup.parsing import bare_id

# --- automatic mail -----------------------------------------------------------------

_PREFIX_RE = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|antw|ref|tr|wg|fw|fwd|r|rif|odp|res|rv|vá|ynt)\s*(?:\[\d+\])?\s*:"
    r"|\[[^\]]{0,40}\]|\([^)]{0,40}\))\s*",
    re.IGNORECASE,
)
_FORWARD_RE = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|doorst|vs|i)\s*:", re.IGNORECASE)
_OOO_SUBJECT_RE = re.compile(
    r"^(?:out of (?:the )?office|ooo\b|automatic reply|auto(?:matic)?[- ]?(?:reply|response)"
    r"|autoreply|autosvar|auto[- ]?antwort|automatische antwort|abwesenheit|abwesend"
    r"|réponse automatique|reponse automatique|absence|absent\b|respuesta autom[aá]tica"
    r"|fuera de (?:la )?oficina|ausente|risposta automatica|fuori (?:sede|ufficio)|assente"
    r"|automatisch antwoord|afwezig|niet aanwezig|fr[aå]nvaro|frånvarande|fraværende"
    r"|poza biurem|automatyczna odpowied[zź]|resposta autom[aá]tica|fora do escrit[oó]rio"
    r"|away\b(?!\s+day)|on (?:vacation|holiday|leave|annual leave)\b|vacation\b|holiday notice"
    r"|annual leave|urlaub|vacances|cong[ée]s|vacaciones|ferie|"
    r"自動返信|自動応答|不在|自动回复|自動回覆|автоответ|нет в офисе|отпуск)",
    re.IGNORECASE,
)
_OOO_BODY_RE = re.compile(
    r"\b(?:(?:i am|i'm|i’m|i will be|i'll be|i’ll be)\s+(?:currently\s+|presently\s+)?"
    r"(?:out of (?:the )?office|away from (?:the )?office|on (?:annual |parental |sick )?leave"
    r"|on vacation|on holiday|away until|out until)"
    r"|limited access to (?:my )?e-?mails?|(?:currently|presently) out of (?:the )?office"
    r"|this is an automatic(?:ally generated)? (?:reply|response|message)"
    r"|bin (?:derzeit |zurzeit )?(?:nicht im büro|abwesend))",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT_RE = re.compile(
    r"(?:undeliver(?:able|ed)|delivery status notification|delivery (?:has )?fail|"
    r"failure notice|returned mail|mail delivery (?:failed|system)|delayed mail|"
    r"could not be delivered|delivery delayed|nicht zustellbar|non remis|"
    r"unzustellbar|message not delivered)",
    re.IGNORECASE,
)
_BOUNCE_LOCAL_RE = re.compile(r"^(?:mailer-daemon|mail-daemon|postmaster|mailerdaemon)$")
_BULK_LOCAL_RE = re.compile(r"^(?:newsletters?|news|marketing|digest|promotions?|updates)$")
_RECEIPT_RE = re.compile(
    r"^(?:read|not read|delivered|gelesen|ungelesen|lu|leído|letto|gelezen|läst|luettu)\s*:",
    re.IGNORECASE,
)
_CALENDAR_RESPONSE_RE = re.compile(
    r"^(?:accepted|declined|tentative(?:ly accepted)?|angenommen|abgelehnt|mit vorbehalt"
    r"|accepté|refusé|provisoire|aceptado|rechazado)\s*:",
    re.IGNORECASE,
)
_FORWARDED_BODY_RE = re.compile(
    r"-{3,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)"
    r"|begin forwarded message:",
    re.IGNORECASE,
)
_NEWSLETTER_BODY_RE = re.compile(
    r"\bunsubscribe\b|view (?:this (?:e-?mail|message) )?in (?:your |a )?browser|"
    r"manage (?:your )?(?:e-?mail )?preferences",
    re.IGNORECASE,
)


def strip_prefixes(subject: str) -> str:
    """The subject without reply/forward prefixes and leading [tags]."""
    previous = None
    while previous != subject:
        previous = subject
        subject = _PREFIX_RE.sub("", subject, count=1)
    return subject.strip()


def _fmt_header(name: str, value: str) -> str:
    return f"{name}: {value[:60]}"


def is_automatic(msg: MessageMeta) -> str | None:
    """Why ``msg`` is machine-sent (auto-reply, bounce, bulk) and so never a reply; or None."""
    sender = msg.sender.email if msg.sender else ""
    local = sender.partition("@")[0]
    ats = is_ats_domain(sender.rpartition("@")[2]) if sender else False
    auto = (msg.header("auto-submitted") or "").strip()
    auto_kind = auto.split(";", 1)[0].strip().lower()
    # Everything an ATS sends is generated; only its auto-*replies* say nothing.
    if auto and auto_kind != "no" and not (ats and auto_kind == "auto-generated"):
        kind = "bounce" if _is_bounce(msg, local) else "auto-reply"
        return f"{kind} ({_fmt_header('Auto-Submitted', auto)})"
    if _is_bounce(msg, local):
        return "bounce (delivery status notification)"
    for name in ("x-autoreply", "x-autorespond", "x-autogenerated"):
        value = msg.header(name)
        if value is not None and value.strip().lower() not in ("no", "false", "0"):
            return f"auto-reply ({_fmt_header(name.title(), value)})"
    for name in ("precedence", "x-precedence"):
        value = (msg.header(name) or "").strip().lower()
        if value in ("auto_reply", "auto-reply", "autoreply"):
            return f"auto-reply ({_fmt_header('Precedence', value)})"
        if value in ("bulk", "list", "junk"):
            return f"bulk mail ({_fmt_header('Precedence', value)})"
    if msg.header("list-id"):
        return f"mailing-list mail ({_fmt_header('List-Id', msg.header('list-id') or '')})"
    if msg.header("list-unsubscribe") and not ats and not msg.in_reply_to:
        return "bulk mail (has List-Unsubscribe)"
    if (msg.header("return-path") or "").strip() == "<>":
        return "auto-generated (empty Return-Path)"
    topic = strip_prefixes(msg.subject)
    untagged = re.sub(r"^[\s\[\(]+", "", msg.subject)
    if _OOO_SUBJECT_RE.match(topic) or _OOO_SUBJECT_RE.match(untagged):
        return f'out-of-office reply (subject "{msg.subject[:60]}")'
    if _RECEIPT_RE.match(untagged):
        return f'read or delivery receipt (subject "{msg.subject[:60]}")'
    if _CALENDAR_RESPONSE_RE.match(untagged):
        return f'calendar response, not a message (subject "{msg.subject[:60]}")'
    opening = msg.body_excerpt[:400]
    if opening and len(_own_text(msg.body_excerpt)) < 700 and _OOO_BODY_RE.search(opening):
        return "out-of-office reply (its text says the sender is away)"
    if _BULK_LOCAL_RE.match(local):
        return f"bulk mail (sent from the {local}@ mailbox)"
    if ats and job_alert(msg.subject, msg.body_excerpt):
        return "job alert from an applicant-tracking system"
    return None


def _is_bounce(msg: MessageMeta, local: str) -> bool:
    if _BOUNCE_LOCAL_RE.match(local):
        return True
    if msg.content_type == "multipart/report" or msg.header("x-failed-recipients"):
        return True
    return bool(_BOUNCE_SUBJECT_RE.search(msg.subject)) and (not local or "daemon" in local)


_QUOTE_START_RE = re.compile(
    r"^(?:-{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht)"
    r"|_{10,}|from:\s|on .{5,120} wrote:|le .{5,80} a écrit|am .{5,80} schrieb)",
    re.IGNORECASE | re.MULTILINE,
)


def _own_text(body: str) -> str:
    """The body before any quoted or forwarded part."""
    found = _QUOTE_START_RE.search(body)
    text = body[: found.start()] if found else body
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


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


# --- thread knowledge ---------------------------------------------------------------


class ThreadIndex:
    """Message ids (and Gmail thread ids) known to belong to a conversation with a company."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._threads: dict[str, str] = {}

    def add(self, message_id: str, interview_id: str) -> None:
        key = bare_id(message_id)
        if key:
            self._ids.setdefault(key, interview_id)

    def add_thread(self, thread_id: str, interview_id: str) -> None:
        if thread_id:
            self._threads.setdefault(thread_id, interview_id)

    def lookup(self, msg: MessageMeta) -> str | None:
        """The interview a thread reference of ``msg`` points to (most recent ref first)."""
        for ref in (*msg.in_reply_to, *reversed(msg.references)):
            found = self._ids.get(bare_id(ref))
            if found is not None:
                return found
        if msg.thread_id:
            return self._threads.get(msg.thread_id)
        return None

    def __contains__(self, message_id: object) -> bool:
        return isinstance(message_id, str) and bare_id(message_id) in self._ids

    def __len__(self) -> int:
        return len(self._ids) + len(self._threads)


# --- evidence -----------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why a message ties to an interview; higher ``strength`` wins."""

    interview: Interview
    strength: int
    why: str


THREAD, CONTACT, DOMAIN, ATS_STRONG, ATS_SUBJECT, ATS_BODY = 60, 50, 40, 30, 20, 10


def evidence(msg: MessageMeta, interview: Interview, threads: ThreadIndex) -> Evidence | None:
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
        return _ats_evidence(msg, sender, interview)
    return None


def _ats_evidence(msg: MessageMeta, sender: Address, interview: Interview) -> Evidence | None:
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
    pos = company_named_in(_own_text(msg.body_excerpt), interview.company)
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
    msg: MessageMeta, interviews: Sequence[Interview], threads: ThreadIndex
) -> tuple[Evidence | None, list[Evidence]]:
    """The winning tie and every other interview that also had one."""
    found = [e for iv in interviews if (e := evidence(msg, iv, threads)) is not None]
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
            int(_mentions_role(msg, e.interview)),
            _mentions_company(msg, e.interview),
            started.timestamp(),
        )

    found.sort(key=rank, reverse=True)
    return found[0], found[1:]


def _mentions_company(msg: MessageMeta, interview: Interview) -> int:
    if company_named_in(msg.subject, interview.company) is not None:
        return 2
    return int(company_named_in(_own_text(msg.body_excerpt), interview.company) is not None)


def _mentions_role(msg: MessageMeta, interview: Interview) -> bool:
    role = interview.role.strip().lower()
    if not role:
        return False
    return role in msg.subject.lower() or role in msg.body_excerpt[:2000].lower()


def classify(
    msg: MessageMeta,
    interviews: Sequence[Interview],
    identity: Identity,
    threads: ThreadIndex,
) -> Match:
    """Classify one message; always returns a Match with a reason, never raises."""
    try:
        return _classify(msg, interviews, identity, threads)
    except Exception as exc:  # a classification bug must not stop a sync
        return Match("unrelated", None, f"not a reply: could not be classified ({exc!r})")


def _classify(
    msg: MessageMeta,
    interviews: Sequence[Interview],
    identity: Identity,
    threads: ThreadIndex,
) -> Match:
    if is_own(msg.sender, identity):
        return _own(msg, interviews, threads)
    automatic = is_automatic(msg)
    if automatic is not None:
        return Match("automatic", None, f"not a reply: {automatic}")
    best, others = best_evidence(msg, interviews, threads)
    if best is None:
        return _unrelated(msg, interviews)
    interview = best.interview
    sender = msg.sender
    from_company = sender is not None and (
        is_contact(sender, interview) or at_company(sender, interview) is not None
    )
    forwarded = _FORWARD_RE.match(msg.subject) or _FORWARDED_BODY_RE.search(
        _own_text(msg.body_excerpt) + "\n" + msg.body_excerpt[:1500]
    )
    if forwarded and not from_company:
        who = sender.email if sender else "someone"
        return Match("unrelated", None, f"not a reply: {who} forwarded an older message")
    if best.strength <= DOMAIN:
        if application_acknowledgement(msg.subject, msg.body_excerpt):
            return Match(
                "company", interview.id, f"not a reply: application acknowledgement ({best.why})"
            )
        if job_alert(msg.subject, msg.body_excerpt):
            return Match("company", interview.id, f"not a reply: a job alert ({best.why})")
    if best.strength == DOMAIN and _NEWSLETTER_BODY_RE.search(msg.body_excerpt):
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


def _own(msg: MessageMeta, interviews: Sequence[Interview], threads: ThreadIndex) -> Match:
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
                    int(_mentions_role(msg, iv)),
                    _mentions_company(msg, iv),
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
) -> tuple[list[Match], ThreadIndex]:
    """Classify a whole mailbox (Sent and watched folders); results align with the input.

    Messages are taken in date order so the user's mail and the company's earlier mail
    are known before the replies that reference them; a second pass catches references to
    messages whose Date header was later than their reply's (clock skew).
    """
    index = threads if threads is not None else ThreadIndex()
    far_past = FAR_PAST
    order = sorted(range(len(messages)), key=lambda i: (messages[i].date or far_past, i))
    results: list[Match | None] = [None] * len(messages)
    for _ in range(2):
        before = len(index)
        for i in order:
            match = classify(messages[i], interviews, identity, index)
            _learn(match, messages[i], index)
            results[i] = match
        if len(index) == before:
            break
    return [m for m in results if m is not None], index
