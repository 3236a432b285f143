"""The public-holiday cache: one small JSON file per country/subdivision, per package version.

Importing the ``holidays`` package and building one country's table costs more than the
rest of ``followup status``, and the daemon would carry ~19 MiB for it. The dates it gives
only change with the package version, so they are kept in
``$XDG_CACHE_HOME/followup/holidays-<COUNTRY>[-<SUBDIV>].json``. A file exists only for a
spec that was validated against the package version it names. A file that is unreadable,
damaged, written by another version or for another country or subdivision is ignored (and
rebuilt by the caller), never trusted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1
MAX_BYTES = 1_000_000  # far more than decades of holidays; a bigger file is not ours
_UNSAFE = re.compile(r"[^A-Z0-9]")
_MAX_CODE = 40


class HolidayEntry:
    """What the cache knows about one spec under one package version.

    A plain class: a dataclass costs ~1 ms to create at import, on every command.
    """

    __slots__ = ("country", "subdiv", "version", "years")

    def __init__(
        self,
        country: str,
        subdiv: str | None,
        version: str,
        years: dict[int, frozenset[dt.date]] | None = None,
    ) -> None:
        self.country = country
        self.subdiv = subdiv
        self.version = version
        self.years: dict[int, frozenset[dt.date]] = dict(years or {})


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/followup`` (an absolute one), else ``~/.cache/followup``."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "followup"


def cache_path(country: str, subdiv: str | None) -> Path | None:
    """The file of one spec (odd characters become ``_``); None for absurdly long codes.

    Two specs may share a file name ("ZONE A" and "ZONE_A"): the file names the spec it
    was written for, and ``read_entry`` ignores it for the other one.
    """
    codes = [country] if subdiv is None else [country, subdiv]
    if not country or any(len(code) > _MAX_CODE for code in codes):
        return None
    return cache_dir() / ("holidays-" + "-".join(_UNSAFE.sub("_", c) for c in codes) + ".json")


def package_version() -> str | None:
    """The installed ``holidays`` version, found without importing the package.

    Reads the name of its ``holidays-X.Y.dist-info`` directory next to it; only when that
    is ambiguous does it ask ``importlib.metadata`` (which costs ~30 ms to import).
    """
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    site = Path(spec.origin).parent.parent
    try:
        names = [
            e.name
            for e in os.scandir(site)
            if e.name.startswith("holidays-") and e.name.endswith(".dist-info")
        ]
    except OSError:
        names = []
    if len(names) == 1:
        return names[0].removeprefix("holidays-").removesuffix(".dist-info")
    from importlib import metadata

    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:
        return None


def read_entry(country: str, subdiv: str | None, version: str) -> HolidayEntry | None:
    """The cached entry of this spec under ``version``; None when missing or not trustworthy."""
    path = cache_path(country, subdiv)
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("cannot read the holiday cache %s (%s); computing the holidays", path, exc)
        return None
    problem = "too large" if len(data) > MAX_BYTES else None
    entry = None
    if problem is None:
        try:
            entry = _decode(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            problem = f"damaged: {exc}"
    if entry is not None and (entry.country, entry.subdiv) != (country, subdiv):
        problem = f"written for {entry.country}-{entry.subdiv}"
    elif entry is not None and entry.version != version:
        log.info("holiday cache %s is for holidays %s; rebuilding it", path, entry.version)
        return None
    if problem is not None:
        log.warning("holiday cache %s is %s; rebuilding it", path, problem)
        return None
    return entry


def _decode(raw: object) -> HolidayEntry:
    """The entry a file holds; raises ValueError/TypeError/KeyError on anything unexpected."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("not a followup holiday cache of this format")
    country, subdiv, version = raw["country"], raw["subdiv"], raw["version"]
    if not isinstance(country, str) or not isinstance(version, str):
        raise TypeError("country and version must be strings")
    if subdiv is not None and not isinstance(subdiv, str):
        raise TypeError("subdiv must be a string or null")
    years_raw = raw["years"]
    if not isinstance(years_raw, dict):
        raise TypeError("years must be a table")
    years: dict[int, frozenset[dt.date]] = {}
    for key, dates in years_raw.items():
        year = int(key)
        if str(year) != key or not isinstance(dates, list):
            raise ValueError(f"bad year {key!r}")
        parsed = frozenset(dt.date.fromisoformat(d) for d in dates)
        if any(d.year != year for d in parsed):
            raise ValueError(f"a date outside {year}")
        years[year] = parsed
    return HolidayEntry(country, subdiv, version, years)


def write_entry(entry: HolidayEntry) -> None:
    """Replace the file of this spec atomically; a cache that cannot be written is skipped."""
    path = cache_path(entry.country, entry.subdiv)
    if path is None:
        return
    body = {
        "format": FORMAT,
        "country": entry.country,
        "subdiv": entry.subdiv,
        "version": entry.version,
        "years": {
            str(y): sorted(d.isoformat() for d in dates) for y, dates in sorted(entry.years.items())
        },
    }
    import tempfile  # only on a rebuild: it pulls in random and shutil

    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".holidays-", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(body, fh, separators=(",", ":"))
        tmp.replace(path)
        tmp = None
    except OSError as exc:
        log.info(
            "cannot write the holiday cache %s (%s); it is computed again next time", path, exc
        )
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
