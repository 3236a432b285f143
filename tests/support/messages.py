"""One builder for the test messages every backend and scenario needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from followup.cli.demo import sample_message

DANA = "Dana Whitfield <dana@acme.example>"
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
    body: str = "Hello,\n\nsome text.\n",
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
