"""Thread knowledge: which Message-IDs (and Gmail thread ids) belong to which interview.

A reply that references a message exchanged with a company belongs to that company's
interview, whoever sent it: the strongest tie there is.
"""

from __future__ import annotations

from followup.core.model import MessageMeta
from followup.core.text import bare_id


class ThreadIndex:
    """Message ids (and Gmail thread ids) known to belong to a conversation with a company."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._threads: dict[str, str] = {}

    def add(self, message_id: str, interview_id: str) -> None:
        key = bare_id(message_id)
        if key:
            self._ids.setdefault(key, interview_id)

    def add_thread(self, thread_id: str, interview_id: str) -> None:
        if thread_id:
            self._threads.setdefault(thread_id, interview_id)

    def lookup(self, msg: MessageMeta) -> str | None:
        """The interview a thread reference of ``msg`` points to (most recent ref first)."""
        for ref in (*msg.in_reply_to, *reversed(msg.references)):
            found = self._ids.get(bare_id(ref))
            if found is not None:
                return found
        if msg.thread_id:
            return self._threads.get(msg.thread_id)
        return None

    def __contains__(self, message_id: object) -> bool:
        return isinstance(message_id, str) and bare_id(message_id) in self._ids

    def __len__(self) -> int:
        return len(self._ids) + len(self._threads)
