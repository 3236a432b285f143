"""One writer per state directory, and one daemon: OS file locks that die with the process.

Writing a draft is "record the intent, look in Drafts, append, record": two processes
doing that at once for the same stage would both find nothing and both append. Holding
``writer.lock`` for a whole cycle serialises them; the second then finds the first one's
draft. Readers (``status``, ``explain``) never take it, so they never wait.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from followup.core.errors import StateError

WRITER = "writer.lock"
DAEMON = "daemon.lock"
POLL = 0.05  # seconds between attempts while waiting for a lock


class StateBusy(StateError):
    """Another followup process holds the lock (exit 74, like any state that cannot be used)."""


class FileLock:
    """An exclusive ``flock`` on one file in the state directory; the holder's pid is inside."""

    def __init__(self, state_dir: Path, name: str) -> None:
        self.path = state_dir / name
        self._fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting at most ``timeout`` seconds; False if another holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(POLL)
                continue
            break
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {' '.join(sys.argv[1:])[:200]}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def holder(self) -> str:
        """ "pid N (`followup run`)", as the holder wrote it, for the message."""
        try:
            pid, _, args = self.path.read_text(encoding="utf-8").strip().partition(" ")
        except OSError:
            return "another process"
        return f"pid {pid} (`followup {args}`)" if pid.isdigit() else "another process"

    @property
    def held(self) -> bool:
        return self._fd is not None


@contextlib.contextmanager
def writing(state_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the writer lock for the block, or raise ``StateBusy`` after ``timeout`` seconds."""
    lock = FileLock(state_dir, WRITER)
    try:
        got = lock.acquire(timeout)
    except OSError as exc:
        raise StateError(f"cannot lock the state directory {state_dir}: {exc.strerror}") from exc
    if not got:
        raise StateBusy(
            f"another followup, {lock.holder()}, has been writing to {state_dir} for over "
            f"{timeout:.0f} s; wait for it to finish, or stop it "
            "(`systemctl --user stop followup` for the service), then retry"
        )
    try:
        yield
    finally:
        lock.release()
