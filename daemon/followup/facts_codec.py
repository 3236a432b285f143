"""How what a text said (``TextFacts``) is kept in the state database: compact JSON, read
back strictly; a value that does not read back raises, and the store calls the database
damaged. Only the writer of facts and their readers import this (never ``status``).
"""

from __future__ import annotations

import datetime as dt
import json

from followup.core.reading import KINDS, Invite, Reading
from followup.core.signals import Mention, TextSignals
from followup.core.text_facts import TextFacts


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
