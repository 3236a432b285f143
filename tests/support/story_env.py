"""One interview's story through the real CLI, on a Maildir or on a real Dovecot.

Both sides look the same to a test: the company's mail arrives with ``put``, the user's
drafts are read back with ``drafts``, and every step is a ``followup`` subprocess.
"""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from support.cli import followup
from support.configs import acme_interview, head, imap_account
from support.dovecot import DovecotServer
from support.maildir_harness import make_maildir
from support.messages import DANA, ME, mail

NY = ZoneInfo("America/New_York")
ALL_STAGES = ["thank_you", "check_in", "closure"]


class StoryEnv(Protocol):
    config: Path

    def put(self, folder: str, raw: bytes) -> None: ...

    def drafts(self) -> list[bytes]: ...


def run(env: StoryEnv, now: str) -> str:
    result = followup(env.config, "run", "--once", "--now", now)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def interview(env: StoryEnv, now: str) -> Any:
    result = followup(env.config, "status", "--json", "--now", now)
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)["interviews"]
    return found


def stage(env: StoryEnv, now: str, name: str, round_: int = 1) -> Any:
    stages = interview(env, now)["stages"]
    return next(s for s in stages if s["stage"] == name and s["round"] == round_)


def parsed(raw: bytes) -> EmailMessage:
    msg = message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg


def thanks_sent() -> bytes:
    """The user's thank-you note on the interview day: the thread answers join."""
    return mail(
        "ty@example.com",
        dt.datetime(2026, 11, 16, 18, tzinfo=NY),
        sender=ME,
        to=DANA,
        subject="Thank you for today",
    )


class MaildirStory:
    def __init__(self, root: Path, stages: list[str]) -> None:
        self.mail = make_maildir(root / "Mail")
        self.config = root / "config.toml"
        self.config.write_text(
            head(root / "state", stages=stages)
            + f'[[accounts]]\nname = "local"\ntype = "maildir"\npath = "{self.mail}"\n\n'
            + acme_interview(),
            encoding="utf-8",
        )
        self._n = 0
        self.put("Sent", thanks_sent())

    def put(self, folder: str, raw: bytes) -> None:
        self._n += 1
        (self.mail / folder / "cur" / f"{self._n:04d}.story:2,S").write_bytes(raw)

    def drafts(self) -> list[bytes]:
        folder = self.mail / "Drafts"
        return [p.read_bytes() for sub in ("cur", "new") for p in sorted((folder / sub).iterdir())]


class DovecotStory:
    def __init__(self, server: DovecotServer, root: Path, stages: list[str]) -> None:
        self.server = server
        self.user = server.add_user()
        root.mkdir(parents=True, exist_ok=True)
        self.config = root / "config.toml"
        self.config.write_text(
            head(root / "state", stages=stages)
            + imap_account(server.port, self.user, f"printf %s {server.password(self.user)}")
            + acme_interview(),
            encoding="utf-8",
        )
        self.put("Sent", thanks_sent())

    def put(self, folder: str, raw: bytes) -> None:
        with self.server.client(self.user) as client:
            client.append(self.server.folder(folder), raw, flags=[rb"\Seen"])

    def drafts(self) -> list[bytes]:
        with self.server.client(self.user) as client:
            client.select_folder(self.server.folder("Drafts"), readonly=True)
            fetched = client.fetch(client.search(["NOT", "DELETED"]), ["BODY.PEEK[]"])
            return [bytes(d[b"BODY[]"]) for _, d in sorted(fetched.items())]
