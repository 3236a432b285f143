"""Keyring backends for tests, so that no test ever touches the user's real keyring.

``MemoryKeyring`` lives in one process (``keyring.set_keyring``). ``FileKeyring`` keeps
its entries in the JSON file named by ``$FOLLOWUP_TEST_KEYRING`` so that several
``followup`` subprocesses share them; ``keyring_env`` selects it for a subprocess.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend

TESTS = Path(__file__).resolve().parent.parent


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["FOLLOWUP_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        path = self._path()
        loaded: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        return loaded

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        entries.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(entries))


def keyring_env(path: Path) -> dict[str, str]:
    """Environment for a subprocess whose keyring is the file ``path``."""
    python_path = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH", "")) if p)
    return {
        "PYTHON_KEYRING_BACKEND": "support.keyrings.FileKeyring",
        "FOLLOWUP_TEST_KEYRING": str(path),
        "PYTHONPATH": python_path,
    }


def no_keyring_env() -> dict[str, str]:
    """Environment for a subprocess on a machine without any keyring."""
    return {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def read_file_keyring(path: Path) -> dict[str, str]:
    loaded: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return loaded
