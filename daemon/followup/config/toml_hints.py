"""A plain-words hint for the TOML syntax mistakes people make in a hand-written config.

tomllib says where it stopped ("at line 9, column 20"), not what the user meant: an
impossible date such as ``2026-13-01`` or a string without quotes reads to it as a broken
number or a bare word. Looking at the offending line is enough to say which.
"""

from __future__ import annotations

import datetime as dt
import re

_WHERE = re.compile(r"\bline (\d+),? col")  # tomllib: "line 9, column 20"; tomlkit: "line 9 col 20"
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BARE_OK = re.compile(r"^([\"'\[{+-]|\d|true\b|false\b|inf\b|nan\b)")


def syntax_problem(message: str, text: str) -> str:
    """``message`` from the TOML parser, with a hint when the line shows the likely cause."""
    found = _WHERE.search(message)
    lines = text.splitlines()
    if found is None or not 1 <= int(found.group(1)) <= len(lines):
        return f"TOML syntax error: {message}"
    hint = _hint(lines[int(found.group(1)) - 1])
    return f"TOML syntax error: {message}" + (f"; {hint}" if hint else "")


def not_on_the_calendar(value: str) -> str | None:
    """ "2026-13-01 is not a day on the calendar" for a date-shaped value no calendar has."""
    date = _DATE.match(value)
    if date is None:
        return None
    try:
        dt.date(*(int(part) for part in date.groups()))
    except ValueError:
        return f"{date.group(0)} is not a day on the calendar"
    return None


def _hint(line: str) -> str | None:
    assignment = _ASSIGNMENT.match(line.split("#", 1)[0])
    if assignment is None:
        return None
    key, value = assignment.groups()
    impossible = not_on_the_calendar(value)
    if impossible:
        return f"{impossible} (dates are YYYY-MM-DD)"
    date = _DATE.match(value)
    if date is not None:
        year, month, day = date.groups()
        if len(month) < 2 or len(day) < 2:
            return f"write the date with two-digit month and day, e.g. {year}-{month:0>2}-{day:0>2}"
        return None
    if value and not _BARE_OK.match(value):
        return f'text needs quotes: {key} = "{value}"'
    return None
