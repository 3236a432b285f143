"""How messages and their text facts are kept in the state database: compact JSON, read
back strictly. A message's text is never kept, only what the rules read from it.

A stored value that does not read back raises (``KeyError``, ``ValueError``, ``TypeError``),
which the store turns into its "the database is damaged" advice.
"""

from __future__ import annotations

import datetime as dt
import json

from followup.core.model import Address, MessageMeta
from followup.core.reading import KINDS, Invite, Reading
from followup.core.signals import Mention, TextSignals
from followup.core.text_facts import TextFacts


def _addr_json(a: Address | None) -> list[str] | None:
    return None if a is None else [a.name, a.email]


def _addr_from(v: object) -> Address | None:
    if not isinstance(v, list) or len(v) != 2:
        return None
    return Address(str(v[0]), str(v[1]))


def meta_to_json(m: MessageMeta) -> str:
    return json.dumps(
        {
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
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _addrs(v: object) -> tuple[Address, ...]:
    if not isinstance(v, list):
        return ()
    return tuple(a for a in (_addr_from(x) for x in v) if a is not None)


def meta_from_json(text: str) -> MessageMeta:
    d = json.loads(text)
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


# --- text facts -------------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _reading_json(r: Reading | None) -> object:
    if r is None:
        return None
    invite = None
    if r.invite is not None:
        i = r.invite
        invite = [i.method, i.start.isoformat() if i.start else None, i.organizer, i.summary]
    return {
        "kind": r.kind,
        "reason": r.reason,
        "promised_by": r.promised_by.isoformat() if r.promised_by else None,
        "away_until": r.away_until.isoformat() if r.away_until else None,
        "language": r.language,
        "invite": invite,
    }


def _reading_from(d: object) -> Reading | None:
    if d is None:
        return None
    if not isinstance(d, dict):
        raise ValueError("a stored reading is not an object")
    invite = None
    if d["invite"] is not None:
        method, start, organizer, summary = d["invite"]
        when = dt.datetime.fromisoformat(start) if start else None
        invite = Invite(str(method), when, organizer, str(summary))
    kind = d["kind"]
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown stored kind {kind!r}")
    return Reading(
        kind,
        str(d["reason"]),
        _date(d["promised_by"]),
        _date(d["away_until"]),
        str(d["language"]),
        invite,
    )


def facts_to_json(f: TextFacts) -> str:
    s = f.signals
    return json.dumps(
        {
            "signals": [
                s.out_of_office,
                s.job_alert,
                s.acknowledgement,
                s.newsletter,
                s.forwarded,
                [[m.interview_id, m.company_at, m.role] for m in s.mentions],
            ],
            "reading": _reading_json(f.reading),
            "as_thanks": _reading_json(f.as_thanks),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def facts_from_json(key: str, text: str) -> TextFacts:
    d = json.loads(text)
    ooo, alert, ack, news, fwd, mentions = d["signals"]
    signals = TextSignals(
        bool(ooo),
        bool(alert),
        bool(ack),
        bool(news),
        bool(fwd),
        tuple(
            Mention(str(i), None if at is None else int(at), bool(role)) for i, at, role in mentions
        ),
    )
    return TextFacts(key, signals, _reading_from(d["reading"]), _reading_from(d["as_thanks"]))
