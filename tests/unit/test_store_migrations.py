"""State database migrations: an old database upgrades in place, each step atomically."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from followup import store as store_module
from followup.core.errors import StateError
from followup.store import Store
from followup.store_schema import MIGRATIONS, SCHEMA_VERSION

NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def tables_of(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def make_version_1(path: Path) -> None:
    """A database exactly as the first release wrote it, with one drafted stage."""
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO stages VALUES ('acme', 'check_in', 'drafted', 'mail', 'm@x', 'r1', 'due', ?)",
        (NOW.isoformat(),),
    )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()


def test_a_first_release_database_gains_the_notices_table_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.sqlite3"
    make_version_1(path)
    store = Store(path)
    try:
        records = store.stage_records()
    finally:
        store.close()
    assert version_of(path) == SCHEMA_VERSION >= 2
    assert "notices" in tables_of(path)
    assert records[("acme", "check_in", 1)].state == "drafted"


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.sqlite3"
    make_version_1(path)
    broken = (*MIGRATIONS, "CREATE TABLE half (a); CREATE TABLE broken (")
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(broken))
    with pytest.raises(StateError):
        Store(path)
    # One transaction for the whole upgrade: nothing of it stays, not even the good steps.
    assert version_of(path) == 1
    assert tables_of(path).isdisjoint({"notices", "half"})
    monkeypatch.undo()
    Store(path).close()  # the real upgrade still goes through afterwards
    assert version_of(path) == SCHEMA_VERSION
    assert "notices" in tables_of(path)


def test_a_migrated_database_opens_again_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    make_version_1(path)
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO notices VALUES ('draft:m@x', 'draft_written', ?)", (NOW.isoformat(),)
        )
    Store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT key FROM notices").fetchall() == [("draft:m@x",)]
    assert version_of(path) == SCHEMA_VERSION
