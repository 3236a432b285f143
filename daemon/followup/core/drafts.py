"""Turn an interview and a stage into the draft email that lands in the user's Drafts.

Pure: the clock comes in as ``now``. The Message-ID is derived from (interview, stage) so
it doubles as the idempotency key that lets adapters find a draft written before a crash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from email import message_from_bytes
from email import policy as email_policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from followup.core.conversation import ThreadContext
from followup.core.draft_ids import message_id_for as message_id_for  # re-exported
from followup.core.draft_texts import DEFAULT_TEMPLATES, KNOWN_VARIABLES, variables_for
from followup.core.model import (
    Address,
    Identity,
    Interview,
    ScheduleConfig,
    StageName,
    TemplateOverride,
)
from followup.core.templating import render
from followup.core.text import (
    message_ids,
    one_line,
)

# SMTP policy: CRLF line ends as IMAP APPEND expects; 7bit so every byte is plain ASCII and
# no server or client has to cope with raw 8-bit text.
DRAFT_POLICY = email_policy.SMTP.clone(cte_type="7bit")


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
    round_: int = 1,
    promised_by: dt.date | None = None,
    thanked: bool = False,
) -> EmailMessage:
    """The draft for one stage of a round, ready to append to Drafts (``as_bytes()``).

    Raises ``TemplateError`` when a template cannot be filled, so a draft never carries a
    placeholder. Without a recipient the draft has no To: the user picks one when sending.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("compose_draft needs an aware 'now'")
    subject_template, body_template = _stage_texts(stage, templates)
    today = now.astimezone(sched.tz).date()
    variables = variables_for(
        interview, identity, recipient, today=today, promised_by=promised_by, thanked=thanked
    )
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
    msg["Message-ID"] = f"<{message_id_for(interview.id, stage, identity.email, round_)}>"
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
