"""The embedded backend: a local Maildir tree (mbsync/notmuch layout: ``INBOX``, ``Sent``...).

Reading never renames or re-flags a file. A draft is written the way Maildir promises
atomicity: into ``tmp/``, then linked into ``cur/`` with the ``D`` (draft) flag.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import socket
import time
from collections.abc import Sequence
from dataclasses import replace
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from followup.config import MaildirAccount
from followup.core.errors import MailboxUnreachable, MalformedMessage
from followup.core.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome
from followup.core.parsing import READ_LIMIT, parse_message
from followup.faults import fault_point
from followup.mailbox.protocol import TextWanted, no_text

log = logging.getLogger(__name__)

_SUBDIRS = ("new", "cur")
DELIVERY_MARGIN = dt.timedelta(days=2)


def _key_of(filename: str) -> str:
    return filename.split(":", 1)[0]


class MaildirMailbox:
    """A Maildir tree; folder ``X`` lives at ``<path>/X`` (``INBOX`` may be the root itself)."""

    def __init__(self, account: MaildirAccount) -> None:
        self.account = account.name
        self._cfg = account
        self.root = account.path

    # --- folders ----------------------------------------------------------------------

    def folder_path(self, folder: str) -> Path:
        candidate = self.root / folder
        if folder.upper() == "INBOX" and not candidate.exists() and (self.root / "cur").is_dir():
            return self.root
        return candidate

    def _require(self, folder: str) -> Path:
        path = self.folder_path(folder)
        if not all((path / sub).is_dir() for sub in ("new", "cur", "tmp")):
            raise MailboxUnreachable(
                f"maildir folder {folder!r} not found at {path} (it needs cur/, new/ and tmp/); "
                f"check 'path' and the folder names of account {self.account!r}"
            )
        return path

    def folders(self) -> FolderInfo:
        if not self.root.is_dir():
            raise MailboxUnreachable(
                f"the maildir {self.root} of account {self.account!r} does not exist"
            )
        watched = self._cfg.folders
        sent = self._cfg.sent_folder or "Sent"
        drafts = self._cfg.drafts_folder or "Drafts"
        for folder in (*watched, drafts):
            self._require(folder)
        has_sent = all((self.folder_path(sent) / s).is_dir() for s in ("new", "cur", "tmp"))
        return FolderInfo(watched=watched, sent=sent if has_sent else None, drafts=drafts)

    # --- reading ----------------------------------------------------------------------

    def _files(self, path: Path, delivered_since: float | None = None) -> dict[str, Path]:
        """Message files by key; with ``delivered_since``, only those delivered since then."""
        files: dict[str, Path] = {}
        for sub in _SUBDIRS:
            try:
                entries = os.scandir(path / sub)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise self._unreachable(f"cannot list {path / sub}", exc) from exc
            with entries:
                for entry in entries:
                    if entry.name.startswith(".") or entry.is_dir():
                        continue
                    if delivered_since is not None and _mtime(entry) < delivered_since:
                        continue
                    files[_key_of(entry.name)] = Path(entry.path)
        return files

    def _unreachable(self, what: str, exc: OSError) -> MailboxUnreachable:
        return MailboxUnreachable(f"{what} (account {self.account}): {exc.strerror or exc}")

    def _read(self, file: Path, warnings: list[str] | None = None) -> bytes | None:
        """The file's first bytes; None when it vanished or cannot be read (with a warning)."""
        try:
            with file.open("rb") as fh:
                return fh.read(READ_LIMIT)
        except FileNotFoundError:  # moved by a mail client between listing and reading
            return None
        except OSError as exc:
            if warnings is not None:
                warnings.append(f"skipped {file}: {exc.strerror or exc}")
            return None

    def fetch_new(
        self, folder: str, cursor: str | None, since: dt.date, wants_text: TextWanted = no_text
    ) -> FetchResult:
        """New files since the cursor (the set of keys already seen)."""
        path = self._require(folder)
        seen: set[str] = set(json.loads(cursor)) if cursor else set()
        files = self._files(path)
        out: list[MessageMeta] = []
        warnings: list[str] = []
        first = cursor is None
        unread = files.keys() - seen
        if first:
            # A file delivered before the window cannot hold mail dated inside it, so the
            # first sync reads only what arrived since (with a margin for clock skew).
            floor = dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC) - DELIVERY_MARGIN
            unread = set(self._files(path, floor.timestamp()))
        for key in sorted(unread):
            raw = self._read(files[key], warnings)
            if raw is None:
                continue
            try:
                meta = parse_message(raw, folder=folder, uid=key, text_if=wants_text)
            except MalformedMessage as exc:
                warnings.append(f"skipped {files[key]}: {exc}")
                continue
            if meta.date is None:
                meta = self._dated_by_delivery(meta, files[key])
            if first and meta.date is not None and meta.date.date() < since:
                continue
            out.append(meta)
        return FetchResult(
            messages=tuple(out),
            cursor=json.dumps(sorted(files.keys()), separators=(",", ":")),
            warnings=tuple(warnings),
        )

    def fetch_text(self, folder: str, uids: Sequence[str]) -> dict[str, MessageMeta]:
        files = self._files(self._require(folder))
        out: dict[str, MessageMeta] = {}
        for uid in uids:
            file = files.get(uid)
            raw = self._read(file) if file is not None else None
            if file is None or raw is None:
                continue
            with contextlib.suppress(MalformedMessage):
                meta = parse_message(raw, folder=folder, uid=uid)
                out[uid] = self._dated_by_delivery(meta, file) if meta.date is None else meta
        return out

    @staticmethod
    def _dated_by_delivery(meta: MessageMeta, file: Path) -> MessageMeta:
        """No usable Date header: the time the file was delivered is the next best date."""
        try:
            mtime = file.stat().st_mtime
        except OSError:
            return meta
        return replace(meta, date=dt.datetime.fromtimestamp(mtime, dt.UTC))

    # --- drafts -----------------------------------------------------------------------

    def _drafts_path(self) -> Path:
        return self._require(self._cfg.drafts_folder or "Drafts")

    def find_draft(self, message_id: str) -> str | None:
        for key, file in self._files(self._drafts_path()).items():
            raw = self._read(file)
            if raw is None:
                continue
            try:
                meta = parse_message(raw, uid=key, body_limit=0)
            except MalformedMessage:
                continue
            if meta.message_id == message_id:
                try:
                    return f"{key}:{hashlib.sha256(file.read_bytes()).hexdigest()}"
                except FileNotFoundError:
                    return None
        return None

    def read_draft(self, ref: str) -> bytes | None:
        file = self._files(self._drafts_path()).get(ref.partition(":")[0])
        if file is None:
            return None
        try:
            return file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._unreachable(f"cannot read the draft {file}", exc) from exc

    def append_draft(self, message: EmailMessage) -> str:
        """Write atomically: tmp/ first, fsync, then link into cur/ with the D flag."""
        path = self._drafts_path()
        _remove_our_leftovers(path / "tmp")
        data = message.as_bytes(policy=default_policy)  # Maildir files use plain newlines
        key = f"{time.time_ns()}.P{os.getpid()}.{_OURS}-{_host()}"
        tmp = path / "tmp" / key
        final = path / "cur" / f"{key}:2,D"
        try:
            with tmp.open("xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.chmod(0o600)
            fault_point("after-tmp-write")
            os.link(tmp, final)
            _fsync_dir(path / "cur")
        except OSError as exc:
            raise self._unreachable(f"cannot write a draft into {path}", exc) from exc
        finally:
            tmp.unlink(missing_ok=True)
        log.debug("wrote draft %s", final)
        return f"{key}:{hashlib.sha256(data).hexdigest()}"

    def withdraw_draft(self, ref: str) -> WithdrawOutcome:
        key, _, digest = ref.partition(":")
        file = self._files(self._drafts_path()).get(key)
        if file is None:
            return "gone"
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            return "gone"
        except OSError as exc:
            raise self._unreachable(f"cannot read the draft {file}", exc) from exc
        if hashlib.sha256(data).hexdigest() != digest:
            return "changed"
        try:
            file.unlink()
        except FileNotFoundError:
            return "gone"
        except OSError as exc:
            raise self._unreachable(f"cannot remove the draft {file}", exc) from exc
        return "withdrawn"

    def close(self) -> None:
        return None


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:
        return float("inf")  # unknown: read it rather than miss it


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_OURS = "followup"
_LEFTOVER = re.compile(rf"\d+\.P(\d+)\.{_OURS}-(.+)")
LEFTOVER_AGE = 36 * 3600.0
"""Maildir's own rule: a file in tmp/ untouched this long is abandoned by any writer."""


def _host() -> str:
    return socket.gethostname().replace("/", "_").replace(":", "_")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_our_leftovers(tmp: Path) -> None:
    """Files a killed followup left in tmp/: ours by name, and dead or abandoned.

    A file of another program is never touched, whatever its age.
    """
    try:
        entries = list(os.scandir(tmp))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None:
            continue
        same_host = found.group(2) == _host()
        dead = same_host and not _alive(int(found.group(1)))
        if dead or now - _mtime(entry) > LEFTOVER_AGE:
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()
                log.info("removed %s, left in tmp/ by an interrupted followup", entry.path)
