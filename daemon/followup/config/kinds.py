"""One converter per kind of value in the schema: check a TOML value, return the typed one.

A converter raises ``Bad`` with (path suffix, message) pairs, so a list reports each bad
item at its own index (``identity.aliases[1]``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.config.keys import Key
from followup.core.calendar import check_in_range
from followup.core.draft_texts import check_draft_template
from followup.core.model import STAGES, Address, StageName
from followup.holiday_tables import holidays_problem

_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
# The common contact forms, "Name <a@b.c>" and "a@b.c", read without the email package
# (importing email.utils costs ~8 ms of every command); anything else goes to parseaddr.
# tests/unit/test_config_contacts.py checks that both always agree.
_PLAIN_CONTACT = re.compile(
    r"^ *(?:((?:[A-Za-z0-9'-]+ +)*[A-Za-z0-9'-]+)? *<([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)>"
    r"|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)) *\Z"
)
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES: tuple[str, ...] = tuple(day[:3] for day in _FULL_DAYS)


class Bad(Exception):
    """A value failed its check; each problem is (path suffix, message)."""

    def __init__(self, *problems: tuple[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def _bad(message: str) -> Bad:
    return Bad(("", message))


def show(value: object) -> str:
    """A short, TOML-looking rendering of a user's value for error messages."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value) + "]"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def hint(word: str, candidates: Iterable[str]) -> str:
    import difflib  # only when a problem is reported

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


# ---------------------------------------------------------------- one converter per kind


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _bad(f"expected a string, got {show(value)}")
    if not value.strip():
        raise _bad("must not be empty")
    return value


def string(value: object, key: Key) -> str:
    """One line of text: names, commands and paths never hold a line break or a NUL."""
    text = _text(value)
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise _bad(f"must be one line without control characters (found {bad!r})")
    return text


def pattern(regex: re.Pattern[str], what: str) -> Callable[[object, Key], str]:
    """A converter for strings that must match ``regex`` (described as ``what``)."""

    def check(value: object, key: Key) -> str:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise _bad(f"expected {what}, got {show(value)}")
        return value

    return check


def email(value: object, key: Key) -> str:
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        raise _bad(f"expected an email address like jordan@example.com, got {show(value)}")
    return value.strip()


def _list(value: object, item: Callable[[object, Key], Any], key: Key) -> list[Any]:
    """Check every item, reporting each bad one at ``key[i]``."""
    if not isinstance(value, list):
        raise _bad(f"expected a list, got {show(value)}")
    out: list[Any] = []
    problems: list[tuple[str, str]] = []
    for i, element in enumerate(value):
        try:
            out.append(item(element, key))
        except Bad as exc:
            problems.extend((f"[{i}]{suffix}", msg) for suffix, msg in exc.problems)
    if problems:
        raise Bad(*problems)
    return out


def emails(value: object, key: Key) -> tuple[str, ...]:
    return tuple(_list(value, email, key))


def boolean(value: object, key: Key) -> bool:
    if not isinstance(value, bool):
        raise _bad(f"expected true or false, got {show(value)}")
    return value


def _number(value: object, key: Key, *, integer: bool) -> float:
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok:
        what = "a whole number" if integer else "a number"
        raise _bad(f"expected {what}, got {show(value)}")
    number = cast(float, value)
    if not math.isfinite(number):
        raise _bad(f"expected a finite number, got {show(value)}")
    if key.minimum is not None and number < key.minimum:
        raise _bad(f"must be at least {key.minimum:g}, got {show(value)}")
    if key.maximum is not None and number > key.maximum:
        raise _bad(f"must be at most {key.maximum:g}, got {show(value)}")
    return number


def integer(value: object, key: Key) -> int:
    return int(_number(value, key, integer=True))


def number(value: object, key: Key) -> float:
    return float(_number(value, key, integer=False))


def choice(value: object, key: Key) -> str:
    if not isinstance(value, str) or value not in key.choices:
        suggestion = hint(value, key.choices) if isinstance(value, str) else ""
        raise _bad(f"expected one of {', '.join(key.choices)}, got {show(value)}{suggestion}")
    return value


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def timezone(value: object, key: Key) -> str:
    if not isinstance(value, str) or not valid_zone(value):
        close = ""
        if isinstance(value, str) and value.strip():
            import zoneinfo  # the list of zones is read from disk only for this hint

            close = hint(value, zoneinfo.available_timezones())
        raise _bad(f'expected an IANA time zone like "Europe/Berlin", got {show(value)}{close}')
    return value


def _weekday(value: object, key: Key) -> int:
    name = value.lower() if isinstance(value, str) else ""
    if name in _FULL_DAYS:
        return _FULL_DAYS.index(name)
    if name in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(name)
    raise _bad(f"expected a day name (mon, tue, wed, thu, fri, sat, sun), got {show(value)}")


def weekdays(value: object, key: Key) -> tuple[int, ...]:
    days = _list(value, _weekday, key)
    if not days:
        raise _bad("needs at least one day")
    return tuple(sorted(set(days)))


def holidays(value: object, key: Key) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(f'expected a country code like "US" or "DE-BY", got {show(value)}')
    problem = holidays_problem(value)
    if problem:
        raise _bad(problem)
    return value


def time_of_day(value: object, key: Key) -> dt.time:
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise _bad(f'expected a time like "09:00", got {show(value)}')


def duration(value: object, key: Key) -> dt.timedelta:
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match and any(match.groups()):
        d, h, m, s = (int(g or 0) for g in match.groups())
        seconds = ((d * 24 + h) * 60 + m) * 60 + s
        if seconds > 0:
            if key.minimum is not None and seconds < key.minimum:
                raise _bad(f"must be at least {_seconds_text(key.minimum)}, got {show(value)}")
            if key.maximum is not None and seconds > key.maximum:
                raise _bad(f"must be at most {_seconds_text(key.maximum)}, got {show(value)}")
            return dt.timedelta(seconds=seconds)
    raise _bad(f'expected a duration like "30s", "5m", "1h" or "2h30m", got {show(value)}')


def _seconds_text(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f'"{seconds / size:g}{unit}"'
    return f'"{seconds:g}s"'


def path(value: object, key: Key) -> Path:
    text = string(value, key)
    try:
        return Path(text).expanduser()
    except RuntimeError as exc:  # "~name" of a user this system does not have
        raise _bad(f"cannot expand {show(text)}: no such user's home directory") from exc


def url(value: object, key: Key) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _bad(f'expected an http(s) URL like "http://127.0.0.1:8080/", got {show(value)}')
    return cast(str, value)


def strings(value: object, key: Key) -> tuple[str, ...]:
    items = _list(value, string, key)
    if not items:
        raise _bad("needs at least one entry")
    return tuple(items)


def _stage(value: object, key: Key) -> StageName:
    if isinstance(value, str) and value in STAGES:
        return value
    suggestion = hint(value, STAGES) if isinstance(value, str) else ""
    raise _bad(f"expected thank_you, check_in or closure, got {show(value)}{suggestion}")


def stages(value: object, key: Key) -> tuple[StageName, ...]:
    chosen = _list(value, _stage, key)
    return tuple(s for s in STAGES if s in chosen)  # canonical order, no repeats


def template(value: object, key: Key) -> str:
    text = _text(value)
    problems = check_draft_template(text)
    if problems:
        raise Bad(*(("", p) for p in problems))
    return text


def _in_range(day: dt.date) -> dt.date:
    try:
        check_in_range(day)
    except ValueError as exc:
        raise _bad(str(exc)) from None
    return day


def date(value: object, key: Key) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value)
    if isinstance(value, str):
        try:
            return _in_range(dt.date.fromisoformat(value))
        except ValueError:
            pass
    raise _bad(f"expected a date like 2026-11-20, got {show(value)}")


def date_or_datetime(value: object, key: Key) -> dt.date:
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value) if "T" in value else None
            return _in_range(parsed or dt.date.fromisoformat(value))
        except ValueError:
            pass
    raise _bad(
        f"expected a date like 2026-11-16 or a datetime like 2026-11-16T14:00, got {show(value)}"
    )


def split_contact(value: str) -> tuple[str, str]:
    """(display name, address) as ``email.utils.parseaddr`` reads them."""
    plain = _PLAIN_CONTACT.match(value)
    if plain:
        name = " ".join((plain[1] or "").split())
        return name, plain[2] or plain[3]
    from email.utils import parseaddr

    return parseaddr(value)


_NEEDS_QUOTES = re.compile(r'[,;:@()\[\]\\"<>.]')


def _contact(value: object, key: Key) -> Address:
    if isinstance(value, str):
        name, email = split_contact(value)
        if email and _EMAIL.fullmatch(email) and ("<" in value or not name):
            return Address(name.strip(), email.lower())
        quoted = _quoted_suggestion(value)
        if quoted:
            raise _bad(
                f"a name with {quoted[1]!r} in it needs quotes: write {quoted[0]} "
                f"instead of {show(value)}"
            )
    raise _bad(f'expected "Name <name@company.com>", got {show(value)}')


def _quoted_suggestion(value: str) -> tuple[str, str] | None:
    """``quoted_contact``, written as a TOML string."""
    quoted = quoted_contact(value)
    return None if quoted is None else (json.dumps(quoted[0]), quoted[1])


def quoted_contact(value: str) -> tuple[str, str] | None:
    """ "Whitfield, Dana <dana@acme.com>" → the quoted form and the character that needs it
    (None when the contact needs no quotes or is not a name and an address)."""
    name, sep, rest = value.partition("<")
    email = rest.rstrip().removesuffix(">").strip()
    found = _NEEDS_QUOTES.search(name.strip())
    if not sep or found is None or not _EMAIL.fullmatch(email) or name.strip().startswith('"'):
        return None
    escaped = name.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}" <{email}>', found.group()


def contacts(value: object, key: Key) -> tuple[Address, ...]:
    return tuple(_list(value, _contact, key))


def _domain(value: object, key: Key) -> str:
    name = value.strip().lower().lstrip("@").rstrip(".") if isinstance(value, str) else ""
    if not _DOMAIN.fullmatch(name):
        raise _bad(f'expected a mail domain like "acme.com", got {show(value)}')
    return name


def domains(value: object, key: Key) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_list(value, _domain, key)))


name = pattern(_NAME, "a name of letters, digits, '.', '_' or '-'")
slug = pattern(_SLUG, "a lower-case slug like acme-backend")
