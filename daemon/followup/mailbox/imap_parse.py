"""Pure helpers of the IMAP backend: cursors, draft refs, responses, folder names.

Nothing here talks to a server, so every rule about what the server said is tested on
plain values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

# One LIST response row as imapclient returns it: (flags, delimiter, decoded name).
ListRow = tuple[Sequence[bytes], bytes | None, str]

DRAFTS_FLAG = rb"\Drafts"
SENT_FLAG = rb"\Sent"
# Names tried when a server does not announce SPECIAL-USE (compared case-insensitively,
# after the personal namespace prefix).
DRAFTS_NAMES = ("Drafts", "Draft", "Brouillons", "Entwürfe", "Borradores", "Bozze", "Concepten")
SENT_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "Gesendet",
    "Gesendete Elemente",
    "Envoyés",
    "Éléments envoyés",
    "Enviados",
    "Posta inviata",
    "Verzonden",
)

_APPENDUID_RE = re.compile(rb"\[APPENDUID (\d+) (\d+)\]", re.IGNORECASE)
_FAILED_RE = re.compile(r"^[\w ]+ failed: (.*)$", re.DOTALL)
_COMMAND_ERROR_RE = re.compile(r"^[\w ]+ command error: (?:BAD|NO) \[b?(['\"])(.*)\1\]$", re.DOTALL)


@dataclass(frozen=True)
class Cursor:
    """Where the last sync of one folder stopped."""

    uidvalidity: int
    last_uid: int
    modseq: int | None = None

    def encode(self) -> str:
        return json.dumps(
            {
                "v": 1,
                "uidvalidity": self.uidvalidity,
                "last_uid": self.last_uid,
                "modseq": self.modseq,
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raise ValueError for anything that is not a cursor this backend wrote."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not an IMAP cursor: {exc}") from exc
        if not isinstance(data, dict) or data.get("v") != 1:
            raise ValueError("not an IMAP cursor")
        uidvalidity, last_uid, modseq = (
            data.get("uidvalidity"),
            data.get("last_uid"),
            data.get("modseq"),
        )
        if not isinstance(uidvalidity, int) or not isinstance(last_uid, int):
            raise ValueError("IMAP cursor without uidvalidity/last_uid")
        if modseq is not None and not isinstance(modseq, int):
            raise ValueError("IMAP cursor with a bad modseq")
        return cls(uidvalidity, last_uid, modseq)


@dataclass(frozen=True)
class DraftRef:
    """Names one draft we appended: where it is, and what it looked like then."""

    uidvalidity: int
    uid: int
    digest: str
    message_id: str

    def encode(self) -> str:
        return f"{self.uidvalidity}:{self.uid}:{self.digest}:{self.message_id}"

    @classmethod
    def decode(cls, ref: str) -> DraftRef:
        parts = ref.split(":", 3)
        if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
            raise ValueError(f"not an IMAP draft reference: {ref!r}")
        return cls(int(parts[0]), int(parts[1]), parts[2], parts[3])


def parse_appenduid(response: bytes | str | None) -> tuple[int, int] | None:
    """(UIDVALIDITY, UID) from an APPEND response with UIDPLUS, else None."""
    if response is None:
        return None
    data = response.encode() if isinstance(response, str) else bytes(response)
    match = _APPENDUID_RE.search(data)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def server_words(error: BaseException) -> str:
    """What the server said in a NO or BAD, without imaplib's and imapclient's wrapping.

    imapclient reports a NO as ``append failed: <text>``, imaplib a BAD as
    ``APPEND command error: BAD [b'<text>']``; the user should read only ``<text>``.
    """
    text = str(error).strip()
    found = _FAILED_RE.match(text)
    if found:
        text = found.group(1).strip()
    found = _COMMAND_ERROR_RE.match(text)
    if found:
        text = found.group(2).strip()
    return text or type(error).__name__


def uidvalidity_in(state: Mapping[bytes, Any]) -> int | None:
    """UIDVALIDITY from a SELECT/EXAMINE/STATUS answer; None when the server left it out."""
    value = state.get(b"UIDVALIDITY")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def has_flag(flags: Iterable[bytes | str], flag: bytes) -> bool:
    """Whether a FLAGS list holds ``flag``, in any letter case."""
    wanted = flag.decode().lower()
    return any((f.decode() if isinstance(f, bytes) else f).lower() == wanted for f in flags)


def uid_set(uids: Iterable[int]) -> str:
    """A compact IMAP sequence set: ``1:3,7,9:10``."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("empty UID set")
    spans: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        spans.append(f"{start}:{prev}" if prev > start else str(start))
        start = prev = uid
    spans.append(f"{start}:{prev}" if prev > start else str(start))
    return ",".join(spans)


def batches(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def content_digest(raw: bytes) -> str:
    """A short fingerprint of a message's bytes, blind to CRLF versus LF."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()[:24]


def fetch_item(data: Mapping[bytes, object], prefix: bytes) -> bytes | None:
    """The value of a FETCH item whose key starts with ``prefix`` (e.g. ``b"BODY[TEXT]"``).

    Servers echo section names in their own spelling (``BODY[HEADER.FIELDS (FROM ...)]``
    even when asked for ``BODY.PEEK``), so match on the start only.
    """
    for key, value in data.items():
        if key.upper().startswith(prefix) and isinstance(value, bytes | bytearray):
            return bytes(value)
    return None


def sender_domains(header_bytes: bytes) -> tuple[str, ...]:
    """Lower-cased domains of the From (and Sender) addresses of a header block."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(header_bytes)
    values = [str(v) for name in ("from", "sender") for v in (headers.get_all(name) or [])]
    out = []
    for _, email in getaddresses(values):
        domain = email.rpartition("@")[2].strip().strip(">").lower()
        if domain:
            out.append(domain)
    return tuple(out)


def join_header_and_body(header_bytes: bytes, body: bytes) -> bytes:
    """A truncated message: the fetched header block, one blank line, the body start."""
    head = header_bytes.rstrip(b"\r\n") + b"\r\n\r\n"
    return head + body


# folders --------------------------------------------------------------------------------


def _delimiter(rows: Sequence[ListRow], default: str = "/") -> str:
    for _, delim, _ in rows:
        if delim:
            return delim.decode("ascii", "replace")
    return default


def find_special(
    rows: Sequence[ListRow], flag: bytes, names: Sequence[str], prefix: str
) -> str | None:
    """The folder with SPECIAL-USE ``flag``, else one with a well-known name."""
    for flags, _, name in rows:
        if any(f.lower() == flag.lower() for f in flags):
            return name
    wanted = [n.lower() for n in names]
    by_name = {
        _strip_prefix(name, prefix).lower(): name
        for flags, _, name in rows
        if not _no_select(flags)
    }
    for candidate in wanted:
        if candidate in by_name:
            return by_name[candidate]
    return None


def _strip_prefix(name: str, prefix: str) -> str:
    return name[len(prefix) :] if prefix and name.startswith(prefix) else name


def _no_select(flags: Sequence[bytes]) -> bool:
    return any(f.lower() in (rb"\noselect", rb"\nonexistent") for f in flags)


def resolve_name(rows: Sequence[ListRow], name: str, prefix: str) -> str | None:
    """The server's name for a configured folder, tolerating a missing namespace prefix
    and ``/`` written where the server separates with ``.`` (or the other way round)."""
    existing = [row_name for flags, _, row_name in rows if not _no_select(flags)]
    if name.upper() == "INBOX":
        return "INBOX"
    delim = _delimiter(rows)
    variants = [name]
    for sep in ("/", "."):
        if sep != delim and sep in name:
            variants.append(name.replace(sep, delim))
    if prefix:
        variants += [prefix + v for v in variants if not v.startswith(prefix)]
    for variant in variants:
        if variant in existing:
            return variant
    lowered = {n.lower(): n for n in existing}
    for variant in variants:
        if variant.lower() in lowered:
            return lowered[variant.lower()]
    return None


# responses ------------------------------------------------------------------------------


def aware_date(value: object) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else None


def is_mailbox_update(response: Any) -> bool:
    """The untagged responses a NOOP may carry about the selected folder."""
    return (
        isinstance(response, tuple)
        and len(response) >= 2
        and isinstance(response[0], int)
        and response[1] in (b"EXISTS", b"RECENT", b"EXPUNGE", b"FETCH")
    )


def is_expunge(response: Any) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] == b"EXPUNGE"
