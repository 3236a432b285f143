"""The few facts of a text/calendar part that matter: method, start, organizer, summary.

RFC 5545 subset, standard library only: unfolded content lines, the first VEVENT. A start
with TZID is read in that zone (IANA names, Outlook's Windows names, or a vendor prefix
such as "/mozilla.org/…/Europe/Berlin"); "Z" is UTC; floating and date-only starts are
read in the user's zone.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.core.reading.model import Invite

# Outlook writes Windows zone names; the common ones (CLDR windowsZones, territory 001).
_WINDOWS_ZONES = {
    "utc": "UTC", "gmt standard time": "Europe/London", "greenwich standard time": "UTC",
    "w. europe standard time": "Europe/Berlin", "central europe standard time": "Europe/Budapest",
    "romance standard time": "Europe/Paris", "central european standard time": "Europe/Warsaw",
    "e. europe standard time": "Europe/Chisinau", "fle standard time": "Europe/Kiev",
    "gtb standard time": "Europe/Bucharest", "russian standard time": "Europe/Moscow",
    "eastern standard time": "America/New_York", "central standard time": "America/Chicago",
    "mountain standard time": "America/Denver", "us mountain standard time": "America/Phoenix",
    "pacific standard time": "America/Los_Angeles", "alaskan standard time": "America/Anchorage",
    "hawaiian standard time": "Pacific/Honolulu", "atlantic standard time": "America/Halifax",
    "central standard time (mexico)": "America/Mexico_City",
    "central america standard time": "America/Guatemala",
    "sa pacific standard time": "America/Bogota", "argentina standard time":
    "America/Buenos_Aires", "e. south america standard time": "America/Sao_Paulo",
    "india standard time": "Asia/Kolkata", "china standard time": "Asia/Shanghai",
    "tokyo standard time": "Asia/Tokyo", "singapore standard time": "Asia/Singapore",
    "aus eastern standard time": "Australia/Sydney", "new zealand standard time":
    "Pacific/Auckland", "israel standard time": "Asia/Jerusalem", "arabian standard time":
    "Asia/Dubai", "south africa standard time": "Africa/Johannesburg",
}  # fmt: skip


@cache
def _zone(tzid: str) -> ZoneInfo | None:
    name = tzid.strip().strip('"')
    candidates = [name, _WINDOWS_ZONES.get(name.lower(), "")]
    parts = name.strip("/").split("/")
    if len(parts) >= 2:
        candidates.append("/".join(parts[-2:]))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def _unfold(ics: str) -> list[str]:
    lines: list[str] = []
    for raw in ics.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=V;…:VALUE -> (NAME, {PARAM: V}, VALUE); colons inside quotes kept."""
    in_quote = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_quote = not in_quote
        elif ch == ":" and not in_quote:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        return line.upper(), {}, ""
    name, *params = head.split(";")
    parsed: dict[str, str] = {}
    for param in params:
        key, _, val = param.partition("=")
        parsed[key.upper()] = val.strip('"')
    return name.upper(), parsed, value


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _start(value: str, params: dict[str, str], tz: ZoneInfo) -> dt.datetime | None:
    value = value.strip()
    found = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?", value, re.I)
    if found is None:
        return None
    year, month, day, hour, minute, second, utc = found.groups()
    if params.get("VALUE", "").upper() == "DATE" or hour is None:
        zone: dt.tzinfo = tz  # a whole day: midnight where the user lives
    elif utc:
        zone = dt.UTC
    else:
        zone = (_zone(params["TZID"]) if "TZID" in params else None) or tz
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None


def parse_invite(ics: str, tz: ZoneInfo) -> Invite | None:
    """The invitation a text/calendar part carries, or None when it has no VEVENT/METHOD."""
    method = ""
    start: dt.datetime | None = None
    organizer: str | None = None
    summary = ""
    in_event = seen_event = False
    for line in _unfold(ics):
        name, params, value = _split(line)
        if name == "METHOD":
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT" and not seen_event:
            in_event = seen_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            in_event = False
        elif in_event and name == "DTSTART":
            start = _start(value, params, tz)
        elif in_event and name == "ORGANIZER":
            address = re.sub(r"^mailto:", "", value.strip(), flags=re.IGNORECASE)
            organizer = address.lower() or None
        elif in_event and name == "SUMMARY":
            summary = _unescape(value).strip()
    if not method and not seen_event:
        return None
    return Invite(method=method or "PUBLISH", start=start, organizer=organizer, summary=summary)
