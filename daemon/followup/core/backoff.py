"""Exponential backoff with jitter: the one retry rhythm of every loop that waits to retry.

Jitter spreads retries of many clients (or many accounts) so they do not hit a server that
just came back at the same instant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays ``first``, ``2·first``, ``4·first``… up to ``cap``, each shrunk at random.

    ``jitter`` is the fraction of a delay that may be taken off at random (0: exact
    delays). ``reset()`` starts over after a success.
    """

    first: float
    cap: float
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random, repr=False)
    _current: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first <= 0 or self.cap < self.first:
            raise ValueError(f"backoff needs 0 < first <= cap, got {self.first}, {self.cap}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter}")
        self._current = self.first

    @property
    def upcoming(self) -> float:
        """The next delay before jitter (for messages such as "retrying in 8 s")."""
        return self._current

    def next_delay(self) -> float:
        """The delay to wait now; the one after it doubles (up to ``cap``)."""
        delay = self._current * (1 - self.jitter * self.rng.random())
        self._current = min(self._current * 2, self.cap)
        return delay

    def reset(self) -> None:
        self._current = self.first
