"""Shared fixtures: every backend's harness is registered here for the contract test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from support.daemon_proc import daemons, notify  # noqa: F401
from support.dbus_session import notification_server, session_bus  # noqa: F401
from support.dovecot import dovecot_server, imap_harness  # noqa: F401
from support.dovecot_oauth import introspection, oauth_dovecot  # noqa: F401
from support.fake_gmail import gmail_harness  # noqa: F401
from support.harness import harness  # noqa: F401
from support.imap_quirks import imap_quirks_harness  # noqa: F401
from support.maildir_harness import maildir_harness  # noqa: F401
from support.memory_harness import memory_harness  # noqa: F401
from support.pymap_server import pymap_harness, pymap_server  # noqa: F401

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True, scope="session")
def no_real_desktop() -> Iterator[None]:
    """No test, and no followup it starts, ever notifies the real desktop of whoever runs them;
    a test that wants a bus passes its own private one (``session_bus``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/followup-tests/bus")
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The holiday cache of the whole run (and of every subprocess) is the run's own."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield
