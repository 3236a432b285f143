"""A temporary Maildir, a config around it, and the real CLI as a subprocess."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from support.cli import followup
from support.maildir_harness import make_maildir
from support.messages import DANA, ME, mail

NY = ZoneInfo("America/New_York")
# Promised Fri 2026-11-20 → check-in due Fri 2026-11-27 09:00 (Thanksgiving skipped).
BEFORE_DUE = "2026-11-26T12:00"
AFTER_DUE = "2026-11-27T09:30"

CONFIG = """\
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"

[schedule]
timezone = "America/New_York"
holidays = "US"
stages = ["check_in", "closure"]

[daemon]
state_dir = "{root}/state"

[[accounts]]
name = "local"
type = "maildir"
path = "{root}/Mail"

[[interviews]]
id = "acme-backend"
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16
reply_promised_by = 2026-11-20
contacts = ["{dana}"]
"""


class Env:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.mail = make_maildir(root / "Mail")
        self.config = root / "config.toml"
        self.config.write_text(CONFIG.format(root=root, dana=DANA), encoding="utf-8")
        self._n = 0
        # The user's thank-you note, sent on the interview day: the conversation to thread into.
        self.put(
            "Sent",
            mail(
                "ty@example.com",
                dt.datetime(2026, 11, 16, 18, tzinfo=NY),
                sender=ME,
                to=DANA,
                subject="Thank you for today",
            ),
        )

    def put(self, folder: str, raw: bytes) -> Path:
        self._n += 1
        path = self.mail / folder / "cur" / f"{self._n:04d}.test:2,S"
        path.write_bytes(raw)
        return path

    def followup(self, *args: str) -> subprocess.CompletedProcess[str]:
        return followup(self.config, *args, timeout=60)

    def run(self, now: str, *extra: str) -> subprocess.CompletedProcess[str]:
        result = self.followup("run", "--once", "--now", now, *extra)
        assert result.returncode == 0, result.stderr
        return result

    def drafts(self) -> list[Path]:
        return sorted(p for sub in ("cur", "new") for p in (self.mail / "Drafts" / sub).iterdir())

    def status(self, now: str) -> Any:
        """``status --json`` as parsed JSON (its shape is what the tests check)."""
        result = self.followup("status", "--json", "--now", now)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def stage(self, now: str, name: str) -> Any:
        (iv,) = self.interviews(now)
        return next(s for s in iv["stages"] if s["stage"] == name)

    def interviews(self, now: str) -> list[Any]:
        found: list[Any] = self.status(now)["interviews"]
        return found
