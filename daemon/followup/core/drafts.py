"""Turn an interview and a stage into the draft email that lands in the user's Drafts.

Pure: the clock comes in as ``now``. The Message-ID is derived from (interview, stage) so
it doubles as the idempotency key that lets adapters find a draft written before a crash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from followup.core.ats import is_ats_domain, is_robot_address
from followup.core.draft_ids import message_id_for as message_id_for  # re-exported
from followup.core.draft_texts import DEFAULT_TEMPLATES, KNOWN_VARIABLES, variables_for
from followup.core.model import (
    FAR_PAST,
    Address,
    Identity,
    Interview,
    MessageMeta,
    ScheduleConfig,
    StageName,
    TemplateOverride,
)
from followup.core.templating import render
from followup.core.text import (
    base_subject,
    is_safe_address,
    is_safe_message_id,
    message_ids,
    one_line,
)

# SMTP policy: CRLF line ends as IMAP APPEND expects; 7bit so every byte is plain ASCII and
# no server or client has to cope with raw 8-bit text.
DRAFT_POLICY = email_policy.SMTP.clone(cte_type="7bit")

_MAX_REFERENCES = 20  # keep the first and the latest ids of very long threads


def _is_person(address: Address, me: Collection[str]) -> bool:
    email = address.email.lower()
    if not is_safe_address(email) or email in me:
        return False
    return not is_robot_address(email) and not is_ats_domain(address.domain)


def _newest_first(messages: Sequence[MessageMeta]) -> list[MessageMeta]:
    """Messages newest first; undated ones count as oldest, ties keep the later one first."""
    floor = FAR_PAST
    indexed = list(enumerate(messages))
    indexed.sort(key=lambda im: (im[1].date or floor, im[0]), reverse=True)
    return [m for _, m in indexed]


def choose_recipient(
    interview: Interview,
    company_messages: Sequence[MessageMeta],
    *,
    me: Collection[str] = (),
) -> Address | None:
    """The human who last wrote from the company, else the first human contact.

    A message relayed by an ATS often carries the recruiter in Reply-To, so that is tried
    before the sender. Robots, ATS addresses and the user's own addresses (``me``,
    lower-cased) are never chosen.
    """
    mine = {m.lower() for m in me}
    for message in _newest_first(company_messages):
        candidates = [*message.reply_to, *([message.sender] if message.sender else [])]
        for candidate in candidates:
            if _is_person(candidate, mine):
                return candidate
    for contact in interview.contacts:
        if _is_person(contact, mine):
            return contact
    return None


@dataclass(frozen=True)
class ThreadContext:
    """Where a draft should attach: the base subject and the threading headers (ids bare)."""

    subject: str
    in_reply_to: str
    references: tuple[str, ...]


def _trim_references(ids: list[str]) -> tuple[str, ...]:
    if len(ids) <= _MAX_REFERENCES:
        return tuple(ids)
    return (ids[0], *ids[-(_MAX_REFERENCES - 1) :])


def thread_context(messages: Sequence[MessageMeta]) -> ThreadContext | None:
    """Threading for a reply to the latest message of the conversation, or None if none."""
    for latest in _newest_first(messages):
        if not is_safe_message_id(latest.message_id):
            continue  # no id, or one that could not be copied into a header safely
        chain = list(latest.references) or list(latest.in_reply_to)
        refs: list[str] = []
        for mid in [*chain, latest.message_id]:
            if is_safe_message_id(mid) and mid not in refs:
                refs.append(mid)
        return ThreadContext(
            subject=base_subject(one_line(latest.subject)),
            in_reply_to=latest.message_id,
            references=_trim_references(refs),
        )
    return None


def _header_address(name: str, email: str) -> HeaderAddress:
    local, _, domain = email.rpartition("@")
    return HeaderAddress(display_name=one_line(name), username=local, domain=domain)


def _stage_texts(
    stage: StageName, templates: Mapping[StageName, TemplateOverride]
) -> tuple[str, str]:
    subject, body = DEFAULT_TEMPLATES[stage]
    override = templates.get(stage)
    if override is not None:
        subject = override.subject if override.subject is not None else subject
        body = override.body if override.body is not None else body
    return subject, body


def compose_draft(
    *,
    interview: Interview,
    stage: StageName,
    identity: Identity,
    templates: Mapping[StageName, TemplateOverride],
    recipient: Address | None,
    thread: ThreadContext | None,
    now: dt.datetime,
    sched: ScheduleConfig,
) -> EmailMessage:
    """The draft for one stage, ready to append to Drafts (serialise with ``as_bytes()``).

    Raises ``TemplateError`` when a template cannot be filled, so a draft never carries a
    placeholder. Without a recipient the draft has no To: the user picks one when sending.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("compose_draft needs an aware 'now'")
    subject_template, body_template = _stage_texts(stage, templates)
    variables = variables_for(interview, identity, recipient)
    body = (
        render(body_template, variables, KNOWN_VARIABLES).replace("\r\n", "\n").replace("\r", "\n")
    )
    body = body.strip("\n") + "\n"

    if thread is not None and thread.subject:
        subject = f"Re: {thread.subject}"
    else:
        subject = " ".join(render(subject_template, variables, KNOWN_VARIABLES).split())

    msg = EmailMessage(policy=DRAFT_POLICY)
    msg["Date"] = format_datetime(now.astimezone(sched.tz))
    msg["From"] = _header_address(identity.name, identity.email)
    if recipient is not None:
        msg["To"] = _header_address(recipient.name, recipient.email)
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id_for(interview.id, stage, identity.email)}>"
    if thread is not None:
        msg["In-Reply-To"] = f"<{thread.in_reply_to}>"
        if thread.references:
            msg["References"] = " ".join(f"<{mid}>" for mid in thread.references)
    fits_7bit = body.isascii() and all(len(line) <= 78 for line in body.splitlines())
    msg.set_content(body, charset="utf-8", cte="7bit" if fits_7bit else "quoted-printable")
    return msg


def draft_fingerprint(raw: bytes) -> str:
    """What a draft says, blind to how a server stored it: recipients, subject, thread, text.

    The Date header, line endings, header folding and transfer encoding may all change
    between what followup composed and what a server hands back; none of them is an edit.
    Two drafts with the same fingerprint say the same thing to the same people.
    """
    msg = message_from_bytes(raw, policy=email_policy.default)
    recipients = sorted(
        address.lower() for _, address in getaddresses([str(v) for v in msg.get_all("To", [])])
    )
    subject = " ".join(str(msg.get("Subject", "")).split())
    in_reply_to = " ".join(message_ids(str(msg.get("In-Reply-To", ""))))
    part = msg.get_body(preferencelist=("plain",))
    text = ""
    if isinstance(part, EmailMessage):
        try:
            text = part.get_content()
        except (LookupError, ValueError):
            text = ""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    body = "\n".join(lines).strip()
    canonical = "\x1f".join([",".join(recipients), subject, in_reply_to, body])
    return hashlib.sha256(canonical.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]
