"""The built-in texts read like a person wrote them, in every combination they can meet."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import pytest

from followup.core.draft_texts import DEFAULT_TEMPLATES, KNOWN_VARIABLES, variables_for
from followup.core.model import STAGES, Address, Identity, Interview, StageName
from followup.core.templating import render

NY = ZoneInfo("America/New_York")
ME = Identity("Jordan Rivera", "jordan@example.com")
DANA = Address("Dana Whitfield", "dana@acme.example")
IDEA = "a cache in front of the search index"


def interview(highlight: str | None, day: dt.date = dt.date(2026, 11, 16)) -> Interview:
    return Interview(
        id="acme",
        company="Acme Corp",
        role="Backend Engineer",
        interviewed_on=day,
        started_at=dt.datetime.combine(day, dt.time(10), tzinfo=NY),
        reply_promised_by=dt.date(2026, 11, 20),
        highlight=highlight,
    )


CASES = list(itertools.product(STAGES, (None, IDEA), (None, DANA), (False, True), (None, 11)))


def body(
    stage: StageName,
    highlight: str | None,
    to: Address | None,
    thanked: bool,
    promise_day: int | None,
    today: dt.date = dt.date(2026, 11, 30),
) -> str:
    promised = dt.date(2026, 12, promise_day) if promise_day else None
    values = variables_for(
        interview(highlight), ME, to, today=today, promised_by=promised, thanked=thanked
    )
    return render(DEFAULT_TEMPLATES[stage][1], values, KNOWN_VARIABLES)


@pytest.mark.parametrize(("stage", "highlight", "to", "thanked", "promise"), CASES)
def test_every_built_in_text_renders_cleanly_in_every_combination(
    stage: StageName,
    highlight: str | None,
    to: Address | None,
    thanked: bool,
    promise: int | None,
) -> None:
    text = body(stage, highlight, to, thanked, promise)
    assert "{" not in text and "}" not in text
    assert "\n\n\n" not in text and not any("  " in line for line in text.splitlines())
    assert text.startswith("Hi Dana," if to else "Hello,")
    assert text.rstrip().endswith("Jordan Rivera")
    # The idea is offered in the thank-you and the check-in, never in the last note.
    assert (IDEA in text) == (highlight is not None and stage != "closure")


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def test_a_check_in_without_a_highlight_is_under_a_hundred_words() -> None:
    assert words(body("check_in", None, DANA, True, 11)) < 100


def test_the_check_in_offers_the_one_idea_and_asks_their_view_on_it() -> None:
    text = body("check_in", IDEA, DANA, False, None)
    (sentence,) = [s for s in re.split(r"(?<=[.?!])\s+", text) if IDEA in s]
    assert "your view on it" in sentence
    assert "ideas" not in text and "did not get the chance" not in text


def test_thanks_again_only_when_the_user_already_thanked_them() -> None:
    assert "Thanks again" in body("check_in", None, DANA, True, None)
    assert "Thanks again" not in body("check_in", None, DANA, False, None)


def test_the_check_in_says_when_they_hoped_to_have_news_only_when_they_named_a_date() -> None:
    named = body("check_in", None, DANA, False, 11)
    assert "you mentioned you hoped to have an update by Friday, December 11" in named
    assert "you mentioned" not in body("check_in", None, DANA, False, None)


def test_a_date_of_another_year_carries_the_year() -> None:
    old = variables_for(interview(None, dt.date(2025, 10, 1)), ME, DANA, today=dt.date(2026, 12, 2))
    assert old["interview_date"] == "Wednesday, October 1, 2025"
    this_year = variables_for(interview(None), ME, DANA, today=dt.date(2026, 12, 2))
    assert this_year["interview_date"] == "Monday, November 16"


@pytest.mark.parametrize("stage", STAGES)
def test_the_texts_use_contractions_and_never_accuse(stage: StageName) -> None:
    text = body(stage, IDEA, DANA, True, 11)
    assert re.search(r"\b(?:I'm|I've|I'd|you're|you've)\b", text), text
    for blame in ("you haven't", "you did not", "still waiting", "no response", "ignored"):
        assert blame not in text.lower()
