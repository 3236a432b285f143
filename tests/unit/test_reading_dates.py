"""The date grammar: each convention of DESIGN §2a, in the four languages."""

from __future__ import annotations

import datetime as dt

import pytest

from followup.core.reading.dates import Context, find_dates, nth_workday_after
from followup.core.reading.text import norm

WED = dt.date(2026, 11, 18)  # a Wednesday


def weekdays_only(day: dt.date) -> bool:
    return day.weekday() < 5


def dates_in(text: str, day0: dt.date = WED, lang: str = "en") -> list[str]:
    ctx = Context(day0, weekdays_only, lambda _pos: lang)
    return [hit.value.isoformat() for hit in find_dates(norm(text), ctx)]


def only_date(text: str, day0: dt.date = WED, lang: str = "en") -> str:
    found = dates_in(text, day0, lang)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("phrase", ["by Friday", "bis Freitag", "d'ici vendredi", "el viernes"])
def test_a_weekday_is_the_next_such_weekday_after_day_0(phrase: str) -> None:
    assert only_date(phrase) == "2026-11-20"


def test_the_weekday_of_day_0_itself_means_a_week_later() -> None:
    assert only_date("by Wednesday") == "2026-11-25"


def test_next_friday_means_the_latest_friday_it_can_mean() -> None:
    assert only_date("next Friday") == "2026-11-27"
    assert only_date("next Friday", day0=dt.date(2026, 11, 21)) == "2026-11-27"


@pytest.mark.parametrize(
    "phrase",
    [
        "next week",
        "early next week",
        "later next week",
        "by the end of next week",
        "Anfang nächster Woche",
        "bis Ende nächster Woche",
        "en début de semaine prochaine",
        "la semaine prochaine",
        "la próxima semana",
        "a principios de la semana que viene",
    ],
)
def test_next_week_in_any_form_is_the_last_workday_of_next_week(phrase: str) -> None:
    assert only_date(phrase) == "2026-11-27"


def test_next_week_said_on_december_28_lands_in_the_next_year() -> None:
    assert only_date("next week", day0=dt.date(2026, 12, 28)) == "2027-01-08"


def test_next_week_skips_a_holiday_friday() -> None:
    def no_black_friday(day: dt.date) -> bool:
        return weekdays_only(day) and day != dt.date(2026, 11, 27)

    ctx = Context(WED, no_black_friday, lambda _pos: "en")
    assert [h.value for h in find_dates("next week", ctx)] == [dt.date(2026, 11, 26)]


@pytest.mark.parametrize(
    "phrase", ["this week", "by the end of the week", "diese Woche", "cette semaine", "esta semana"]
)
def test_this_week_is_the_last_workday_of_day_0s_week(phrase: str) -> None:
    assert only_date(phrase) == "2026-11-20"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("within two weeks", "2026-12-02"),
        ("in 10 days", "2026-11-28"),
        ("innerhalb von zwei Wochen", "2026-12-02"),
        ("dans les deux semaines", "2026-12-02"),
        ("en 3 semanas", "2026-12-09"),
        ("in a week or two", "2026-12-02"),
        ("in the next 48 hours", "2026-11-20"),
    ],
)
def test_within_n_days_or_weeks_counts_calendar_days(phrase: str, expected: str) -> None:
    assert only_date(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "within 3 business days",
        "innerhalb von 3 Arbeitstagen",
        "sous 3 jours ouvrés",
        "en los próximos tres días hábiles",
    ],
)
def test_within_n_business_days_is_the_nth_workday_after_day_0(phrase: str) -> None:
    assert only_date(phrase, day0=dt.date(2026, 11, 20)) == "2026-11-25"  # over a weekend


def test_business_days_follow_the_workday_predicate() -> None:
    def closed_thursday(day: dt.date) -> bool:
        return weekdays_only(day) and day != dt.date(2026, 11, 26)

    assert nth_workday_after(WED, 3, closed_thursday) == dt.date(2026, 11, 23)
    assert nth_workday_after(dt.date(2026, 11, 24), 3, closed_thursday) == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    "phrase", ["by the end of the month", "Ende des Monats", "d'ici la fin du mois", "a fin de mes"]
)
def test_end_of_the_month_is_the_last_day_of_day_0s_month(phrase: str) -> None:
    assert only_date(phrase) == "2026-11-30"


@pytest.mark.parametrize("phrase", ["in January", "im Januar", "en janvier", "en enero"])
def test_a_month_said_in_december_is_the_last_day_of_next_january(phrase: str) -> None:
    assert only_date(phrase, day0=dt.date(2026, 12, 10)) == "2027-01-31"


def test_the_current_month_named_is_this_months_end() -> None:
    assert only_date("by the end of November") == "2026-11-30"


@pytest.mark.parametrize("phrase", ["tomorrow", "morgen", "demain", "mañana"])
def test_tomorrow_is_day_0_plus_one(phrase: str) -> None:
    assert only_date(phrase) == "2026-11-19"


def test_morning_words_are_not_tomorrow() -> None:
    assert dates_in("Guten Morgen! por la mañana") == []


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [
        ("by December 10", "en"),
        ("on the 10th of December", "en"),
        ("bis zum 10.12.", "de"),
        ("am 10. Dezember", "de"),
        ("le 10 décembre", "fr"),
        ("el 10 de diciembre", "es"),
        ("2026-12-10", "en"),
        ("Thursday, December 10, 2026", "en"),
    ],
)
def test_explicit_dates_in_every_language(phrase: str, lang: str) -> None:
    assert only_date(phrase, lang=lang) == "2026-12-10"


def test_a_date_without_a_year_is_the_next_such_date_on_or_after_day_0() -> None:
    assert only_date("January 4", day0=dt.date(2026, 12, 16)) == "2027-01-04"
    assert only_date("November 18") == "2026-11-18"


def test_twelve_slash_eleven_is_month_first_in_english_and_day_first_in_french() -> None:
    assert only_date("by 12/11", lang="en") == "2026-12-11"
    assert only_date("d'ici le 12/11", lang="fr") == "2027-11-12"
    assert only_date("avant le 14/12", lang="fr") == "2026-12-14"


def test_an_impossible_month_first_reading_falls_back_to_day_first() -> None:
    assert only_date("by 14/12", lang="en") == "2026-12-14"


def test_numbers_that_are_no_dates_are_ignored() -> None:
    assert dates_in("We grew 1.5x, call at 10.30, support 24/7, $4,000") == []


def test_the_end_of_a_range_is_marked() -> None:
    ctx = Context(WED, weekdays_only, lambda _pos: "en")
    (hit,) = find_dates(norm("du 14 au 18 décembre"), ctx)
    assert (hit.value, hit.range_end) == (dt.date(2026, 12, 18), True)


def test_the_week_of_a_date_is_that_weeks_last_workday() -> None:
    assert only_date("the week of November 30") == "2026-12-04"


def test_a_german_calendar_week_is_its_last_workday() -> None:
    assert only_date("bis KW 50") == "2026-12-11"


@pytest.mark.parametrize(
    "phrase",
    [
        "soon",
        "in a few days",
        "in the coming weeks",
        "zeitnah",
        "in den nächsten Tagen",
        "après les fêtes",
        "dans les prochains jours",
        "después de las fiestas",
        "last Friday",
        "yesterday",
    ],
)
def test_vague_or_past_phrases_name_no_date(phrase: str) -> None:
    assert dates_in(phrase) == []
