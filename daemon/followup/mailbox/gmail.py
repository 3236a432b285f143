"""Gmail API backend: metadata reads, draft writes, and no way at all to send.

Google's client libraries are imported here only, and this module is imported only when
a Gmail account is configured, so IMAP and Maildir users never pay for them.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import compat32
from pathlib import Path
from typing import Any, cast

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from followup.ats import is_ats_domain
from followup.config import AccountConfig
from followup.errors import AuthError, MailboxUnreachable, MalformedMessage, UserError
from followup.model import FetchResult, FolderInfo, MessageMeta, WithdrawOutcome
from followup.parsing import HEADER_FIELDS, bare_id, body_text, parse_message

log = logging.getLogger(__name__)

JSON = dict[str, Any]
SCOPES: tuple[str, ...] = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose",
)
DEFAULT_ENDPOINT = "https://gmail.googleapis.com/"
NUM_RETRIES = 4  # the library retries 429/5xx with exponential backoff
BATCH_SIZE = 50  # Google advises at most 50 calls per batch to avoid rate limiting
PAGE_SIZE = 500
BODY_LIMIT = 4096  # characters of body text kept for the ATS company-name rule
_NOT_REPLIES = frozenset({"SENT", "DRAFT", "SPAM", "TRASH"})
_SYSTEM_LABELS = frozenset(
    {"INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CHAT"}
)
_AUTH_ERRORS = ("invalid_grant", "invalid_client", "unauthorized_client", "revoked")
_ID_RE = re.compile(r"<([^<>\s]+)>")


class _HistoryExpired(Exception):
    """history.list answered 404: the stored historyId is too old."""


def _status(exc: HttpError) -> int:
    return int(getattr(exc.resp, "status", 0) or 0)


def _default_token_loader(account: AccountConfig) -> Callable[[], str]:
    def load() -> str:
        from followup.credentials import get_secret

        return get_secret(account.name, account.token_command)

    return load


class GmailMailbox:
    """One Gmail account through the REST API (scopes: readonly + compose only)."""

    def __init__(
        self,
        account: AccountConfig,
        state_dir: Path,
        *,
        load_token: Callable[[], str] | None = None,
        num_retries: int = NUM_RETRIES,
    ) -> None:
        self.account = account.name
        self._config = account
        self._state_dir = state_dir  # nothing is cached on disk yet; kept for the protocol
        self._load_token = load_token or _default_token_loader(account)
        self._retries = num_retries
        self._service: Any = None
        self._labels: dict[str, str] | None = None  # lower-cased name or id -> label id

    # --- connection and error mapping --------------------------------------------------

    def _gmail(self) -> Any:
        """The users() resource, built on first use so constructing never touches the net."""
        if self._service is None:
            creds = self._credentials()
            endpoint = self._config.api_endpoint
            self._service = build(
                "gmail",
                "v1",
                credentials=creds,
                static_discovery=True,
                cache_discovery=False,
                client_options={"api_endpoint": endpoint} if endpoint else None,
            )
        return self._service.users()

    def _credentials(self) -> Credentials:
        try:
            info = json.loads(self._load_token())
            creds = cast(
                Credentials,
                Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                    info, scopes=list(SCOPES)
                ),
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise self._reauth(f"the stored token is unusable: {exc}") from exc
        # google-auth always refreshes at Google; with a custom API endpoint (a test
        # server or a proxy) the token's own token_uri is honoured as well.
        if self._config.api_endpoint and isinstance(info.get("token_uri"), str):
            creds = cast(Credentials, creds.with_token_uri(info["token_uri"]))
        return creds

    def _reauth(self, why: str = "the token was revoked or expired") -> AuthError:
        return AuthError(
            f"Gmail account {self.account} needs `followup auth {self.account}` ({why})"
        )

    def _translate(self, exc: Exception) -> Exception:
        """Map library failures to followup's errors (retries already happened)."""
        if isinstance(exc, RefreshError):
            text = str(exc).lower()
            if any(word in text for word in _AUTH_ERRORS) or not getattr(exc, "retryable", False):
                return self._reauth()
            return MailboxUnreachable(f"Gmail account {self.account}: token refresh failed: {exc}")
        if isinstance(exc, HttpError):
            if _status(exc) == 401:
                return self._reauth()
            return MailboxUnreachable(
                f"Gmail account {self.account}: HTTP {_status(exc)} from {exc.uri}"
            )
        return MailboxUnreachable(f"Gmail account {self.account}: {exc}")

    def _call(self, request: Any, *, missing_ok: bool = False) -> JSON | None:
        """Execute one request with the library's retries; 404 → None when ``missing_ok``."""
        try:
            return cast(JSON, request.execute(num_retries=self._retries))
        except HttpError as exc:
            if missing_ok and _status(exc) == 404:
                return None
            raise self._translate(exc) from exc
        except (RefreshError, TransportError, OSError, httplib2.HttpLib2Error) as exc:
            raise self._translate(exc) from exc

    def _must(self, request: Any) -> JSON:
        result = self._call(request)
        assert result is not None
        return result

    def _batch_uri(self) -> str:
        # The library builds the batch URL from the discovery rootUrl and ignores a custom
        # api_endpoint, so derive it ourselves.
        return (self._config.api_endpoint or DEFAULT_ENDPOINT).rstrip("/") + "/batch/gmail/v1"

    def _get_many(self, ids: Sequence[str], **params: Any) -> dict[str, JSON]:
        """messages.get for many ids in batches; ids that vanished are left out."""
        users = self._gmail()
        results: dict[str, JSON] = {}
        pending = list(dict.fromkeys(ids))
        for attempt in range(self._retries + 1):
            retry: list[str] = []
            for start in range(0, len(pending), BATCH_SIZE):
                chunk = pending[start : start + BATCH_SIZE]
                retry.extend(self._run_batch(users, chunk, params, results))
            if not retry:
                return results
            if attempt < self._retries:
                time.sleep(min(2**attempt, 32) * 0.5)
            pending = retry
        raise MailboxUnreachable(
            f"Gmail account {self.account}: {len(pending)} messages could not be fetched"
        )

    def _run_batch(
        self, users: Any, chunk: list[str], params: dict[str, Any], results: dict[str, JSON]
    ) -> list[str]:
        """Send one batch; returns the ids to try again (rate limited or server errors)."""
        retry: list[str] = []

        def collect(request_id: str, response: Any, exc: Exception | None) -> None:
            if exc is None:
                results[request_id] = cast(JSON, response)
            elif isinstance(exc, HttpError) and _status(exc) == 404:
                log.debug("message %s vanished before it could be read", request_id)
            elif isinstance(exc, HttpError) and (_status(exc) == 429 or _status(exc) >= 500):
                retry.append(request_id)
            else:
                raise self._translate(exc) from exc

        batch = BatchHttpRequest(callback=collect, batch_uri=self._batch_uri())
        for msg_id in chunk:
            batch.add(users.messages().get(userId="me", id=msg_id, **params), request_id=msg_id)
        try:
            batch.execute()
        except HttpError as exc:
            if _status(exc) == 429 or _status(exc) >= 500:
                return chunk
            raise self._translate(exc) from exc
        except (RefreshError, TransportError, OSError, httplib2.HttpLib2Error) as exc:
            raise self._translate(exc) from exc
        return retry

    # --- folders -----------------------------------------------------------------------

    def folders(self) -> FolderInfo:
        return FolderInfo(
            watched=tuple(self._config.folders),
            sent=self._config.sent_folder or "SENT",
            drafts=self._config.drafts_folder or "DRAFT",
        )

    def _label_id(self, folder: str) -> str:
        """A label id for a configured folder: system ids as-is, user labels by name or id."""
        if folder.upper() in _SYSTEM_LABELS:
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

    def fetch_new(self, folder: str, cursor: str | None, since: dt.date) -> FetchResult:
        label = self._label_id(folder)
        start = _decode_cursor(cursor)
        if start is None:
            return self._full_sync(folder, label, since, reset=cursor is not None)
        try:
            ids, latest = self._history(label, start, sent=self._is_sent(label))
        except _HistoryExpired:
            log.info("Gmail history of %s expired; resyncing since %s", self.account, since)
            return self._full_sync(folder, label, since, reset=True)
        messages, warnings = self._metas(folder, label, ids)
        return FetchResult(messages, _encode_cursor(latest), warnings=warnings)

    def _is_sent(self, label: str) -> bool:
        sent = self.folders().sent
        return sent is not None and label == self._label_id(sent)

    def _full_sync(self, folder: str, label: str, since: dt.date, *, reset: bool) -> FetchResult:
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
        messages, warnings = self._metas(folder, label, ids)
        return FetchResult(messages, _encode_cursor(history_id), reset=reset, warnings=warnings)

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
                    if _wanted(msg.get("labelIds", []), label, sent=sent):
                        ids[msg["id"]] = None
            page = answer.get("nextPageToken")
            if not page:
                return list(ids), latest

    def _metas(
        self, folder: str, label: str, ids: Sequence[str]
    ) -> tuple[tuple[MessageMeta, ...], tuple[str, ...]]:
        """Parse the metadata of ``ids``; ATS senders also get a bounded body excerpt."""
        if not ids:
            return (), ()
        sent = self._is_sent(label)
        got = self._get_many(ids, format="metadata", metadataHeaders=list(HEADER_FIELDS))
        metas: dict[str, MessageMeta] = {}
        warnings: list[str] = []
        for msg_id in ids:
            resource = got.get(msg_id)
            if resource is None or not _wanted(resource.get("labelIds", []), label, sent=sent):
                continue
            headers = resource.get("payload", {}).get("headers", [])
            try:
                metas[msg_id] = parse_message(
                    _header_bytes(headers),
                    folder=folder,
                    uid=msg_id,
                    thread_id=resource.get("threadId"),
                    body_limit=0,
                )
            except MalformedMessage as exc:
                warnings.append(f"Gmail message {msg_id} skipped: {exc}")
        ats = [i for i, m in metas.items() if m.sender and is_ats_domain(m.sender.domain)]
        if ats:
            for msg_id, full in self._get_many(ats, format="full").items():
                excerpt = _excerpt(full.get("payload", {}))
                metas[msg_id] = dataclasses.replace(metas[msg_id], body_excerpt=excerpt)
        return tuple(metas.values()), tuple(warnings)

    # --- drafts ------------------------------------------------------------------------

    def find_draft(self, message_id: str) -> str | None:
        rfc_id = message_id.strip().strip("<>")
        answer = self._must(
            self._gmail().drafts().list(userId="me", q=f"rfc822msgid:{rfc_id}", maxResults=10)
        )
        for draft in answer.get("drafts", []):
            return f"{draft['id']}:{draft['message']['id']}"
        return None

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
        candidates = _ID_RE.findall(str(message.get("In-Reply-To", "")))
        candidates += reversed(_ID_RE.findall(str(message.get("References", ""))))
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
        if self._service is not None:
            self._service.close()
            self._service = None


def _wanted(labels: Iterable[str], label: str, *, sent: bool) -> bool:
    """In the watched label, and not our own/junk mail unless we are reading Sent."""
    have = set(labels)
    if label not in have:
        return False
    return sent or not (have & _NOT_REPLIES)


def _header_bytes(headers: Iterable[JSON]) -> bytes:
    """Rebuild a header block from Gmail's JSON headers, for the shared parser."""
    lines = [f"{h.get('name', '')}: {h.get('value', '')}" for h in headers if h.get("name")]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", errors="surrogateescape")


def _excerpt(payload: JSON) -> str:
    """Bounded plain text of a format=full payload (text/plain first, else HTML)."""
    texts: dict[str, bytes] = {}
    stack = [payload]
    while stack and len(texts) < 2:
        part = stack.pop(0)
        stack.extend(part.get("parts", []))
        mime = str(part.get("mimeType", "")).lower()
        data = part.get("body", {}).get("data")
        if mime in ("text/plain", "text/html") and data and not part.get("filename"):
            texts.setdefault(mime, base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    for mime in ("text/plain", "text/html"):
        if mime in texts:
            charset = _charset(payload, mime) or "utf-8"
            synthetic = f"Content-Type: {mime}; charset={charset}\r\n\r\n".encode()
            msg = message_from_bytes(synthetic + texts[mime][:200_000], policy=compat32)
            return body_text(msg, BODY_LIMIT)
    return ""


def _charset(payload: JSON, mime: str) -> str | None:
    stack = [payload]
    while stack:
        part = stack.pop(0)
        stack.extend(part.get("parts", []))
        if str(part.get("mimeType", "")).lower() != mime:
            continue
        for header in part.get("headers", []):
            if header.get("name", "").lower() == "content-type":
                found = re.search(r'charset="?([\w.:-]+)', header.get("value", ""), re.I)
                return found.group(1) if found else None
    return None


def _encode_cursor(history_id: str) -> str:
    return json.dumps({"history_id": history_id})


def _decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        value = json.loads(cursor).get("history_id")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None
