"""What the matching rules read in a message's text, kept so the text itself need not be.

The state database never stores a message's words. When a backend hands the engine a
message's text, these signals are taken from it once and stored; every later cycle (and
``status``) decides from them, so the daemon and ``explain`` — which reads the file —
come to the same verdict from the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from followup.core.ats import application_acknowledgement, company_named_in, job_alert
from followup.core.model import Interview, MessageMeta
from followup.core.text import own_text

SIGNALS_VERSION = 1
"""Bump when a rule below changes: stored signals of another version are read again."""

_OOO_BODY_RE = re.compile(
    r"\b(?:(?:i am|i'm|i’m|i will be|i'll be|i’ll be)\s+(?:currently\s+|presently\s+)?"
    r"(?:out of (?:the )?office|away from (?:the )?office|on (?:annual |parental |sick )?leave"
    r"|on vacation|on holiday|away until|out until)"
    r"|limited access to (?:my )?e-?mails?|(?:currently|presently) out of (?:the )?office"
    r"|this is an automatic(?:ally generated)? (?:reply|response|message)"
    r"|bin (?:derzeit |zurzeit )?(?:nicht im büro|abwesend))",
    re.IGNORECASE,
)
FORWARDED_BODY_RE = re.compile(
    r"-{3,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)"
    r"|begin forwarded message:",
    re.IGNORECASE,
)
NEWSLETTER_BODY_RE = re.compile(
    r"\bunsubscribe\b|view (?:this (?:e-?mail|message) )?in (?:your |a )?browser|"
    r"manage (?:your )?(?:e-?mail )?preferences",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """Where a message's own text names one interview's company, and whether its role."""

    interview_id: str
    company_at: int | None  # position of the first mention in the folded own text
    role: bool


@dataclass(frozen=True)
class TextSignals:
    """The text-borne facts the matching rules use (all False/empty without any text)."""

    out_of_office: bool = False  # a short text that says its sender is away
    job_alert: bool = False
    acknowledgement: bool = False  # an automatic "thanks for applying"
    newsletter: bool = False  # an unsubscribe link or "view in browser"
    forwarded: bool = False  # the text forwards an older message
    mentions: tuple[Mention, ...] = field(default=())

    def mention(self, interview_id: str) -> Mention | None:
        return next((m for m in self.mentions if m.interview_id == interview_id), None)


def read_signals(msg: MessageMeta, interviews: Sequence[Interview]) -> TextSignals:
    """The signals of ``msg``'s subject and bounded text (its ``body_excerpt``)."""
    body = msg.body_excerpt
    own = own_text(body)
    opening = body[:400]
    return TextSignals(
        out_of_office=bool(opening) and len(own) < 700 and bool(_OOO_BODY_RE.search(opening)),
        job_alert=job_alert(msg.subject, body),
        acknowledgement=application_acknowledgement(msg.subject, body),
        newsletter=bool(NEWSLETTER_BODY_RE.search(body)),
        forwarded=bool(FORWARDED_BODY_RE.search(own + "\n" + body[:1500])),
        mentions=tuple(_mention(iv, own, body) for iv in interviews if own or body),
    )


def _mention(interview: Interview, own: str, body: str) -> Mention:
    role = interview.role.strip().lower()
    return Mention(
        interview_id=interview.id,
        company_at=company_named_in(own, interview.company),
        role=bool(role) and role in body[:2000].lower(),
    )
