"""What a failure of the state database means for the user, and what to do about it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def state_problem(path: Path, exc: BaseException) -> str:
    text = str(exc)
    if "locked" in text:
        return (
            f"the state database {path} is locked by another process; is another "
            "`followup run` active? Stop it or wait, then retry"
        )
    if "readonly" in text or "read-only" in text:
        return f"the state database {path} is read-only; fix its permissions (it must be writable by you)"
    if "disk is full" in text or "full" in text:
        return f"the disk holding {path} is full; free some space and retry (nothing was lost)"
    damaged = ("not a database", "malformed", "no such table", "no such column", "corrupt")
    if not isinstance(exc, sqlite3.Error) or any(word in text for word in damaged):
        what = text if isinstance(exc, sqlite3.Error) else f"a stored value cannot be read: {text}"
        return (
            f"the state database {path} is damaged ({what[:200]}); move it aside and run again: "
            "followup rebuilds its state from the mailbox, and finds its own drafts by Message-ID"
        )
    return f"the state database {path} cannot be used: {text}"
