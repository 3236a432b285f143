"""The systemd user unit: one template, rendered for the repository copy and for installation.

``systemd/followup.service`` in the repository is ``render_unit()`` with its defaults (a test
keeps them equal); ``install_unit`` renders it with the real command line and the real
writable paths of the current config.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from followup.config import MaildirAccount, find_config_path, load_config

log = logging.getLogger(__name__)

DEFAULT_EXEC = "%h/.local/bin/followup run"
DEFAULT_WRITABLE = "%h/.local/state/followup -%h/Mail -%h/Maildir -%h/.mail"
UNIT_NAME = "followup.service"

_TEMPLATE = """\
[Unit]
Description=followup: drafts polite interview follow-ups (never sends mail)
# No network-online.target: a user manager cannot order on it, and followup retries
# unreachable mailboxes with backoff anyway.
StartLimitIntervalSec=10min
StartLimitBurst=5

[Service]
Type=notify
NotifyAccess=main
ExecStart={exec_start}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=30s
# 78 means the config is invalid: restarting cannot fix that, editing it can.
RestartPreventExitStatus=78
WatchdogSec=2min
TimeoutStopSec=90s
UMask=0077

# Hardening a user manager can apply without privileges (no_new_privs and seccomp).
NoNewPrivileges=yes
LockPersonality=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
RestrictNamespaces=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
# Everything read-only except the state and the mail folders. In a user unit this needs
# unprivileged user namespaces (systemd 253+ turns on PrivateUsers= for it); delete these
# two lines if the unit fails with "Failed to set up user namespacing".
ProtectSystem=strict
ReadWritePaths={writable}

[Install]
WantedBy=default.target
"""

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def quote_arg(arg: str) -> str:
    """One argument for ``ExecStart=``: specifiers and variables escaped, quoted if needed."""
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if _PLAIN.fullmatch(escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_path(path: str) -> str:
    escaped = path.replace("%", "%%")
    return f'"{escaped}"' if any(c.isspace() for c in escaped) else escaped


def render_unit(argv: Sequence[str] | None = None, writable: Sequence[str] | None = None) -> str:
    """The unit text; without arguments, the generic one shipped in ``systemd/``.

    ``writable`` entries starting with ``-`` may be missing at start time.
    """
    exec_start = DEFAULT_EXEC if argv is None else " ".join(quote_arg(a) for a in argv)
    paths = DEFAULT_WRITABLE if writable is None else " ".join(_quote_path(p) for p in writable)
    return _TEMPLATE.format(exec_start=exec_start, writable=paths)


def followup_command() -> list[str]:
    """How to start the ``followup`` that is running now, as absolute paths."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "followup" and os.access(argv0, os.X_OK):
        return [str(argv0.absolute())]
    if argv0 is not None and argv0.name == "__main__.py":
        return [sys.executable, "-m", "followup"]
    found = shutil.which("followup")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "followup"]


def unit_path() -> Path:
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "systemd" / "user" / UNIT_NAME


def install_unit(config_arg: str | None) -> Path:
    """Write the unit for the current config and ``followup``; returns where it went.

    The config must load (a unit that exits 78 at once helps nobody). An existing unit is
    replaced; a warning says so when its content differed.
    """
    config_path = find_config_path(config_arg)
    config = load_config(config_path)
    argv = followup_command()
    if config_arg or os.environ.get("FOLLOWUP_CONFIG"):
        argv += ["--config", str(config_path.absolute())]
    argv.append("run")
    state_dir = config.daemon.state_dir.absolute()
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    writable = [str(state_dir)]
    for account in config.accounts:
        if isinstance(account, MaildirAccount):
            writable.append("-" + str(account.path.absolute()))
    text = render_unit(argv, writable)
    target = unit_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.read_text(encoding="utf-8") != text:
        log.warning("replacing %s (its content differed)", target)
    tmp = target.with_name(f".{UNIT_NAME}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(target)
    return target
