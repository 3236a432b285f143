"""How messages are kept in the state database: compact JSON, read back strictly. A
message's text is never kept (what the rules read from it is in ``followup.facts_codec``).

A stored value that does not read back raises (``KeyError``, ``ValueError``, ``TypeError``),
which the store turns into its "the database is damaged" advice.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from followup.core.model import Address, MessageMeta


def _addr_json(a: Address | None) -> list[str] | None:
    return None if a is None else [a.name, a.email]


def _addr_from(v: object) -> Address | None:
    if not isinstance(v, list) or len(v) != 2:
        return None
    return Address(str(v[0]), str(v[1]))


def meta_to_dict(m: MessageMeta) -> dict[str, object]:
    return {
        "message_id": m.message_id,
        "date": m.date.isoformat() if m.date else None,
        "sender": _addr_json(m.sender),
        "subject": m.subject,
        "to": [_addr_json(a) for a in m.to],
        "cc": [_addr_json(a) for a in m.cc],
        "reply_to": [_addr_json(a) for a in m.reply_to],
        "in_reply_to": list(m.in_reply_to),
        "references": list(m.references),
        "headers": [list(h) for h in m.headers],
        "content_type": m.content_type,
        # Never the text: what the rules read from it is kept as TextFacts.
        "thread_id": m.thread_id,
        "folder": m.folder,
        "uid": m.uid,
    }


def meta_to_json(m: MessageMeta) -> str:
    return json.dumps(meta_to_dict(m), ensure_ascii=False, separators=(",", ":"))


def _addrs(v: object) -> tuple[Address, ...]:
    if not isinstance(v, list):
        return ()
    return tuple(a for a in (_addr_from(x) for x in v) if a is not None)


def meta_from_json(text: str) -> MessageMeta:
    return meta_from_dict(json.loads(text))


def meta_from_dict(d: dict[str, Any]) -> MessageMeta:
    return MessageMeta(
        message_id=d["message_id"],
        date=dt.datetime.fromisoformat(d["date"]) if d["date"] else None,
        sender=_addr_from(d["sender"]),
        subject=d["subject"],
        to=_addrs(d["to"]),
        cc=_addrs(d["cc"]),
        reply_to=_addrs(d["reply_to"]),
        in_reply_to=tuple(d["in_reply_to"]),
        references=tuple(d["references"]),
        headers=tuple((str(k), str(v)) for k, v in d["headers"]),
        content_type=d["content_type"],
        thread_id=d["thread_id"],
        folder=d["folder"],
        uid=d["uid"],
    )
