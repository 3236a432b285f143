"""The whole loop on each IMAP server we can run or imitate: a servers × steps table.

    python bench/imap_servers.py

Servers: Dovecot, pymap, and Dovecot behind ``tests/support/imap_quirks.py`` playing
Courier (APPEND refused to the EXAMINEd Drafts, no ENABLE or UNSELECT), Mailutils (no
UIDPLUS, APPEND drops every flag, an IDLE that never reports), Cyrus with ENABLE
suppressed, and a server that leaves UIDVALIDITY out. Steps: check (with the write probe),
the draft written with ``\\Draft``, no duplicate after a lost state database, a deleted
draft not re-created, a draft withdrawn after a reply (or honestly kept), the user's flags
unchanged, and how fast new mail is seen (IDLE, else the poll).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "daemon")]

from followup.config import Config, ImapAccount, load_config  # noqa: E402
from followup.core.drafts import message_id_for  # noqa: E402
from followup.core.errors import CheckSkipped  # noqa: E402
from followup.engine import run_once  # noqa: E402
from followup.mailbox.imap import ImapMailbox  # noqa: E402
from followup.store import Store  # noqa: E402
from support.configs import head, imap_account  # noqa: E402
from support.dovecot import DovecotServer, ImapServer  # noqa: E402
from support.imap_quirks import ProxiedServer, QuirkProxy, Quirks  # noqa: E402
from support.messages import mail  # noqa: E402
from support.pymap_server import PymapServer  # noqa: E402

NY = ZoneInfo("America/New_York")
AFTER_DUE = dt.datetime(2026, 11, 27, 9, 30, tzinfo=NY)
LATER = dt.datetime(2026, 11, 27, 12, 0, tzinfo=NY)
IDLE_WAIT = 10.0
STEPS = ("check", "draft", "no dup", "not re-created", "withdrawn", "flags", "new mail seen")
INTERVIEWS = """\
[[interviews]]
id = "acme"
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16
reply_promised_by = 2026-11-20
contacts = ["Dana <dana@acme.example>"]

[[interviews]]
id = "globex"
company = "Globex"
role = "Backend Engineer"
interviewed_on = 2026-11-16
reply_promised_by = 2026-11-20
contacts = ["Hank <hank@globex.example>"]
"""


def flags_of(server: ImapServer, user: str) -> dict[str, frozenset[bytes]]:
    out: dict[str, frozenset[bytes]] = {}
    with server.client(user) as client:
        for folder in ("INBOX", "Drafts"):
            client.select_folder(server.folder(folder), readonly=True)
            items = ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
            for data in client.fetch(client.search(), items).values():
                header = next(v for k, v in data.items() if k.startswith(b"BODY["))
                key = folder + header.decode().split(":", 1)[-1].strip()
                out[key] = frozenset(f for f in data[b"FLAGS"] if f != rb"\Recent")
    return out


def drafts_of(server: ImapServer, user: str) -> list[tuple[bytes, frozenset[bytes]]]:
    """(Message-ID header, flags) of every message in Drafts."""
    with server.client(user) as client:
        client.select_folder(server.folder("Drafts"), readonly=True)
        items = ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
        fetched = client.fetch(client.search(), items).values()
        return [
            (
                next(v for k, v in d.items() if k.startswith(b"BODY[")).strip(),
                frozenset(d[b"FLAGS"]),
            )
            for d in fetched
        ]


class Run:
    """One server: a fresh user, a config, and the steps in order."""

    def __init__(self, server: ImapServer, root: Path) -> None:
        self.server = server
        self.user = server.add_user()
        probe = server.account(self.user)
        path = root / "config.toml"
        path.write_text(
            head(root / "state", stages=["check_in"])
            + imap_account(probe.port, self.user, f"printf %s {server.password(self.user)}")
            + INTERVIEWS,
            encoding="utf-8",
        )
        self.config: Config = load_config(path)
        self.root = root

    def account(self) -> ImapAccount:
        account = self.config.accounts[0]
        assert isinstance(account, ImapAccount)
        return account

    def cycle(self, now: dt.datetime, state: str = "state") -> dict[str, str]:
        box = ImapMailbox(self.account())
        store = Store.in_dir(self.root / state)
        try:
            report = run_once(self.config, {"mail": box}, store, now)
        finally:
            store.close()
            box.close()
        return {a.interview_id: a.outcome for a in report.actions}

    def check(self) -> str:
        box = ImapMailbox(self.account())
        try:
            box.folders()
            box.find_draft("followup-check@invalid")
            lacks = [n.split(":")[0].removeprefix("no ") for n in box.server_notes()]
            try:
                box.probe_write()
                probe = "write ok"
            except CheckSkipped:
                probe = "write probe refused"
        finally:
            box.close()
        return probe + (f"; lacks {', '.join(lacks)}" if lacks else "")

    def steps(self) -> list[str]:
        server, user = self.server, self.user
        with server.client(user) as client:
            client.append(
                server.folder("INBOX"), mail("bank@bank.example", sender="b@bank.example")
            )
            client.append(
                server.folder("INBOX"),
                mail("news@list.example", sender="n@list.example"),
                flags=[rb"\Seen", rb"\Flagged"],
            )
        before = {k: v for k, v in flags_of(server, user).items() if k.startswith("INBOX")}
        out = [self.check()]
        first = self.cycle(AFTER_DUE)
        drafts = drafts_of(server, user)
        flagged = all(any(f.lower() == rb"\draft" for f in fl) for _, fl in drafts)
        wrote = first == {"acme": "drafted", "globex": "drafted"} and len(drafts) == 2
        out.append("yes, \\Draft set" if wrote and flagged else f"NO ({first}, {drafts})")
        again = self.cycle(AFTER_DUE, state="rebuilt")  # the state database was lost
        out.append("yes" if len(drafts_of(server, user)) == 2 else f"NO ({again})")
        with server.client(user) as client:  # the user deletes the Acme draft
            client.select_folder(server.folder("Drafts"))
            acme = message_id_for("acme", "check_in", "jordan@example.com")
            uids = client.search(["HEADER", "Message-ID", f"<{acme}>"])
            client.add_flags(uids, [rb"\Deleted"])
            client.expunge()
        self.cycle(LATER)
        left = drafts_of(server, user)
        out.append("yes" if len(left) == 1 else f"NO ({len(left)} drafts)")
        with server.client(user) as client:
            client.append(
                server.folder("INBOX"),
                mail(
                    "answer@globex.example",
                    LATER - dt.timedelta(hours=1),
                    sender="hank@globex.example",
                ),
            )
        after = self.cycle(LATER + dt.timedelta(minutes=5))
        kept = len(drafts_of(server, user))
        if after.get("globex") == "withdrawn" and kept == 0:
            out.append("withdrawn")
        elif after.get("globex") == "kept" and kept == 1:
            out.append("kept, said why (no UIDPLUS)")
        else:
            out.append(f"NO ({after}, {kept} left)")
        now = {k: v for k, v in flags_of(server, user).items() if k.startswith("INBOX")}
        out.append("unchanged" if all(now[k] == v for k, v in before.items()) else "CHANGED")
        out.append(self.latency())
        return out

    def latency(self) -> str:
        box = ImapMailbox(self.account())
        result: dict[str, Any] = {}
        try:
            box.fetch_new("INBOX", None, dt.date(2026, 11, 1))

            def wait() -> None:
                started = time.monotonic()
                result["seen"] = box.idle_wait("INBOX", IDLE_WAIT)
                result["took"] = time.monotonic() - result.get("sent", started)

            waiter = threading.Thread(target=wait)
            waiter.start()
            time.sleep(1.0)
            with self.server.client(self.user) as client:
                result["sent"] = time.monotonic()
                client.append(self.server.folder("INBOX"), mail("late@acme.example"))
            waiter.join()
        finally:
            box.close()
        if result.get("seen"):
            return f"IDLE {result['took']:.2f} s"
        return f"no IDLE report in {IDLE_WAIT:.0f} s: poll_interval"


def servers(dovecot: DovecotServer) -> list[tuple[str, Callable[[], ImapServer], Quirks | None]]:
    return [
        ("Dovecot 2.3", lambda: dovecot, None),
        ("pymap 0.36 (dict)", PymapServer, None),
        (
            "Courier-like",
            lambda: dovecot,
            Quirks(refuse_append_to_examined=True, hide=frozenset({"ENABLE", "UNSELECT"})),
        ),
        (
            "Mailutils-like",
            lambda: dovecot,
            Quirks(hide=frozenset({"UIDPLUS", "ENABLE"}), drop_append_flags=True, silent_idle=True),
        ),
        ("Cyrus, ENABLE suppressed", lambda: dovecot, Quirks(hide=frozenset({"ENABLE"}))),
        ("no UIDVALIDITY", lambda: dovecot, Quirks(omit_uidvalidity=True)),
    ]


def main() -> None:
    dovecot = DovecotServer()
    rows: list[tuple[str, list[str]]] = []
    try:
        for name, make, quirks in servers(dovecot):
            root = Path(tempfile.mkdtemp(prefix="followup-servers-"))
            base = make()
            proxy = QuirkProxy(dovecot.port, quirks) if quirks is not None else None
            server: ImapServer = ProxiedServer(dovecot, proxy) if proxy else base
            try:
                rows.append((name, Run(server, root).steps()))
            except Exception as exc:  # a broken step must still leave a row
                rows.append((name, [f"ERROR {type(exc).__name__}: {exc}"]))
            finally:
                if proxy is not None:
                    proxy.close()
                if isinstance(base, PymapServer):
                    base.close()
                shutil.rmtree(root, ignore_errors=True)
    finally:
        dovecot.close()
    print("| server | " + " | ".join(STEPS) + " |")
    print("|" + "---|" * (len(STEPS) + 1))
    for name, cells in rows:
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
