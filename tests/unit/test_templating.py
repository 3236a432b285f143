"""The template language, its checks, the default texts and the variables offered to them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from followup.core.draft_texts import (
    DEFAULT_TEMPLATES,
    KNOWN_VARIABLES,
    check_draft_template,
    first_name,
    format_day,
    variables_for,
)
from followup.core.model import STAGES, Address, Identity, Interview, StageName
from followup.core.templating import TemplateError, render, unguarded_variables

NY = ZoneInfo("America/New_York")
ME = Identity(name="Jordan Rivera", email="jordan@example.com")
DANA = Address(name="Dana Whitfield", email="dana@acme.com")


def interview(highlight: str | None = None, promised: dt.date | None = None) -> Interview:
    return Interview(
        id="acme-backend",
        company="Acme Corp",
        role="Backend Engineer",
        interviewed_on=dt.date(2026, 11, 16),
        started_at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=NY),
        reply_promised_by=promised,
        highlight=highlight,
    )


# --- render ---------------------------------------------------------------------------------


def test_variables_are_substituted_with_or_without_spaces() -> None:
    assert render("{{ role }} at {{company}}", {"role": "SRE", "company": "Acme"}) == "SRE at Acme"


def test_if_block_renders_its_body_when_the_variable_has_a_value() -> None:
    text = "A{% if highlight %} ({{ highlight }}){% endif %}."
    assert render(text, {"highlight": "caching"}) == "A (caching)."
    assert render(text, {}) == "A."


def test_else_branch_is_used_when_the_variable_is_missing_or_blank() -> None:
    text = "{% if interviewer %}Hi {{ interviewer }},{% else %}Hello,{% endif %}"
    assert render(text, {"interviewer": "Dana"}) == "Hi Dana,"
    assert render(text, {"interviewer": "  "}) == "Hello,"
    assert render(text, {}) == "Hello,"


def test_nested_if_blocks_work() -> None:
    text = "{% if company %}[{% if role %}{{ role }}{% else %}?{% endif %}]{% endif %}"
    assert render(text, {"company": "A", "role": "R"}) == "[R]"
    assert render(text, {"company": "A"}) == "[?]"
    assert render(text, {"role": "R"}) == ""


def test_block_tag_alone_on_a_line_leaves_no_blank_line() -> None:
    text = "one\n  {% if highlight %}\nmiddle\n{% endif %}\ntwo\n"
    assert render(text, {"highlight": "x"}) == "one\nmiddle\ntwo\n"
    assert render(text, {}) == "one\ntwo\n"


def test_single_braces_are_plain_text() -> None:
    assert render("a {b} c", {}) == "a {b} c"


def test_missing_value_raises_instead_of_leaving_a_placeholder() -> None:
    with pytest.raises(TemplateError, match="highlight"):
        render("About {{ highlight }}.", {})


def test_blank_value_counts_as_missing() -> None:
    with pytest.raises(TemplateError):
        render("Hi {{ interviewer }}", {"interviewer": " "})


def test_render_refuses_an_invalid_template() -> None:
    with pytest.raises(TemplateError, match="unknown variable"):
        render("{{ salary }}", {"salary": "lots"}, KNOWN_VARIABLES)


def test_substituted_values_are_not_interpreted_as_template_code() -> None:
    out = render("{{ highlight }}", {"highlight": "{{ role }} {% if x %}"})
    assert out == "{{ role }} {% if x %}"


# --- check_template -------------------------------------------------------------------------


def test_valid_template_has_no_problems() -> None:
    assert (
        check_draft_template("Hi {{ interviewer }}{% if highlight %}x{% else %}y{% endif %}") == []
    )


def test_unknown_variable_is_reported_with_the_known_ones() -> None:
    problems = check_draft_template("Dear {{ recruiter }},")
    assert len(problems) == 1
    assert "unknown variable 'recruiter'" in problems[0]
    assert "company" in problems[0] and "highlight" in problems[0]


def test_unknown_variable_in_an_if_tag_is_reported() -> None:
    assert any("'salary'" in p for p in check_draft_template("{% if salary %}x{% endif %}"))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{% if role %}open", "never closed"),
        ("x{% endif %}", "without a matching"),
        ("{% else %}", "without a matching"),
        ("{% if role %}a{% else %}b{% else %}c{% endif %}", "without a matching"),
        ("{% for x in y %}{% endfor %}", "unsupported tag"),
        ("{% if role and company %}x{% endif %}", "unsupported tag"),
        ("Hi {{ interviewer", "stray '{{'"),
        ("Hi interviewer }}", "stray '}}'"),
        ("{% if role x", "stray '{%'"),
        ("{{ }}", "invalid variable name"),
        ("{{ role.upper }}", "invalid variable name"),
        ("{{ {role} }}", "stray"),
    ],
)
def test_bad_syntax_is_reported(text: str, fragment: str) -> None:
    problems = check_draft_template(text)
    assert any(fragment in p for p in problems), problems


def test_every_problem_is_reported_not_just_the_first() -> None:
    assert len(check_draft_template("{{ a_thing }} {{ b_thing }} {% endif %}")) == 3


# --- defaults -------------------------------------------------------------------------------


def test_defaults_cover_every_stage() -> None:
    assert set(DEFAULT_TEMPLATES) == set(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_default_templates_are_valid(stage: StageName) -> None:
    subject, body = DEFAULT_TEMPLATES[stage]
    assert check_draft_template(subject) == []
    assert check_draft_template(body) == []


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("highlight", [None, "the caching idea we discussed"])
@pytest.mark.parametrize("recipient", [None, DANA])
def test_every_default_renders_completely(
    stage: StageName, highlight: str | None, recipient: Address | None
) -> None:
    subject, body = DEFAULT_TEMPLATES[stage]
    variables = variables_for(interview(highlight), ME, recipient)
    for text in (render(subject, variables), render(body, variables)):
        assert "{{" not in text and "{%" not in text and "}}" not in text
        assert "\n\n\n" not in text
    rendered = render(body, variables)
    assert "Backend Engineer" in rendered
    assert "Jordan Rivera" in rendered
    assert ("Dana" in rendered) == (recipient is not None)
    if highlight is not None and stage != "closure":  # the last note stays short
        assert highlight in rendered


def test_check_in_offers_the_highlight_and_asks_for_their_view() -> None:
    _, body = DEFAULT_TEMPLATES["check_in"]
    text = render(body, variables_for(interview("the caching idea"), ME, DANA))
    assert "the caching idea" in text
    assert "your view" in text
    assert "next steps" in text


def test_default_texts_are_short() -> None:
    for subject, body in DEFAULT_TEMPLATES.values():
        assert len(subject) < 80
        assert len(body.split()) < 160


# --- variables ------------------------------------------------------------------------------


def test_variables_name_the_interviewer_by_first_name() -> None:
    v = variables_for(interview(), ME, DANA)
    assert v["interviewer"] == "Dana"
    assert v["interviewer_name"] == "Dana Whitfield"
    assert v["my_first_name"] == "Jordan"
    assert v["interview_date"] == "Monday, November 16"


def test_variables_leave_out_what_is_unknown() -> None:
    v = variables_for(interview(), ME, Address(name="", email="dana@acme.com"))
    assert "interviewer" not in v
    assert "highlight" not in v
    assert "promised_date" not in v


def test_promised_date_is_offered_only_when_a_date_was_promised() -> None:
    v = variables_for(interview(promised=dt.date(2026, 11, 20)), ME, None)
    assert v["promised_date"] == "Friday, November 20"


def test_every_offered_variable_is_known() -> None:
    v = variables_for(interview("x", dt.date(2026, 11, 20)), ME, DANA)
    assert set(v) <= KNOWN_VARIABLES


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("Dana Whitfield", "Dana"),
        ("Whitfield, Dana", "Dana"),
        ("Dr. Dana Whitfield", "Dana"),
        ('"Mateo Álvarez"', "Mateo"),
        ("", ""),
    ],
)
def test_first_name_handles_common_display_name_forms(display: str, expected: str) -> None:
    assert first_name(display) == expected


def test_format_day_is_english_and_has_no_leading_zero() -> None:
    assert format_day(dt.date(2026, 12, 2)) == "Wednesday, December 2"


def test_unguarded_variables_lists_only_substitutions_outside_their_own_if() -> None:
    text = (
        "{{ role }} {% if highlight %}{{ highlight }} {{ company }}{% else %}{{ interviewer }}"
        "{% endif %}"
    )
    assert unguarded_variables(text) == {"role", "company", "interviewer"}


def test_default_templates_only_guarded_optional_variables() -> None:
    optional = {"interviewer", "interviewer_name", "highlight", "promised_date"}
    for subject, body in DEFAULT_TEMPLATES.values():
        assert not (unguarded_variables(subject) | unguarded_variables(body)) & optional
