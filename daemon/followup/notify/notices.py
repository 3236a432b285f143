"""What the user has been told, kept in the state database so nothing is told twice.

An event is recorded *before* it is handed to the publisher: a crash in between loses
that one notification rather than repeating it after the restart (at most once, like a
draft). Answers known when followup first looks at a mailbox are old news: the first clean
sync takes them as the baseline without announcing them (an upgrade or a fresh install
does not replay every earlier reply).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from followup.notify.events import Event
from followup.store import Store

ANSWERS_BASELINE = "baseline:answers"


def claim(
    store: Store,
    events: Sequence[Event],
    now: dt.datetime,
    *,
    all_synced: bool,
    healthy_accounts: Iterable[str] = (),
) -> list[Event]:
    """The events never told before, now recorded as told; one transaction.

    ``all_synced``: every account synced in this step, so the answers known now are the
    whole picture (the baseline is taken only then). An account in ``healthy_accounts``
    forgets its sign-in notice, so the next failure is told again.
    """
    fresh: list[Event] = []
    with store.transaction() as db:
        for account in healthy_accounts:
            db.execute("DELETE FROM notices WHERE key=?", (f"auth:{account}",))
        has_baseline = (
            db.execute("SELECT 1 FROM notices WHERE key=?", (ANSWERS_BASELINE,)).fetchone()
            is not None
        )
        take_baseline = not has_baseline and all_synced
        rows = [(ANSWERS_BASELINE, "baseline", now.isoformat())] if take_baseline else []
        for event in events:
            if event.event == "answer_arrived" and not has_baseline:
                if take_baseline:
                    rows.append((event.key, event.event, now.isoformat()))
                continue
            inserted = db.execute(
                "INSERT OR IGNORE INTO notices (key, event, at) VALUES (?, ?, ?)",
                (event.key, event.event, now.isoformat()),
            ).rowcount
            if inserted == 1:
                fresh.append(event)
        db.executemany("INSERT OR IGNORE INTO notices (key, event, at) VALUES (?, ?, ?)", rows)
    return fresh


def told(store: Store) -> set[str]:
    """Every key recorded as told (for tests and ``status``)."""
    with store.transaction() as db:
        return {str(row[0]) for row in db.execute("SELECT key FROM notices")}
