"""What matching concluded is kept with the state: the same answer as matching again, and
never an answer of another revision, another config or a damaged cache."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

import followup.facts
from followup import derived
from followup.config import Config, load_config
from followup.core.matching import match_all
from followup.core.planner import InterviewFacts
from followup.engine import run_once
from followup.facts import derive_facts
from followup.mailbox.maildir import MaildirMailbox
from followup.store import Store
from support.maildir_env import AFTER_DUE, NY, Env
from support.messages import DANA, mail

NOW = dt.datetime.fromisoformat(AFTER_DUE).replace(tzinfo=NY)
DELAY = "Hi Jordan,\n\nWe are still deciding; expect news by December 4.\n\nBest,\nDana\n"


class Rules:
    """Counts how often the matching rules ran (the expensive part a cache saves)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        real = match_all

        def counted(*args: object, **kwargs: object) -> object:
            self.runs += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(followup.facts, "match_all", counted)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    e = Env(tmp_path)
    e.put("INBOX", mail("delay@acme.example", dt.datetime(2026, 11, 19, 15, tzinfo=NY), body=DELAY))
    e.put("INBOX", mail("news@other.example", sender="News <news@other.example>", body="Hello"))
    return e


def cycle(config: Config, store: Store, now: dt.datetime = NOW) -> None:
    run_once(config, {"local": MaildirMailbox(config.accounts[0])}, store, now)  # type: ignore[arg-type]


def fresh(config: Config, store: Store) -> list[InterviewFacts]:
    return derive_facts(config, store.messages())[0]


def test_the_cached_facts_are_the_facts_matching_finds(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    cached = derived.interview_facts(config, store)
    assert cached == fresh(config, store)
    assert cached[0].answers and cached[0].answers[0].promised_by == dt.date(2026, 12, 4)
    assert cached[0].own_messages  # the thank-you note, for threading


def test_a_quiet_poll_and_status_never_run_the_matching_rules(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    rules = Rules(monkeypatch)
    cycle(config, store, NOW + dt.timedelta(minutes=5))
    derived.plan_from_store(config, store, NOW + dt.timedelta(minutes=6))
    assert rules.runs == 0


def test_new_mail_is_matched_before_the_next_plan(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    env.put(
        "INBOX",
        mail(
            "offer@acme.example",
            NOW,
            body="Hi Jordan,\n\nWe would like to make you an offer.\n\nDana\n",
        ),
    )
    rules = Rules(monkeypatch)
    cycle(config, store, NOW + dt.timedelta(minutes=5))
    assert rules.runs >= 1
    kinds = [a.kind for a in derived.interview_facts(config, store)[0].answers]
    assert kinds[-1] == "offer"
    assert derived.interview_facts(config, store) == fresh(config, store)


def test_a_changed_interview_is_matched_again(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    assert derived.interview_facts(config, store)[0].answers
    # Dana's address is no longer a contact and acme.example no longer the company's domain:
    # her mail no longer ties to the interview.
    env.config.write_text(
        env.config.read_text("utf-8")
        .replace(f'contacts = ["{DANA}"]', 'contacts = ["hr@initech.example"]')
        .replace('company = "Acme Corp"', 'company = "Initech"'),
        "utf-8",
    )
    changed = load_config(env.config)
    assert derived.fingerprint(changed) != derived.fingerprint(config)
    assert derived.interview_facts(changed, store) == fresh(changed, store)
    assert not derived.interview_facts(changed, store)[0].answers


def test_every_change_of_messages_or_their_facts_moves_the_revision(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    start = derived.revision(store)
    cycle(config, store)
    after_sync = derived.revision(store)
    assert after_sync > start
    cycle(config, store, NOW + dt.timedelta(minutes=5))
    assert derived.revision(store) == after_sync  # nothing new: nothing moved
    with store.transaction() as db:
        db.execute("DELETE FROM text_facts")
    assert derived.revision(store) > after_sync


def test_a_damaged_cache_is_rebuilt_never_trusted(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    for garbage in ('{"format": 1, "interviews": {"acme-backend": {}}}', "not json", "[]"):
        with store.transaction() as db:
            db.execute("UPDATE derived SET payload = ?", (garbage,))
        with caplog.at_level(logging.WARNING, "followup.derived"):
            assert derived.interview_facts(config, store) == fresh(config, store)
        assert "do not read back" in caplog.text
        caplog.clear()
        with store.reading() as db:
            (payload,) = db.execute("SELECT payload FROM derived").fetchone()
        assert derived.decode(payload, config) == fresh(config, store)  # rebuilt, not kept


def test_a_cache_of_other_interviews_does_not_fit(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    payload = derived.encode(fresh(config, store))
    env.config.write_text(
        env.config.read_text("utf-8").replace('id = "acme-backend"', 'id = "acme-platform"'),
        "utf-8",
    )
    with pytest.raises(KeyError):
        derived.decode(payload, load_config(env.config))


def test_a_database_that_cannot_take_the_cache_still_answers(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    with store.transaction() as db:
        db.execute("DELETE FROM derived")
    reader = Store.in_dir(config.daemon.state_dir, busy_timeout=0.1)
    with store.transaction():  # another process holds the write lock
        assert derived.interview_facts(config, reader) == fresh(config, reader)
    reader.close()


def test_the_users_own_mail_is_what_threads_the_draft(env: Env) -> None:
    config = load_config(env.config)
    store = Store.in_dir(config.daemon.state_dir)
    cycle(config, store)
    own = derived.interview_facts(config, store)[0].own_messages
    assert [m.message_id for m in own] == ["ty@example.com"]
    assert own[0].sender is not None and own[0].sender.email == "jordan@example.com"
