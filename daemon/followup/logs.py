"""Logging to stderr: timestamps only when not under systemd, secrets always redacted."""

from __future__ import annotations

import logging
import os
import sys


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
    try:
        from followup.redact import RedactingFilter
    except ImportError:  # pragma: no cover - redact ships with the package
        pass
    else:
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
