"""The state and REST dispatch of the fake Gmail API (served by ``support.fake_gmail``).

It follows the documented JSON shapes of the few methods followup uses (messages, history,
drafts, labels, threads, profile, the multipart batch endpoint and the OAuth token
endpoint), records every request, and can be told to fail the next requests.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import itertools
import json
import threading
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.parser import Parser
from email.policy import compat32
from typing import Any

JSON = dict[str, Any]
PREFIX = "/gmail/v1/users/me/"
SYSTEM_LABELS = ("INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT")
SCOPE = (
    "https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/gmail.compose"
)


class ApiError(Exception):
    """An HTTP error answer in Google's JSON error shape."""

    def __init__(self, code: int, message: str, status: str = "FAILED_PRECONDITION") -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def body(self) -> JSON:
        errors = [{"message": self.message, "domain": "global", "reason": self.status.lower()}]
        return {"error": {"code": self.code, "message": self.message, "errors": errors,
                          "status": self.status}}  # fmt: skip


@dataclass
class StoredMessage:
    id: str
    thread_id: str
    raw: bytes
    labels: set[str]
    internal_ms: int
    history_id: int
    extra_flags: set[str] = field(default_factory=set)  # flags Gmail has no label for

    def header(self, name: str) -> str | None:
        return message_from_bytes(self.raw, policy=compat32).get(name)

    @property
    def rfc_id(self) -> str:
        return (self.header("Message-ID") or "").strip().strip("<>")


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    batched: bool = False  # a part inside a /batch request


@dataclass
class _HistoryRecord:
    id: int
    kind: str  # "messageAdded" | "labelAdded"
    message_id: str
    thread_id: str
    labels: tuple[str, ...]
    added: tuple[str, ...] = ()


class FakeGmail:
    """State of one fake mailbox plus the HTTP dispatch over it (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.messages: dict[str, StoredMessage] = {}
        self.drafts: dict[str, str] = {}  # draft id -> message id
        self.user_labels: dict[str, str] = {}  # id -> name
        self.history: list[_HistoryRecord] = []
        self.history_id = 1000
        self.history_floor = 0  # startHistoryId below this answers 404
        self.requests: list[Recorded] = []
        self.failures: list[tuple[int, str]] = []  # (status, path fragment) for next requests
        self.token_error: str | None = None
        self.valid_tokens: set[str] = set()
        self.token_requests = 0
        self.token_forms: list[dict[str, list[str]]] = []
        self._ids = itertools.count(0x18C0000000000001)

    # --- state changes made "by the user", in-process -----------------------------------

    def _new_id(self) -> str:
        return f"{next(self._ids):016x}"

    def _bump(self) -> int:
        self.history_id += 1
        return self.history_id

    def add_message(
        self,
        raw: bytes,
        labels: Sequence[str],
        *,
        thread_id: str | None = None,
        by_headers: bool = True,
    ) -> str:
        """Store a message as Gmail would on delivery; returns its Gmail id."""
        with self.lock:
            msg_id = self._new_id()
            thread = thread_id if thread_id in self.threads() else None
            if thread is None and by_headers:  # delivery threads by References
                thread = self._thread_for(raw)
            parsed = message_from_bytes(raw, policy=compat32)
            try:
                when = email.utils.parsedate_to_datetime(parsed["Date"])
                internal = int(when.timestamp() * 1000)
            except (TypeError, ValueError):
                internal = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
            hid = self._bump()
            stored = StoredMessage(msg_id, thread or msg_id, raw, set(labels), internal, hid)
            self.messages[msg_id] = stored
            self.history.append(
                _HistoryRecord(hid, "messageAdded", msg_id, stored.thread_id, tuple(labels))
            )
            return msg_id

    def add_label(self, msg_id: str, label: str) -> None:
        with self.lock:
            stored = self.messages[msg_id]
            stored.labels.add(label)
            hid = stored.history_id = self._bump()
            self.history.append(
                _HistoryRecord(
                    hid, "labelAdded", msg_id, stored.thread_id, tuple(stored.labels), (label,)
                )
            )

    def remove_message(self, msg_id: str) -> None:
        with self.lock:
            self.messages.pop(msg_id, None)
            for draft_id, mid in list(self.drafts.items()):
                if mid == msg_id:
                    del self.drafts[draft_id]
            self._bump()

    def add_draft(self, raw: bytes, thread_id: str | None = None, *, api: bool = False) -> str:
        """A new draft; via the API, like Gmail, it joins a thread only by ``threadId``."""
        with self.lock:
            draft_id = "r" + self._new_id()
            self.drafts[draft_id] = self.add_message(
                raw, ["DRAFT"], thread_id=thread_id, by_headers=not api
            )
            return draft_id

    def edit_draft(self, draft_id: str, raw: bytes) -> None:
        """The user edits a draft: Gmail stores a new message under the same draft id."""
        with self.lock:
            old = self.messages.pop(self.drafts[draft_id])
            self.drafts[draft_id] = self.add_message(raw, ["DRAFT"], thread_id=old.thread_id)

    def expire_history(self) -> None:
        """Forget all history so far, as Gmail does after about a week."""
        with self.lock:
            self.history_floor = self.history_id

    def fail_next(self, count: int, status: int = 500, path_contains: str = "") -> None:
        with self.lock:
            self.failures.extend([(status, path_contains)] * count)

    def threads(self) -> set[str]:
        return {m.thread_id for m in self.messages.values()}

    def _thread_for(self, raw: bytes) -> str | None:
        parsed = message_from_bytes(raw, policy=compat32)
        refs = " ".join(parsed.get_all("In-Reply-To", []) + parsed.get_all("References", []))
        wanted = {r.strip("<>") for r in refs.split()}
        for stored in self.messages.values():
            if stored.rfc_id and stored.rfc_id in wanted:
                return stored.thread_id
        return None

    def by_rfc_id(self, rfc_id: str) -> list[StoredMessage]:
        with self.lock:
            return [m for m in self.messages.values() if m.rfc_id == rfc_id.strip("<>")]

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    # --- HTTP dispatch -------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Message, body: bytes, *, batched: bool = False
    ) -> tuple[int, str, bytes]:
        """Answer one request: (status, content type, body)."""
        parsed = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        with self.lock:
            self.requests.append(Recorded(method, parsed.path, query, batched))
            for i, (status, fragment) in enumerate(self.failures):
                if fragment in parsed.path:
                    del self.failures[i]
                    err = ApiError(status, "injected failure", "UNAVAILABLE")
                    return status, "application/json", json.dumps(err.body()).encode()
            try:
                if parsed.path == "/token":
                    return self._token(body)
                if parsed.path in ("/batch", "/batch/gmail/v1"):
                    return self._batch(headers, body)
                auth = headers.get("Authorization", "")
                if auth.removeprefix("Bearer ") not in self.valid_tokens:
                    raise ApiError(401, "Invalid Credentials", "UNAUTHENTICATED")
                if not parsed.path.startswith(PREFIX):
                    raise ApiError(404, f"no such method {parsed.path}", "NOT_FOUND")
                result = self._api(method, parsed.path[len(PREFIX) :].split("/"), query, body)
            except ApiError as exc:
                return exc.code, "application/json", json.dumps(exc.body()).encode()
            if result is None:
                return 204, "application/json", b""
            return 200, "application/json", json.dumps(result).encode()

    def _token(self, body: bytes) -> tuple[int, str, bytes]:
        self.token_requests += 1
        form = urllib.parse.parse_qs(body.decode())
        self.token_forms.append(form)
        if self.token_error:
            refused = {"error": self.token_error, "error_description": "Token has been revoked."}
            return 400, "application/json", json.dumps(refused).encode()
        token = f"ya29.fake-{self.token_requests}"
        self.valid_tokens.add(token)
        answer: dict[str, object] = {
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
        }
        answer["scope"] = form.get("scope", [SCOPE])[0]
        if form.get("grant_type") == ["authorization_code"]:
            answer["refresh_token"] = "1//fake-refresh"
        return 200, "application/json", json.dumps(answer).encode()

    def _api(self, method: str, parts: list[str], query: dict[str, list[str]], body: bytes) -> Any:
        one = {k: v[0] for k, v in query.items()}
        route = (method, parts[0], len(parts))
        if route == ("GET", "profile", 1):
            total = len(self.messages)
            return {"emailAddress": "me@example.com", "messagesTotal": total,
                    "threadsTotal": len(self.threads()), "historyId": str(self.history_id)}  # fmt: skip
        if route == ("GET", "labels", 1):
            labels = [{"id": x, "name": x, "type": "system"} for x in SYSTEM_LABELS]
            labels += [{"id": i, "name": n, "type": "user"} for i, n in self.user_labels.items()]
            return {"labels": labels}
        if route == ("GET", "messages", 1):
            found = self._search(one.get("q", ""), query.get("labelIds", []), one)
            page = self._page(found, one, 100)
            page["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page.pop("items")]
            return page
        if route == ("GET", "messages", 2):
            return self._resource(self._message(parts[1]), one.get("format", "full"), query)
        if route == ("GET", "threads", 2):
            msgs = [m for m in self.messages.values() if m.thread_id == parts[1]]
            if not msgs:
                raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
            fmt = one.get("format", "full")
            return {"id": parts[1], "historyId": str(max(m.history_id for m in msgs)),
                    "messages": [self._resource(m, fmt, query) for m in msgs]}  # fmt: skip
        if route == ("GET", "history", 1):
            return self._history_list(one, query.get("historyTypes", []))
        if route == ("POST", "drafts", 1):
            payload = json.loads(body or b"{}").get("message", {})
            raw = base64.urlsafe_b64decode(payload["raw"] + "==")
            draft_id = self.add_draft(raw, payload.get("threadId"), api=True)
            return self._draft(draft_id, "minimal")
        if route == ("GET", "drafts", 1):
            drafts = [(d, self.messages[m]) for d, m in self.drafts.items()]
            wanted = {m.id for m in self._search(one.get("q", ""), [], {}, [m for _, m in drafts])}
            page = self._page([d for d, m in drafts if m.id in wanted], one, 100)
            page["drafts"] = [self._draft(d, "minimal") for d in page.pop("items")]
            return page
        if route == ("GET", "drafts", 2):
            return self._draft(parts[1], one.get("format", "full"))
        if route == ("DELETE", "drafts", 2):
            self._draft(parts[1], "minimal")
            self.remove_message(self.drafts[parts[1]])
            return None
        raise ApiError(404, f"unknown method {method} {'/'.join(parts)}", "NOT_FOUND")

    def _message(self, msg_id: str) -> StoredMessage:
        if msg_id not in self.messages:
            raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        return self.messages[msg_id]

    def _draft(self, draft_id: str, fmt: str) -> JSON:
        if draft_id not in self.drafts:
            raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        return {
            "id": draft_id,
            "message": self._resource(self.messages[self.drafts[draft_id]], fmt, {}),
        }

    def _search(
        self,
        q: str,
        label_ids: list[str],
        opts: dict[str, str],
        pool: list[StoredMessage] | None = None,
    ) -> list[StoredMessage]:
        found = list(self.messages.values()) if pool is None else pool
        if opts.get("includeSpamTrash") != "true" and pool is None:
            found = [m for m in found if not m.labels & {"SPAM", "TRASH"}]
        found = [m for m in found if set(label_ids) <= m.labels]
        for term in q.split():
            key, _, value = term.partition(":")
            if key == "rfc822msgid":
                found = [m for m in found if m.rfc_id == value.strip("<>")]
            elif key in ("after", "before"):
                if value.isdigit():
                    limit = int(value) * 1000
                else:
                    day = dt.datetime.strptime(value, "%Y/%m/%d").replace(tzinfo=dt.UTC)
                    limit = int(day.timestamp() * 1000)
                after = key == "after"
                found = [m for m in found if (m.internal_ms > limit) == after]
            else:
                raise ApiError(
                    400, f"fake does not understand query term {term!r}", "INVALID_ARGUMENT"
                )
        return sorted(found, key=lambda m: (m.internal_ms, m.id), reverse=True)

    @staticmethod
    def _page(items: list[Any], opts: dict[str, str], default: int) -> JSON:
        size = min(int(opts.get("maxResults", default)), 500)
        start = int(opts.get("pageToken") or 0)
        page: JSON = {"items": items[start : start + size], "resultSizeEstimate": len(items)}
        if start + size < len(items):
            page["nextPageToken"] = str(start + size)
        return page

    def _history_list(self, opts: dict[str, str], types: list[str]) -> JSON:
        start = int(opts["startHistoryId"])
        if start < self.history_floor:
            raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        label = opts.get("labelId")
        records = [
            r for r in self.history
            if r.id > start and (not types or r.kind in types)
            and (label is None or label in r.labels)
            and (r.kind != "labelAdded" or label is None or label in r.added)
        ]  # fmt: skip
        page = self._page(records, opts, 100)
        out: JSON = {"historyId": str(self.history_id)}
        if "nextPageToken" in page:
            out["nextPageToken"] = page["nextPageToken"]
        history = []
        for r in page["items"]:
            ref = {"id": r.message_id, "threadId": r.thread_id, "labelIds": list(r.labels)}
            entry: JSON = {
                "id": str(r.id),
                "messages": [{"id": r.message_id, "threadId": r.thread_id}],
            }
            if r.kind == "messageAdded":
                entry["messagesAdded"] = [{"message": ref}]
            else:
                entry["labelsAdded"] = [{"message": ref, "labelIds": list(r.added)}]
            history.append(entry)
        if history:
            out["history"] = history
        return out

    def _resource(self, m: StoredMessage, fmt: str, query: dict[str, list[str]]) -> JSON:
        parsed = message_from_bytes(m.raw, policy=compat32)
        out: JSON = {"id": m.id, "threadId": m.thread_id, "labelIds": sorted(m.labels)}
        if fmt == "minimal":
            return out
        body = _first_text(parsed)
        out.update(
            snippet=body[:100].replace("\n", " "),
            historyId=str(m.history_id),
            internalDate=str(m.internal_ms),
            sizeEstimate=len(m.raw),
        )
        if fmt == "raw":
            out["raw"] = base64.urlsafe_b64encode(m.raw).decode()
        elif fmt == "metadata":
            wanted = {h.lower() for h in query.get("metadataHeaders", [])}
            headers = [h for h in _headers(parsed) if not wanted or h["name"].lower() in wanted]
            out["payload"] = {
                "partId": "",
                "mimeType": parsed.get_content_type(),
                "headers": headers,
            }
        else:
            out["payload"] = _part(parsed, "")
        return out

    def _batch(self, headers: Message, body: bytes) -> tuple[int, str, bytes]:
        """Answer a multipart/mixed batch: each part is one HTTP request, answered in order."""
        envelope = f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
        outer = message_from_bytes(envelope, policy=compat32)
        boundary = "batch_fake_boundary"
        chunks: list[str] = []
        parts: list[Message] = outer.get_payload()  # type: ignore[assignment]
        for part in parts:
            text: str = part.get_payload()  # type: ignore[assignment]
            request_line, _, rest = text.replace("\r\n", "\n").partition("\n")
            head, _, inner_body = rest.partition("\n\n")
            method, target, _version = request_line.split(" ", 2)
            inner_headers = Parser(policy=compat32).parsestr(head + "\n\n")
            status, ctype, answer = self.handle(
                method, target, inner_headers, inner_body.encode(), batched=True
            )
            content_id = part["Content-ID"].replace("<", "<response-", 1)
            chunks.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: {content_id}\r\n\r\n"
                f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\n\r\n{answer.decode()}\r\n"
            )
        chunks.append(f"--{boundary}--\r\n")
        return 200, f"multipart/mixed; boundary={boundary}", "".join(chunks).encode()


def _headers(msg: Message) -> list[JSON]:
    return [{"name": k, "value": str(v)} for k, v in msg.items()]


def _first_text(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                return data.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def _part(msg: Message, part_id: str) -> JSON:
    """One MessagePart of format=full: text inline (base64url), attachments by id only."""
    out: JSON = {"partId": part_id, "mimeType": msg.get_content_type(),
                 "filename": msg.get_filename() or "", "headers": _headers(msg)}  # fmt: skip
    if msg.is_multipart():
        out["body"] = {"size": 0}
        out["parts"] = [
            _part(sub, f"{part_id}.{i}" if part_id else str(i))
            for i, sub in enumerate(msg.get_payload())
        ]
        return out
    data: bytes = msg.get_payload(decode=True) or b""  # type: ignore[assignment]
    if msg.get_filename():
        out["body"] = {"attachmentId": f"att-{part_id}", "size": len(data)}
    else:
        out["body"] = {"size": len(data), "data": base64.urlsafe_b64encode(data).decode()}
    return out
