"""The daemon's open mailboxes: one per account, opened lazily, dropped when it fails.

A failed account is logged once per distinct error, recorded for ``status``, and its
connection is dropped so the next step opens a fresh one; the other accounts go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time

from followup.config import AccountConfig, Config
from followup.core.backoff import Backoff
from followup.core.errors import UserError
from followup.mailbox import Mailbox, open_mailbox
from followup.store import Store

log = logging.getLogger(__name__)

RETRY_MIN = 60.0  # first retry of a due draft whose account failed


class AccountPool:
    """Open mailboxes by account name, and the last error of each failed account."""

    def __init__(self) -> None:
        self.boxes: dict[str, Mailbox] = {}
        self.errors: dict[str, str] = {}
        self.auth_errors: dict[str, str] = {}  # of errors: the login problems (`followup auth`)
        self.reachable: set[str] = set()  # failed accounts whose server answered (a refusal)
        self.aborted = False  # the daemon is stopping: no new connection is opened

    def get(
        self, config: Config, account: AccountConfig, store: Store, now: dt.datetime
    ) -> Mailbox | None:
        box = self.boxes.get(account.name)
        if box is not None or self.aborted:
            return box
        try:
            box = open_mailbox(config, account)
        except UserError as exc:
            self.failed(account.name, str(exc), store, now)
            return None
        self.boxes[account.name] = box
        return box

    def failed(
        self,
        name: str,
        why: str,
        store: Store,
        now: dt.datetime,
        *,
        logged: bool = False,
        auth: bool = False,
        reachable: bool = False,
    ) -> None:
        """Log, record, and drop the connection so the next step opens a fresh one.

        ``reachable``: the sync worked but a write failed; the status then names that.
        """
        if not logged and self.errors.get(name) != why:
            log.error("account %s: %s", name, why)
        self.errors[name] = why
        if auth:
            self.auth_errors[name] = why
        else:
            self.auth_errors.pop(name, None)
        if reachable:
            self.reachable.add(name)
        else:
            self.reachable.discard(name)
        store.set_account_health(name, False, why, now)
        box = self.boxes.pop(name, None)
        if box is not None:
            with contextlib.suppress(Exception):
                box.close()

    def ok(self, name: str) -> None:
        self.auth_errors.pop(name, None)
        self.reachable.discard(name)
        if self.errors.pop(name, None) is not None:
            log.info("account %s: reachable again", name)

    def abort_all(self) -> None:
        """From another thread: cut every open connection; nothing new is opened after."""
        self.aborted = True
        for box in list(self.boxes.values()):
            abort = getattr(box, "abort", None)
            if abort is not None:
                with contextlib.suppress(Exception):
                    abort()

    def close_all(self) -> None:
        for box in self.boxes.values():
            with contextlib.suppress(Exception):
                box.close()
        self.boxes = {}

    def reset(self) -> None:
        """Forget connections and errors (after a reload)."""
        self.close_all()
        self.errors.clear()
        self.auth_errors.clear()
        self.reachable.clear()


class RetryTimer:
    """When a draft that stayed due (its account failed) may be tried again."""

    def __init__(self) -> None:
        self._backoff = Backoff(RETRY_MIN, RETRY_MIN, jitter=0.0)
        self._at = 0.0

    def due(self) -> bool:
        return time.monotonic() >= self._at

    def failed(self, poll_interval: float) -> None:
        """Back off: 60 s, then doubling up to the poll interval."""
        self._backoff.cap = max(RETRY_MIN, poll_interval)
        self._at = time.monotonic() + self._backoff.next_delay()

    def succeeded(self) -> None:
        self._at = 0.0
        self._backoff.reset()
