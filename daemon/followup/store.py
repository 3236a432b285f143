"""SQLite state: sync cursors, the messages seen, draft intents and records, an event log.

Thread knowledge and replies are derived from the stored messages on every cycle (the
matcher is pure and cheap), so the facts kept here are the ones that cannot be
re-derived without the mailbox: what it looked like, what the text of the messages that
concern an interview said (``text_facts``; never the text itself), and what this program
wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from followup.core.errors import StateError
from followup.core.model import MessageMeta, StageName, StageRecord, StageState
from followup.store_codec import meta_from_json, meta_to_json
from followup.store_problems import state_problem
from followup.store_schema import MIGRATIONS, SCHEMA_VERSION, statements

if TYPE_CHECKING:
    from followup.core.text_facts import TextFacts

FolderRole = Literal["watched", "sent"]
DB_NAME = "state.sqlite3"


@dataclass(frozen=True)
class StoredMessage:
    account: str
    role: FolderRole
    meta: MessageMeta
    facts: TextFacts | None = None  # what its text said, when it was read


@dataclass(frozen=True)
class AccountHealth:
    """The last sync of one account: how it went, and when one last went well."""

    ok: bool
    detail: str
    at: dt.datetime
    last_sync: dt.datetime | None


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
            raise StateError(state_problem(path, exc)) from exc
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
                for statement in statements(MIGRATIONS[target]):
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any database failure becomes a ``StateError``."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StateError(state_problem(self.path, exc)) from exc
        try:
            yield self._db
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StateError(state_problem(self.path, exc)) from exc
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise StateError(state_problem(self.path, exc)) from exc

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction, for modules that keep a table of their own (``notices``)."""
        return self._tx()

    def reading(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A read, for modules that keep a table of their own (``derived``)."""
        return self._reading()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read; a damaged database or a stored value that does not parse is a ``StateError``."""
        try:
            yield self._db
        except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError) as exc:
            raise StateError(state_problem(self.path, exc)) from exc

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
        facts: Mapping[str, TextFacts] | None = None,
    ) -> None:
        """Store a fetch result, what its texts said (by uid) and the cursor atomically (a
        crash keeps the old cursor)."""
        with self._tx() as db:
            if reset:
                db.execute("DELETE FROM messages WHERE account=? AND folder=?", (account, folder))
                db.execute("DELETE FROM text_facts WHERE account=? AND folder=?", (account, folder))
            _insert_facts(db, account, folder, facts or {})
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

    def save_text_facts(self, account: str, folder: str, facts: Mapping[str, TextFacts]) -> None:
        """Keep what the texts of some stored messages said (read again after a change)."""
        with self._tx() as db:
            _insert_facts(db, account, folder, facts)

    def messages(self) -> list[StoredMessage]:
        """Every stored message with its text facts, oldest first."""
        # The facts' codec brings the reading rules' types: only the readers of messages
        # (a cycle, `explain`, a stale derived cache) pay for it, never a warm `status`.
        from followup.facts_codec import facts_from_json

        with self._reading() as db:
            rows = db.execute(
                "SELECT m.account, m.role, m.meta, f.key, f.facts FROM messages m"
                " LEFT JOIN text_facts f"
                " ON f.account = m.account AND f.folder = m.folder AND f.uid = m.uid"
                " ORDER BY m.date, m.uid"
            )
            return [
                StoredMessage(
                    r[0], r[1], meta_from_json(r[2]), facts_from_json(r[3], r[4]) if r[3] else None
                )
                for r in rows
            ]

    def message_count(self) -> int:
        with self._reading() as db:
            return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])

    # --- drafts -----------------------------------------------------------------------

    def stage_records(self) -> dict[tuple[str, StageName, int], StageRecord]:
        """What was done per (interview, stage, round)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT interview_id, stage, state, account, message_id, ref, reason, updated_at,"
                " round FROM stages"
            )
            return {
                (r[0], r[1], int(r[8])): StageRecord(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    dt.datetime.fromisoformat(r[7]),
                    int(r[8]),
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
        round_: int = 1,
    ) -> None:
        """Record a stage's new state and log the event in the same transaction."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO stages (interview_id, stage, round, state, account,"
                " message_id, ref, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    interview_id,
                    stage,
                    round_,
                    state,
                    account,
                    message_id,
                    ref,
                    reason,
                    now.isoformat(),
                ),
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
                "SELECT ok, detail, last_sync FROM account_health WHERE account=?", (account,)
            ).fetchone()
            last_sync = now.isoformat() if ok else (old[2] if old else None)
            db.execute(
                "INSERT OR REPLACE INTO account_health (account, ok, detail, at, last_sync)"
                " VALUES (?, ?, ?, ?, ?)",
                (account, int(ok), detail, now.isoformat(), last_sync),
            )
            if old is None or (bool(old[0]), old[1]) != (ok, detail):
                kind = "account-ok" if ok else "account-error"
                _insert_event(db, now, kind, f"{account}: {detail}")

    def account_health(self) -> dict[str, AccountHealth]:
        with self._reading() as db:
            rows = db.execute("SELECT account, ok, detail, at, last_sync FROM account_health")
            return {
                r[0]: AccountHealth(
                    bool(r[1]),
                    r[2],
                    dt.datetime.fromisoformat(r[3]),
                    dt.datetime.fromisoformat(r[4]) if r[4] else None,
                )
                for r in rows
            }

    def events(self, limit: int = 100) -> list[Event]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT at, interview_id, stage, kind, detail FROM events ORDER BY id DESC LIMIT ?",
                (limit,),
            )
            return [Event(dt.datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def _insert_facts(
    db: sqlite3.Connection, account: str, folder: str, facts: Mapping[str, TextFacts]
) -> None:
    from followup.facts_codec import facts_to_json  # see Store.messages

    db.executemany(
        "INSERT OR REPLACE INTO text_facts (account, folder, uid, key, facts) VALUES (?, ?, ?, ?, ?)",
        [(account, folder, uid, f.key, facts_to_json(f)) for uid, f in facts.items()],
    )


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
