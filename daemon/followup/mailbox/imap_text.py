"""A message's text over IMAP: pick the parts from BODYSTRUCTURE, fetch a bounded slice of each.

``BODY.PEEK[TEXT]<0.N>`` would hand over MIME boundaries and the first bytes of whatever
part comes first (often base64 HTML, a calendar part far behind). Reading the structure
first lets the backend fetch the start of the text/plain part (else the HTML one) and the
calendar part, decode them, and hand the rules the same text a parser of the whole file
(``explain``) sees.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import compat32
from typing import Any

from followup.core.parsing import BODY_LIMIT, CALENDAR_LIMIT, CALENDAR_TYPES, body_parts
from followup.mailbox.imap_commands import fetch_range
from followup.mailbox.imap_parse import batches, fetch_item, uid_set

SLICE = {"plain": 16384, "html": 65536, "calendar": 32768}
"""Bytes fetched of each part: enough encoded bytes for BODY_LIMIT characters of text."""


@dataclass(frozen=True)
class Part:
    section: str  # "1", "1.2", ...
    ctype: str  # "text/plain"
    charset: str | None
    encoding: str  # "7bit", "base64", "quoted-printable", ...
    attachment: bool


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("ascii", "replace")
    return str(value) if value is not None else ""


def _params(value: object) -> dict[str, str]:
    if not isinstance(value, tuple | list):
        return {}
    items = [_text(v) for v in value]
    return {items[i].lower(): items[i + 1] for i in range(0, len(items) - 1, 2)}


def parts(structure: Any, prefix: str = "") -> list[Part]:
    """The leaf parts of a BODYSTRUCTURE as imapclient returns it, with their sections.

    A forwarded message (``message/rfc822``) is not looked into: it is not the sender's
    own text.
    """
    if not isinstance(structure, tuple | list) or not structure:
        return []
    if isinstance(structure[0], list):  # multipart: (children, subtype, params, ...)
        out: list[Part] = []
        for i, child in enumerate(structure[0], start=1):
            out += parts(child, f"{prefix}{i}.")
        return out
    if len(structure) < 7:
        return []
    ctype = f"{_text(structure[0])}/{_text(structure[1])}".lower()
    disposition = None
    # text/* parts carry a line count at 7, so their disposition is at 9; others at 8.
    for index in (9, 8):
        if len(structure) > index and isinstance(structure[index], tuple | list):
            disposition = _text(structure[index][0]).lower() if structure[index] else None
            break
    return [
        Part(
            section=(prefix or "1.").rstrip("."),
            ctype=ctype,
            charset=_params(structure[2]).get("charset"),
            encoding=_text(structure[5]).lower() or "7bit",
            attachment=disposition == "attachment",
        )
    ]


def chosen(all_parts: Sequence[Part]) -> tuple[Part | None, Part | None]:
    """(the text part — plain, else HTML — and the calendar part), the first of each."""
    inline = [p for p in all_parts if not p.attachment]
    text = next((p for p in inline if p.ctype == "text/plain"), None) or next(
        (p for p in inline if p.ctype == "text/html"), None
    )
    calendar = next((p for p in all_parts if p.ctype in CALENDAR_TYPES), None)
    return text, calendar


def decode(part: Part, data: bytes) -> bytes:
    """The decoded start of a part from a slice of its encoded bytes (cut at a safe point)."""
    if part.encoding == "base64":
        packed = re.sub(rb"[^A-Za-z0-9+/=]", b"", data)
        packed = packed[: len(packed) - len(packed) % 4]
        try:
            return base64.b64decode(packed)
        except (binascii.Error, ValueError):
            return b""
    if part.encoding == "quoted-printable":
        return quopri.decodestring(data.rsplit(b"=", 1)[0] if data[-2:].startswith(b"=") else data)
    return data


def as_text(part: Part, data: bytes, limit: int) -> str:
    """The part's decoded slice through the shared parser (HTML → text, charsets, tidying)."""
    header = f"Content-Type: {part.ctype}; charset={part.charset or 'utf-8'}\r\n\r\n"
    msg = message_from_bytes(header.encode() + decode(part, data), policy=compat32)
    text, calendar = body_parts(msg, limit)
    return calendar if part.ctype in CALENDAR_TYPES else text


def fetch_texts(client: Any, uids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """UID → (text, calendar) of the given messages in the selected folder, bounded.

    Messages whose parts sit at the same sections are fetched in one command; a section a
    message does not have is never asked for."""
    out: dict[int, tuple[str, str]] = {}
    for batch in batches(sorted(uids), 200):
        structures = fetch_range(client, uid_set(batch), ["BODYSTRUCTURE"])
        picks: dict[int, list[tuple[str, Part]]] = {}
        groups: dict[tuple[str, ...], list[int]] = {}
        for uid, info in structures.items():
            text_part, calendar_part = chosen(parts(info.get(b"BODYSTRUCTURE")))
            picks[uid] = [
                (role, part)
                for role, part in (("text", text_part), ("calendar", calendar_part))
                if part is not None
            ]
            out[uid] = ("", "")
            if picks[uid]:
                groups.setdefault(tuple(_item(p) for _, p in picks[uid]), []).append(uid)
        for items, members in groups.items():
            sliced = fetch_range(client, uid_set(members), list(items))
            for uid in members:
                text = calendar = ""
                for role, part in picks[uid]:
                    data = fetch_item(sliced.get(uid, {}), f"BODY[{part.section}]".encode())
                    if data is None:
                        continue
                    if role == "text":
                        text = as_text(part, data, BODY_LIMIT)
                    else:
                        calendar = as_text(part, data, CALENDAR_LIMIT)
                out[uid] = (text, calendar)
    return out


def _item(part: Part) -> str:
    kind = "calendar" if part.ctype in CALENDAR_TYPES else part.ctype.split("/")[1]
    return f"BODY.PEEK[{part.section}]<0.{SLICE.get(kind, SLICE['plain'])}>"
