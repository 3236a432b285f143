"""Any value at any key: the config either loads (and plans and drafts) or says what is wrong.

Never a traceback: every key of the schema gets values of every TOML kind, including
the ones that crashed an earlier followup (huge durations, NaN, dates at the ends of the
calendar, names with a trailing newline, nesting deep enough to exhaust the stack).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from followup.actions import build_draft
from followup.config import Config, parse_config, schema
from followup.core.errors import ConfigError
from followup.core.planner import InterviewFacts, plan_all
from followup.core.templating import TemplateError
from followup.holiday_tables import calendar_for

UTC = dt.UTC


def base() -> dict[str, Any]:
    """A valid config with every section, as plain data."""
    return {
        "identity": {"name": "Jordan Rivera", "email": "jordan@example.com"},
        "schedule": {"timezone": "America/New_York"},
        "daemon": {"state_dir": "/tmp/followup-fuzz-state"},
        "accounts": [{"name": "mail", "type": "maildir", "path": "/tmp/followup-fuzz-mail"}],
        "templates": {"check_in": {"body": "Hi {{ company }}"}},
        "interviews": [
            {
                "id": "acme",
                "company": "Acme",
                "role": "Engineer",
                "interviewed_on": dt.date(2026, 11, 16),
                "contacts": ["Dana <dana@acme.example>"],
            }
        ],
    }


def key_paths() -> list[tuple[str, ...]]:
    """(section, [index], key) for every key the schema knows, on the table that holds it."""
    out: list[tuple[str, ...]] = []
    for sec in (schema.IDENTITY, schema.SCHEDULE, schema.DAEMON):
        out += [(sec.name, key.name) for key in sec.keys]
    out += [("templates", "check_in", key.name) for key in schema.TEMPLATES.keys]
    out += [("interviews", "0", key.name) for key in schema.INTERVIEWS.keys]
    for kind, sec in schema.ACCOUNT_KINDS.items():
        out += [("accounts", f"0:{kind}", key.name) for key in sec.keys]
    return out


def with_value(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data = base()
    if path[0] in ("interviews", "accounts"):
        table = data[path[0]][0]
        if ":" in path[1]:  # an account of this type
            kind = path[1].split(":")[1]
            table.clear()
            table.update({"name": "mail", "type": kind})
            table.update(
                {"imap": {"host": "localhost", "username": "j", "security": "none"},
                 "gmail": {"client_secrets_file": "/tmp/x.json"},
                 "maildir": {"path": "/tmp/m"}}[kind]
            )  # fmt: skip
    elif path[0] == "templates":
        table = data["templates"]["check_in"]
    else:
        table = data[path[0]]
    table[path[-1]] = value
    return data


TRAPS: list[object] = [
    "1000000000d",
    "99999999999999h",
    "acme\n",
    "mail\n",
    "09:00\n",
    "",
    " ",
    "\x00",
    "x" * 5000,
    "{{ unknown }}",
    "{% if highlight %}" * 2000 + "x" + "{% endif %}" * 2000,
    float("nan"),
    float("-nan"),
    float("inf"),
    -(2**63),
    2**63,
    0,
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(9999, 12, 31, 23, 59, 59),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    dt.time(23, 59, 59),
    [],
    [[[]]],
    {"nested": "table"},
]

values = st.one_of(
    st.sampled_from(TRAPS),
    st.text(max_size=30),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.times(),
    st.lists(st.text(max_size=8) | st.integers(), max_size=3),
)


def loads_or_explains(text: str) -> Config | None:
    """The contract: a Config, or a ConfigError. Any other exception fails the test."""
    try:
        return parse_config(text, Path("fuzz.toml"), default_zone="UTC")
    except ConfigError as exc:
        assert exc.problems and all(p.strip() for p in exc.problems)
        return None


def plans_and_drafts(config: Config) -> None:
    """What a loaded config leads to must not crash either: planning and composing."""
    cal = calendar_for(config.schedule)
    facts = [InterviewFacts(iv) for iv in config.interviews]
    for now in (dt.datetime(2026, 12, 1, 9, tzinfo=UTC), dt.datetime(2999, 1, 1, tzinfo=UTC)):
        for plan in plan_all(config.identity, config.schedule, facts, {}, now, cal):
            for stage in plan.stages:
                # A template that cannot be filled is a skipped stage with a reason, by design.
                with contextlib.suppress(TemplateError):
                    build_draft(config, plan, stage, now)


@pytest.mark.parametrize("path", key_paths(), ids=".".join)
@given(value=values)
def test_any_value_at_any_key_loads_or_is_explained(path: tuple[str, ...], value: object) -> None:
    text = tomlkit.dumps(with_value(path, value))
    config = loads_or_explains(text)
    if config is not None:
        plans_and_drafts(config)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("daemon", "poll_interval"), "1000000000d"),
        (("daemon", "poll_interval"), "99999999999999h"),
        (("accounts", "0:imap", "timeout"), float("nan")),
        (("accounts", "0:imap", "timeout"), float("-nan")),
        (("interviews", "0", "interviewed_on"), dt.date(1, 1, 1)),
        (("interviews", "0", "reply_promised_by"), dt.date(9999, 12, 31)),
        (("interviews", "0", "id"), "acme\n"),
        (("accounts", "0:maildir", "name"), "mail\n"),
        (("templates", "check_in", "body"), "{% if company %}" * 2000 + "{% endif %}" * 2000),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_the_values_that_once_crashed_are_config_errors(
    path: tuple[str, ...], value: object
) -> None:
    text = tomlkit.dumps(with_value(path, value))
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("fuzz.toml"), default_zone="UTC")
    assert any(f".{path[-1]}'" in p for p in caught.value.problems), caught.value.problems


def test_arrays_nested_too_deeply_are_a_config_error_not_a_recursion_error() -> None:
    text = tomlkit.dumps(base()) + "\n[extra]\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_config(text, Path("fuzz.toml"), default_zone="UTC")
