"""``append_interview``: keeps the user's comments, refuses bad input, writes atomically."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from followup.config import load_config
from followup.config.edit import append_interview
from followup.core.errors import ConfigError
from followup.core.model import Address

ORIGINAL = """\
# My job search, spring edition.
[identity]
name = "Jordan Rivera"     # shown in From
email = "jordan@example.com"

[schedule]
timezone = "Europe/Berlin" # I moved

[[accounts]]
name = "mail"
type = "maildir"
path = "/srv/mail/jordan"  # synced by mbsync

[[interviews]]
id = "acme-backend"        # the first one
company = "Acme Corp"
role = "Backend Engineer"
interviewed_on = 2026-11-16

# keep this note at the end
"""

NEW = {
    "id": "globex-platform",
    "company": "Globex",
    "role": "Platform Engineer",
    "interviewed_on": dt.date(2026, 11, 18),
    "reply_promised_by": dt.date(2026, 11, 25),
    "contacts": ["Priya Nair <priya@globex.io>"],
    "highlight": None,
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(ORIGINAL, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_appended_interview_loads_after_the_existing_one(config_file: Path) -> None:
    append_interview(config_file, NEW)
    interviews = load_config(config_file).interviews
    assert [i.id for i in interviews] == ["acme-backend", "globex-platform"]
    added = interviews[1]
    assert added.reply_promised_by == dt.date(2026, 11, 25)
    assert added.contacts == (Address("Priya Nair", "priya@globex.io"),)
    assert added.highlight is None


def test_append_keeps_every_original_line_and_comment(config_file: Path) -> None:
    append_interview(config_file, NEW)
    lines = config_file.read_text(encoding="utf-8").splitlines()
    remaining = iter(lines)
    for original in ORIGINAL.splitlines():  # in order, untouched
        assert any(line == original for line in remaining), original
    assert "# keep this note at the end" in lines


def test_append_leaves_out_none_values(config_file: Path) -> None:
    append_interview(config_file, NEW)
    assert "highlight" not in config_file.read_text(encoding="utf-8")


def test_append_accepts_address_values_and_tuples(config_file: Path) -> None:
    fields = {**NEW, "contacts": (Address("Priya Nair", "priya@globex.io"),)}
    append_interview(config_file, fields)
    assert load_config(config_file).interviews[1].contacts[0].email == "priya@globex.io"


def test_append_keeps_the_file_mode(config_file: Path) -> None:
    append_interview(config_file, NEW)
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600


def test_append_leaves_no_temporary_files(config_file: Path) -> None:
    append_interview(config_file, NEW)
    with pytest.raises(ConfigError):
        append_interview(config_file, NEW)
    assert sorted(p.name for p in config_file.parent.iterdir()) == ["config.toml"]


def test_duplicate_id_is_refused_without_touching_the_file(config_file: Path) -> None:
    before = config_file.stat().st_mtime_ns
    with pytest.raises(ConfigError) as info:
        append_interview(config_file, {**NEW, "id": "acme-backend"})
    assert info.value.problems == [
        "at 'interviews[1].id': \"acme-backend\" is already used by interviews[0]"
    ]
    assert config_file.read_text(encoding="utf-8") == ORIGINAL
    assert config_file.stat().st_mtime_ns == before


def test_invalid_date_is_refused_with_its_path(config_file: Path) -> None:
    with pytest.raises(ConfigError) as info:
        append_interview(config_file, {**NEW, "reply_promised_by": "next friday"})
    assert info.value.problems == [
        "at 'interviews[1].reply_promised_by': expected a date like 2026-11-20, got \"next friday\""
    ]
    assert config_file.read_text(encoding="utf-8") == ORIGINAL


def test_append_to_a_broken_file_is_refused(config_file: Path) -> None:
    config_file.write_text(ORIGINAL + "[schedule\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML syntax error"):
        append_interview(config_file, NEW)


def test_append_to_a_file_with_an_impossible_date_names_the_date(config_file: Path) -> None:
    broken = ORIGINAL + '[[interviews]]\nid = "x"\ninterviewed_on = 2026-11-31\n'
    config_file.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match="2026-11-31 is not a day on the calendar"):
        append_interview(config_file, NEW)
    assert config_file.read_text(encoding="utf-8") == broken


def test_append_creates_the_first_interview_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    head = ORIGINAL.split("[[interviews]]")[0]
    path.write_text(head, encoding="utf-8")
    append_interview(path, NEW)
    assert path.read_text(encoding="utf-8").startswith(head)
    assert [i.id for i in load_config(path).interviews] == ["globex-platform"]


def test_append_replaces_an_empty_inline_interview_list(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    head = ORIGINAL.split("[schedule]")[0]
    path.write_text("interviews = []\n" + head + ORIGINAL[len(head) :].split("[[interviews]]")[0])
    append_interview(path, NEW)
    assert [i.id for i in load_config(path).interviews] == ["globex-platform"]


def test_append_writes_through_a_symlink(tmp_path: Path, config_file: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(config_file)
    append_interview(link, NEW)
    assert link.is_symlink()
    assert len(load_config(config_file).interviews) == 2


def test_local_datetime_is_written_as_a_toml_datetime(config_file: Path) -> None:
    append_interview(config_file, {**NEW, "interviewed_on": dt.datetime(2026, 11, 18, 15, 0)})
    text = config_file.read_text(encoding="utf-8")
    assert "interviewed_on = 2026-11-18T15:00:00\n" in text
    started = load_config(config_file).interviews[1].started_at
    assert started.isoformat() == "2026-11-18T15:00:00+01:00"


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        append_interview(tmp_path / "missing.toml", NEW)
    assert not os.listdir(tmp_path)
