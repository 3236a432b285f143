"""A loopback IMAP proxy in front of a real Dovecot that behaves like servers we cannot run here.

Each quirk imitates one thing seen on a real server (issue 12): Courier refuses APPEND to
the mailbox the session holds EXAMINEd; Mailutils has no UIDPLUS, drops every APPEND flag
and advertises an IDLE that never reports; Cyrus can suppress ENABLE. It also plays a
server that goes silent after the sync, and one that trickles a byte at a time. Everything
else passes through to Dovecot unchanged, so the rest of the behaviour stays real.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from imapclient import IMAPClient

from followup.config import ImapAccount
from support.dovecot import DovecotServer, ImapHarness

_LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
_CAPS = re.compile(rb"(\* CAPABILITY |\[CAPABILITY )([^\]\r\n]*)", re.IGNORECASE)
_APPENDUID = re.compile(rb"\[APPENDUID \d+ \d+\] ?", re.IGNORECASE)
_UIDVALIDITY_LINE = re.compile(rb"^\* OK \[UIDVALIDITY \d+\]", re.IGNORECASE)
_UIDVALIDITY_ITEM = re.compile(rb" ?UIDVALIDITY \d+", re.IGNORECASE)
_APPEND_FLAGS = re.compile(rb"^(\S+ APPEND (?:\"(?:[^\"\\]|\\.)*\"|\S+)) \([^)]*\)", re.IGNORECASE)
# Commands that belong to a capability: hidden with it, answered BAD like a server without it.
_COMMANDS_OF = {
    "ENABLE": ("ENABLE",),
    "UIDPLUS": ("UID EXPUNGE",),
    "IDLE": ("IDLE",),
    "UNSELECT": ("UNSELECT",),
}


@dataclass
class Quirks:
    """What the proxy changes; every field can be set while sessions run."""

    hide: frozenset[str] = frozenset()  # capability names removed from every CAPABILITY list
    refuse_append_to_examined: bool = False  # Courier: "NO Current box is selected READ-ONLY."
    refuse_append: str = ""  # every APPEND is answered NO with this text
    drop_append_flags: bool = False  # Mailutils maildir: APPEND keeps no flag
    silent_idle: bool = False  # Mailutils: IDLE accepted, nothing ever announced
    omit_uidvalidity: bool = False  # a server that leaves UIDVALIDITY out of SELECT and STATUS
    trickle: float = 0.0  # seconds between single bytes from the server (0: no trickle)
    stall_on: str = ""  # from this command verb on, the server answers nothing at all
    stalled: threading.Event = field(default_factory=threading.Event)


def _words(line: bytes) -> tuple[str, str, bytes]:
    """(tag, verb, rest) of a command line; "UID FETCH" keeps its prefix."""
    parts = line.rstrip(b"\r\n").split(b" ", 2)
    tag = parts[0].decode("ascii", "replace")
    verb = parts[1].upper().decode("ascii", "replace") if len(parts) > 1 else ""
    rest = parts[2] if len(parts) > 2 else b""
    if verb == "UID" and rest:
        sub, _, rest = rest.partition(b" ")
        verb = "UID " + sub.upper().decode("ascii", "replace")
    return tag, verb, rest


def _mailbox(rest: bytes) -> str:
    if rest.startswith(b'"'):
        end = rest.find(b'"', 1)
        return rest[1:end].decode("utf-8", "replace")
    return rest.split(b" ", 1)[0].rstrip(b"\r\n").decode("utf-8", "replace")


class _Session:
    def __init__(self, proxy: QuirkProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.send_lock = threading.Lock()
        self.selected: tuple[str, bool] | None = None  # (mailbox, read-only)
        self.idle_tag: str | None = None
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def to_client(self, data: bytes) -> None:
        quirks = self.proxy.quirks
        if quirks.stalled.is_set():
            return
        with self.send_lock:
            if quirks.trickle <= 0:
                self.client.sendall(data)
                return
            for i in range(len(data)):
                if quirks.stalled.is_set() or self.closed.is_set():
                    return
                self.client.sendall(data[i : i + 1])
                time.sleep(quirks.trickle)

    # client → server ------------------------------------------------------------------

    def pump_client(self) -> None:
        buf, literal = b"", 0
        try:
            while not self.closed.is_set():
                data = self.client.recv(65536)
                if not data:
                    return
                if self.proxy.quirks.stalled.is_set():
                    continue  # a silent server reads and never answers
                buf += data
                while buf:
                    if literal:
                        part, buf = buf[:literal], buf[literal:]
                        literal -= len(part)
                        self.server.sendall(part)
                        continue
                    end = buf.find(b"\r\n")
                    if end < 0:
                        break
                    line, buf = buf[: end + 2], buf[end + 2 :]
                    found = _LITERAL.search(line)
                    forwarded = self.command(line)
                    if found and forwarded:
                        literal = int(found.group(1))
        except OSError:
            pass
        finally:
            self.close()

    def command(self, line: bytes) -> bool:
        """Forward one client line, changed or not; False when the proxy answered it itself."""
        quirks = self.proxy.quirks
        if self.idle_tag is not None and line.strip().upper() == b"DONE":
            tag, self.idle_tag = self.idle_tag, None
            self.to_client(f"{tag} OK Idle completed.\r\n".encode())
            return False
        tag, verb, rest = _words(line)
        self.proxy.commands.append(verb)
        if quirks.stall_on and verb.endswith(quirks.stall_on):
            quirks.stalled.set()
            return False
        if any(verb in _COMMANDS_OF.get(cap, ()) for cap in quirks.hide):
            self.to_client(f"{tag} BAD Unknown command.\r\n".encode())
            return False
        if verb in ("SELECT", "EXAMINE"):
            self.selected = (_mailbox(rest), verb == "EXAMINE")
        elif verb in ("CLOSE", "UNSELECT", "LOGOUT"):
            self.selected = None
        elif verb == "IDLE" and quirks.silent_idle:
            self.idle_tag = tag
            self.to_client(b"+ idling\r\n")
            return False
        elif verb == "APPEND":
            if quirks.refuse_append:
                self.to_client(f"{tag} NO {quirks.refuse_append}\r\n".encode())
                return False
            if quirks.refuse_append_to_examined and self.selected == (_mailbox(rest), True):
                self.to_client(f"{tag} NO Current box is selected READ-ONLY.\r\n".encode())
                return False
            if quirks.drop_append_flags:
                line = _APPEND_FLAGS.sub(rb"\1 ()", line, count=1)
        self.server.sendall(line)
        return True

    # server → client ------------------------------------------------------------------

    def pump_server(self) -> None:
        buf, literal = b"", 0
        try:
            while not self.closed.is_set():
                data = self.server.recv(65536)
                if not data:
                    return
                buf += data
                while buf:
                    if literal:
                        part, buf = buf[:literal], buf[literal:]
                        literal -= len(part)
                        self.to_client(part)
                        continue
                    end = buf.find(b"\r\n")
                    if end < 0:
                        break
                    line, buf = buf[: end + 2], buf[end + 2 :]
                    found = _LITERAL.search(line)
                    if found:
                        literal = int(found.group(1))
                    line = self.response(line)
                    if line:
                        self.to_client(line)
        except OSError:
            pass
        finally:
            self.close()

    def response(self, line: bytes) -> bytes:
        quirks = self.proxy.quirks
        if quirks.hide:
            hidden = {h.upper().encode() for h in quirks.hide}

            def strip(match: re.Match[bytes]) -> bytes:
                kept = [c for c in match.group(2).split(b" ") if c.upper() not in hidden]
                return match.group(1) + b" ".join(kept)

            line = _CAPS.sub(strip, line)
            if "UIDPLUS" in quirks.hide:
                line = _APPENDUID.sub(b"", line)
        if quirks.omit_uidvalidity:
            if _UIDVALIDITY_LINE.match(line):
                return b""
            if line.startswith(b"* STATUS"):
                line = _UIDVALIDITY_ITEM.sub(b"", line).replace(b"( ", b"(")
        return line


class QuirkProxy:
    """``127.0.0.1:<port>`` in front of ``upstream_port``, changed by ``quirks``."""

    def __init__(self, upstream_port: int, quirks: Quirks | None = None) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.quirks = quirks or Quirks()
        self.commands: list[str] = []  # every command verb clients sent, in order
        self.connections = 0
        self._sessions: list[_Session] = []
        self._held: list[socket.socket] = []  # connections accepted while stalled
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="quirk-proxy", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            if self.quirks.stalled.is_set():
                self._held.append(client)  # accepted, never greeted
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            session = _Session(self, client, server)
            self._sessions.append(session)
            for pump in (session.pump_client, session.pump_server):
                threading.Thread(target=pump, daemon=True).start()

    def count(self, verb: str) -> int:
        return sum(1 for v in self.commands if v == verb or v == "UID " + verb)

    def close(self) -> None:
        self._listener.close()
        for session in self._sessions:
            session.close()
        for sock in self._held:
            sock.close()

    def __enter__(self) -> QuirkProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProxiedServer:
    """A Dovecot reached through a ``QuirkProxy``; the user's own client still goes direct."""

    def __init__(self, dovecot: DovecotServer, proxy: QuirkProxy) -> None:
        self.dovecot = dovecot
        self.proxy = proxy

    def add_user(self) -> str:
        return self.dovecot.add_user()

    def password(self, user: str) -> str:
        return self.dovecot.password(user)

    def client(self, user: str) -> IMAPClient:
        return self.dovecot.client(user)

    def folder(self, name: str) -> str:
        return self.dovecot.folder(name)

    def account(self, user: str, **overrides: object) -> ImapAccount:
        return self.dovecot.account(user, **{"port": self.proxy.port, **overrides})


# Courier's refusal, Mailutils' dropped APPEND flags, and neither ENABLE nor UNSELECT.
COURIER_LIKE = Quirks(
    refuse_append_to_examined=True,
    drop_append_flags=True,
    hide=frozenset({"ENABLE", "UNSELECT"}),
)


@pytest.fixture
def imap_quirks_harness(dovecot_server: DovecotServer) -> Iterator[ImapHarness]:
    """The contract against Dovecot behind the proxy with ``COURIER_LIKE`` quirks."""
    proxy = QuirkProxy(dovecot_server.port, dataclasses.replace(COURIER_LIKE))
    harness = ImapHarness(ProxiedServer(dovecot_server, proxy))
    yield harness
    harness.close()
    proxy.close()
