"""Logging to stderr, and the filter that keeps passwords and tokens out of every record.

Timestamps only when not under systemd (journald adds its own). imapclient logs each
IMAP command at DEBUG, including LOGIN; libraries and our own messages may quote secrets
in errors. The filter rewrites each record's message (and its formatted traceback) before
any handler sees it: LOGIN/AUTHENTICATE lines lose their arguments,
``password=``/``token=``/``device_code=``/``Bearer`` values are masked, and every secret
registered with ``add_secret`` (credentials and the OAuth2 token sources do this) is replaced.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading

MASK = "**REDACTED**"

_secrets: set[str] = set()
_lock = threading.Lock()

# "> b'A001 LOGIN user pass'" and friends: keep the tag and verb, drop the rest.
_LOGIN_RE = re.compile(r"\b(LOGIN|AUTHENTICATE)\b[^\r\n]*")  # IMAP verbs are upper-case
_KEY_VALUE_RE = re.compile(
    r"""(?P<key>["']?(?:password|passwd|pass|secret|token|access_token|refresh_token|"""
    r"""id_token|device_code|client_secret|api_key)["']?\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}]+)""",
    re.IGNORECASE,
)
_AUTH_HEADER_RE = re.compile(r"""(authorization["']?\s*[:=]\s*)[^\r\n,}]*""", re.IGNORECASE)
_BEARER_RE = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_MIN_SECRET = 4  # shorter strings would mask innocent words


def add_secret(secret: str) -> None:
    """Remember a secret so that it is masked wherever it appears in a log record."""
    value = secret.strip()
    if len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every known secret and credential-looking value masked."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _LOGIN_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _AUTH_HEADER_RE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _KEY_VALUE_RE.sub(lambda m: f"{m.group('key')}{MASK}", text)
    return _BEARER_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not leak its raw args either
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_redaction(*targets: logging.Logger | logging.Handler) -> None:
    """Attach one filter to each target (default: the IMAP loggers and root's handlers).

    Filters on a logger only see records created on that very logger, so the loggers
    that write IMAP traffic get one each, and so does every handler of the root logger
    (which sees records from all loggers).
    """
    if not targets:
        root = logging.getLogger()
        targets = (
            logging.getLogger("imapclient"),
            logging.getLogger("imapclient.imaplib"),
            logging.getLogger("imapclient.imapclient"),
            logging.getLogger("followup"),
            *root.handlers,
        )
    for target in targets:
        if any(isinstance(f, RedactingFilter) for f in target.filters):
            continue
        target.addFilter(RedactingFilter())


def setup_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    under_journal = bool(os.environ.get("JOURNAL_STREAM"))
    fmt = (
        "%(levelname)s %(name)s: %(message)s"
        if under_journal
        else "%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # imapclient logs every command at DEBUG; only show them at -vvv.
    logging.getLogger("imapclient").setLevel(logging.DEBUG if verbosity >= 3 else logging.WARNING)
    logging.getLogger("googleapiclient").setLevel(
        logging.WARNING if verbosity < 3 else logging.DEBUG
    )
