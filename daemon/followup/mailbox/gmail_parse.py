"""Pure helpers of the Gmail backend: Gmail's JSON resources → the shared parser's input.

Nothing here talks to Google, so every rule about what the API returned is tested on
plain JSON, as ``imap_parse`` is tested on bytes.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from email import message_from_bytes
from email.policy import compat32
from typing import Any

from followup.core.parsing import BODY_LIMIT, CALENDAR_LIMIT, CALENDAR_TYPES, body_text

JSON = dict[str, Any]

NOT_REPLIES = frozenset({"SENT", "DRAFT", "SPAM", "TRASH"})
SYSTEM_LABELS = frozenset(
    {"INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CHAT"}
)
_PAYLOAD_LIMIT = 200_000  # bytes of one text part handed to the MIME parser


def wanted(labels: Iterable[str], label: str, *, sent: bool) -> bool:
    """In the watched label, and not our own/junk mail unless we are reading Sent."""
    have = set(labels)
    if label not in have:
        return False
    return sent or not (have & NOT_REPLIES)


def header_bytes(headers: Iterable[JSON]) -> bytes:
    """Rebuild a header block from Gmail's JSON headers, for the shared parser."""
    lines = [f"{h.get('name', '')}: {h.get('value', '')}" for h in headers if h.get("name")]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", errors="surrogateescape")


def _parts(payload: JSON) -> list[JSON]:
    """Every part of a payload, breadth first."""
    out: list[JSON] = []
    queue = [payload]
    while queue:
        part = queue.pop(0)
        out.append(part)
        queue.extend(part.get("parts", []))
    return out


def excerpt(payload: JSON) -> str:
    """Bounded plain text of a ``format=full`` payload (text/plain first, else HTML)."""
    texts: dict[str, tuple[bytes, str | None]] = {}
    for part in _parts(payload):
        mime = str(part.get("mimeType", "")).lower()
        data = part.get("body", {}).get("data")
        if mime in ("text/plain", "text/html") and data and not part.get("filename"):
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            texts.setdefault(mime, (raw, _charset(part)))
        if len(texts) == 2:
            break
    for mime in ("text/plain", "text/html"):
        if mime in texts:
            raw, charset = texts[mime]
            synthetic = f"Content-Type: {mime}; charset={charset or 'utf-8'}\r\n\r\n".encode()
            msg = message_from_bytes(synthetic + raw[:_PAYLOAD_LIMIT], policy=compat32)
            return body_text(msg, BODY_LIMIT)
    return ""


def calendar(payload: JSON) -> str:
    """The raw text of the first inline calendar part of a ``format=full`` payload, bounded."""
    for part in _parts(payload):
        mime = str(part.get("mimeType", "")).lower()
        data = part.get("body", {}).get("data")
        if mime in CALENDAR_TYPES and data:
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            text = raw[:_PAYLOAD_LIMIT].decode(_charset(part) or "utf-8", errors="replace")
            return text.replace("\r\n", "\n")[:CALENDAR_LIMIT]
    return ""


def _charset(part: JSON) -> str | None:
    for header in part.get("headers", []):
        if str(header.get("name", "")).lower() == "content-type":
            found = re.search(r'charset="?([\w.:-]+)', str(header.get("value", "")), re.I)
            return found.group(1) if found else None
    return None


def encode_cursor(history_id: str) -> str:
    return json.dumps({"history_id": history_id})


def decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        value = json.loads(cursor).get("history_id")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None
