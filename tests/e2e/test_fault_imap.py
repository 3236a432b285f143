"""DESIGN §1 under a hostile network: cut IMAP connections anywhere, kill the process anywhere.

Every cut goes through ``support.tcp_proxy`` between a real ``ImapMailbox`` and a real
Dovecot. After every cycle the same invariants must hold: never two drafts with our
Message-ID, never a lost draft once a cycle completed, no flag of the user's mail
changed, and the state database agreeing with the Drafts folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from imapclient import IMAPClient

from followup.config import Config, ImapAccount, load_config
from followup.core.drafts import message_id_for
from followup.core.errors import MailboxUnreachable
from followup.engine import CycleReport, run_once
from followup.mailbox.imap import ImapMailbox
from followup.store import Store
from support.cli import followup
from support.configs import acme_interview, head, imap_account
from support.dovecot import DovecotServer
from support.messages import DANA, ME, mail
from support.tcp_proxy import Direction, TcpProxy

pytestmark = pytest.mark.imap

NY = ZoneInfo("America/New_York")
# Promised Fri 2026-11-20 → check-in due Fri 2026-11-27 09:00 (Thanksgiving skipped).
AFTER_DUE = dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY)
LATER = dt.datetime(2026, 11, 27, 12, 0, tzinfo=NY)
LATEST = dt.datetime(2026, 11, 27, 14, 0, tzinfo=NY)
OUR_ID = message_id_for("acme-backend", "check_in", "jordan@example.com")
# 200 randomized cuts in CI; a quick sample of them locally (FAULT_RUNS=200 for the full run).
FAULT_RUNS = int(os.environ.get("FAULT_RUNS", "200" if os.environ.get("CI") else "20"))
FAULT_SEED = int(os.environ.get("FAULT_SEED", "20261127"))

# The user's mail, with every kind of flag: none of them may ever change.
USER_MAIL: tuple[tuple[str, bytes, tuple[bytes, ...]], ...] = (
    (
        "Sent",
        mail(
            "ty@example.com",
            dt.datetime(2026, 11, 16, 18, tzinfo=NY),
            sender=ME,
            to=DANA,
            subject="Thank you for today",
        ),
        (rb"\Seen",),
    ),
    (
        "INBOX",
        mail("news@list.example", dt.datetime(2026, 11, 18, 8, tzinfo=NY), sender="n@list.example"),
        (),
    ),
    (
        "INBOX",
        mail("bank@bank.example", dt.datetime(2026, 11, 19, 8, tzinfo=NY), sender="b@bank.example"),
        (rb"\Seen", rb"\Flagged"),
    ),
    (
        "INBOX",
        mail("old@acme.example", dt.datetime(2026, 11, 10, 8, tzinfo=NY), subject="Interview"),
        (rb"\Answered", rb"\Seen"),
    ),
)


class Scenario:
    """One fresh Dovecot user with the Acme interview, seen through a proxy."""

    def __init__(self, server: DovecotServer, root: Path, port: int) -> None:
        self.server = server
        self.root = root
        self.user = server.add_user()
        root.mkdir(parents=True, exist_ok=True)
        self.config_path = root / "config.toml"
        self.config_path.write_text(
            head(root / "state", stages=["check_in"])
            # Cuts fail at once; the generous timeout is for the server side of a cut
            # session, which on a loaded machine may hold the Maildir lock for seconds.
            + imap_account(port, self.user, f"printf %s {server.password(self.user)}", timeout=15)
            + acme_interview(),
            encoding="utf-8",
        )
        self.config: Config = load_config(self.config_path)
        self._direct: IMAPClient | None = None
        for folder, raw, flags in USER_MAIL:
            self.deliver(folder, raw, flags)
        self.expected_flags = self.user_flags()
        self.store = Store.in_dir(root / "state")

    def direct(self) -> IMAPClient:
        """The user's own mail client: one session, reused by every check, never proxied.

        The server may have been restarted since the last check: then log in again.
        """
        if self._direct is not None:
            try:
                self._direct.noop()
            except (OSError, imaplib.IMAP4.abort):
                self._direct = None
        if self._direct is None:
            self._direct = self.server.client(self.user)
        return self._direct

    def deliver(self, folder: str, raw: bytes, flags: tuple[bytes, ...] = ()) -> None:
        with contextlib.nullcontext(self.direct()) as client:
            client.append(self.server.folder(folder), raw, flags=flags)

    def add_user_mail(self, folder: str, raw: bytes, flags: tuple[bytes, ...] = ()) -> None:
        self.deliver(folder, raw, flags)
        self.expected_flags = self.user_flags()

    def mailbox(self, attempts: int = 1) -> ImapMailbox:
        account = self.config.accounts[0]
        assert isinstance(account, ImapAccount)
        return ImapMailbox(account, attempts=attempts, sleep=lambda _s: None)

    def cycle(self, now: dt.datetime, attempts: int = 1) -> CycleReport:
        box = self.mailbox(attempts)
        try:
            return run_once(self.config, {"mail": box}, self.store, now)
        finally:
            box.close()

    def settle(self, now: dt.datetime) -> CycleReport:
        """The next run after a fault has fired: no cut is armed any more, and it may retry
        once, as the daemon does, so that a server slow to greet on a loaded machine is not
        taken for a broken promise. Every invariant is checked after it all the same."""
        return self.cycle(now, attempts=2)

    # what the server holds, read directly (never through the proxy) ---------------------

    def user_flags(self) -> dict[str, frozenset[bytes]]:
        out: dict[str, frozenset[bytes]] = {}
        with contextlib.nullcontext(self.direct()) as client:
            for folder in ("INBOX", "Sent"):
                client.select_folder(self.server.folder(folder), readonly=True)
                items = ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
                for data in client.fetch(client.search(), items).values():
                    header = next(v for k, v in data.items() if k.startswith(b"BODY["))
                    key = folder + ":" + header.decode().split(":", 1)[1].strip()
                    out[key] = frozenset(f for f in data[b"FLAGS"] if f != rb"\Recent")
        return out

    def our_drafts(self, *, marked_deleted_too: bool = False) -> list[int]:
        """UIDs in Drafts carrying our Message-ID.

        A withdrawal cut between STORE and UID EXPUNGE leaves the draft marked
        ``\\Deleted`` until the next run; by default such a draft does not count.
        """
        criteria = ["HEADER", "Message-ID", f"<{OUR_ID}>"]
        if not marked_deleted_too:
            criteria += ["NOT", "DELETED"]
        with contextlib.nullcontext(self.direct()) as client:
            client.select_folder(self.server.folder("Drafts"), readonly=True)
            return sorted(client.search(criteria))

    def record(self) -> tuple[str, str | None] | None:
        rec = self.store.stage_records().get(("acme-backend", "check_in", 1))
        return None if rec is None else (rec.state, rec.ref)

    def check(self, *, settled: str | None = None, withdrawing: bool = False) -> None:
        """The invariants; ``settled`` names the state a completed clean cycle must reach.

        ``withdrawing``: a withdrawal may have been cut part-way, so the state may still be
        "withdrawing" (recorded before the removal was sent) until the next run settles it.
        """
        drafts = self.our_drafts()
        present = self.our_drafts(marked_deleted_too=True)
        assert len(present) <= 1, f"duplicate drafts {present}"
        assert self.user_flags() == self.expected_flags, "a flag of the user's mail changed"
        record = self.record()
        if record is not None:
            state, ref = record
            if state == "drafted" and ref is not None:
                assert len(present) == 1, "the state says drafted but Drafts has no draft"
            if state == "withdrawing":
                assert withdrawing, "a withdrawal was left unfinished by a clean cycle"
            if state == "withdrawn":
                assert drafts == [], "the state says withdrawn but the draft is still there"
        if settled == "drafted":
            assert record is not None and record[0] == "drafted" and record[1] is not None
            assert len(drafts) == 1, "a due draft was lost"
        elif settled == "withdrawn":
            assert drafts == [], "a draft survived the reply"
            assert record is not None and record[0] == "withdrawn"

    def reply(self) -> None:
        """Dana answers after the draft was written: it must be withdrawn."""
        self.add_user_mail(
            "INBOX", mail("reply@acme.example", dt.datetime(2026, 11, 27, 11, tzinfo=NY))
        )

    def close(self) -> None:
        self.store.close()
        if self._direct is not None:
            with contextlib.suppress(Exception):
                self._direct.logout()


@pytest.fixture
def proxy(dovecot_server: DovecotServer) -> Iterator[TcpProxy]:
    with TcpProxy(dovecot_server.port) as p:
        yield p


@pytest.fixture
def scenario(dovecot_server: DovecotServer, proxy: TcpProxy, tmp_path: Path) -> Iterator[Scenario]:
    s = Scenario(dovecot_server, tmp_path, proxy.port)
    yield s
    s.close()


def drafted(scenario: Scenario, attempts: int = 1) -> None:
    report = scenario.cycle(AFTER_DUE, attempts)
    assert [a.outcome for a in report.actions] == ["drafted"], report
    scenario.check(settled="drafted")


# --- the proxy itself -------------------------------------------------------------------


def test_the_proxy_counts_every_command_and_byte_of_a_cycle(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    drafted(scenario)
    stats = proxy.reset()
    assert stats.connections == 1
    assert "LOGIN" in stats.commands and "APPEND" in stats.commands
    assert stats.c2s > 500 and stats.s2c > 1000
    scenario.cycle(AFTER_DUE + dt.timedelta(minutes=5))
    again = proxy.reset()
    assert "APPEND" not in again.commands
    assert again.command_count < stats.command_count


# --- cuts at the protocol steps that matter ---------------------------------------------


def test_a_cut_during_the_first_fetch_is_recovered_by_the_next_run(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    proxy.cut_on_command("FETCH")
    report = scenario.cycle(AFTER_DUE)
    assert "mail" in report.account_errors
    assert report.actions[0].outcome == "skipped"
    scenario.check()
    assert scenario.our_drafts() == []
    drafted(scenario)


def test_a_cut_during_fetch_is_healed_within_the_cycle_when_retries_remain(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    proxy.cut_on_command("FETCH", when="response")
    drafted(scenario, attempts=2)
    assert proxy.stats.connections == 2


@pytest.mark.parametrize("when", ["before", "response"])
def test_a_cut_append_never_duplicates_and_the_next_run_finishes_it(
    scenario: Scenario, proxy: TcpProxy, when: str
) -> None:
    proxy.cut_on_command("APPEND", when=when)  # type: ignore[arg-type]
    report = scenario.cycle(AFTER_DUE)
    assert [a.outcome for a in report.actions] == ["failed"]
    assert "will retry" in report.actions[0].reason
    state, ref = scenario.record() or ("", None)
    assert state == "intent" and ref is not None and ref.startswith("composed:")
    # "response": the server stored it, the client never heard; "before": nothing stored.
    assert len(scenario.our_drafts()) == (1 if when == "response" else 0)
    scenario.check()
    again = scenario.cycle(AFTER_DUE + dt.timedelta(minutes=5))
    assert [a.outcome for a in again.actions] == [
        "found-existing" if when == "response" else "drafted"
    ]
    scenario.check(settled="drafted")


def test_a_lost_append_answer_is_resolved_by_the_retry_in_the_same_cycle(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    proxy.cut_on_command("APPEND", when="response")
    drafted(scenario, attempts=2)


@pytest.mark.parametrize(
    ("verb", "when"),
    [("STORE", "before"), ("STORE", "response"), ("EXPUNGE", "before"), ("EXPUNGE", "response")],
)
def test_a_cut_withdrawal_is_finished_by_the_next_run(
    scenario: Scenario, proxy: TcpProxy, verb: str, when: str
) -> None:
    drafted(scenario)
    scenario.reply()
    proxy.cut_on_command(verb, when=when)  # type: ignore[arg-type]
    report = scenario.cycle(LATER)
    assert [a.outcome for a in report.actions] == ["failed"]
    scenario.check(withdrawing=True)
    assert not proxy.armed()
    scenario.settle(LATEST)
    scenario.check(settled="withdrawn")
    scenario.settle(LATEST + dt.timedelta(hours=1))
    scenario.check(settled="withdrawn")


def test_a_withdrawal_whose_expunge_answer_was_lost_settles_without_a_pending_ref(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    """The server removed the draft, the client never heard: the next run must not retry."""
    drafted(scenario)
    scenario.reply()
    proxy.cut_on_command("EXPUNGE", when="response")
    scenario.cycle(LATER)
    assert scenario.our_drafts(marked_deleted_too=True) == []
    scenario.cycle(LATEST)
    record = scenario.record()
    assert record is not None and record[1] is None
    assert record[0] == "withdrawn"
    assert [a.outcome for a in scenario.cycle(LATEST + dt.timedelta(hours=1)).actions] == []


def _idle_in_thread(box: ImapMailbox, timeout: float) -> tuple[threading.Thread, list[object]]:
    result: list[object] = []

    def wait() -> None:
        try:
            result.append(box.idle_wait("INBOX", timeout))
        except MailboxUnreachable as exc:
            result.append(exc)

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread, result


def test_a_cut_idle_is_one_clear_error_and_the_next_run_recovers(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    drafted(scenario)
    box = scenario.mailbox(attempts=1)
    try:
        proxy.cut_on_command("IDLE")
        thread, result = _idle_in_thread(box, 5.0)
        thread.join(10)
        assert len(result) == 1 and isinstance(result[0], MailboxUnreachable)
    finally:
        box.close()
    scenario.cycle(LATER)
    scenario.check(settled="drafted")


def test_an_idle_cut_mid_wait_reconnects_and_still_sees_new_mail(
    scenario: Scenario, proxy: TcpProxy
) -> None:
    box = scenario.mailbox(attempts=3)
    try:
        thread, result = _idle_in_thread(box, 8.0)
        deadline = time.monotonic() + 5
        while "IDLE" not in proxy.stats.commands and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "IDLE" in proxy.stats.commands
        proxy.drop_all()  # the network goes away while the server holds the IDLE
        deadline = time.monotonic() + 5
        while proxy.stats.commands.count("IDLE") < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        scenario.add_user_mail(
            "INBOX", mail("new@else.example", AFTER_DUE, sender="x@else.example")
        )
        thread.join(10)
        assert result == [True]
    finally:
        box.close()
    drafted(scenario)


# --- randomized cuts ----------------------------------------------------------------------


def _traffic(server: DovecotServer, root: Path, withdraw: bool) -> dict[Direction, int]:
    """Bytes each way of one clean cycle of the kind the randomized runs will cut."""
    with TcpProxy(server.port) as p:
        s = Scenario(server, root, p.port)
        try:
            if withdraw:
                s.cycle(AFTER_DUE)
                s.reply()
                p.reset()
                s.cycle(LATER)
            else:
                s.cycle(AFTER_DUE)
            stats = p.reset()
        finally:
            s.close()
    return {"c2s": stats.c2s, "s2c": stats.s2c}


def test_randomized_cuts_never_duplicate_lose_or_touch_mail(
    dovecot_server: DovecotServer, tmp_path: Path
) -> None:
    rng = random.Random(FAULT_SEED)
    sizes = {
        False: _traffic(dovecot_server, tmp_path / "calibrate-draft", withdraw=False),
        True: _traffic(dovecot_server, tmp_path / "calibrate-withdraw", withdraw=True),
    }
    fired = 0
    with TcpProxy(dovecot_server.port) as proxy:
        for run in range(FAULT_RUNS):
            withdraw = rng.random() < 0.35
            direction: Direction = rng.choice(["c2s", "s2c"])
            at = rng.randrange(sizes[withdraw][direction])
            attempts = rng.choice([1, 1, 2, 3])
            s = Scenario(dovecot_server, tmp_path / f"run{run}", proxy.port)
            where = f"run {run} (seed {FAULT_SEED}): withdraw={withdraw} cut {direction}@{at}"
            try:
                if withdraw:
                    s.cycle(AFTER_DUE)
                    s.reply()
                proxy.disarm()
                proxy.cut_after_bytes(direction, at)
                s.cycle(LATER if withdraw else AFTER_DUE, attempts)
                fired += not proxy.armed()
                proxy.disarm()
                s.check(withdrawing=withdraw)
                s.settle(LATEST)
                s.check(settled="withdrawn" if withdraw else "drafted")
            except AssertionError as exc:
                raise AssertionError(f"{where}: {exc}") from exc
            finally:
                s.close()
    # A cut point past the end of a run's traffic (which varies a little) does not fire.
    assert fired >= FAULT_RUNS * 0.8, f"only {fired} of {FAULT_RUNS} cuts happened"


# --- real SIGKILLs through the CLI --------------------------------------------------------


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


# A kill before the APPEND (after-intent, after-find) leaves the mailbox untouched: the
# Maildir matrix in test_crash_and_state_faults covers those for every backend alike.
@pytest.mark.parametrize("point", ["after-append", "after-record"])
def test_a_sigkill_after_the_append_leaves_exactly_one_draft_on_the_server(
    scenario: Scenario, point: str
) -> None:
    killed = followup(scenario.config_path, "run", "--once", "--now", _iso(AFTER_DUE), faults=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    scenario.check()
    for now in (AFTER_DUE + dt.timedelta(minutes=15), LATER):
        done = followup(scenario.config_path, "run", "--once", "--now", _iso(now))
        assert done.returncode == 0, done.stderr
        scenario.check(settled="drafted")


def test_a_sigkill_after_withdrawing_is_finished_by_the_next_run(scenario: Scenario) -> None:
    first = followup(scenario.config_path, "run", "--once", "--now", _iso(AFTER_DUE))
    assert first.returncode == 0, first.stderr
    scenario.check(settled="drafted")
    scenario.reply()
    killed = followup(
        scenario.config_path, "run", "--once", "--now", _iso(LATER), faults="after-withdraw"
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = followup(scenario.config_path, "run", "--once", "--now", _iso(LATEST))
    assert done.returncode == 0, done.stderr
    scenario.check(settled="withdrawn")


# --- the server goes away -----------------------------------------------------------------


def test_dovecot_stopped_mid_run_gives_exit_75_then_the_next_run_recovers(
    tmp_path: Path,
) -> None:
    server = DovecotServer()
    try:
        with TcpProxy(server.port) as proxy:
            s = Scenario(server, tmp_path, proxy.port)
            try:
                proxy.on_command("FETCH", server.stop)  # it dies while the run is syncing
                mid = followup(s.config_path, "run", "--once", "--now", _iso(AFTER_DUE))
                assert mid.returncode == 75, mid.stdout + mid.stderr
                assert "could not be reached" in mid.stderr
                assert "Traceback" not in mid.stderr
                down = followup(s.config_path, "run", "--once", "--now", _iso(AFTER_DUE))
                assert down.returncode == 75
                assert "could not be reached" in down.stderr and "Traceback" not in down.stderr
                server.start()
                s.check()
                up = followup(s.config_path, "run", "--once", "--now", _iso(LATER))
                assert up.returncode == 0, up.stderr
                s.check(settled="drafted")
            finally:
                s.close()
    finally:
        server.close()


def test_dovecot_restarted_during_append_leaves_one_draft_after_the_next_run(
    tmp_path: Path,
) -> None:
    server = DovecotServer()
    try:
        with TcpProxy(server.port) as proxy:
            s = Scenario(server, tmp_path, proxy.port)
            try:
                proxy.cut_on_command("APPEND", when="response", action=server.restart)
                s.cycle(AFTER_DUE, attempts=1)
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    try:
                        server.client(s.user).logout()
                        break
                    except OSError:
                        time.sleep(0.1)
                s.check()
                s.cycle(LATER, attempts=2)
                s.check(settled="drafted")
            finally:
                s.close()
    finally:
        server.close()
