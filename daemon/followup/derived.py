"""What matching and reading concluded about each interview, kept beside the state.

Matching every stored message is the costly part of planning, and its answer only changes
when the messages, their text facts, the config or the rules change. The database moves a
revision on every change of the first two (triggers, migration 4); the fingerprint covers
the rest, down to the source of the rules. So a quiet poll and `status` plan from this
cache without importing the rules, and anything else recomputes. A cache that does not read
back is rebuilt, never trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import followup
from followup.config import Config
from followup.core.errors import StateError
from followup.core.model import MessageMeta
from followup.core.planner import InterviewFacts, InterviewPlan, plan_all
from followup.core.rounds import Answer
from followup.holiday_tables import calendar_for
from followup.store import Store
from followup.store_codec import meta_from_dict, meta_to_dict

log = logging.getLogger(__name__)

FORMAT = 1
KEPT_CONFIGS = 4
_PACKAGE = Path(followup.__file__).parent
# Whatever decides what a stored message means: every rule and model of the pure core, how
# facts are derived from them, and how messages, facts and this cache are kept.
_RULE_SOURCES = ("core", "facts.py", "derived.py", "store_codec.py", "facts_codec.py")


def _rules_digest() -> str:
    digest = hashlib.sha256(followup.__version__.encode())
    for name in _RULE_SOURCES:
        where = _PACKAGE / name
        for path in sorted(where.rglob("*.py")) if where.is_dir() else [where]:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            try:
                digest.update(path.read_bytes())
            except OSError:  # an install without sources: the version stands for them
                digest.update(b"?")
    return digest.hexdigest()


def fingerprint(config: Config) -> str:
    """Everything the derived facts depend on besides the stored messages and facts."""
    parts = (
        f"derived {FORMAT}",
        _rules_digest(),
        repr(config.interviews),
        repr(config.identity),
        repr(config.schedule),
    )
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def interview_facts(config: Config, store: Store) -> list[InterviewFacts]:
    """Per interview, what the mailbox says: from the cache when it is current, else by
    matching and reading the stored messages again (and caching that)."""
    key = fingerprint(config)
    payload = _cached(store, key)
    if payload is not None:
        try:
            return decode(payload, config)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning(
                "the cached interview facts do not read back (%s); deriving them again", exc
            )
    from followup.facts import derive_facts  # the rules: only when the cache cannot answer

    at_revision = _revision(store)  # before the messages: a later change only makes it stale
    facts, _, _ = derive_facts(config, store.messages())
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO derived (fingerprint, revision, payload) VALUES (?, ?, ?)",
                (key, at_revision, encode(facts)),
            )
            # An older revision never comes back; a few configs (the daemon's and one being
            # edited) are kept side by side so they do not take turns matching again.
            db.execute(
                "DELETE FROM derived WHERE revision < ? OR fingerprint NOT IN"
                " (SELECT fingerprint FROM derived ORDER BY rowid DESC LIMIT ?)",
                (at_revision, KEPT_CONFIGS),
            )
    except StateError as exc:  # a busy or read-only database: the answer stands uncached
        log.info("the interview facts were not cached: %s", exc)
    return facts


def plan_from_store(config: Config, store: Store, now: dt.datetime) -> list[InterviewPlan]:
    """Every interview's plan as of ``now``, from the state alone (no mailbox is asked)."""
    return plan_all(
        config.identity,
        config.schedule,
        interview_facts(config, store),
        store.stage_records(),
        now,
        calendar_for(config.schedule),
    )


def revision(store: Store) -> int:
    """The revision of the stored messages and text facts (it moves on every change)."""
    return _revision(store)


def _revision(store: Store) -> int:
    with store.reading() as db:
        return int(db.execute("SELECT n FROM revision").fetchone()[0])


def _cached(store: Store, key: str) -> str | None:
    with store.reading() as db:
        row = db.execute(
            "SELECT d.payload FROM derived d, revision r"
            " WHERE d.fingerprint = ? AND d.revision = r.n",
            (key,),
        ).fetchone()
    return None if row is None else str(row[0])


# --- the payload ------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer_to(a: Answer) -> dict[str, Any]:
    return {
        "meta": meta_to_dict(a.meta),
        "match_reason": a.match_reason,
        "kind": a.kind,
        "reason": a.reason,
        "promised_by": _iso(a.promised_by),
        "away_until": _iso(a.away_until),
        "meeting": _iso(a.meeting),
        "from_contact": a.from_contact,
    }


def _answer_from(d: dict[str, Any]) -> Answer:
    def day(v: object) -> dt.date | None:
        return dt.date.fromisoformat(str(v)) if v is not None else None

    return Answer(
        meta=meta_from_dict(d["meta"]),
        match_reason=str(d["match_reason"]),
        kind=None if d["kind"] is None else str(d["kind"]),
        reason=str(d["reason"]),
        promised_by=day(d["promised_by"]),
        away_until=day(d["away_until"]),
        meeting=None if d["meeting"] is None else dt.datetime.fromisoformat(d["meeting"]),
        from_contact=bool(d["from_contact"]),
    )


def _metas(items: object) -> tuple[MessageMeta, ...]:
    if not isinstance(items, list):
        raise TypeError("a cached message list is not a list")
    return tuple(meta_from_dict(m) for m in items)


def encode(facts: Sequence[InterviewFacts]) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "interviews": {
                f.interview.id: {
                    "answers": [_answer_to(a) for a in f.answers],
                    "own": [meta_to_dict(m) for m in f.own_messages],
                    "conversation": [meta_to_dict(m) for m in f.conversation],
                }
                for f in facts
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(payload: str, config: Config) -> list[InterviewFacts]:
    """The cached facts, in config order; raises when the payload does not fit the config."""
    d = json.loads(payload)
    if d["format"] != FORMAT:
        raise ValueError(f"format {d['format']!r}")
    entries = d["interviews"]
    out = []
    for iv in config.interviews:
        e = entries[iv.id]
        out.append(
            InterviewFacts(
                interview=iv,
                answers=tuple(_answer_from(a) for a in e["answers"]),
                own_messages=_metas(e["own"]),
                conversation=_metas(e["conversation"]),
            )
        )
    if len(entries) != len(out):
        raise ValueError("the cache names other interviews")
    return out
