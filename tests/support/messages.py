"""One builder for the test messages every backend and scenario needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

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
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = format_datetime(when)
    m["Message-ID"] = f"<{mid}>"
    if in_reply_to:
        m["In-Reply-To"] = f"<{in_reply_to}>"
        m["References"] = f"<{in_reply_to}>"
    for key, value in (headers or {}).items():
        m[key] = value
    m.set_content(body)
    return m.as_bytes(policy=SMTP)
