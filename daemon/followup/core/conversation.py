"""Which conversation a draft joins, and whom it greets: chosen together, so they agree.

Observed before: the recruiter sent the invitation in one thread, the user thanked the
interviewer in another, and a check-in went To the recruiter but In-Reply-To the note to
the interviewer. Now the thread comes first — the one that made the promise, else the
latest the user took part in, else the latest with the company — and the recipient is a
company-side person *in that thread*: the last one who wrote, else the one the user
wrote to. A draft never goes to someone who is not in the thread it replies to.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from followup.core.ats import is_ats_domain, is_robot_address
from followup.core.model import FAR_PAST, Address, Interview, MessageMeta
from followup.core.text import base_subject, is_safe_address, is_safe_message_id, one_line

_MAX_REFERENCES = 20  # keep the first and the latest ids of very long threads


def is_person(address: Address, me: Collection[str]) -> bool:
    """Someone to write to: not the user, not a robot, not an applicant-tracking system."""
    email = address.email.lower()
    if not is_safe_address(email) or email in me:
        return False
    return not is_robot_address(email) and not is_ats_domain(address.domain)


def newest_first(messages: Sequence[MessageMeta]) -> list[MessageMeta]:
    """Messages newest first; undated ones count as oldest, ties keep the later one first."""
    indexed = list(enumerate(messages))
    indexed.sort(key=lambda im: (im[1].date or FAR_PAST, im[0]), reverse=True)
    return [m for _, m in indexed]


def threads(messages: Sequence[MessageMeta]) -> list[tuple[MessageMeta, ...]]:
    """The messages grouped into conversations (by Message-ID links or a Gmail thread),
    each oldest first; the conversations ordered by their newest message, newest first."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    def node(m: MessageMeta, i: int) -> str:
        return f"id:{m.message_id}" if m.message_id else f"n:{i}"

    for i, m in enumerate(messages):
        me = node(m, i)
        find(me)
        for ref in (*m.in_reply_to, *m.references):
            union(me, f"id:{ref}")
        if m.thread_id:
            union(me, f"thread:{m.thread_id}")
    groups: dict[str, list[MessageMeta]] = {}
    for i, m in enumerate(messages):
        groups.setdefault(find(node(m, i)), []).append(m)
    ordered = [tuple(reversed(newest_first(g))) for g in groups.values()]
    ordered.sort(key=lambda g: max((m.date or FAR_PAST) for m in g), reverse=True)
    return ordered


@dataclass(frozen=True)
class ThreadContext:
    """Where a draft should attach: the base subject and the threading headers (ids bare)."""

    subject: str
    in_reply_to: str
    references: tuple[str, ...]


def _trim_references(ids: list[str]) -> tuple[str, ...]:
    if len(ids) <= _MAX_REFERENCES:
        return tuple(ids)
    return (ids[0], *ids[-(_MAX_REFERENCES - 1) :])


def thread_context(messages: Sequence[MessageMeta]) -> ThreadContext | None:
    """Threading for a reply to the latest message of the conversation, or None if none."""
    for latest in newest_first(messages):
        if not is_safe_message_id(latest.message_id):
            continue  # no id, or one that could not be copied into a header safely
        chain = list(latest.references) or list(latest.in_reply_to)
        refs: list[str] = []
        for mid in [*chain, latest.message_id]:
            if is_safe_message_id(mid) and mid not in refs:
                refs.append(mid)
        return ThreadContext(
            subject=base_subject(one_line(latest.subject)),
            in_reply_to=latest.message_id,
            references=_trim_references(refs),
        )
    return None


@dataclass(frozen=True)
class Addressing:
    """Whom a draft greets and which conversation it joins (None: a new thread)."""

    recipient: Address | None
    thread: ThreadContext | None


def _writers(thread: Sequence[MessageMeta], mine: Collection[str]) -> list[Address]:
    """Company-side people who wrote in a thread, the latest first (Reply-To before From:
    an ATS relays the recruiter that way)."""
    out: list[Address] = []
    for message in newest_first(thread):
        for candidate in (*message.reply_to, *([message.sender] if message.sender else [])):
            if is_person(candidate, mine) and candidate not in out:
                out.append(candidate)
    return out


def _written_to(thread: Sequence[MessageMeta], mine: Collection[str]) -> list[Address]:
    """The people the user wrote to in a thread, the latest first."""
    out: list[Address] = []
    for message in newest_first(thread):
        if message.sender is not None and message.sender.email.lower() in mine:
            out += [a for a in message.recipients if is_person(a, mine) and a not in out]
    return out


def address(
    interview: Interview,
    conversation: Sequence[MessageMeta],
    *,
    me: Collection[str],
    about: MessageMeta | None = None,
) -> Addressing:
    """The thread to reply in and the person to write to, chosen so that they agree.

    ``about`` is the message the draft follows up on (the one that made the promise): its
    thread is chosen and its author greeted when it has one. Without any conversation the
    draft starts a new thread to the first contact.
    """
    mine = {m.lower() for m in me}
    groups = [g for g in threads(conversation) if _people(g, mine)]  # someone to write to
    chosen: tuple[MessageMeta, ...] | None = None
    if about is not None:
        chosen = next((g for g in groups if about in g), None)
    if chosen is None:
        took_part = [g for g in groups if _written_to(g, mine)]
        candidates = took_part or groups
        chosen = candidates[0] if candidates else None
    if chosen is None:
        contact = next((c for c in interview.contacts if is_person(c, mine)), None)
        return Addressing(contact, None)
    people = _people(chosen, mine)
    author = about.reply_to[0] if about is not None and about.reply_to else None
    if about is not None and author is None and about.sender is not None:
        author = about.sender
    if author is not None and author in people:
        people.remove(author)
        people.insert(0, author)
    return Addressing(people[0], thread_context(chosen))


def _people(thread: Sequence[MessageMeta], mine: Collection[str]) -> list[Address]:
    """Whom a reply in this thread could go to: who wrote, then whom the user wrote to."""
    people = _writers(thread, mine)
    return people + [p for p in _written_to(thread, mine) if p not in people]
