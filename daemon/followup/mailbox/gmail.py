"""Gmail API backend: metadata reads, draft writes, and no way at all to send.

Sync is incremental through ``history.list``; a history that expired falls back to a
bounded ``messages.list q=after:``. Transport and error mapping live in ``gmail_api``,
the pure JSON handling in ``gmail_parse``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from followup.config import GmailAccount
from followup.core.errors import MalformedMessage, UserError
from followup.core.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome
from followup.core.parsing import HEADER_FIELDS, parse_message
from followup.core.text import bare_id, message_ids
from followup.credentials import get_secret
from followup.mailbox.gmail_api import NUM_RETRIES, SCOPES, GmailApi
from followup.mailbox.gmail_parse import (
    JSON,
    SYSTEM_LABELS,
    calendar,
    decode_cursor,
    encode_cursor,
    excerpt,
    header_bytes,
    wanted,
)
from followup.mailbox.protocol import TextWanted, no_text

log = logging.getLogger(__name__)

__all__ = ["SCOPES", "GmailMailbox"]

PAGE_SIZE = 500


class _HistoryExpired(Exception):
    """history.list answered 404: the stored historyId is too old."""


def _default_token_loader(account: GmailAccount) -> Callable[[], str]:
    def load() -> str:
        return get_secret(account.name, account.token_command)

    return load


class GmailMailbox:
    """One Gmail account through the REST API (scopes: readonly + compose only)."""

    def __init__(
        self,
        account: GmailAccount,
        state_dir: Path,
        *,
        load_token: Callable[[], str] | None = None,
        num_retries: int = NUM_RETRIES,
    ) -> None:
        self.account = account.name
        self._config = account
        self._state_dir = state_dir  # nothing is cached on disk yet; kept for the protocol
        self._api = GmailApi(
            account, load_token or _default_token_loader(account), num_retries=num_retries
        )
        self._labels: dict[str, str] | None = None  # lower-cased name or id -> label id

    def _gmail(self) -> Any:
        return self._api.users()

    def _must(self, request: Any) -> JSON:
        return self._api.must(request)

    def _call(self, request: Any, *, missing_ok: bool = False) -> JSON | None:
        return self._api.call(request, missing_ok=missing_ok)

    # --- folders -----------------------------------------------------------------------

    def folders(self) -> FolderInfo:
        return FolderInfo(
            watched=tuple(self._config.folders),
            sent=self._config.sent_folder or "SENT",
            drafts=self._config.drafts_folder or "DRAFT",
        )

    def _label_id(self, folder: str) -> str:
        """A label id for a configured folder: system ids as-is, user labels by name or id."""
        if folder.upper() in SYSTEM_LABELS:
            return folder.upper()
        if self._labels is None:
            answer = self._must(self._gmail().labels().list(userId="me"))
            self._labels = {}
            for label in answer.get("labels", []):
                self._labels[label["id"].lower()] = label["id"]
                self._labels[label["name"].lower()] = label["id"]
        try:
            return self._labels[folder.lower()]
        except KeyError:
            raise UserError(f"Gmail account {self.account} has no label {folder!r}") from None

    # --- reading -----------------------------------------------------------------------

    def fetch_new(
        self, folder: str, cursor: str | None, since: dt.date, wants_text: TextWanted = no_text
    ) -> FetchResult:
        label = self._label_id(folder)
        start = decode_cursor(cursor)
        if start is None:
            return self._full_sync(folder, label, since, wants_text, reset=cursor is not None)
        try:
            ids, latest = self._history(label, start, sent=self._is_sent(label))
        except _HistoryExpired:
            log.info("Gmail history of %s expired; resyncing since %s", self.account, since)
            return self._full_sync(folder, label, since, wants_text, reset=True)
        messages, warnings = self._metas(folder, label, ids, wants_text)
        return FetchResult(messages, encode_cursor(latest), warnings=warnings)

    def _is_sent(self, label: str) -> bool:
        sent = self.folders().sent
        return sent is not None and label == self._label_id(sent)

    def _full_sync(
        self, folder: str, label: str, since: dt.date, wants_text: TextWanted, *, reset: bool
    ) -> FetchResult:
        """List the label back to ``since``; the cursor is taken first so nothing slips by."""
        users = self._gmail()
        history_id = str(self._must(users.getProfile(userId="me"))["historyId"])
        # after: is exclusive and Gmail reads dates in its own zone: start a day early.
        after = dt.datetime.combine(since - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        ids: list[str] = []
        page: str | None = None
        while True:
            answer = self._must(
                users.messages().list(
                    userId="me",
                    q=f"after:{int(after.timestamp())}",
                    labelIds=[label],
                    maxResults=PAGE_SIZE,
                    pageToken=page,
                )
            )
            ids.extend(m["id"] for m in answer.get("messages", []))
            page = answer.get("nextPageToken")
            if not page:
                break
        messages, warnings = self._metas(folder, label, ids, wants_text)
        return FetchResult(messages, encode_cursor(history_id), reset=reset, warnings=warnings)

    def _history(self, label: str, start: str, *, sent: bool) -> tuple[list[str], str]:
        """Ids added to ``label`` since history id ``start``, and the newest history id."""
        users = self._gmail()
        ids: dict[str, None] = {}
        latest = start
        page: str | None = None
        while True:
            answer = self._call(
                users.history().list(
                    userId="me",
                    startHistoryId=start,
                    historyTypes=["messageAdded", "labelAdded"],
                    labelId=label,
                    maxResults=PAGE_SIZE,
                    pageToken=page,
                ),
                missing_ok=True,
            )
            if answer is None:
                raise _HistoryExpired
            latest = str(answer.get("historyId", latest))
            for record in answer.get("history", []):
                added = [a["message"] for a in record.get("messagesAdded", [])]
                added += [
                    a["message"]
                    for a in record.get("labelsAdded", [])
                    if label in a.get("labelIds", [])
                ]
                for msg in added:
                    if wanted(msg.get("labelIds", []), label, sent=sent):
                        ids[msg["id"]] = None
            page = answer.get("nextPageToken")
            if not page:
                return list(ids), latest

    def _metas(
        self, folder: str, label: str, ids: Sequence[str], wants_text: TextWanted
    ) -> tuple[tuple[MessageMeta, ...], tuple[str, ...]]:
        """Parse the metadata of ``ids``; messages ``wants_text`` names get a text excerpt."""
        if not ids:
            return (), ()
        sent = self._is_sent(label)
        got = self._api.get_many(ids, format="metadata", metadataHeaders=list(HEADER_FIELDS))
        metas: dict[str, MessageMeta] = {}
        warnings: list[str] = []
        for msg_id in ids:
            resource = got.get(msg_id)
            if resource is None or not wanted(resource.get("labelIds", []), label, sent=sent):
                continue
            headers = resource.get("payload", {}).get("headers", [])
            try:
                metas[msg_id] = parse_message(
                    header_bytes(headers),
                    folder=folder,
                    uid=msg_id,
                    thread_id=resource.get("threadId"),
                    body_limit=0,
                )
            except MalformedMessage as exc:
                warnings.append(f"Gmail message {msg_id} skipped: {exc}")
        texts = [i for i, m in metas.items() if wants_text(m)]
        for msg_id, full in self._api.get_many(texts, format="full").items() if texts else ():
            payload = full.get("payload", {})
            metas[msg_id] = replace(
                metas[msg_id], body_excerpt=excerpt(payload), calendar=calendar(payload)
            )
        return tuple(metas.values()), tuple(warnings)

    def fetch_text(self, folder: str, uids: Sequence[str]) -> dict[str, MessageMeta]:
        out: dict[str, MessageMeta] = {}
        for msg_id, full in self._api.get_many(list(uids), format="full").items():
            payload = full.get("payload", {})
            with contextlib.suppress(MalformedMessage):
                meta = parse_message(
                    header_bytes(payload.get("headers", [])),
                    folder=folder,
                    uid=msg_id,
                    thread_id=full.get("threadId"),
                    body_limit=0,
                )
                out[msg_id] = replace(
                    meta, body_excerpt=excerpt(payload), calendar=calendar(payload)
                )
        return out

    # --- drafts ------------------------------------------------------------------------

    def find_draft(self, message_id: str) -> str | None:
        rfc_id = message_id.strip().strip("<>")
        answer = self._must(
            self._gmail().drafts().list(userId="me", q=f"rfc822msgid:{rfc_id}", maxResults=10)
        )
        for draft in answer.get("drafts", []):
            return f"{draft['id']}:{draft['message']['id']}"
        return None

    def read_draft(self, ref: str) -> bytes | None:
        draft_id = ref.partition(":")[0]
        answer = self._call(
            self._gmail().drafts().get(userId="me", id=draft_id, format="raw"), missing_ok=True
        )
        raw = (answer or {}).get("message", {}).get("raw")
        if not isinstance(raw, str):
            return None
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))

    def append_draft(self, message: EmailMessage) -> str:
        rfc_id = bare_id(message.get("Message-ID", ""))
        if not rfc_id:
            raise ValueError("a draft needs a Message-ID (it is the idempotency key)")
        existing = self.find_draft(rfc_id)
        if existing is not None:
            return existing
        body: JSON = {"raw": base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")}
        thread_id = self._thread_of(message)
        if thread_id is not None:
            body["threadId"] = thread_id
        draft = self._must(self._gmail().drafts().create(userId="me", body={"message": body}))
        log.info("Gmail draft %s created in %s", rfc_id, self.account)
        return f"{draft['id']}:{draft['message']['id']}"

    def _thread_of(self, message: EmailMessage) -> str | None:
        """The Gmail thread of the message we reply to, so the draft joins it."""
        candidates = list(message_ids(str(message.get("In-Reply-To", ""))))
        candidates += reversed(message_ids(str(message.get("References", ""))))
        for rfc_id in dict.fromkeys(candidates):
            answer = self._must(
                self._gmail().messages().list(userId="me", q=f"rfc822msgid:{rfc_id}", maxResults=1)
            )
            for found in answer.get("messages", []):
                return str(found["threadId"])
        return None

    def withdraw_draft(self, ref: str) -> WithdrawOutcome:
        draft_id, _, created_id = ref.partition(":")
        drafts = self._gmail().drafts()
        current = self._call(
            drafts.get(userId="me", id=draft_id, format="minimal"), missing_ok=True
        )
        if current is None:
            return "gone"
        if current.get("message", {}).get("id") != created_id:
            return "changed"  # Gmail gives an edited draft a new message id
        if self._call(drafts.delete(userId="me", id=draft_id), missing_ok=True) is None:
            return "gone"
        log.info("Gmail draft %s withdrawn from %s", draft_id, self.account)
        return "withdrawn"

    def close(self) -> None:
        self._api.close()
