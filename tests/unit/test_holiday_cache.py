"""The public-holiday cache: filled from the real package once, trusted only when intact."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import holidays
import pytest

from followup import holiday_compute, holiday_tables
from followup.core.errors import ConfigError
from followup.holiday_cache import cache_path, package_version, read_entry
from followup.holiday_tables import holidays_problem, load_holidays


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory of this test, and nothing remembered in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    holiday_tables.clear_memory()
    yield tmp_path / "xdg" / "followup"
    holiday_tables.clear_memory()
    holiday_tables.compute_in_child(False)


def package_dates(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    table = holidays.country_holidays(country, subdiv=subdiv, years=year)
    return frozenset(d for d in table if d.year == year)


def forbid_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> holiday_compute.Computed:
        raise AssertionError("the holidays were computed although the cache is warm")

    monkeypatch.setattr(holiday_compute, "compute", refuse)


def us_file() -> Path:
    path = cache_path("US", None)
    assert path is not None
    return path


def test_a_cold_cache_is_filled_with_the_dates_the_package_gives(cache: Path) -> None:
    assert load_holidays("US", None, 2026) == package_dates("US", None, 2026)
    entry = read_entry("US", None, package_version() or "")
    assert entry is not None
    assert entry.years[2026] == package_dates("US", None, 2026)
    assert {2025, 2027, 2028} <= set(entry.years)  # the years around it come in the same go
    assert us_file().parent == cache


def test_a_warm_cache_answers_the_check_and_the_calendar_without_computing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_holidays("US", None, 2026)
    holiday_tables.clear_memory()  # as a new process would start
    forbid_computing(monkeypatch)
    assert holidays_problem("US") is None
    assert load_holidays("US", None, 2026) == package_dates("US", None, 2026)


def test_a_year_missing_from_the_cache_is_added_and_the_others_kept() -> None:
    load_holidays("US", None, 2026)
    holiday_tables.clear_memory()
    assert load_holidays("US", None, 2040) == package_dates("US", None, 2040)
    entry = read_entry("US", None, package_version() or "")
    assert entry is not None
    assert {2026, 2040} <= set(entry.years)


def _truncate(text: str) -> str:
    return text[: len(text) // 2]


def _garbage(text: str) -> str:
    return "\x00\x17 not json at all {{"


def _other_version(text: str) -> str:
    data = json.loads(text)
    data["version"] = "0.0.1"
    data["years"]["2026"] = []  # what an old package might have said
    return json.dumps(data)


def _other_subdivision(text: str) -> str:
    data = json.loads(text)
    data["subdiv"] = "CA"
    data["years"]["2026"] = ["2026-03-31"]  # Cesar Chavez Day: California only
    return json.dumps(data)


def _date_in_another_year(text: str) -> str:
    data = json.loads(text)
    data["years"]["2026"] = ["2027-01-01"]
    return json.dumps(data)


def _not_a_table(text: str) -> str:
    return "[1, 2, 3]"


def _years_not_a_table(text: str) -> str:
    data = json.loads(text)
    data["years"] = ["2026-01-01"]
    return json.dumps(data)


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        _garbage,
        _other_version,
        _other_subdivision,
        _date_in_another_year,
        _not_a_table,
        _years_not_a_table,
    ],
)
def test_a_damaged_or_foreign_cache_file_is_rebuilt_never_trusted(
    damage: Callable[[str], str],
) -> None:
    load_holidays("US", None, 2026)
    path = us_file()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    holiday_tables.clear_memory()

    assert holidays_problem("US") is None
    assert load_holidays("US", None, 2026) == package_dates("US", None, 2026)
    rebuilt = read_entry("US", None, package_version() or "")
    assert rebuilt is not None and rebuilt.years[2026] == package_dates("US", None, 2026)


def test_each_subdivision_has_its_own_cache_file() -> None:
    epiphany = dt.date(2027, 1, 6)  # a holiday in Bavaria, not in Berlin
    assert epiphany in load_holidays("DE", "BY", 2027)
    assert epiphany not in load_holidays("DE", "BE", 2027)
    assert cache_path("DE", "BY") != cache_path("DE", "BE")
    holiday_tables.clear_memory()
    assert epiphany in load_holidays("DE", "BY", 2027)
    assert epiphany not in load_holidays("DE", "BE", 2027)


def test_a_cache_that_cannot_be_written_still_gives_the_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert holidays_problem("US") is None
    assert load_holidays("US", None, 2026) == package_dates("US", None, 2026)


def test_a_subdivision_spelled_with_spaces_gets_its_holidays() -> None:
    # The package names some subdivisions in words ("Zone A"); users may type any case.
    assert holidays_problem("FR-zone a") is None
    assert load_holidays("FR", "ZONE A", 2026) == package_dates("FR", "Zone A", 2026)


def test_an_unknown_country_or_subdivision_is_never_cached() -> None:
    assert holidays_problem("XX") is not None
    assert holidays_problem("DE-ZZ") is not None
    assert read_entry("XX", None, package_version() or "") is None
    assert read_entry("DE", "ZZ", package_version() or "") is None


def test_a_country_the_package_dropped_is_a_config_error_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        holiday_compute, "compute", lambda *a: holiday_compute.Computed("unknown country 'US'")
    )
    with pytest.raises(ConfigError, match="unknown country 'US'"):
        load_holidays("US", None, 2026)


def test_the_daemon_computes_in_a_child_when_the_child_cannot_start_it_computes_here(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    holiday_tables.compute_in_child()
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert load_holidays("US", None, 2026) == package_dates("US", None, 2026)
    assert "computing them here" in caplog.text


def test_the_child_protocol_round_trips_its_answer() -> None:
    result = holiday_compute.compute("DE", "BY", [2027])
    back = holiday_compute.from_json(holiday_compute.to_json(result))
    assert back.problem is None
    assert back.years == {2027: package_dates("DE", "BY", 2027)}
    unknown = holiday_compute.from_json(
        holiday_compute.to_json(holiday_compute.compute("XX", None, []))
    )
    assert unknown.problem is not None and "unknown country 'XX'" in unknown.problem
