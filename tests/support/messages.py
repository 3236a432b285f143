"""One builder for the test messages every backend and scenario needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from followup.cli.demo import sample_message

DANA = "Dana Whitfield <dana@acme.example>"
# What the company's mail says unless a test says otherwise: an answer (a next step).
ANSWER = "Hi Jordan,\n\nWhich days next week would work for a call with our CTO?\n\nBest,\nDana\n"
ME = "Jordan Rivera <jordan@example.com>"


def mail(
    mid: str,
    when: dt.datetime = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
    *,
    sender: str = DANA,
    to: str = ME,
    subject: str = "Next steps",
    in_reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: str = ANSWER,
) -> bytes:
    """A plain-text message as raw CRLF bytes; ``in_reply_to`` also fills References."""
    return sample_message(
        sender=sender,
        to=to,
        subject=subject,
        when=when,
        mid=mid,
        body=body,
        reply_to=in_reply_to,
        extra=headers,
    )
