"""IMAP push: one thread per account parks a second connection in IDLE and reports new mail.

Polling keeps running underneath, so a watcher that cannot IDLE (no support, server down)
only costs latency, never correctness. It reconnects with capped, jittered backoff.
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

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 300.0
# This many failures in a row that are not network errors mean IDLE does not work here.
GIVE_UP_AFTER = 3


class PushWatcher:
    """Calls ``on_mail(account_name)`` when the server announces a change in the first watched folder."""

    def __init__(
        self,
        config: Config,
        account: ImapAccount,
        on_mail: Callable[[str], None],
        *,
        idle_timeout: float = IDLE_RENEW,
    ) -> None:
        self.account = account
        self._config = config
        self._on_mail = on_mail
        self._idle_timeout = idle_timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"idle-{account.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end; it leaves after its current IDLE round (it is a daemon thread)."""
        self._stop.set()

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
                box = open_mailbox(self._config, self.account)
                idle: Callable[[str, float], bool] | None = getattr(box, "idle_wait", None)
                if idle is None:
                    log.debug("account %s: no IDLE support in this backend; polling only", name)
                    return
                folder = box.folders().watched[0]
                if lost:
                    log.info("account %s: IDLE connection is back", name)
                    self._on_mail(name)  # mail may have arrived while we were away
                    lost = False
                log.info("account %s: waiting for new mail in %s with IDLE", name, folder)
                instant = 0
                while not self._stop.is_set():
                    started = time.monotonic()
                    changed = idle(folder, self._idle_timeout)
                    odd_failures = 0
                    backoff.reset()
                    if self._stop.is_set():
                        break
                    if changed:
                        log.debug("account %s: the server announced new mail", name)
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
                if box is not None:
                    with contextlib.suppress(Exception):
                        box.close()
            if self._stop.wait(backoff.next_delay()):
                return
