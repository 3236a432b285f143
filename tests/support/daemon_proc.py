"""Run ``followup run`` as a real subprocess with a test sd_notify socket, and a tiny Maildir config."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

Message = dict[str, str]


class NotifyListener:
    """The service manager's side of ``$NOTIFY_SOCKET``: a bound AF_UNIX datagram socket."""

    def __init__(self, abstract: bool = False) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="fu-", dir="/tmp"))  # short: sun_path is 108 bytes
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            name = f"followup-test-{os.getpid()}-{self._dir.name}"
            self.sock.bind("\0" + name)
            self.address = "@" + name
        else:
            path = self._dir / "notify"
            self.sock.bind(str(path))
            self.address = str(path)
        self.messages: list[tuple[float, Message]] = []

    def _parse(self, data: bytes) -> Message:
        fields: Message = {}
        for line in data.decode().splitlines():
            key, _, value = line.partition("=")
            fields[key] = value
        return fields

    def drain(self, timeout: float) -> None:
        """Receive whatever arrives within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except (TimeoutError, BlockingIOError):
                return
            self.messages.append((time.monotonic(), self._parse(data)))

    def _receive_one(self, timeout: float) -> None:
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(4096)
        except (TimeoutError, BlockingIOError):
            return
        self.messages.append((time.monotonic(), self._parse(data)))

    def mark(self) -> int:
        """A position to pass as ``since`` to ``wait_for``, to ignore what came before."""
        self.drain(0)
        return len(self.messages)

    def wait_for(
        self, predicate: Callable[[Message], bool], timeout: float, *, since: int = 0
    ) -> Message:
        """The first message from ``since`` on matching ``predicate``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        seen = since
        while True:
            for _, message in self.messages[seen:]:
                if predicate(message):
                    return message
            seen = len(self.messages)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"no matching sd_notify message within {timeout} s; got {self.values()}"
                )
            self._receive_one(left)

    def values(self, key: str | None = None) -> list[str] | list[Message]:
        if key is None:
            return [m for _, m in self.messages]
        return [m[key] for _, m in self.messages if key in m]

    def close(self) -> None:
        self.sock.close()
        shutil.rmtree(self._dir, ignore_errors=True)


class DaemonProcess:
    """``python -m followup --config CFG run ARGS`` with stderr captured to a file."""

    def __init__(
        self,
        config: Path,
        args: Sequence[str] = (),
        *,
        notify: NotifyListener | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.log_path = config.parent / f"daemon-{time.monotonic_ns()}.log"
        full_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NOTIFY_", "WATCHDOG_", "JOURNAL_"))
        }
        if notify is not None:
            full_env["NOTIFY_SOCKET"] = notify.address
        full_env["PYTHONFAULTHANDLER"] = "1"  # a hung daemon can be made to show its stacks
        full_env.update(env or {})
        self._log = self.log_path.open("wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "followup", "--config", str(config), "run", *args],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=full_env,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_log(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.stderr():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{text!r} not logged within {timeout} s; log:\n{self.stderr()}"
                )
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"daemon exited with {self.proc.returncode}; log:\n{self.stderr()}"
                )
            time.sleep(0.1)

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM and wait; returns the exit code (kills and fails the wait on timeout)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def wait(self, timeout: float) -> int:
        """The exit code; on timeout, dump every thread's stack (faulthandler) and fail."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGABRT)
            self.proc.wait(timeout=10)
            raise AssertionError(
                f"daemon still running after {timeout} s; log:\n{self.stderr()}"
            ) from None

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()


CONFIG = """\
[identity]
name = "Jordan Rivera"
email = "jordan@example.com"

[schedule]
timezone = "America/New_York"

[daemon]
state_dir = "{state}"
poll_interval = "{poll}"

{account}
{interviews}
"""

MAILDIR_ACCOUNT = """\
[[accounts]]
name = "mail"
type = "maildir"
path = "{path}"
"""

INTERVIEW = """\
[[interviews]]
id = "{id}"
company = "{company}"
role = "Backend Engineer"
interviewed_on = {day}
contacts = ["Dana Whitfield <dana@{domain}>"]
stages = ["thank_you"]
"""


def make_maildir(root: Path) -> Path:
    for folder in ("INBOX", "Sent", "Drafts"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    return root


def interview(iid: str, company: str, day: str, domain: str = "acme.example") -> str:
    return INTERVIEW.format(id=iid, company=company, day=day, domain=domain)


def write_config(
    path: Path,
    *,
    account: str,
    interviews: Sequence[str],
    poll: str = "5m",
    state: Path | None = None,
) -> Path:
    text = CONFIG.format(
        state=state or path.parent / "state",
        poll=poll,
        account=account,
        interviews="\n".join(interviews),
    )
    path.write_text(text, encoding="utf-8")
    return path


def drafts_in(maildir: Path) -> list[Path]:
    return [p for sub in ("cur", "new") for p in (maildir / "Drafts" / sub).iterdir()]


@pytest.fixture
def notify() -> Iterator[NotifyListener]:
    """A socket that hears the daemon's sd_notify messages."""
    listener = NotifyListener()
    yield listener
    listener.close()


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """Daemons a test starts; every one is killed at its end, whatever happened."""
    started: list[DaemonProcess] = []
    yield started
    for d in started:
        d.close()
