"""The measurements themselves: each returns rows of (name, value, unit)."""

from __future__ import annotations

import datetime as dt
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from imapclient import IMAPClient
from imapclient.response_parser import parse_fetch_response

from followup import engine
from followup.config import Config, ImapAccount, load_config
from followup.core.calendar import parse_when
from followup.core.planner import InterviewPlan
from followup.derived import plan_from_store
from followup.engine import CycleReport, run_once, sync_account
from followup.mailbox.imap import HEADER_ITEM, ImapMailbox
from followup.store import Store
from support.tcp_proxy import TcpProxy

NOW = "2026-11-26T12:00"  # before the check-in is due: measures syncing, not drafting


@dataclass(frozen=True)
class Row:
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def followup_cmd(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "followup", "--config", str(config), *args]


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one child; CPU is its user+sys time from ``os.wait4``."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            text = out.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(cmd[3:])} failed ({proc.returncode}):\n{text}")
    return wall, usage.ru_utime + usage.ru_stime


def run_cli(config: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    done = subprocess.run(followup_cmd(config, *args), capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"followup {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return wall, done


# --- syncing --------------------------------------------------------------------------


def first_sync(size: int, config: Path, proxy: TcpProxy) -> list[Row]:
    """The real CLI's first sync, then the same in-process (no interpreter start-up)."""
    proxy.reset()
    wall, _ = run_cli(config, "run", "--once", "--now", NOW)
    cli = proxy.reset()
    cfg = load_config(config)
    with tempfile.TemporaryDirectory() as state:
        store = Store.in_dir(Path(state))
        box = ImapMailbox(_imap(cfg))
        try:
            t0 = time.perf_counter()
            report = run_once(cfg, {cfg.accounts[0].name: box}, store, _now(cfg))
            engine_wall = time.perf_counter() - t0
            stored = store.message_count()
            with store.reading() as db:
                texts_read = int(db.execute("SELECT count(*) FROM text_facts").fetchone()[0])
        finally:
            box.close()
            store.close()
    engine = proxy.reset()
    if report.account_errors:
        raise RuntimeError(f"first sync failed: {report.account_errors}")
    p = f"first_sync_{size}"
    return [
        Row(f"{p}_cli_wall", round(wall, 3), "s", "≤ 2 s at 100k", wall <= 2.0),
        Row(f"{p}_engine_wall", round(engine_wall, 3), "s"),
        Row(f"{p}_bytes_read", cli.s2c, "B", "≤ 1.5 MB at 100k", cli.s2c <= 1_500_000),
        Row(f"{p}_bytes_sent", cli.c2s, "B"),
        Row(f"{p}_commands", cli.command_count, "cmd"),
        Row(f"{p}_messages_stored", stored, "msg"),
        Row(f"{p}_texts_read", texts_read, "msg"),
        Row(f"{p}_engine_bytes_read", engine.s2c, "B"),
    ]


def _now(cfg: Config) -> dt.datetime:
    return parse_when(NOW, cfg.schedule.tz)


def _imap(cfg: Config) -> ImapAccount:
    account = cfg.accounts[0]
    assert isinstance(account, ImapAccount)
    return account


def thread_cpu(fn: Callable[[], Any], repeat: int) -> float:
    """Median CPU seconds of ``fn`` in this thread (the proxy's threads do not count)."""
    samples = []
    for _ in range(repeat):
        t0 = time.thread_time()
        fn()
        samples.append(time.thread_time() - t0)
    return statistics.median(samples)


def no_change_poll(config: Path, proxy: TcpProxy, repeat: int = 20) -> list[Row]:
    """A poll when nothing arrived, next to a bare NOOP on the same live connection."""
    cfg = load_config(config)
    account = _imap(cfg)
    with tempfile.TemporaryDirectory() as state:
        store = Store.in_dir(Path(state))
        box = ImapMailbox(account)
        try:
            run_once(cfg, {account.name: box}, store, _now(cfg))  # first sync, connection up
            folders = box.folders()
            n_folders = len(folders.watched) + (1 if folders.sent else 0)
            proxy.reset()
            sync_account(cfg, box, store, CycleReport(now=_now(cfg)))
            one = proxy.reset()

            def poll() -> None:
                sync_account(cfg, box, store, CycleReport(now=_now(cfg)))

            def noop() -> None:
                box._conn.run(lambda c: c.noop())

            def fetch_only() -> None:  # the IMAP part of a poll, without the state database
                for folder in (*folders.watched, *([folders.sent] if folders.sent else [])):
                    cursor = store.cursor(account.name, folder)
                    box.fetch_new(folder, cursor[0] if cursor else None, cfg_since)

            def examine() -> None:
                box._conn.run(lambda c: c.select_folder(folders.watched[0], readonly=True))

            from followup.engine import sync_window_start

            cfg_since = sync_window_start(cfg) or dt.date(2026, 1, 1)
            poll_wall = median_time(poll, repeat)
            imap_wall = median_time(fetch_only, repeat)
            noop_wall = median_time(noop, repeat)
            examine_wall = median_time(examine, repeat)

            def cycle() -> None:
                run_once(cfg, {account.name: box}, store, _now(cfg))

            cycle_wall = median_time(cycle, max(3, repeat // 4))
            cycle_cpu = thread_cpu(cycle, max(3, repeat // 4))
            planning_cpu = planning_cpu_of(cycle, max(3, repeat // 4))
        finally:
            box.close()
            store.close()
    per_folder = one.command_count / n_folders
    ratio = imap_wall / n_folders / noop_wall if noop_wall else 0.0
    return [
        Row("poll_folders_synced", n_folders, "folders"),
        Row("poll_commands", one.command_count, "cmd"),
        Row("poll_commands_per_folder", per_folder, "cmd", "≤ 1", per_folder <= 1),
        Row("poll_bytes_read", one.s2c, "B"),
        Row("poll_bytes_sent", one.c2s, "B"),
        Row("poll_wall", round(poll_wall * 1000, 3), "ms"),
        Row("poll_imap_wall", round(imap_wall * 1000, 3), "ms"),
        Row("noop_wall", round(noop_wall * 1000, 3), "ms"),
        Row("examine_wall", round(examine_wall * 1000, 3), "ms"),
        Row("poll_imap_per_folder_over_noop", round(ratio, 2), "x", "≤ 2", ratio <= 2),
        Row("poll_cycle_wall_incl_planning", round(cycle_wall * 1000, 3), "ms"),
        Row("poll_cycle_cpu_incl_planning", round(cycle_cpu * 1000, 1), "ms"),
        Row(
            "poll_cycle_planning_cpu",
            round(planning_cpu * 1000, 1),
            "ms",
            "≤ 20 ms",
            planning_cpu <= 0.020,
        ),
    ]


def planning_cpu_of(cycle: Callable[[], None], repeat: int) -> float:
    """Median CPU seconds one cycle spends planning (every ``engine.plan_from_store`` call)."""
    spent = [0.0]

    def timed(config: Config, store: Store, now: dt.datetime) -> list[InterviewPlan]:
        t0 = time.thread_time()
        try:
            return plan_from_store(config, store, now)
        finally:
            spent[0] += time.thread_time() - t0

    samples = []
    with mock.patch.object(engine, "plan_from_store", timed):
        for _ in range(repeat):
            spent[0] = 0.0
            cycle()
            samples.append(spent[0])
    return statistics.median(samples)


def naive_poll(size: int, user: str, password: str, proxy: TcpProxy) -> tuple[int, float]:
    """What a simple client does each poll: the header fields of every message."""
    proxy.reset()
    t0 = time.perf_counter()
    with IMAPClient("127.0.0.1", port=proxy.port, ssl=False, timeout=120) as client:
        client.login(user, password)
        for folder in ("INBOX", "Sent"):
            client.select_folder(folder, readonly=True)
            typ, data = client._imap.uid("FETCH", "1:*", f"({HEADER_ITEM})")
            assert typ == "OK", data
            parse_fetch_response(data, True, True)  # a real client parses what it fetched
    wall = time.perf_counter() - t0
    return proxy.reset().s2c, wall


# --- processes ------------------------------------------------------------------------


def status_cost(config: Path, repeat: int = 11) -> list[Row]:
    """``followup status`` (warm holiday cache): median wall and CPU, then once cold."""
    samples = [run_measured(followup_cmd(config, "status")) for _ in range(repeat)]
    wall = statistics.median(w for w, _ in samples)
    cpu = statistics.median(c for _, c in samples)
    with tempfile.TemporaryDirectory() as cold:
        env = {**os.environ, "XDG_CACHE_HOME": cold}
        _, cold_cpu = run_measured(followup_cmd(config, "status"), env=env)
    return [
        Row("status_wall", round(wall * 1000, 1), "ms"),
        Row("status_cpu", round(cpu * 1000, 1), "ms", "≤ 150 ms", cpu <= 0.150),
        Row("status_cpu_cold_holiday_cache", round(cold_cpu * 1000, 1), "ms"),
    ]


def demo_status_cpu(work: Path, repeat: int = 7) -> Row:
    """``followup status`` on the demo's config (14 messages): what issue 16 measured."""
    from followup.cli.demo import run_demo

    run_demo(work / "demo")
    config = work / "demo" / "config.toml"
    cpu = statistics.median(run_measured(followup_cmd(config, "status"))[1] for _ in range(repeat))
    return Row("status_cpu_demo_config", round(cpu * 1000, 1), "ms")


def once_peak_rss(config: Path) -> float:
    """Peak RSS (MiB) of one ``run --once``, from a fresh wrapper so no other child counts."""
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *followup_cmd(config, "run", "--once", "--now", NOW)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip()) / 1024


def daemon_idle_rss(
    config: Path,
    settle: float = 2.0,
    timeout: float = 60.0,
    *,
    now: str = NOW,
    env: dict[str, str] | None = None,
) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB of ``followup run`` once READY and its first cycle is done."""
    sock_dir = Path(tempfile.mkdtemp(prefix="followup-bench-notify-"))
    path = sock_dir / "notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(path))
    listener.settimeout(1.5)
    full_env = {**os.environ, **(env or {}), "NOTIFY_SOCKET": str(path)}
    proc = subprocess.Popen(
        followup_cmd(config, "run", "--now", now),
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                data = listener.recv(4096).decode()
            except TimeoutError:
                if ready:  # quiet for a while after READY: the first cycle is done
                    break
                continue
            ready = ready or "READY=1" in data
        if not ready:
            raise RuntimeError("the daemon never sent READY=1")
        time.sleep(settle)
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
        )
        rss = int(fields["VmRSS"].split()[0]) / 1024
        hwm = int(fields["VmHWM"].split()[0]) / 1024
        return rss, hwm
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=70)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        listener.close()
        path.unlink(missing_ok=True)
        sock_dir.rmdir()


def self_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
