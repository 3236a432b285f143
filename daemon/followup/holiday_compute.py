"""The only user of the ``holidays`` package: check a country/subdivision, compute its years.

It imports just the one country's module (``holidays.list_supported_countries()`` would
import all ~250). Run as ``python -m followup.holiday_compute COUNTRY SUBDIV|- YEAR...`` it
prints the result as JSON, so the daemon computes in a short-lived child and its own memory
never carries the package (~19 MiB).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

UNKNOWN_COUNTRY = 'unknown country {country!r}; use an ISO code like "US", "GB" or "DE-BY"'


class Computed:
    """A spec's verdict and, when it is valid, the holidays of the years asked for."""

    __slots__ = ("problem", "years")

    def __init__(
        self, problem: str | None, years: dict[int, frozenset[dt.date]] | None = None
    ) -> None:
        self.problem = problem
        self.years: dict[int, frozenset[dt.date]] = dict(years or {})


def _entity(country: str) -> Any:
    """The package's lazy loader for ``country`` (a code or an alias), or None."""
    import holidays
    from holidays.registry import EntityLoader

    if country not in set(EntityLoader.get_country_codes()):
        return None
    return getattr(holidays, country)


def _subdivision(entity: Any, country: str, subdiv: str) -> tuple[str | None, str | None]:
    """(the package's spelling of ``subdiv``, None) or (None, a message for the user)."""
    spelled = {str(s).upper(): str(s) for s in entity.subdivisions}
    if subdiv in spelled:
        return spelled[subdiv], None
    listed = ", ".join(sorted(spelled)) if spelled else "none"
    return None, f"unknown subdivision {subdiv!r} of {country}; known: {listed}"


def compute(country: str, subdiv: str | None, years: Iterable[int]) -> Computed:
    """Check ``country``/``subdiv`` (upper case, as the user may type it) and compute ``years``."""
    entity = _entity(country)
    if entity is None:
        return Computed(UNKNOWN_COUNTRY.format(country=country))
    spelled = None
    if subdiv is not None:
        spelled, problem = _subdivision(entity, country, subdiv)
        if problem:
            return Computed(problem)
    out: dict[int, frozenset[dt.date]] = {}
    for year in sorted(set(years)):
        table = entity(years=year, subdiv=spelled)
        out[year] = frozenset(d for d in table if d.year == year)
    return Computed(None, out)


def to_json(result: Computed) -> str:
    years = {str(y): sorted(d.isoformat() for d in ds) for y, ds in result.years.items()}
    return json.dumps({"problem": result.problem, "years": years})


def from_json(text: str) -> Computed:
    """What a child printed; raises ValueError (or TypeError/KeyError) when it is not that."""
    raw = json.loads(text)
    problem = raw["problem"]
    if problem is not None and not isinstance(problem, str):
        raise TypeError("problem must be a string or null")
    years = {
        int(y): frozenset(dt.date.fromisoformat(d) for d in dates)
        for y, dates in raw["years"].items()
    }
    return Computed(problem, years)


def main(argv: Sequence[str]) -> int:
    """``COUNTRY SUBDIV|- YEAR...`` → one JSON line on stdout."""
    if len(argv) < 2 or not all(a.isdigit() for a in argv[2:]):
        sys.stderr.write("usage: python -m followup.holiday_compute COUNTRY SUBDIV|- YEAR...\n")
        return 2
    subdiv = None if argv[1] == "-" else argv[1]
    sys.stdout.write(to_json(compute(argv[0], subdiv, [int(a) for a in argv[2:]])) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
