"""Local stand-ins for the OAuth2 side of the world: token introspection and Microsoft's sign-in.

``IntrospectionServer`` is what Dovecot's ``passdb { driver = oauth2 }`` asks whether a
bearer token is valid (RFC 7662 style, ``introspection_mode = post``): it accepts exactly
the tokens it was told to. ``FakeEntra`` follows the documented shapes of the Microsoft
identity platform's v2.0 endpoints (OpenID configuration, device authorization, token
with the device-code and refresh-token grants) over HTTPS with a self-signed certificate,
so the real ``msal`` can be pointed at it; the access tokens it issues are the ones the
introspection server accepts.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import ssl
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from support.dovecot import make_self_signed_cert

Answer = tuple[int, dict[str, Any]]
Handler = Callable[[str, str, dict[str, str]], Answer]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    handle_request_for: Handler


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as Dovecot's HTTP client expects

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        query = urllib.parse.urlsplit(self.path).query
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body or query).items()}
        path = urllib.parse.urlsplit(self.path).path
        status, answer = self.server.handle_request_for(self.command, path, form)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Served:
    """A handler served on 127.0.0.1 at a free port from a background thread."""

    scheme = "http"

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.handle_request_for = self.handle
        if context is not None:
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port: int = self._server.server_address[1]
        self.base = f"{self.scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def handle(self, method: str, path: str, form: dict[str, str]) -> Answer:
        raise NotImplementedError

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class IntrospectionServer(_Served):
    """Says ``{"active": true, "username": …}`` for accepted tokens, else not active."""

    def __init__(self, lookup: Callable[[str], str | None] | None = None) -> None:
        self.tokens: dict[str, str] = {}  # token → the user it belongs to
        self.lookup = lookup
        self.asked: list[str] = []
        super().__init__()
        self.url = f"{self.base}/introspect"

    def accept(self, token: str, user: str) -> None:
        self.tokens[token] = user

    def revoke(self, token: str) -> None:
        self.tokens.pop(token, None)

    def handle(self, method: str, path: str, form: dict[str, str]) -> Answer:
        token = form.get("token", "")
        self.asked.append(token)
        user = self.tokens.get(token) or (self.lookup(token) if self.lookup else None)
        if user is None:
            return 200, {"active": False}
        return 200, {"active": True, "username": user}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class FakeEntra(_Served):
    """Microsoft's v2.0 endpoints for one tenant, as documented, over local HTTPS."""

    scheme = "https"
    TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"  # the consumer tenant's well-known id

    def __init__(self, introspection: IntrospectionServer, user: str) -> None:
        self.introspection = introspection
        self.user = user
        self.dir = Path(tempfile.mkdtemp(prefix="followup-entra-"))
        self.cert_file, key_file = make_self_signed_cert(self.dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, key_file)
        self._n = itertools.count(1)
        self.approved = threading.Event()
        self.device_requests: list[dict[str, str]] = []
        self.token_grants: list[str] = []  # grant_type of each token request
        self.refresh_tokens: set[str] = set()
        self.access_tokens: list[str] = []
        self.access_lifetime = 3600
        super().__init__(context)

    # what a test does --------------------------------------------------------------

    def approve(self) -> None:
        """The user entered the code and consented."""
        self.approved.set()

    def expire_access_tokens(self) -> None:
        """The IMAP server stops taking every access token issued so far."""
        for token in self.access_tokens:
            self.introspection.revoke(token)

    def revoke_sign_in(self) -> None:
        """The user revoked the app (or the refresh token expired): nothing works any more."""
        self.refresh_tokens.clear()
        self.expire_access_tokens()

    def grants(self, kind: str) -> int:
        return sum(1 for g in self.token_grants if g.endswith(kind))

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # the endpoints -----------------------------------------------------------------

    def handle(self, method: str, path: str, form: dict[str, str]) -> Answer:
        parts = path.strip("/").split("/")
        if path.endswith("/v2.0/.well-known/openid-configuration"):
            return 200, self._configuration(parts[0])
        if path.endswith("/oauth2/v2.0/devicecode"):
            return self._devicecode(form)
        if path.endswith("/oauth2/v2.0/token"):
            return self._token(form)
        return 404, {"error": "not_found"}

    def _configuration(self, tenant: str) -> dict[str, Any]:
        root = f"{self.base}/{tenant}"
        return {
            "issuer": f"{self.base}/{self.TENANT_ID}/v2.0",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "response_types_supported": ["code", "id_token", "code id_token"],
        }

    def _devicecode(self, form: dict[str, str]) -> Answer:
        self.device_requests.append(form)
        code = f"FAKE{next(self._n):04d}"
        return 200, {
            "device_code": f"device-code-{code}-secret",
            "user_code": code,
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900,
            "interval": 1,
            "message": (
                "To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
                f"and enter the code {code} to authenticate."
            ),
        }

    def _token(self, form: dict[str, str]) -> Answer:
        grant = form.get("grant_type", "")
        self.token_grants.append(grant)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if not self.approved.is_set():
                return 400, {
                    "error": "authorization_pending",
                    "error_description": "AADSTS70016: OAuth 2.0 device flow error. "
                    "Authorization is pending. Continue polling.",
                }
            return 200, self._issue(form)
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "AADSTS70008: The provided authorization code or "
                    "refresh token has expired due to inactivity. Trace ID: 0000 "
                    "Correlation ID: 1111 Timestamp: 2026-11-27 09:30:00Z",
                    "error_codes": [70008],
                }
            self.refresh_tokens.discard(form["refresh_token"])  # replaced as it is used
            return 200, self._issue(form)
        return 400, {"error": "unsupported_grant_type"}

    def _issue(self, form: dict[str, str]) -> dict[str, Any]:
        n = next(self._n)
        access, refresh = f"EwA-fake-access-{n}", f"M.C5-fake-refresh-{n}"
        self.access_tokens.append(access)
        self.refresh_tokens.add(refresh)
        self.introspection.accept(access, self.user)
        now = int(time.time())
        claims = {
            "aud": form.get("client_id", ""),
            "iss": f"{self.base}/{self.TENANT_ID}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "name": "Jordan Rivera",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "preferred_username": self.user,
            "sub": "fake-subject",
            "tid": self.TENANT_ID,
            "ver": "2.0",
        }
        return {
            "token_type": "Bearer",
            "scope": "https://outlook.office.com/IMAP.AccessAsUser.All",
            "expires_in": self.access_lifetime,
            "ext_expires_in": self.access_lifetime,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
            "client_info": _b64({"uid": claims["oid"], "utid": self.TENANT_ID}),
        }
