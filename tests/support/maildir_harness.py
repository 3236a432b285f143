"""The Maildir ``MailboxHarness``: a temp Maildir tree driven like a mail client would."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest

from followup.config import MaildirAccount
from followup.mailbox.maildir import MaildirMailbox

_LETTER = {"seen": "S", "flagged": "F", "draft": "D", "answered": "R"}
_WORD = {v: k for k, v in _LETTER.items()}
_counter = itertools.count()


def make_maildir(root: Path, folders: Sequence[str] = ("INBOX", "Sent", "Drafts")) -> Path:
    for folder in folders:
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    return root


def message_id_of(raw: bytes) -> str:
    value = BytesHeaderParser().parsebytes(raw).get("Message-ID", "")
    return str(value).strip().strip("<>")


class MaildirHarness:
    def __init__(self, root: Path) -> None:
        self.root = make_maildir(root)
        self.account = MaildirAccount(
            name="local", path=root, sent_folder="Sent", drafts_folder="Drafts"
        )

    def open(self) -> MaildirMailbox:
        return MaildirMailbox(self.account)

    def deliver(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> None:
        letters = "".join(sorted(_LETTER[f] for f in flags))
        name = f"{next(_counter):06d}.harness"
        if letters:
            (self.root / folder / "cur" / f"{name}:2,{letters}").write_bytes(raw)
        else:
            (self.root / folder / "new" / name).write_bytes(raw)

    def _all(self) -> Iterator[tuple[str, Path]]:
        for folder in ("INBOX", "Sent", "Drafts"):
            for sub in ("new", "cur"):
                for file in sorted((self.root / folder / sub).iterdir()):
                    yield folder, file

    def flags(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for _, file in self._all():
            info = file.name.partition(":2,")[2]
            out[message_id_of(file.read_bytes())] = frozenset(_WORD[c] for c in info if c in _WORD)
        return out

    def drafts(self) -> list[bytes]:
        return [file.read_bytes() for folder, file in self._all() if folder == "Drafts"]

    def edit_draft(self, message_id: str, raw: bytes) -> None:
        """Saved in place (same file name), as mutt and most Maildir clients do."""
        for folder, file in self._all():
            if folder == "Drafts" and message_id_of(file.read_bytes()) == message_id:
                file.write_bytes(raw)
                return
        raise AssertionError(f"no draft {message_id}")

    def delete(self, folder: str, message_id: str) -> None:
        for f, file in self._all():
            if f == folder and message_id_of(file.read_bytes()) == message_id:
                file.unlink()
                return
        raise AssertionError(f"{message_id} not in {folder}")


@pytest.fixture
def maildir_harness(tmp_path: Path) -> MaildirHarness:
    return MaildirHarness(tmp_path / "Mail")
