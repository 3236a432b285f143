"""Benchmarks: what a poll, a first sync and an idle daemon cost against a real Dovecot.

    python bench/run.py [--size small|full] [--json out.json]

Starts its own Dovecot (tests/support/dovecot.py), fills mailboxes of three sizes straight
into its Maildir, and measures the real CLI and the in-process engine through a counting TCP
proxy (tests/support/tcp_proxy.py). Prints ``name value unit`` rows and writes the same
rows as JSON. The point it makes: cost follows the interview window, not the mailbox.

The package is byte-compiled first (as ``pip install`` does), and every child uses a
holiday cache of its own under the bench's work directory, warmed by the first sync.
CPU figures are user+sys time, which a busy machine blurs much less than wall time.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "daemon"), str(REPO / "bench")]

from mailfill import fill  # noqa: E402
from measure import (  # noqa: E402
    Row,
    daemon_idle_rss,
    demo_status_cpu,
    first_sync,
    naive_poll,
    no_change_poll,
    once_peak_rss,
    status_cost,
)

from support.configs import acme_interview, head, imap_account  # noqa: E402
from support.dovecot import DovecotServer  # noqa: E402
from support.tcp_proxy import TcpProxy  # noqa: E402

NY = ZoneInfo("America/New_York")
SIZES = {"small": (2_000, 5_000, 10_000), "full": (10_000, 30_000, 100_000)}
IN_WINDOW = 500
CONCERNING = 50  # of those, company-side mail whose text is fetched and read
# Interview on 2026-11-16: the first sync looks back 30 days, to 2026-10-17.
WINDOW = (dt.datetime(2026, 10, 17, tzinfo=NY), dt.datetime(2026, 11, 26, 8, tzinfo=NY))
EXTRAPOLATE_TO = 1_000_000
NOW_DUE = "2026-11-27T10:00"  # Acme's check-in is due: one draft, so one event to tell
NOTIFY_OFF = "[notify]\ndesktop = false\n\n"
NOTIFY_ON = '[notify]\ndesktop = true\ncommand = "true"\n\n'

GMAIL = """
[[accounts]]
name = "gmail"
type = "gmail"
client_secrets_file = "{secrets}"
token_command = "cat {token}"
api_endpoint = "{url}"
"""


def write_config(
    work: Path, name: str, port: int, user: str, password: str, extra: str = ""
) -> Path:
    path = work / f"{name}.toml"
    state = work / f"{name}-state"
    path.write_text(
        head(state)
        + imap_account(port, user, f"echo {password}", timeout=30)
        + extra
        + acme_interview(account="mail"),
        encoding="utf-8",
    )
    return path


def linear_fit(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Least squares ``y = a + b·x``: (a, b, R²)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    syy = sum((y - my) ** 2 for _, y in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    b = sxy / sxx if sxx else 0.0
    r2 = sxy * sxy / (sxx * syy) if sxx and syy else 1.0
    return my - b * mx, b, r2


def extrapolated(
    rows: list[Row], sizes: tuple[int, ...], metric: str, unit: str
) -> tuple[Row, str | None]:
    """The 1M-message estimate of ``metric`` from a straight line through every size.

    A fit needs at least three sizes. A slope that is not positive is noise around a cost
    that does not grow with the mailbox: the estimate is then the largest value measured
    (never a line run down below zero), and a note says so; so does a poor fit.
    """
    if len(sizes) < 3:
        raise ValueError("an extrapolation needs at least three mailbox sizes")
    values = {r.name: r.value for r in rows}
    points = [(float(n), float(values[metric.format(n=n)])) for n in sizes]
    a, b, r2 = linear_fit(points)
    name = metric.format(n="1m_extrapolated")
    if b <= 0:
        flat = f"{name}: no growth measured over {len(sizes)} sizes; the largest value is shown"
        return Row(name, max(y for _, y in points), unit), flat
    poor = f"{name}: the sizes fit a line poorly (R² {r2:.2f}); noise, read the per-size rows"
    return Row(name, round(a + b * EXTRAPOLATE_TO, 3), unit), poor if r2 < 0.9 else None


def prepare(server: DovecotServer, sizes: tuple[int, ...]) -> dict[int, str]:
    users = {}
    for n in sizes:
        user = server.add_user()
        fill(server.maildir(user), n, IN_WINDOW, WINDOW, seed=n, concerning=CONCERNING)
        users[n] = user
    server.chown_mail()
    for user in users.values():  # a mailbox in daily use has its server index built
        with server.client(user) as client:
            client.select_folder("INBOX", readonly=True)
            client.search(["SINCE", WINDOW[0].date()])
    return users


def gmail_config(work: Path, port: int, user: str, password: str) -> tuple[Path, object]:
    from support.fake_gmail import FakeGmailServer

    gmail = FakeGmailServer.start()
    for n in range(200):
        gmail.fake.add_message(
            (
                f"From: News <news@list.example>\r\nTo: jordan@example.com\r\nSubject: n{n}\r\n"
                f"Date: Tue, 24 Nov 2026 10:00:00 -0500\r\nMessage-ID: <g{n}@list.example>\r\n\r\nhi\r\n"
            ).encode(),
            ["INBOX"],
        )
    token = work / "gmail-token.json"
    token.write_text(gmail.token_json(), encoding="utf-8")
    secrets = work / "client_secret.json"
    secrets.write_text('{"installed": {"client_id": "x", "client_secret": "y"}}', encoding="utf-8")
    extra = GMAIL.format(secrets=secrets, token=token, url=gmail.url)
    return write_config(work, "imap-gmail", port, user, password, extra), gmail


def notify_rss(work: Path, port: int, user: str, password: str, repeat: int = 3) -> list[Row]:
    """Idle RSS after a cycle that drafted (so told) once: notifications off vs on.

    "On" is a desktop notification to a private bus with a recording server, plus a
    notify command; the median of ``repeat`` daemons (each its own state) per side.
    """
    from support.dbus_session import NotificationServer, SessionBus

    bus = SessionBus()
    server = NotificationServer(bus.address)
    medians: dict[str, float] = {}
    try:
        for side, table in (("off", NOTIFY_OFF), ("on", NOTIFY_ON)):
            samples = []
            for i in range(repeat):
                config = write_config(work, f"notify-{side}-{i}", port, user, password, table)
                env = {"DBUS_SESSION_BUS_ADDRESS": bus.address}
                samples.append(daemon_idle_rss(config, now=NOW_DUE, env=env)[0])
            medians[side] = statistics.median(samples)
        shown = len(server.recorded())
    finally:
        server.close()
        bus.close()
    growth = medians["on"] - medians["off"]
    return [
        Row("daemon_idle_rss_imap_notify_off", round(medians["off"], 1), "MiB"),
        Row("daemon_idle_rss_imap_notify_on", round(medians["on"], 1), "MiB"),
        Row("daemon_idle_rss_notify_growth", round(growth, 1), "MiB", "≤ 3 MiB", growth <= 3),
        Row("desktop_notifications_shown", shown, "calls", f"= {repeat}", shown == repeat),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory (to profile a command)"
    )
    args = parser.parse_args()
    sizes = SIZES[args.size]
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    compileall.compile_dir(REPO / "daemon" / "followup", quiet=1)  # as an installed package
    work = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # every child's holiday cache
    server = DovecotServer()
    try:
        t0 = time.perf_counter()
        users = prepare(server, sizes)
        rows.append(Row("fill_wall", round(time.perf_counter() - t0, 1), "s"))
        with TcpProxy(server.port) as proxy:
            configs = {}
            for n in sizes:
                user = users[n]
                configs[n] = write_config(
                    work, f"imap-{n}", proxy.port, user, server.password(user)
                )
                rows += first_sync(n, configs[n], proxy)
                naive_bytes, naive_wall = naive_poll(n, user, server.password(user), proxy)
                rows.append(Row(f"naive_poll_{n}_bytes_read", naive_bytes, "B"))
                rows.append(Row(f"naive_poll_{n}_wall", round(naive_wall, 3), "s"))
            for metric, unit in (
                ("first_sync_{n}_bytes_read", "B"),
                ("first_sync_{n}_engine_wall", "s"),
                ("naive_poll_{n}_bytes_read", "B"),
                ("naive_poll_{n}_wall", "s"),
            ):
                row, note = extrapolated(rows, sizes, metric, unit)
                rows.append(row)
                notes += [note] if note else []
            big = max(sizes)
            rows += no_change_poll(configs[big], proxy)
            values = {r.name: r.value for r in rows}
            poll_bytes = max(values["poll_bytes_read"], 1)
            first = values[f"first_sync_{big}_bytes_read"]
            rows.append(
                Row(
                    f"naive_over_first_sync_{big}_bytes",
                    round(values[f"naive_poll_{big}_bytes_read"] / first, 1),
                    "x",
                )
            )
            rows.append(
                Row(
                    f"naive_over_followup_poll_{big}_bytes",
                    round(values[f"naive_poll_{big}_bytes_read"] / poll_bytes, 0),
                    "x",
                )
            )
            rows.append(
                Row(
                    f"naive_over_followup_poll_{big}_wall",
                    round(values[f"naive_poll_{big}_wall"] * 1000 / values["poll_wall"], 0),
                    "x",
                )
            )
            rows += status_cost(configs[big])
            rows.append(demo_status_cpu(work))
            rows.append(Row("run_once_peak_rss", round(once_peak_rss(configs[big]), 1), "MiB"))
            user = users[big]
            try:
                rss, hwm = daemon_idle_rss(configs[big])
                rows.append(
                    Row("daemon_idle_rss_imap", round(rss, 1), "MiB", "≤ 40 MiB", rss <= 40)
                )
                rows.append(Row("daemon_peak_rss_imap", round(hwm, 1), "MiB"))
                cold = {"XDG_CACHE_HOME": str(work / "cold-cache")}  # holidays from a child
                rss, hwm = daemon_idle_rss(configs[big], env=cold)
                rows.append(Row("daemon_idle_rss_imap_cold_holiday_cache", round(rss, 1), "MiB"))
                rows.append(Row("daemon_peak_rss_imap_cold_holiday_cache", round(hwm, 1), "MiB"))
                both, gmail = gmail_config(work, proxy.port, user, server.password(user))
                try:
                    rss, hwm = daemon_idle_rss(both)
                finally:
                    gmail.stop()  # type: ignore[attr-defined]
                rows.append(Row("daemon_idle_rss_imap_gmail", round(rss, 1), "MiB"))
                rows.append(Row("daemon_peak_rss_imap_gmail", round(hwm, 1), "MiB"))
            except RuntimeError as exc:
                notes.append(f"daemon RSS not measured ({exc}); see run_once_peak_rss")
            try:  # last: it writes a draft into the mailbox
                rows += notify_rss(work, proxy.port, user, server.password(user))
            except RuntimeError as exc:
                notes.append(f"notification RSS not measured ({exc})")
    finally:
        server.close()
        if args.keep:
            print(f"# kept the configs, states and mail in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    rows.append(Row("bench_wall", round(time.perf_counter() - started, 1), "s"))
    for r in rows:
        verdict = "" if r.ok is None else f"  [{'ok' if r.ok else 'MISSED'}: target {r.target}]"
        print(f"{r.name} {r.value:g} {r.unit}{verdict}")
    for note in notes:
        print(f"# {note}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "size": args.size,
                    "sizes": list(sizes),
                    "in_window": IN_WINDOW,
                    "rows": [r.__dict__ for r in rows],
                    "notes": notes,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
