"""IMAP push: one thread per watched folder parks its own connection in IDLE and reports mail.

Polling keeps running underneath, so a watcher that cannot IDLE (no support, server down,
an IDLE that never reports) only costs latency, never correctness. It reconnects with
capped, jittered backoff. An account has at most ``MAX_IDLE_FOLDERS`` watchers, so a long
``folders`` list cannot exhaust the server's connections per user; the others are polled.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from followup.config import Config, ImapAccount
from followup.core.backoff import Backoff
from followup.core.errors import FollowupError, MailboxUnreachable
from followup.mailbox import Mailbox, open_mailbox
from followup.mailbox.imap_idle import IDLE_RENEW
from followup.service.idle_health import IdleHealth

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 300.0
# This many failures in a row that are not network errors mean IDLE does not work here.
GIVE_UP_AFTER = 3
MAX_IDLE_FOLDERS = 3  # IDLE connections per account, besides the one that polls and writes


class PushWatcher:
    """Calls ``on_mail(account_name)`` when the server announces mail in one watched folder.

    ``folder_index`` picks the folder among the account's watched ones; the watchers of one
    account share one ``IdleHealth``, and all of them stop once it finds IDLE silent.
    """

    def __init__(
        self,
        config: Config,
        account: ImapAccount,
        on_mail: Callable[[str], None],
        *,
        folder_index: int = 0,
        health: IdleHealth | None = None,
        idle_timeout: float = IDLE_RENEW,
    ) -> None:
        self.account = account
        self.folder_index = folder_index
        self.health = health or IdleHealth(account.name)
        self._config = config
        self._on_mail = on_mail
        self._idle_timeout = idle_timeout
        self._stop = threading.Event()
        self._box: Mailbox | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"idle-{account.name}-{folder_index}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end; it leaves after its current IDLE round (it is a daemon thread)."""
        self._stop.set()

    def abort(self) -> None:
        """Stop now: also cut the connection the thread is waiting on."""
        self._stop.set()
        abort: Callable[[], None] | None = getattr(self._box, "abort", None)
        if abort is not None:
            with contextlib.suppress(Exception):
                abort()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        name = self.account.name
        backoff = Backoff(BACKOFF_START, BACKOFF_MAX, jitter=0.2)
        odd_failures = 0
        lost = False
        while not self._stop.is_set():
            box: Mailbox | None = None
            try:
                box = self._box = open_mailbox(self._config, self.account)
                idle: Callable[[str, float], bool] | None = getattr(box, "idle_wait", None)
                if idle is None:
                    log.debug("account %s: no IDLE support in this backend; polling only", name)
                    return
                watched = box.folders().watched
                if self.folder_index >= len(watched):
                    return  # two configured names resolved to one folder
                folder = watched[self.folder_index]
                if lost:
                    log.info("account %s: IDLE connection is back", name)
                    self._on_mail(name)  # mail may have arrived while we were away
                    lost = False
                log.info("account %s: waiting for new mail in %s with IDLE", name, folder)
                instant = 0
                while not self._stop.is_set():
                    if self.health.silent:
                        return  # logged once by IdleHealth; polling goes on
                    started = time.monotonic()
                    self.health.idling()
                    changed = idle(folder, self._idle_timeout)
                    odd_failures = 0
                    backoff.reset()
                    if self._stop.is_set():
                        break
                    if changed:
                        log.debug("account %s: the server announced new mail in %s", name, folder)
                        self.health.reported()
                        self._on_mail(name)
                        instant = 0
                    elif time.monotonic() - started < 1.0:
                        # An immediate "nothing" means the server has no IDLE.
                        instant += 1
                        if instant >= GIVE_UP_AFTER:
                            log.info(
                                "account %s: the server does not support IDLE; polling only", name
                            )
                            return
                        self._stop.wait(1.0)
            except (MailboxUnreachable, OSError) as exc:
                lost = True
                self.health.interrupted()
                log.warning(
                    "account %s: IDLE connection failed (%s); retrying in %.0f s",
                    name,
                    exc,
                    backoff.upcoming,
                )
            except (FollowupError, NotImplementedError, ValueError, RuntimeError) as exc:
                lost = True
                odd_failures += 1
                if odd_failures >= GIVE_UP_AFTER:
                    log.warning("account %s: IDLE does not work here (%s); polling only", name, exc)
                    return
                log.warning(
                    "account %s: IDLE failed (%s); retrying in %.0f s", name, exc, backoff.upcoming
                )
            except Exception:
                lost = True
                log.exception("account %s: unexpected error in the IDLE watcher; retrying", name)
            finally:
                self._box = None
                if box is not None:
                    with contextlib.suppress(Exception):
                        box.close()
            if self._stop.wait(backoff.next_delay()):
                return
