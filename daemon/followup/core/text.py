"""Text rules shared by matching, reading and composing: subject prefixes, ids, quotes.

Each rule is written once here; the matcher and the draft composer used to carry their
own copies, which had drifted apart (one knew "AW:", the other "Rif:").
"""

from __future__ import annotations

import re
import unicodedata

# "Re:", "RE :", "Re[2]:", "AW:", "Fwd:", "WG:", "SV:", "Antw:", "Vs:", "Rif:", "回复:"…
_REPLY_OR_FORWARD = (
    r"(?:re|aw|sv|vs|antw|ref|tr|wg|fw|fwd|r|rif|odp|res|rv|vá|ynt|enc|回复|答复|转发)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]"
)
_PREFIX_RE = re.compile(rf"^\s*{_REPLY_OR_FORWARD}\s*", re.IGNORECASE)
_PREFIX_OR_TAG_RE = re.compile(
    rf"^\s*(?:{_REPLY_OR_FORWARD}|\[[^\]]{{0,40}}\]|\([^)]{{0,40}}\))\s*", re.IGNORECASE
)
# Prefixes that mean "forwarded" (not "reply"), in the languages mail clients use.
_FORWARD_RE = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|doorst|vs|i)\s*:", re.IGNORECASE)

_ID_RE = re.compile(r"<([^<>\s]{1,998})>")


def _strip_repeatedly(pattern: re.Pattern[str], subject: str) -> str:
    current = " ".join(subject.split())
    while True:
        stripped = pattern.sub("", current, count=1)
        if stripped == current:
            return current
        current = stripped


def base_subject(subject: str) -> str:
    """``subject`` without any stack of reply/forward prefixes ("Re: AW: Fwd: x" → "x")."""
    return _strip_repeatedly(_PREFIX_RE, subject)


def topic(subject: str) -> str:
    """The subject without prefixes and leading ``[tags]``: what the message is about."""
    return _strip_repeatedly(_PREFIX_OR_TAG_RE, subject).strip()


def is_forward_subject(subject: str) -> bool:
    return bool(_FORWARD_RE.match(subject))


def message_ids(value: str) -> tuple[str, ...]:
    """Every Message-ID in a header value, without angle brackets, in order, no repeats.

    Ids without brackets (seen from broken clients) are accepted as whitespace-separated
    tokens when the value has no bracketed id at all.
    """
    found = _ID_RE.findall(value)
    if not found:
        found = [tok.strip("<>") for tok in value.split() if tok.strip("<>")]
    seen: dict[str, None] = {}
    for item in found:
        seen.setdefault(item[:998], None)
    return tuple(seen)


def bare_id(value: str) -> str:
    """The first Message-ID in a header value, without angle brackets ("" if none)."""
    ids = message_ids(str(value))
    return ids[0] if ids else ""


_QUOTE_START_RE = re.compile(
    r"^(?:-{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht)"
    r"|_{10,}|from:\s|on .{5,120} wrote:|le .{5,80} a écrit|am .{5,80} schrieb)",
    re.IGNORECASE | re.MULTILINE,
)


def own_text(body: str) -> str:
    """The body before any quoted or forwarded part, without ``>`` lines."""
    found = _QUOTE_START_RE.search(body)
    text = body[: found.start()] if found else body
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def one_line(text: str) -> str:
    """``text`` safe to copy into a header of a draft: no control or format characters
    (NUL, BEL, line breaks, bidi overrides), runs of whitespace as one space."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    return " ".join(kept.split())


_SAFE_ID = re.compile(r"[!-;=?-~]{1,998}")  # printable ASCII without space, "<" or ">"


def is_safe_message_id(message_id: str) -> bool:
    """A Message-ID that can be copied into In-Reply-To/References as is."""
    return bool(_SAFE_ID.fullmatch(message_id))


def is_safe_address(email: str) -> bool:
    """An address a draft can be sent to: one token of printable ASCII with one "@"."""
    return email.count("@") == 1 and bool(_SAFE_ID.fullmatch(email))
