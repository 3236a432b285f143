"""Edits to the user's config file that keep its comments and layout (``followup add``).

The edited text is validated with ``parse_config`` before anything is written, and the
file is replaced atomically, so a bad edit or a crash never leaves a broken config.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Array, Table

from followup.config.load import parse_config
from followup.config.toml_hints import syntax_problem
from followup.core.errors import ConfigError


def _plain(value: object) -> object:
    """Values tomlkit can write: tuples become lists, Address-like values become strings."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    formatted = getattr(value, "formatted", None)
    if callable(formatted):
        return str(formatted())
    if isinstance(value, Path):
        return str(value)
    return value


def _interview_table(fields: Mapping[str, object]) -> Table:
    table = tomlkit.table()
    table.trivia.indent = "\n"  # a blank line before the new [[interviews]] header
    for key, value in fields.items():
        if value is None:
            continue
        table.add(key, _plain(value))
    return table


def interview_count(path: Path) -> int:
    """How many ``[[interviews]]`` the file has now (-1 when it cannot be read as TOML)."""
    try:
        found = tomlkit.parse(path.read_text(encoding="utf-8")).get("interviews")
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError):
        return -1
    return len(found) if isinstance(found, AoT | Array) else 0


def append_interview(path: Path, fields: Mapping[str, object]) -> None:
    """Append one ``[[interviews]]`` table built from ``fields`` (None values are left out).

    Raises ``ConfigError`` (file untouched) when the result would not load.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(str(path), [syntax_problem(str(exc), text)]) from None
    table = _interview_table(fields)
    existing = doc.get("interviews")
    if isinstance(existing, AoT):
        existing.append(table)
    elif existing is None or (isinstance(existing, Array) and len(existing) == 0):
        if existing is not None:
            del doc["interviews"]
        doc.append("interviews", tomlkit.aot())
        aot = doc["interviews"]
        assert isinstance(aot, AoT)
        aot.append(table)
    else:
        raise ConfigError(str(path), ["at 'interviews': expected [[interviews]] tables"])
    new_text = tomlkit.dumps(doc)
    if not new_text.endswith("\n"):
        new_text += "\n"
    parse_config(new_text, path)  # raises ConfigError listing every problem
    _write_atomically(path, new_text)


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` via a temp file in the same directory, keeping its permissions.

    A symlinked config (dotfile managers) is followed so the link itself survives.
    """
    path = path.resolve()
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
