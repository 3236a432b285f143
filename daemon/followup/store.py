"""SQLite state: sync cursors, the messages seen, draft intents and records, an event log.

Thread knowledge and replies are derived from the stored messages on every cycle (the
matcher is pure and cheap), so the only facts kept here are the ones that cannot be
re-derived: what the mailbox looked like, and what this program wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from followup.core.errors import StateError
from followup.core.model import MessageMeta, StageName, StageRecord, StageState
from followup.store_codec import meta_from_json, meta_to_json

FolderRole = Literal["watched", "sent"]
DB_NAME = "state.sqlite3"

# Each entry migrates from user_version == index to index + 1.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE cursors (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        cursor TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (account, folder)
    );
    CREATE TABLE messages (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid TEXT NOT NULL,
        role TEXT NOT NULL,
        message_id TEXT NOT NULL,
        date TEXT,
        meta TEXT NOT NULL,
        PRIMARY KEY (account, folder, uid)
    );
    CREATE INDEX messages_by_message_id ON messages (message_id);
    CREATE TABLE stages (
        interview_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        state TEXT NOT NULL,
        account TEXT NOT NULL,
        message_id TEXT NOT NULL,
        ref TEXT,
        reason TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (interview_id, stage)
    );
    CREATE TABLE account_health (
        account TEXT PRIMARY KEY,
        ok INTEGER NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        interview_id TEXT,
        stage TEXT,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    # What the user was told (followup.notify.notices), so nothing is told twice.
    "CREATE TABLE IF NOT EXISTS notices (key TEXT PRIMARY KEY, event TEXT NOT NULL, at TEXT NOT NULL)",
)
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True)
class StoredMessage:
    account: str
    role: FolderRole
    meta: MessageMeta


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    interview_id: str | None
    stage: str | None
    kind: str
    detail: str


class Store:
    """The state database; one per state_dir. Every write is its own transaction."""

    def __init__(self, path: Path, *, busy_timeout: float = 10.0) -> None:
        """Open (creating and migrating) the database; ``busy_timeout`` is how many seconds
        a write waits for another process's transaction before giving up."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                # Create with 0600 before SQLite touches it, so no window exists where
                # another user could read it.
                fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            self._db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
            self._use_wal(busy_timeout)
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StateError(_state_problem(path, exc)) from exc
        except OSError as exc:
            raise StateError(f"cannot open the state database {path}: {exc.strerror}") from exc

    def _use_wal(self, busy_timeout: float) -> None:
        """Switch a new database to WAL (it stays so). SQLite does not wait for the lock a
        journal-mode change needs, so a process racing another one to create the
        database retries here for up to the busy timeout."""
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                (mode,) = self._db.execute("PRAGMA journal_mode").fetchone()
                if str(mode).lower() != "wal":
                    self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    @classmethod
    def in_dir(cls, state_dir: Path, *, busy_timeout: float = 10.0) -> Store:
        return cls(state_dir / DB_NAME, busy_timeout=busy_timeout)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    def _version(self) -> int:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StateError(
                f"the state database {self.path} was written by a newer followup "
                f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade followup"
            )
        return int(version)

    def _migrate(self) -> None:
        """Bring the schema up to date in one write transaction.

        The version is read again inside it: another process (a ``status`` next to a daemon
        that creates a fresh database) may have migrated between the first look and the lock.
        """
        if self._version() == SCHEMA_VERSION:
            return
        with self._tx():
            for target in range(self._version(), SCHEMA_VERSION):
                for statement in _split_sql(_MIGRATIONS[target]):
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any database failure becomes a ``StateError``."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StateError(_state_problem(self.path, exc)) from exc
        try:
            yield self._db
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StateError(_state_problem(self.path, exc)) from exc
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise StateError(_state_problem(self.path, exc)) from exc

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction, for modules that keep a table of their own (``notices``)."""
        return self._tx()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read; a damaged database or a stored value that does not parse is a ``StateError``."""
        try:
            yield self._db
        except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError) as exc:
            raise StateError(_state_problem(self.path, exc)) from exc

    # --- sync -------------------------------------------------------------------------

    def cursor(self, account: str, folder: str) -> tuple[str, dt.date] | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT cursor, since FROM cursors WHERE account=? AND folder=?", (account, folder)
            ).fetchone()
            return None if row is None else (str(row[0]), dt.date.fromisoformat(row[1]))

    def save_fetch(
        self,
        account: str,
        folder: str,
        role: FolderRole,
        messages: Sequence[MessageMeta],
        cursor: str,
        since: dt.date,
        *,
        reset: bool,
    ) -> None:
        """Store a fetch result and its cursor atomically (a crash keeps the old cursor)."""
        with self._tx() as db:
            if reset:
                db.execute("DELETE FROM messages WHERE account=? AND folder=?", (account, folder))
            db.executemany(
                "INSERT OR REPLACE INTO messages (account, folder, uid, role, message_id, date, meta)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        account,
                        folder,
                        m.uid,
                        role,
                        m.message_id,
                        m.date.isoformat() if m.date else None,
                        meta_to_json(m),
                    )
                    for m in messages
                ],
            )
            db.execute(
                "INSERT OR REPLACE INTO cursors (account, folder, cursor, since) VALUES (?, ?, ?, ?)",
                (account, folder, cursor, since.isoformat()),
            )

    def messages(self) -> list[StoredMessage]:
        with self._reading() as db:
            rows = db.execute("SELECT account, role, meta FROM messages ORDER BY date, uid")
            return [StoredMessage(r[0], r[1], meta_from_json(r[2])) for r in rows]

    def message_count(self) -> int:
        with self._reading() as db:
            return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])

    # --- drafts -----------------------------------------------------------------------

    def stage_records(self) -> dict[tuple[str, StageName], StageRecord]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT interview_id, stage, state, account, message_id, ref, reason, updated_at"
                " FROM stages"
            )
            return {
                (r[0], r[1]): StageRecord(
                    r[0], r[1], r[2], r[3], r[4], r[5], r[6], dt.datetime.fromisoformat(r[7])
                )
                for r in rows
            }

    def record_stage(
        self,
        interview_id: str,
        stage: StageName,
        state: StageState,
        *,
        account: str,
        message_id: str,
        ref: str | None,
        reason: str,
        now: dt.datetime,
    ) -> None:
        """Record a stage's new state and log the event in the same transaction."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO stages"
                " (interview_id, stage, state, account, message_id, ref, reason, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (interview_id, stage, state, account, message_id, ref, reason, now.isoformat()),
            )
            _insert_event(db, now, state, reason, interview_id, stage)

    def log_event(
        self,
        now: dt.datetime,
        kind: str,
        detail: str,
        interview_id: str | None = None,
        stage: str | None = None,
    ) -> None:
        with self._tx() as db:
            _insert_event(db, now, kind, detail, interview_id, stage)

    def set_account_health(self, account: str, ok: bool, detail: str, now: dt.datetime) -> None:
        """Remember the last sync outcome per account, for ``status`` and ``check``."""
        with self._tx() as db:
            old = db.execute(
                "SELECT ok, detail FROM account_health WHERE account=?", (account,)
            ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO account_health (account, ok, detail, at) VALUES (?, ?, ?, ?)",
                (account, int(ok), detail, now.isoformat()),
            )
            if old is None or (bool(old[0]), old[1]) != (ok, detail):
                kind = "account-ok" if ok else "account-error"
                _insert_event(db, now, kind, f"{account}: {detail}")

    def account_health(self) -> dict[str, tuple[bool, str, dt.datetime]]:
        with self._reading() as db:
            rows = db.execute("SELECT account, ok, detail, at FROM account_health")
            return {r[0]: (bool(r[1]), r[2], dt.datetime.fromisoformat(r[3])) for r in rows}

    def events(self, limit: int = 100) -> list[Event]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT at, interview_id, stage, kind, detail FROM events ORDER BY id DESC LIMIT ?",
                (limit,),
            )
            return [Event(dt.datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def _insert_event(
    db: sqlite3.Connection,
    now: dt.datetime,
    kind: str,
    detail: str,
    interview_id: str | None = None,
    stage: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO events (at, interview_id, stage, kind, detail) VALUES (?, ?, ?, ?, ?)",
        (now.isoformat(), interview_id, stage, kind, detail),
    )


def _split_sql(script: str) -> Iterable[str]:
    return (s.strip() for s in script.split(";") if s.strip())


def _state_problem(path: Path, exc: BaseException) -> str:
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
