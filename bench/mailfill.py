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
) -> None:
    """``total`` INBOX messages, ``in_window`` of them dated inside ``window``, the rest older.

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
