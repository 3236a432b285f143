"""Public holidays for ``BusinessCalendar``, from the cache first and the package on a miss.

A warm cache (``followup.holiday_cache``) answers both the config check and the calendar,
so ``status``, ``explain`` and a poll never import the ``holidays`` package. On a miss the
years around the one asked for are computed at once (``followup.holiday_compute``), in this
process or, in the daemon, in a short-lived child so the daemon never carries the package.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import threading
from pathlib import Path

from followup.core.calendar import BusinessCalendar, split_holiday_spec
from followup.core.errors import ConfigError
from followup.core.model import ScheduleConfig
from followup.holiday_cache import HolidayEntry, package_version, read_entry, write_entry
from followup.holiday_compute import UNKNOWN_COUNTRY, Computed, from_json

log = logging.getLogger(__name__)

CHILD_TIMEOUT = 120.0
_lock = threading.Lock()
_loaded: dict[tuple[str, str | None, str], HolidayEntry] = {}
_in_child = False


def compute_in_child(enabled: bool = True) -> None:
    """Compute cache misses in a child process (the daemon's choice: its memory stays small)."""
    global _in_child
    _in_child = enabled


def clear_memory() -> None:
    """Forget the entries this process has loaded; the cache files stay."""
    with _lock:
        _loaded.clear()


def holidays_problem(spec: str) -> str | None:
    """A message for the user when ``spec`` names no known country/subdivision, else None."""
    country, subdiv = split_holiday_spec(spec)
    if not country:
        return UNKNOWN_COUNTRY.format(country=spec.strip())
    with _lock:
        version = package_version()
        if version is not None and _known(country, subdiv, version) is not None:
            return None
        this_year = dt.datetime.now(dt.UTC).year
        result = _compute(country, subdiv, _window(this_year))
        if result.problem is None and version is not None:
            _remember(HolidayEntry(country, subdiv, version, result.years))
        return result.problem


def load_holidays(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    """Public holidays of one year: the ``BusinessCalendar`` loader."""
    with _lock:
        version = package_version()
        entry = _known(country, subdiv, version) if version is not None else None
        if entry is not None and year in entry.years:
            return entry.years[year]
        have = set(entry.years) if entry is not None else set()
        result = _compute(country, subdiv, [y for y in _window(year) if y not in have])
        if result.problem is not None:  # the package changed since the config was checked
            raise ConfigError("schedule.holidays", [result.problem])
        if version is None:
            return result.years[year]
        merged = HolidayEntry(country, subdiv, version, entry.years if entry else None)
        merged.years.update(result.years)
        _remember(merged)
        return merged.years[year]


def calendar_for(schedule: ScheduleConfig) -> BusinessCalendar:
    """The business calendar of a configured schedule."""
    return BusinessCalendar(schedule.workdays, schedule.holidays, schedule.tz, loader=load_holidays)


def _window(year: int) -> list[int]:
    """The years computed together on a miss: one before, the year itself, two after."""
    return list(range(year - 1, year + 3))


def _known(country: str, subdiv: str | None, version: str) -> HolidayEntry | None:
    key = (country, subdiv, version)
    entry = _loaded.get(key)
    if entry is None:
        entry = read_entry(country, subdiv, version)
        if entry is not None:
            _loaded[key] = entry
    return entry


def _remember(entry: HolidayEntry) -> None:
    _loaded[(entry.country, entry.subdiv, entry.version)] = entry
    write_entry(entry)


def _compute(country: str, subdiv: str | None, years: list[int]) -> Computed:
    if _in_child:
        try:
            return _compute_in_child(country, subdiv, years)
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            log.warning("computing the holidays in a child failed (%s); computing them here", exc)
    from followup.holiday_compute import compute

    return compute(country, subdiv, years)


def _compute_in_child(country: str, subdiv: str | None, years: list[int]) -> Computed:
    import subprocess

    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, "-m", "followup.holiday_compute", country, subdiv or "-"]
    try:
        done = subprocess.run(
            [*cmd, *map(str, years)],
            capture_output=True,
            text=True,
            env=env,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.SubprocessError as exc:
        raise RuntimeError(str(exc)) from exc
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"exit code {done.returncode}: {tail[0]}")
    log.debug("computed the %s holidays of %s in a child", country, years)
    return from_json(done.stdout)
