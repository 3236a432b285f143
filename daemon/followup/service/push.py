"""The daemon's IDLE watchers: one per watched folder (bounded per account), and their health.

The runner tells them what each poll found, so an IDLE that stays silent while polls find
mail is given up for that account; polling goes on either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from followup.config import Config, ImapAccount
from followup.service.idle_health import IdleHealth
from followup.service.watcher import MAX_IDLE_FOLDERS, PushWatcher

log = logging.getLogger(__name__)


class Watchers:
    """Every running ``PushWatcher``; ``on_mail(account)`` is how they ask for a sync."""

    def __init__(self, on_mail: Callable[[str], None]) -> None:
        self._on_mail = on_mail
        self.running: list[PushWatcher] = []
        self.health: dict[str, IdleHealth] = {}

    def start(self, config: Config) -> None:
        """One watcher per watched folder, at most ``MAX_IDLE_FOLDERS`` per IMAP account."""
        for account in config.accounts:
            if not isinstance(account, ImapAccount):
                continue
            health = self.health[account.name] = IdleHealth(account.name)
            count = len(account.folders)
            if count > MAX_IDLE_FOLDERS:
                log.info(
                    "account %s: IDLE watches the first %d of %d folders; the others are polled",
                    account.name,
                    MAX_IDLE_FOLDERS,
                    count,
                )
            for index in range(min(count, MAX_IDLE_FOLDERS)):
                watcher = PushWatcher(
                    config, account, self._on_mail, folder_index=index, health=health
                )
                watcher.start()
                self.running.append(watcher)

    def after_poll(self, account: str, new_in_watched: int) -> None:
        """A poll of ``account`` found this many new messages in its watched folders."""
        health = self.health.get(account)
        if health is None:
            return
        if health.review():
            self._drop(account)
        elif new_in_watched:
            health.poll_found_mail()

    def _drop(self, account: str) -> None:
        for watcher in self.running:
            if watcher.account.name == account:
                watcher.abort()
        self.running = [w for w in self.running if w.account.name != account]
        del self.health[account]

    def stop_all(self) -> None:
        for watcher in self.running:
            watcher.stop()
        self.running = []
        self.health = {}

    def abort_all(self) -> None:
        """From another thread (the stop grace): cut the watchers' connections too."""
        for watcher in list(self.running):
            watcher.abort()
