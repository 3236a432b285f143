"""``followup demo``: a full cycle on a throw-away Maildir with a few realistic interviews."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.cli.render import draft_text, render_cycle, render_status
from followup.config import MaildirAccount, load_config
from followup.core.errors import CannotCreate
from followup.derived import plan_from_store
from followup.engine import run_once
from followup.mailbox.maildir import MaildirMailbox
from followup.store import Store

TZ = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 12, 3, 10, 30, tzinfo=TZ)
ME = "Jordan Rivera <jordan.rivera@example.com>"

CONFIG = """\
[identity]
name = "Jordan Rivera"
email = "jordan.rivera@example.com"

[schedule]
timezone = "America/New_York"
holidays = "US"

[daemon]
state_dir = "{state}"

[[accounts]]
name = "demo"
type = "maildir"
path = "{mail}"

[[interviews]]
id = "acme-backend"
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16
reply_promised_by = 2026-11-20
contacts = ["Dana Whitfield <dana.whitfield@acme.example>"]

[[interviews]]
id = "globex-sre"
company = "Globex"
role = "Site Reliability Engineer"
interviewed_on = 2026-11-17
reply_promised_by = 2026-11-24
contacts = ["Sam Okafor <sam.okafor@globex.example>"]

[[interviews]]
id = "initech-data"
company = "Initech"
role = "Data Engineer"
interviewed_on = 2026-11-18
reply_promised_by = 2026-11-20
contacts = ["Priya Raman <priya.raman@initech.example>"]
highlight = "the idea of replaying the nightly batch from the change log"

[[interviews]]
id = "umbrella-platform"
company = "Umbrella Labs"
role = "Platform Engineer"
interviewed_on = 2026-11-19
reply_promised_by = 2026-11-24
contacts = ["Lee Novak <lee.novak@umbrella.example>"]

[[interviews]]
id = "stark-ml"
company = "Stark Industries"
role = "Machine Learning Engineer"
interviewed_on = 2026-11-13
reply_promised_by = 2026-11-20
contacts = ["Maya Chen <maya.chen@stark.example>"]

[[interviews]]
id = "hooli-frontend"
company = "Hooli"
role = "Frontend Engineer"
interviewed_on = 2026-12-03T09:00:00
contacts = ["Ana Costa <ana.costa@hooli.example>"]
"""


def sample_message(
    *,
    sender: str,
    to: str,
    subject: str,
    when: dt.datetime,
    mid: str,
    body: str,
    reply_to: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> bytes:
    """A realistic plain-text message as raw bytes; ``reply_to`` threads it under that id."""
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = format_datetime(when)
    m["Message-ID"] = f"<{mid}>"
    if reply_to:
        m["In-Reply-To"] = f"<{reply_to}>"
        m["References"] = f"<{reply_to}>"
    for key, value in (extra or {}).items():
        m[key] = value
    m.set_content(body)
    return m.as_bytes(policy=SMTP)


def _at(day: int, hour: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def _sample_mail() -> dict[str, list[bytes]]:
    inbox = [
        sample_message(
            sender="Dana Whitfield <dana.whitfield@acme.example>",
            to=ME,
            subject="Re: Thank you — Backend Engineer interview",
            when=_at(23, 11),
            mid="r1@acme.example",
            reply_to="ty1@example.com",
            body="Hi Jordan,\n\nThanks for your patience. We'd like to invite you to a final round.\n\nDana",
        ),
        sample_message(
            sender="Globex Hiring Team <no-reply@us.greenhouse-mail.io>",
            to=ME,
            subject="Your application to Globex",
            when=_at(25, 15),
            mid="gh1@greenhouse-mail.io",
            body="Hi Jordan,\n\nThank you for interviewing for the Site Reliability Engineer role "
            "at Globex. After careful consideration, we have decided to move forward with other "
            "candidates.\n\nGlobex Recruiting",
        ),
        sample_message(
            sender="Maya Chen <maya.chen@stark.example>",
            to=ME,
            subject="Re: Thank you — Machine Learning Engineer",
            when=_at(20, 16),
            mid="st1@stark.example",
            reply_to="ty5@example.com",
            body="Hi Jordan,\n\nThanks for your patience! We're still interviewing a few "
            "candidates and expect to have a decision by Friday, November 27.\n\nBest,\nMaya",
        ),
        sample_message(
            sender="Lee Novak <lee.novak@umbrella.example>",
            to=ME,
            subject="Automatic reply: Thank you",
            when=_at(19, 18),
            mid="ooo1@umbrella.example",
            reply_to="ty4@example.com",
            body="I am out of the office until December 7 with limited access to email.",
            extra={"Auto-Submitted": "auto-replied"},
        ),
        sample_message(
            sender="The Weekly Byte <news@newsletter.example>",
            to=ME,
            subject="This week in engineering",
            when=_at(30, 7),
            mid="nl1@newsletter.example",
            body="Ten links you missed.",
            extra={"List-Unsubscribe": "<mailto:unsub@newsletter.example>", "Precedence": "bulk"},
        ),
    ]
    sent = [
        sample_message(
            sender=ME,
            to="Dana Whitfield <dana.whitfield@acme.example>",
            subject="Thank you — Backend Engineer interview",
            when=_at(16, 18),
            mid="ty1@example.com",
            body="Hi Dana, thank you for today.",
        ),
        sample_message(
            sender=ME,
            to="Priya Raman <priya.raman@initech.example>",
            subject="Thank you for today",
            when=_at(18, 17),
            mid="ty3@example.com",
            body="Hi Priya, thank you for the conversation about the data platform.",
        ),
        sample_message(
            sender=ME,
            to="Lee Novak <lee.novak@umbrella.example>",
            subject="Thank you",
            when=_at(19, 17),
            mid="ty4@example.com",
            body="Hi Lee, thanks for walking me through the platform team.",
        ),
        sample_message(
            sender=ME,
            to="Maya Chen <maya.chen@stark.example>",
            subject="Thank you — Machine Learning Engineer",
            when=_at(13, 17),
            mid="ty5@example.com",
            body="Hi Maya, thank you for the conversation about the ranking models.",
        ),
    ]
    return {"INBOX": inbox, "Sent": sent, "Drafts": []}


def build_demo(root: Path) -> Path:
    """Write the sample Maildir and config under ``root``; returns the config path."""
    mail = root / "Mail"
    for folder, messages in _sample_mail().items():
        for sub in ("cur", "new", "tmp"):
            (mail / folder / sub).mkdir(parents=True, exist_ok=True)
        for i, raw in enumerate(messages):
            (mail / folder / "cur" / f"demo{i:03d}.local:2,S").write_bytes(raw)
    config = root / "config.toml"
    config.write_text(CONFIG.format(state=root / "state", mail=mail), encoding="utf-8")
    return config


def _make_keep_dir(keep: Path) -> None:
    """``--keep DIR``: a new or empty directory, so the demo never mixes with other files."""
    try:
        keep.mkdir(parents=True, exist_ok=True)
        if any(keep.iterdir()):
            raise CannotCreate(
                f"--keep {keep}: the directory is not empty; name a new or empty directory "
                "(the demo writes a config, a Maildir and a state database there)"
            )
    except OSError as exc:
        raise CannotCreate(f"--keep {keep}: cannot create the directory: {exc.strerror}") from None


def run_demo(keep: Path | None = None) -> str:
    root = keep or Path(tempfile.mkdtemp(prefix="followup-demo-"))
    if keep is not None:
        _make_keep_dir(keep)
    try:
        config = load_config(build_demo(root))
        store = Store.in_dir(config.daemon.state_dir)
        account = config.accounts[0]
        assert isinstance(account, MaildirAccount)
        box = MaildirMailbox(account)
        try:
            report = run_once(config, {"demo": box}, store, NOW)
            plans = plan_from_store(config, store, NOW)
        finally:
            store.close()
        out = [
            f"followup demo: a throw-away Maildir at {root / 'Mail'} with {len(config.interviews)} interviews,",
            f"one cycle run as if it were {NOW:%A %Y-%m-%d %H:%M %Z}.",
            "",
            render_cycle(report),
            render_status(NOW, plans, {}),
        ]
        drafted = [a for a in report.actions if a.message is not None]
        drafted.sort(key=lambda a: a.interview_id != "stark-ml")  # the round-2 check-in first
        if drafted:
            first = drafted[0]
            assert first.message is not None
            out.append(
                f"--- the {first.stage} draft for {first.company}, as your mail client shows it ---"
            )
            out.append(draft_text(first.message))
            out.append("--- end of draft ---")
        out.append("")
        out.append(
            f"kept in {root}"
            if keep
            else "the throw-away Maildir was removed; use --keep DIR to keep it"
        )
        return "\n".join(out) + "\n"
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
