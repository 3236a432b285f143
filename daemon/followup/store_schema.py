"""The state database's schema, as the migrations that build it one version at a time.

``PRAGMA user_version`` says how many have run; ``Store`` runs the rest in one
transaction. A migration is never edited once released: a change is a new entry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# Each entry migrates from user_version == index to index + 1.
MIGRATIONS: tuple[str, ...] = (
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
    # 3: stage records per (interview, stage, round); what the text said, never the text.
    """
    CREATE TABLE stages_by_round (
        interview_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        round INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL,
        account TEXT NOT NULL,
        message_id TEXT NOT NULL,
        ref TEXT,
        reason TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (interview_id, stage, round)
    );
    INSERT INTO stages_by_round
        (interview_id, stage, round, state, account, message_id, ref, reason, updated_at)
        SELECT interview_id, stage, 1, state, account, message_id, ref, reason, updated_at
        FROM stages;
    DROP TABLE stages;
    ALTER TABLE stages_by_round RENAME TO stages;
    CREATE TABLE text_facts (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid TEXT NOT NULL,
        key TEXT NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (account, folder, uid)
    );
    UPDATE messages SET meta = json_remove(meta, '$.body_excerpt');
    ALTER TABLE account_health ADD COLUMN last_sync TEXT;
    UPDATE account_health SET last_sync = at WHERE ok = 1;
    """,
    # 4: a revision of what matching reads (messages and their text facts), moved by the
    # database itself on every change, and what matching concluded at one revision
    # (followup.derived), so a quiet poll and `status` need not match again.
    """
    CREATE TABLE revision (n INTEGER NOT NULL);
    INSERT INTO revision (n) VALUES (0);
    CREATE TRIGGER messages_inserted AFTER INSERT ON messages
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TRIGGER messages_updated AFTER UPDATE ON messages
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TRIGGER messages_deleted AFTER DELETE ON messages
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TRIGGER text_facts_inserted AFTER INSERT ON text_facts
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TRIGGER text_facts_updated AFTER UPDATE ON text_facts
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TRIGGER text_facts_deleted AFTER DELETE ON text_facts
        BEGIN UPDATE revision SET n = n + 1; END;
    CREATE TABLE derived (
        fingerprint TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE TABLE rereads_done (
        account TEXT PRIMARY KEY,
        facts_key TEXT NOT NULL,
        revision INTEGER NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> Iterable[str]:
    """The statements of a migration, one by one (a trigger's body keeps its own ``;``)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                yield statement.strip()
            statement = ""
    if statement.strip(" \n;"):
        yield statement.strip()
