"""The date grammar of DESIGN §2a: every date a text names, resolved against day 0.

A small grammar, not a phrase list: explicit dates (month names, numeric, ISO), weekdays,
"tomorrow", weeks, months, "within N (business) days/weeks" -- each in English, German,
French and Spanish, built from the tables in `lexicon`. `find_dates` only says *which*
dates a text names and where; `promises` decides which one is a promise or a return date.
Vague phrases ("soon", "in a few days", "zeitnah", "après les fêtes") name no date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from followup.core.reading import lexicon as lx
from followup.core.reading.grammar import explicit, relative, week_of, word_re, worth

Workday = Callable[[dt.date], bool]


class Context(NamedTuple):
    """What resolving a date needs: day 0, the business-day predicate and the language of
    numeric dates (``slash_lang(pos)`` for the line at ``pos``)."""

    day0: dt.date
    is_workday: Workday
    slash_lang: Callable[[int], str]


class DateHit(NamedTuple):
    """One date named in the folded text: its span, value and grammatical form.

    ``form`` is one of "date" (explicit), "weekday", "relative" (tomorrow, today), "week",
    "month", "span" (within N days/weeks) or "business" (within N business days);
    ``range_end`` marks the end of a range ("14.-18. Dezember", "November 19-20")."""

    start: int
    end: int
    value: dt.date
    form: str
    range_end: bool = False


# --- calendar arithmetic -------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_workday_of_week(monday: dt.date, is_workday: Workday) -> dt.date:
    """The week's last business day (Friday unless holidays say otherwise)."""
    for back in range(6, -1, -1):
        day = monday + dt.timedelta(days=back)
        if is_workday(day):
            return day
    return monday + dt.timedelta(days=4)


def nth_workday_after(day0: dt.date, n: int, is_workday: Workday) -> dt.date:
    day, found = day0, 0
    for _ in range(n * 7 + 31):
        day += dt.timedelta(days=1)
        if is_workday(day):
            found += 1
            if found == n:
                return day
    return day


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _days_in(year, month))


def add_months(day: dt.date, n: int) -> dt.date:
    year, month = divmod(day.month - 1 + n, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, _days_in(year, month)))


def next_month_day(day0: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """The date; without a year, the next such date on or after day 0."""
    try:
        if year is not None:
            return dt.date(year if year > 99 else 2000 + year, month, day)
        found = dt.date(day0.year, month, day)
        return found if found >= day0 else dt.date(day0.year + 1, month, day)
    except ValueError:
        return None


def _month_end_of(day: dt.date) -> dt.date:
    return month_end(day.year, day.month)


def next_weekday(day0: dt.date, weekday: int) -> dt.date:
    """The next such weekday strictly after day 0."""
    return day0 + dt.timedelta(days=(weekday - day0.weekday() - 1) % 7 + 1)


def next_month_end(day0: dt.date, month: int, year: int | None) -> dt.date:
    """The last day of the next such month on or after day 0's month."""
    if year is None:
        year = day0.year if month >= day0.month else day0.year + 1
    return month_end(year, month)


def _explicit_value(kind: str, m: re.Match[str], ctx: Context) -> dt.date | None:
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        return next_month_day(ctx.day0, int(g["m"]), int(g["d"]), year)
    if kind == "ordinal":  # "the 17th": the next 17th on or after day 0
        for ahead in range(3):
            first = add_months(ctx.day0.replace(day=1), ahead)
            found = next_month_day(ctx.day0, first.month, int(g["d"]), first.year)
            if found is not None and found >= ctx.day0:
                return found
        return None
    if kind == "num":
        a, b = int(g["a"]), int(g["b"])
        if g["sep"] == "." and not (g["dot"] or year):
            return None  # "1.5" is a number, "27.11." a date
        if g["a"] == "24" and g["b"] == "7":
            return None
        month_first = g["sep"] == "/" and ctx.slash_lang(m.start("a")) == "en"
        day, month = (b, a) if month_first else (a, b)
        if month > 12 and day <= 12:
            day, month = month, day
        return next_month_day(ctx.day0, month, day, year)
    named = lx.month_number(g["mn"])
    number = 1 if g["d"] == "primero" else int(g["d"])
    return None if named is None else next_month_day(ctx.day0, named, number, year)


def _number(word: str | None) -> int:
    if not word:
        return 0
    value = lx.number_value(word)
    return 0 if value is None else value


def _within(m: re.Match[str], ctx: Context) -> tuple[dt.date, str] | None:
    g = m.groupdict()
    if g["nb"]:
        return nth_workday_after(ctx.day0, _number(g["nb"]), ctx.is_workday), "business"
    n = max(_number(g["n"]), _number(g["n2"]), _number(g["n3"] if g["n3"] != "so" else None))
    unit = g["unit"]
    if unit.startswith(("hour", "stunde", "heure", "hora")):
        return (ctx.day0 + dt.timedelta(days=-(-n // 24)), "span") if 0 < n <= 240 else None
    if n <= 0 or n > 60:
        return None
    business = bool(g["biz"] or re.match(r"arbeit|werk|geschaft|jours? ouvr|dias? ", unit))
    if business:
        return nth_workday_after(ctx.day0, n, ctx.is_workday), "business"
    if unit.startswith(("jour", "jours")):
        n = lx.FRENCH_DAY_IDIOMS.get(n, n)
    if unit.startswith(("day", "tag", "jour", "dia")):
        return ctx.day0 + dt.timedelta(days=n), "span"
    if unit.startswith(("week", "woche", "semaine", "semana")):
        return ctx.day0 + dt.timedelta(weeks=n), "span"
    return add_months(ctx.day0, n), "span"


def _relative_value(kind: str, m: re.Match[str], ctx: Context) -> tuple[dt.date, str] | None:
    day0, work = ctx.day0, ctx.is_workday
    monday = monday_of(day0)
    g = m.groupdict()
    if kind == "weekday_next_week":
        weekday = lx.weekday_number(g["wd"] or g["wd2"])
        return (monday + dt.timedelta(days=7 + (weekday or 0)), "week")
    simple = {
        "week_after_next": lambda: last_workday_of_week(monday + dt.timedelta(days=14), work),
        "next_week": lambda: last_workday_of_week(monday + dt.timedelta(days=7), work),
        "this_week": lambda: last_workday_of_week(monday, work),
        "next_month": lambda: _month_end_of(add_months(day0.replace(day=1), 1)),
        "this_month": lambda: month_end(day0.year, day0.month),
        "year_end": lambda: dt.date(day0.year, 12, 31),
        "christmas": lambda: next_month_day(day0, 12, 24, None) or day0,
        "day_after": lambda: day0 + dt.timedelta(days=2),
        "tomorrow": lambda: day0 + dt.timedelta(days=1),
        "today": lambda: day0,
    }
    if kind in simple:
        form = "week" if "week" in kind else "month" if "month" in kind else "relative"
        return simple[kind](), form
    if kind == "within":
        return _within(m, ctx)
    if kind == "week_or_two":
        if g["nf"]:
            n = _number(g["nf"])
            days = n * 7 if g["uf"].startswith(("week", "woche", "semaine", "semana")) else n
            return day0 + dt.timedelta(days=days), "span"
        return day0 + dt.timedelta(days=7 if "huitaine" in m.group() else 14), "span"
    if kind == "calendar_week":
        week = int(g["kw"])
        for year in (day0.year, day0.year + 1):
            try:
                monday_kw = dt.date.fromisocalendar(year, week, 1)
            except ValueError:
                continue
            if monday_kw + dt.timedelta(days=6) >= day0:
                return last_workday_of_week(monday_kw, work), "week"
        return None
    if kind == "weekday":
        if g["mod"] in ("last", "past", "letzten", "vergangenen", "pasado") or g["post"] in (
            "dernier",
            "pasado",
        ):
            return None
        weekday = lx.weekday_number(g["wd"]) or 0
        found = next_weekday(day0, weekday)
        later = g["mod"] in ("next", "nachsten", "proximo") or g["post"] in (
            "prochain",
            "que viene",
            "proximo",
        )
        if later and monday_of(found) == monday:  # "next Friday": the latest it can mean
            found += dt.timedelta(days=7)
        return found, "weekday"
    if kind == "month":
        word = g["mn"] or g["mn2"]
        number = lx.month_number(word)
        written = g["y"] or g["y2"]
        if number is None:
            return None
        return next_month_end(day0, number, int(written) if written else None), "month"
    return None


def find_dates(ntext: str, ctx: Context) -> list[DateHit]:
    """Every date named in folded text ``ntext``, left to right, no two overlapping."""
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    words = {w.strip("'-") for w in word_re().findall(ntext)}
    words |= {part for w in words if "-" in w or "'" in w for part in re.split(r"['-]", w)}

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for kind, pattern in explicit():
        if not worth(kind, ntext, words):
            continue
        for m in pattern.finditer(ntext):
            if not free(m.start(), m.end()):
                continue
            value = _explicit_value(kind, m, ctx)
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            form = "date"
            if week_of().search(ntext[max(0, m.start() - 16) : m.start()]):
                value, form = last_workday_of_week(monday_of(value), ctx.is_workday), "week"
            hits.append(DateHit(m.start(), m.end(), value, form, kind.startswith("range")))
    for kind, pattern in relative():
        if not worth(kind, ntext, words):
            continue
        for m in pattern.finditer(ntext):
            if m.end() == m.start() or not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            resolved = _relative_value(kind, m, ctx)
            if resolved is not None:
                hits.append(DateHit(m.start(), m.end(), resolved[0], resolved[1]))
    return sorted(hits, key=lambda h: h.start)
