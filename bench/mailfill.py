"""Fill a Dovecot user's Maildir directly on disk: 100,000 messages in seconds, not minutes.

Files are written before the user's first login, with the file time set to the message
date: Dovecot takes a Maildir message's INTERNALDATE from it, which is what
``UID SEARCH SINCE`` compares.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from email.utils import format_datetime
from pathlib import Path

SENDERS = (
    "News <news@list.example>",
    "Bank <alerts@bank.example>",
    "Shop <orders@shop.example>",
    "Friend <sam@friends.example>",
    "Jobs <jobs@board.example>",
    "Recruiter <alex@agency.example>",
)


def _message(n: int, when: dt.datetime, sender: str, rng: random.Random) -> bytes:
    body = " ".join(rng.choice(("lorem", "ipsum", "dolor", "sit", "amet")) for _ in range(60))
    return (
        f"Return-Path: <bounce-{n}@mail.example>\r\n"
        f"From: {sender}\r\nTo: Jordan Rivera <jordan@example.com>\r\n"
        f"Subject: Message number {n} about something\r\n"
        f"Date: {format_datetime(when)}\r\nMessage-ID: <bench-{n}@mail.example>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"X-Spam-Score: 0.{n % 10}\r\n\r\n{body}\r\n"
    ).encode()


# Company-side mail inside the window, as a real job search has it before the interview:
# the contact, a colleague, the company's applicant-tracking system. These are the messages
# whose text followup fetches and reads; everything else is matched on its headers alone.
# (Dated before the interview, they answer nothing, so the check-in stays due.)
COMPANY_SENDERS = (
    ("Dana Whitfield <dana@acme.example>", "Re: Thank you for today"),
    ("Acme Recruiting <recruiting@acme.example>", "Your application at Acme Corp"),
    ("Acme Corp <no-reply@us.greenhouse-mail.io>", "Acme Corp: an update on your application"),
)
COMPANY_TEXTS = (
    "Hi Jordan,\n\nThanks again for your time. The team is still meeting candidates this "
    "week; we expect to have news for you by the end of next week.\n\nBest,\nDana",
    "Hi Jordan,\n\nA quick note to say we received your documents. Let me know if you have "
    "any questions about the process.\n\nKind regards,\nAcme Recruiting",
    "Dear Jordan,\n\nThank you for your interest in Acme Corp. We are reviewing your "
    "application and will be in touch.\n\nThe Acme Talent Team",
)
QUOTED = "\n\nOn Mon, Nov 2, 2026 at 6:00 PM Jordan Rivera <jordan@example.com> wrote:\n" + "".join(
    f"> {line}\n" for line in ("Hi Dana,", "", "Monday works for me.", "", "Jordan")
)


def _company_message(n: int, when: dt.datetime, rng: random.Random) -> bytes:
    sender, subject = rng.choice(COMPANY_SENDERS)
    body = rng.choice(COMPANY_TEXTS) + QUOTED + "\n" + "-- \nAcme Corp, 1 Road Runner Way\n"
    return (
        f"From: {sender}\r\nTo: Jordan Rivera <jordan@example.com>\r\n"
        f"Subject: {subject}\r\nDate: {format_datetime(when)}\r\n"
        f"Message-ID: <company-{n}@acme.example>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + body.replace("\n", "\r\n")
    ).encode()


def write_message(folder: Path, n: int, raw: bytes, when: dt.datetime, flags: str = "S") -> None:
    stamp = int(when.timestamp())
    path = folder / "cur" / f"{stamp}.M{n}P1.bench:2,{flags}"
    path.write_bytes(raw)
    os.utime(path, (stamp, stamp))


def make_folder(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def fill(
    maildir: Path,
    total: int,
    in_window: int,
    window: tuple[dt.datetime, dt.datetime],
    seed: int = 1,
    concerning: int = 0,
) -> None:
    """``total`` INBOX messages, ``in_window`` of them dated inside ``window``, the rest older;
    ``concerning`` of those in the window come from the company side of the interview.

    The user's thank-you note goes to Sent so the interview has a conversation.
    """
    rng = random.Random(seed)
    inbox = make_folder(maildir)
    start, end = window
    span = (end - start).total_seconds()
    old_span = dt.timedelta(days=3 * 365).total_seconds()
    for n in range(total):
        if n < in_window:
            when = start + dt.timedelta(seconds=rng.uniform(3600, span))
        else:
            when = start - dt.timedelta(seconds=rng.uniform(86400, old_span))
        if n < concerning:  # the conversation that led to the interview (2026-11-16)
            before = start + dt.timedelta(seconds=rng.uniform(3600, 29 * 86400))
            write_message(inbox, n, _company_message(n, before, rng), before)
            continue
        sender = rng.choice(SENDERS)
        write_message(inbox, n, _message(n, when, sender, rng), when)
    sent = make_folder(maildir / ".Sent")
    when = start + dt.timedelta(days=30, hours=18)
    thank_you = (
        "From: Jordan Rivera <jordan@example.com>\r\nTo: Dana Whitfield <dana@acme.example>\r\n"
        f"Subject: Thank you for today\r\nDate: {format_datetime(when)}\r\n"
        "Message-ID: <ty@example.com>\r\n\r\nThank you!\r\n"
    ).encode()
    write_message(sent, 0, thank_you, when)
