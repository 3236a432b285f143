"""A Dovecot that takes OAuth2 bearer tokens (XOAUTH2, OAUTHBEARER) and a UTF-8 password.

Tokens are checked by ``passdb { driver = oauth2 }`` against an ``IntrospectionServer``;
passwords as in ``support.dovecot`` (``pw-<local part>``), plus one user whose password is
not ASCII, from a passwd-file written before the server starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.dovecot import DovecotServer
from support.oauth_servers import IntrospectionServer

UTF8_USER = "utf8@example.test"
UTF8_PASSWORD = "Zq9vÄß€2mK7p"


class OAuthDovecot(DovecotServer):
    """``mechanisms``: what the server offers (``auth_mechanisms``)."""

    def __init__(
        self, introspection_url: str, *, mechanisms: str = "plain login xoauth2 oauthbearer"
    ) -> None:
        self.introspection_url = introspection_url
        self.mechanisms = mechanisms
        super().__init__()

    def _config_text(self, key_file: Path | None) -> str:
        d = self.dir
        (d / "oauth2.conf").write_text(
            "introspection_mode = post\n"
            f"introspection_url = {self.introspection_url}\n"
            "username_attribute = username\n"
            "active_attribute = active\n"
            "active_value = true\n"
            "force_introspection = yes\n",
            encoding="utf-8",
        )
        (d / "passwd").write_text(f"{UTF8_USER}:{{PLAIN}}{UTF8_PASSWORD}::::::\n", encoding="utf-8")
        text = super()._config_text(key_file)
        text = text.replace("auth_mechanisms = plain login", f"auth_mechanisms = {self.mechanisms}")
        # No growing delay after failed logins: the tests fail them on purpose.
        anvil = "service anvil {\n  chroot =\n"
        assert anvil in text
        text = text.replace(
            anvil, anvil + "  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n"
        )
        static = "passdb {\n  driver = static\n"
        assert static in text
        return text.replace(
            static,
            "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
            f"  args = {d}/oauth2.conf\n}}\n"
            "passdb {\n  driver = passwd-file\n  mechanisms = plain login\n"
            f"  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n"
            "passdb {\n  driver = static\n  mechanisms = plain login\n",
        )


@pytest.fixture(scope="module")
def introspection() -> Iterator[IntrospectionServer]:
    """The token introspection endpoint the OAuth2 Dovecot asks (one per test module)."""
    server = IntrospectionServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oauth_dovecot(introspection: IntrospectionServer) -> Iterator[OAuthDovecot]:
    """A Dovecot that checks bearer tokens with ``introspection``."""
    server = OAuthDovecot(introspection.url)
    yield server
    server.close()
