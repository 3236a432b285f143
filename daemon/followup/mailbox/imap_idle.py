"""IMAP IDLE (RFC 2177): park a selected folder and wait for the server to announce mail.

Polling keeps running underneath, so IDLE only ever shortens how long a reply waits to
be seen; it never decides anything on its own.
"""

from __future__ import annotations

import time
from typing import Any

IDLE_RENEW = 9 * 60.0
"""Seconds between re-issued IDLEs: RFC 2177 allows 29 minutes, NAT boxes are less patient."""


def announces_mail(response: Any) -> bool:
    """An untagged ``* n EXISTS`` or ``* n RECENT`` with n > 0."""
    return (
        isinstance(response, tuple)
        and len(response) >= 2
        and response[1] in (b"EXISTS", b"RECENT")
        and isinstance(response[0], int)
        and response[0] > 0
    )


def wait_for_mail(client: Any, timeout: float) -> bool:
    """IDLE on the selected folder until mail is announced (True) or ``timeout`` passes."""
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        client.idle()
        try:
            responses = client.idle_check(timeout=min(left, IDLE_RENEW))
        finally:
            client.idle_done()
        if any(announces_mail(r) for r in responses):
            return True
