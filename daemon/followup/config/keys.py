"""The vocabulary of the schema: a key, a section, and the marker for required keys.

Kept apart from the schema itself so that converters (``kinds``) and the schema
(``schema``) can both use it without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class _Required:
    """Marker default: the key must be present."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()

Converter = Callable[[object, "Key"], object]
"""Checks one TOML value against its key and returns the typed value, or raises ``Bad``."""


@dataclass(frozen=True)
class Key:
    """One key: how to check it, its default, and how to explain it to a user.

    ``default`` is a TOML-ready value, ``None`` (optional, no value) or ``REQUIRED``.
    ``default_doc`` replaces the rendered default in docs when it is computed at load time.
    """

    name: str
    convert: Converter
    doc: str
    example: object
    default: object = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default_doc: str | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Section:
    """A table (``[identity]``), an array of tables (``[[accounts]]``) or, with
    ``per_stage``, one table per stage (``[templates.check_in]``)."""

    name: str
    doc: str
    keys: tuple[Key, ...]
    array: bool = False
    required: bool = False
    per_stage: bool = False

    def key(self, name: str) -> Key | None:
        for k in self.keys:
            if k.name == name:
                return k
        return None

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def extended(self, doc: str, keys: tuple[Key, ...]) -> Section:
        """This section with more keys (an account type adds its own to the common ones)."""
        return Section(self.name, doc, self.keys + keys, self.array, self.required)
