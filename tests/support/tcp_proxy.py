"""A loopback TCP proxy that watches IMAP traffic and can break it on purpose.

The benchmarks use it to count what the client really sends and receives; the fault
suite uses it to cut a connection at a chosen byte, before a chosen command reaches the
server, or after the server executed it but before the client hears the answer. Every
cut is one-shot: the client's reconnect goes through untouched, as after a real outage.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["c2s", "s2c"]
CutWhen = Literal["before", "response"]

_LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
_CHUNK = 65536


@dataclass
class Stats:
    """Traffic through the proxy since the last ``reset``."""

    connections: int = 0
    c2s: int = 0  # bytes client → server
    s2c: int = 0  # bytes server → client
    commands: list[str] = field(default_factory=list)  # verbs, "UID FETCH" style

    @property
    def command_count(self) -> int:
        return len(self.commands)


@dataclass
class _Rule:
    """One armed fault; ``fired`` once it has cut a connection."""

    kind: Literal["bytes", "command"]
    direction: Direction = "c2s"
    at: int = 0  # bytes rule: cut once this many bytes went this way (over all connections)
    verb: str = ""  # command rule: e.g. "FETCH", "APPEND", "STORE", "IDLE", "EXPUNGE"
    when: CutWhen = "before"
    action: Callable[[], None] | None = None  # run in a thread as the rule fires
    cut: bool = True  # False: only run ``action``, let the traffic through
    fired: bool = False


class _Framer:
    """Splits an IMAP byte stream into lines and literal bytes, as the peer reads it."""

    def __init__(self) -> None:
        self._buf = b""
        self._literal = 0  # literal bytes still expected
        self.after_literal = False  # the next line continues a command, it does not start one

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        self._buf += data
        out: list[tuple[str, bytes]] = []
        while self._buf:
            if self._literal:
                part, self._buf = self._buf[: self._literal], self._buf[self._literal :]
                self._literal -= len(part)
                out.append(("literal", part))
                if not self._literal:
                    self.after_literal = True
                continue
            end = self._buf.find(b"\r\n")
            if end < 0:
                break
            line, self._buf = self._buf[: end + 2], self._buf[end + 2 :]
            out.append(("continuation" if self.after_literal else "line", line))
            self.after_literal = False
            found = _LITERAL.search(line)
            if found:
                self._literal = int(found.group(1))
                if not self._literal:
                    self.after_literal = True
        return out

    def pending(self) -> bytes:
        """Bytes of an unfinished line (sent on as they are when the stream ends)."""
        rest, self._buf = self._buf, b""
        return rest


def _verb(line: bytes) -> tuple[str, str] | None:
    """``(tag, verb)`` of a client command line; "UID FETCH" keeps its prefix."""
    words = line.strip().split(b" ")
    if len(words) < 2 or words[0].upper() == b"DONE":
        return None
    verb = words[1].upper().decode("ascii", "replace")
    if verb == "UID" and len(words) > 2:
        verb = "UID " + words[2].upper().decode("ascii", "replace")
    return words[0].decode("ascii", "replace"), verb


class _Session:
    """One proxied client connection: two pump threads sharing the cut decision."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.closed = threading.Event()
        self.awaiting_tag: dict[str, _Rule] = {}  # tag of a command whose answer is to be lost

    def cut(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def pump(self, direction: Direction) -> None:
        src, dst = (self.client, self.server) if direction == "c2s" else (self.server, self.client)
        framer = _Framer()
        out = bytearray()  # what one recv yields is sent on in one write (no Nagle stalls)
        try:
            while not self.closed.is_set():
                data = src.recv(_CHUNK)
                if not data:
                    out += framer.pending()
                    _flush(dst, out)
                    break
                for kind, unit in framer.feed(data):
                    if not self._forward(direction, kind, unit, dst, out):
                        return
                _flush(dst, out)
        except OSError:
            pass
        finally:
            self.cut()

    def _forward(
        self, direction: Direction, kind: str, unit: bytes, dst: socket.socket, out: bytearray
    ) -> bool:
        """Queue one unit in ``out``, unless a rule cuts the connection first; False after a cut."""
        proxy = self.proxy
        run_first: Callable[[], None] | None = None
        with proxy.lock:
            if direction == "c2s" and kind == "line":
                parsed = _verb(unit)
                if parsed is not None:
                    tag, verb = parsed
                    proxy.stats.commands.append(verb)
                    rule = proxy.match_command(verb)
                    if rule is not None and not rule.cut:
                        rule.fired = True
                        run_first = rule.action
                        rule = None
                    if rule is not None and rule.when == "before":
                        rule.fired = True
                        return self._fire(rule, dst, out)
                    if rule is not None:
                        rule.fired = True
                        self.awaiting_tag[tag] = rule
            if direction == "s2c" and kind == "line" and self.awaiting_tag:
                tag = unit.split(b" ", 1)[0].decode("ascii", "replace")
                lost = self.awaiting_tag.pop(tag, None)
                if lost is not None:
                    return self._fire(lost, dst, out)
            keep = len(unit)
            rule = proxy.match_bytes(direction, len(unit))
            if rule is not None:
                rule.fired = True
                keep = rule.at - proxy.counted(direction)
            proxy.count(direction, keep)
        if run_first is not None:
            _flush(dst, out)
            run_first()  # before the command reaches the server
        out += unit[:keep]
        if rule is not None:
            return self._fire(rule, dst, out)
        return True

    def _fire(self, rule: _Rule, dst: socket.socket, out: bytearray) -> bool:
        _flush(dst, out)
        if rule.action is not None:
            rule.action()  # synchronously: the client hears nothing until it is done
        self.cut()
        return False


def _flush(dst: socket.socket, out: bytearray) -> None:
    if out:
        dst.sendall(out)
        out.clear()


class TcpProxy:
    """``127.0.0.1:<port>`` forwarding to ``upstream``; counts traffic, cuts on request."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.RLock()
        self.stats = Stats()
        self._rules: list[_Rule] = []
        self._total: dict[Direction, int] = {"c2s": 0, "s2c": 0}  # never reset; rules use it
        self._sessions: list[_Session] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._thread.start()

    # arming -----------------------------------------------------------------------------

    def cut_after_bytes(self, direction: Direction, count: int) -> None:
        """Cut once ``count`` more bytes have gone ``direction`` (0: at its next byte)."""
        with self.lock:
            self._rules.append(_Rule("bytes", direction, at=self.counted(direction) + count))

    def cut_on_command(
        self,
        verb: str,
        when: CutWhen = "before",
        action: Callable[[], None] | None = None,
    ) -> None:
        """Cut at the next ``verb`` command ("FETCH" also matches "UID FETCH").

        ``before``: the server never sees it. ``response``: the server gets and executes
        it, the client never hears the tagged answer. ``action`` runs just before the cut,
        while the client waits (e.g. stop or restart the server).
        """
        with self.lock:
            self._rules.append(_Rule("command", verb=verb.upper(), when=when, action=action))

    def on_command(self, verb: str, action: Callable[[], None]) -> None:
        """Run ``action`` just before ``verb`` reaches the server; no cut by the proxy itself."""
        with self.lock:
            self._rules.append(_Rule("command", verb=verb.upper(), action=action, cut=False))

    def disarm(self) -> None:
        with self.lock:
            self._rules.clear()

    def armed(self) -> bool:
        """True while a rule has not fired yet."""
        with self.lock:
            return any(not r.fired for r in self._rules)

    def reset(self) -> Stats:
        """Start counting afresh; returns what was counted so far."""
        with self.lock:
            old, self.stats = self.stats, Stats()
            return old

    # matching (called with the lock held) ----------------------------------------------

    def match_command(self, verb: str) -> _Rule | None:
        for rule in self._rules:
            if rule.fired or rule.kind != "command":
                continue
            if verb == rule.verb or verb == "UID " + rule.verb:
                return rule
        return None

    def match_bytes(self, direction: Direction, size: int) -> _Rule | None:
        done = self.counted(direction)
        for rule in self._rules:
            if rule.fired or rule.kind != "bytes" or rule.direction != direction:
                continue
            if done + size >= rule.at:
                return rule
        return None

    def counted(self, direction: Direction) -> int:
        return self._total[direction]

    def count(self, direction: Direction, size: int) -> None:
        self._total[direction] += size
        if direction == "c2s":
            self.stats.c2s += size
        else:
            self.stats.s2c += size

    # plumbing ---------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()  # upstream down: the client sees a refused/closed connection
                continue
            server.settimeout(None)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = _Session(self, client, server)
            with self.lock:
                self.stats.connections += 1
                self._sessions.append(session)
            for direction in ("c2s", "s2c"):
                threading.Thread(
                    target=session.pump, args=(direction,), name=f"proxy-{direction}", daemon=True
                ).start()

    def drop_all(self) -> None:
        """Cut every open connection now (as a network outage would)."""
        with self.lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.cut()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()
        self.drop_all()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
