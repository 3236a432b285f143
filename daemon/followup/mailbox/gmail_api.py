"""Transport of the Gmail backend: the Google client, its retries, and its errors mapped.

Google's client libraries are imported here and in ``gmail_auth`` only, and these modules
load only when a Gmail account is configured, so IMAP and Maildir users never pay for them.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, cast

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from followup.config import GmailAccount
from followup.core.backoff import Backoff
from followup.core.errors import AuthError, MailboxUnreachable
from followup.mailbox.gmail_parse import JSON

log = logging.getLogger(__name__)

SCOPES: tuple[str, ...] = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose",
)
DEFAULT_ENDPOINT = "https://gmail.googleapis.com/"
NUM_RETRIES = 4  # the library retries 429/5xx with exponential backoff
BATCH_SIZE = 50  # Google advises at most 50 calls per batch to avoid rate limiting
_AUTH_ERRORS = ("invalid_grant", "invalid_client", "unauthorized_client", "revoked")
_FAILURES = (RefreshError, TransportError, OSError, httplib2.HttpLib2Error)


def _status(exc: HttpError) -> int:
    return int(getattr(exc.resp, "status", 0) or 0)


def _retryable(exc: HttpError) -> bool:
    return _status(exc) == 429 or _status(exc) >= 500


class GmailApi:
    """The ``users()`` resource of one account, built on first use, with errors mapped."""

    def __init__(
        self,
        account: GmailAccount,
        load_token: Callable[[], str],
        *,
        num_retries: int = NUM_RETRIES,
    ) -> None:
        self.account = account
        self._load_token = load_token
        self.retries = num_retries
        self._service: Any = None

    def users(self) -> Any:
        """The users() resource; constructing the backend never touches the network."""
        if self._service is None:
            endpoint = self.account.api_endpoint
            self._service = build(
                "gmail",
                "v1",
                credentials=self._credentials(),
                static_discovery=True,
                cache_discovery=False,
                client_options={"api_endpoint": endpoint} if endpoint else None,
            )
        return self._service.users()

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None

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
            raise self.reauth(f"the stored token is unusable: {exc}") from exc
        # google-auth always refreshes at Google; with a custom API endpoint (a test
        # server or a proxy) the token's own token_uri is honoured as well.
        if self.account.api_endpoint and isinstance(info.get("token_uri"), str):
            creds = cast(Credentials, creds.with_token_uri(info["token_uri"]))
        return creds

    def reauth(self, why: str = "the token was revoked or expired") -> AuthError:
        name = self.account.name
        return AuthError(f"Gmail account {name} needs `followup auth {name}` ({why})")

    def translate(self, exc: Exception) -> Exception:
        """Map library failures to followup's errors (retries already happened)."""
        name = self.account.name
        if isinstance(exc, RefreshError):
            text = str(exc).lower()
            if any(word in text for word in _AUTH_ERRORS) or not getattr(exc, "retryable", False):
                return self.reauth()
            return MailboxUnreachable(f"Gmail account {name}: token refresh failed: {exc}")
        if isinstance(exc, HttpError):
            if _status(exc) == 401:
                return self.reauth()
            return MailboxUnreachable(f"Gmail account {name}: HTTP {_status(exc)} from {exc.uri}")
        return MailboxUnreachable(f"Gmail account {name}: {exc}")

    def call(self, request: Any, *, missing_ok: bool = False) -> JSON | None:
        """Execute one request with the library's retries; 404 → None when ``missing_ok``."""
        try:
            return cast(JSON, request.execute(num_retries=self.retries))
        except HttpError as exc:
            if missing_ok and _status(exc) == 404:
                return None
            raise self.translate(exc) from exc
        except _FAILURES as exc:
            raise self.translate(exc) from exc

    def must(self, request: Any) -> JSON:
        result = self.call(request)
        assert result is not None
        return result

    def _batch_uri(self) -> str:
        # The library builds the batch URL from the discovery rootUrl and ignores a custom
        # api_endpoint, so derive it ourselves.
        return (self.account.api_endpoint or DEFAULT_ENDPOINT).rstrip("/") + "/batch/gmail/v1"

    def get_many(self, ids: Sequence[str], **params: Any) -> dict[str, JSON]:
        """messages.get for many ids in batches; ids that vanished are left out."""
        users = self.users()
        results: dict[str, JSON] = {}
        pending = list(dict.fromkeys(ids))
        backoff = Backoff(0.5, 16.0, jitter=0.0)
        for attempt in range(self.retries + 1):
            retry: list[str] = []
            for start in range(0, len(pending), BATCH_SIZE):
                chunk = pending[start : start + BATCH_SIZE]
                retry.extend(self._run_batch(users, chunk, params, results))
            if not retry:
                return results
            if attempt < self.retries:
                time.sleep(backoff.next_delay())
            pending = retry
        raise MailboxUnreachable(
            f"Gmail account {self.account.name}: {len(pending)} messages could not be fetched"
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
            elif isinstance(exc, HttpError) and _retryable(exc):
                retry.append(request_id)
            else:
                raise self.translate(exc) from exc

        batch = BatchHttpRequest(callback=collect, batch_uri=self._batch_uri())
        for msg_id in chunk:
            batch.add(users.messages().get(userId="me", id=msg_id, **params), request_id=msg_id)
        try:
            batch.execute()
        except HttpError as exc:
            if _retryable(exc):
                return chunk
            raise self.translate(exc) from exc
        except _FAILURES as exc:
            raise self.translate(exc) from exc
        return retry
