"""The IMAP backend (imapclient): read with BODY.PEEK on EXAMINEd folders, write drafts only.

Cost follows the interviews, not the mailbox: a first sync asks the server for the
UIDs since the window start (``UID SEARCH SINCE``) and fetches a handful of header
fields of those; later polls compare the UIDNEXT of the EXAMINE response with the
cursor and fetch nothing when no message arrived (one command per folder). The only
writes are APPEND to Drafts (after looking for the Message-ID) and removing one draft
we created, by ``UID EXPUNGE`` of that UID.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from typing import Any

from imapclient.exceptions import IMAPClientError

from followup.config import ImapAccount
from followup.core.errors import MailboxUnreachable, MalformedMessage
from followup.core.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome
from followup.core.parsing import HEADER_FIELDS, parse_message
from followup.core.text import bare_id
from followup.faults import fault_point
from followup.mailbox.imap_caps import describe_lacking
from followup.mailbox.imap_commands import fetch_draft, fetch_range, uidvalidity
from followup.mailbox.imap_conn import Connection, Meter
from followup.mailbox.imap_drafts import DraftOps
from followup.mailbox.imap_folders import resolve_folders
from followup.mailbox.imap_idle import announces_mail, wait_for_mail
from followup.mailbox.imap_parse import (
    Cursor,
    DraftRef,
    aware_date,
    batches,
    fetch_item,
    is_expunge,
    is_mailbox_update,
    server_words,
    uid_set,
    uidvalidity_in,
)
from followup.mailbox.imap_text import fetch_texts
from followup.mailbox.protocol import TextWanted, no_text

log = logging.getLogger(__name__)

HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (" + " ".join(f.upper() for f in HEADER_FIELDS) + ")]"
FETCH_BATCH = 500  # UIDs per FETCH command, to keep command lines short


@dataclass(frozen=True)
class FolderState:
    """What one sync learned of a folder before parsing: where to go on from, and why."""

    folder: str
    uidvalidity: int
    floor: int  # the last UID already synced (0 on a fresh sync)
    uidnext: int | None = None
    modseq: int | None = None
    reset: bool = False  # the old cursor is void (UIDVALIDITY changed or unreadable)
    fresh: bool = False  # no usable cursor: this is a first sync of the window


class ImapMailbox:
    """One IMAP account behind the ``Mailbox`` protocol."""

    def __init__(
        self,
        account: ImapAccount,
        *,
        attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.account = account.name
        self._cfg = account
        self._conn = Connection(account, attempts=attempts, sleep=sleep)
        self._folders: FolderInfo | None = None
        # (connection number, folder) of the folder left EXAMINEd, so the next poll of it
        # is a NOOP instead of a new EXAMINE (which costs the server time per message).
        self._examined: tuple[int, str] | None = None
        self._selected: str | None = None  # on the current connection, read-only or not
        self._warned: set[tuple[str, str]] = set()
        self._drafts = DraftOps(
            self.account,
            self._conn.host,
            lambda client, folder, readonly: self._select(client, folder, readonly=readonly),
            self._leave,
        )

    @property
    def meter(self) -> Meter:
        """Commands and bytes exchanged so far (for tests and cost reports)."""
        return self._conn.meter

    def close(self) -> None:
        self._conn.close()

    def _run(self, what: str, op: Callable[[Any], Any], *, extra: float = 0.0) -> Any:
        """Run ``op`` on a healthy connection; a server's NO/BAD becomes one clear error."""
        try:
            return self._conn.run(op, extra=extra)
        except IMAPClientError as exc:
            raise MailboxUnreachable(
                f"the server at {self._conn.host} refused to {what} for account "
                f'{self.account}: "{server_words(exc)}"'
            ) from exc

    def _warn_once(self, folder: str, what: str) -> None:
        if (folder, what) not in self._warned:
            self._warned.add((folder, what))
            log.warning("%s %s: %s", self.account, folder, what)

    # folders ------------------------------------------------------------------------

    def folders(self) -> FolderInfo:
        if self._folders is None:
            self._folders = self._run(
                "list the folders", lambda c: resolve_folders(c, self._cfg, self._conn.host)
            )
        return self._folders

    # reading ------------------------------------------------------------------------

    def fetch_new(
        self, folder: str, cursor: str | None, since: dt.date, wants_text: TextWanted = no_text
    ) -> FetchResult:
        old: Cursor | None = None
        warnings: list[str] = []
        bad_cursor = False
        if cursor:
            try:
                old = Cursor.decode(cursor)
            except ValueError:
                bad_cursor = True
                warnings.append("the stored sync cursor was unreadable; synced from scratch")

        def op(client: Any) -> FetchResult:
            return self._fetch(client, folder, old, bad_cursor, since, wants_text, list(warnings))

        result: FetchResult = self._run(f"read {folder}", op)
        return result

    def _select(self, client: Any, folder: str, *, readonly: bool) -> Any:
        """Every SELECT/EXAMINE goes through here, so we know what stays selected."""
        self._examined = self._selected = None
        state = client.select_folder(folder, readonly=readonly)
        self._selected = folder
        if readonly:
            self._examined = (self._conn.connects, folder)
        return state

    def _unchanged(self, client: Any, folder: str, old: Cursor) -> bool | None:
        """Cheap no-change check: NOOP on the folder still examined, else STATUS.

        True: nothing new. False: there may be new mail. None: no cheap answer (the big
        watched folder is not selected), so the caller EXAMINEs it.
        """
        if self._examined == (self._conn.connects, folder):
            _, responses = client.noop()
            if not all(is_mailbox_update(r) for r in responses):
                return None  # e.g. "* NO" after the folder was deleted: look again
            return not any(announces_mail(r) or is_expunge(r) for r in responses)
        watched = self._folders.watched if self._folders else ()
        if watched and folder == watched[0]:
            return None  # re-examine it once, then stay on it
        status = client.folder_status(folder, [b"UIDNEXT", b"UIDVALIDITY"])
        uidnext = status.get(b"UIDNEXT")
        if uidvalidity_in(status) != old.uidvalidity or uidnext is None:
            return None  # changed, or the server did not say: look properly
        return int(uidnext) <= old.last_uid + 1

    def _fetch(
        self,
        client: Any,
        folder: str,
        old: Cursor | None,
        bad_cursor: bool,
        since: dt.date,
        wants_text: TextWanted,
        warnings: list[str],
    ) -> FetchResult:
        if old is not None and not bad_cursor:
            unchanged = self._unchanged(client, folder, old)
            if unchanged:
                return FetchResult(messages=(), cursor=old.encode(), warnings=tuple(warnings))
            if unchanged is False and self._examined == (self._conn.connects, folder):
                # Still selected and the NOOP announced mail: fetch past the cursor directly.
                fetched = fetch_range(client, f"{old.last_uid + 1}:*", [HEADER_ITEM])
                state = FolderState(folder, old.uidvalidity, old.last_uid, modseq=old.modseq)
                return self._result(client, state, fetched, since, wants_text, warnings)
        selected = self._select(client, folder, readonly=True)  # EXAMINE: no flag can change
        known = uidvalidity(client, folder, selected)
        if known is None:
            self._warn_once(folder, "the server gave no UIDVALIDITY; every sync is a fresh one")
        validity = known or 0  # 0: unknown, so no stored UID is trusted next time
        reset = bad_cursor or (old is not None and (known is None or old.uidvalidity != known))
        fresh = old is None or reset
        state = FolderState(
            folder,
            validity,
            floor=0 if fresh or old is None else old.last_uid,
            uidnext=selected.get(b"UIDNEXT"),
            modseq=selected.get(b"HIGHESTMODSEQ"),
            reset=reset,
            fresh=fresh,
        )
        fetched = {}
        if int(selected.get(b"EXISTS", 0)) == 0:
            pass
        elif fresh:
            uids = sorted(client.search(["SINCE", since]))
            for batch in batches(uids, FETCH_BATCH):
                fetched.update(fetch_range(client, uid_set(batch), [HEADER_ITEM]))
        elif state.uidnext is None or state.uidnext > state.floor + 1:
            fetched = fetch_range(client, f"{state.floor + 1}:*", [HEADER_ITEM])
        return self._result(client, state, fetched, since, wants_text, warnings)

    def _result(
        self,
        client: Any,
        state: FolderState,
        fetched: dict[int, dict[bytes, Any]],
        since: dt.date,
        wants_text: TextWanted,
        warnings: list[str],
    ) -> FetchResult:
        """Parse what was fetched above the cursor into messages and the next cursor."""
        headers: dict[int, MessageMeta] = {}
        for uid in sorted(u for u in fetched if u > state.floor):
            header = fetch_item(fetched[uid], b"BODY[HEADER")
            if header is None:
                warnings.append(f"UID {uid}: the server returned no header; skipped")
                continue
            try:
                headers[uid] = parse_message(
                    header, folder=state.folder, uid=str(uid), body_limit=0
                )
            except MalformedMessage as exc:
                warnings.append(f"UID {uid}: skipped a malformed message ({exc})")
                continue
        texts = fetch_texts(client, [uid for uid, meta in headers.items() if wants_text(meta)])
        messages: list[MessageMeta] = []
        for uid, meta in headers.items():
            if uid in texts:
                text, calendar = texts[uid]
                meta = replace(meta, body_excerpt=text, calendar=calendar)
            messages.append(meta)
        last = max([state.floor, *headers, (state.uidnext - 1) if state.uidnext else 0])
        if state.fresh:
            log.debug(
                "%s %s: first sync since %s: %d messages",
                self.account,
                state.folder,
                since,
                len(messages),
            )
        return FetchResult(
            messages=tuple(messages),
            cursor=Cursor(state.uidvalidity, last, state.modseq).encode(),
            reset=state.reset,
            warnings=tuple(warnings),
        )

    def fetch_text(self, folder: str, uids: Sequence[str]) -> dict[str, MessageMeta]:
        numbers = sorted({int(u) for u in uids if u.isdigit()})

        def op(client: Any) -> dict[str, MessageMeta]:
            if not numbers:
                return {}
            self._select(client, folder, readonly=True)
            out: dict[str, MessageMeta] = {}
            for batch in batches(numbers, FETCH_BATCH):
                for uid, data in fetch_range(client, uid_set(batch), [HEADER_ITEM]).items():
                    header = fetch_item(data, b"BODY[HEADER")
                    if header is None:
                        continue
                    with contextlib.suppress(MalformedMessage):
                        out[str(uid)] = parse_message(
                            header, folder=folder, uid=str(uid), body_limit=0
                        )
            for uid, (text, calendar) in fetch_texts(client, [int(u) for u in out]).items():
                out[str(uid)] = replace(out[str(uid)], body_excerpt=text, calendar=calendar)
            return out

        found: dict[str, MessageMeta] = self._run(f"read {folder}", op)
        return found

    # drafts -------------------------------------------------------------------------

    def find_draft(self, message_id: str) -> str | None:
        drafts = self.folders().drafts
        found: str | None = self._run(
            "search Drafts", lambda c: self._drafts.find(c, drafts, bare_id(message_id))
        )
        return found

    def read_draft(self, ref: str) -> bytes | None:
        wanted = DraftRef.decode(ref)
        drafts = self.folders().drafts

        def op(client: Any) -> bytes | None:
            state = self._select(client, drafts, readonly=True)
            return fetch_draft(client, uidvalidity(client, drafts, state), wanted)

        found: bytes | None = self._run("read a draft", op)
        return found

    def append_draft(self, message: EmailMessage) -> str:
        message_id = bare_id(str(message.get("Message-ID", "")))
        if not message_id:
            raise ValueError("a draft needs a Message-ID: it is the idempotency key")
        raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        when = aware_date(message.get("Date"))
        drafts = self.folders().drafts

        def op(client: Any) -> str:
            existing = self._drafts.find(client, drafts, message_id)
            if existing is not None:  # written before a crash or a lost connection
                return existing
            fault_point("before-append")
            return self._drafts.store(client, drafts, raw, when, message_id).encode()

        ref: str = self._run("store a draft", op)
        return ref

    def withdraw_draft(self, ref: str) -> WithdrawOutcome:
        wanted = DraftRef.decode(ref)
        drafts = self.folders().drafts
        tried: list[bool] = []  # set once the removal was sent: a retry then sees it done
        outcome: WithdrawOutcome = self._run(
            "withdraw a draft", lambda c: self._drafts.withdraw(c, drafts, wanted, tried)
        )
        return outcome

    def probe_write(self) -> str:
        """``followup check --write``: store a probe like a draft and remove it at once."""
        drafts = self.folders().drafts
        done: str = self._run("store a probe draft", lambda c: self._drafts.probe(c, drafts))
        return done

    def server_notes(self) -> list[str]:
        """What the server lacks of ``imap_caps.CAPABILITIES`` and what that means here."""
        advertised: tuple[bytes, ...] = self._run("list its capabilities", _capabilities)
        return describe_lacking(advertised)

    def abort(self) -> None:
        """From another thread: cut the connection now; later operations fail at once."""
        self._conn.abort()

    def _leave(self, client: Any) -> None:
        """Close the selected folder without expunging: UNSELECT, else CLOSE.

        CLOSE expunges nothing on a folder opened with EXAMINE (RFC 3501 6.4.2), and a
        folder is only ever left open read-write for the moment of a single write.
        """
        if self._selected is None:
            return
        readonly = self._examined is not None
        self._examined = self._selected = None
        if client.has_capability("UNSELECT"):
            client.unselect_folder()
            return
        if readonly:  # never CLOSE a read-write folder: that would expunge
            try:
                client.close_folder()
                return
            except imaplib.IMAP4.abort:
                raise
            except IMAPClientError as exc:  # pymap refuses CLOSE on a read-only folder
                log.debug("%s: CLOSE refused (%s); examining INBOX instead", self.account, exc)
        client.select_folder("INBOX", readonly=True)

    # waiting ------------------------------------------------------------------------

    def idle_wait(self, folder: str, timeout: float) -> bool:
        """Wait for new mail in ``folder`` with IDLE; False on timeout or without IDLE."""

        def op(client: Any) -> bool:
            if not client.has_capability("IDLE"):
                return False
            self._select(client, folder, readonly=True)
            return wait_for_mail(client, timeout)

        waited: bool = self._run("wait for new mail", op, extra=timeout)
        return waited


def _capabilities(client: Any) -> tuple[bytes, ...]:
    caps: tuple[bytes, ...] = tuple(client.capabilities())
    return caps
