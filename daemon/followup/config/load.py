"""Where the config file is, reading it, and the system time zone used when it names none."""

from __future__ import annotations

import contextlib
import os
import tomllib
from pathlib import Path

from followup.config.check import build_config
from followup.config.kinds import valid_zone
from followup.config.model import Config
from followup.config.toml_hints import syntax_problem
from followup.core.errors import ConfigError


def find_config_path(explicit: str | None) -> Path:
    """``--config``, else ``$FOLLOWUP_CONFIG``, else the XDG location."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("FOLLOWUP_CONFIG")
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "followup" / "config.toml"


def system_timezone() -> str:
    """The system's IANA zone: ``$TZ``, else /etc/localtime, else /etc/timezone, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(str(Path("/etc/localtime").resolve()))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for candidate in candidates:
        name = candidate.rpartition("zoneinfo/")[2] if "zoneinfo/" in candidate else candidate
        for prefix in ("posix/", "right/"):
            name = name.removeprefix(prefix)
        if name and not name.startswith("/") and valid_zone(name):
            return name
    return "UTC"


def load_config(path: Path) -> Config:
    """Read and validate ``path``; raises ``ConfigError`` listing every problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found (create one with `followup init`)"]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), [f"not UTF-8 text (byte {exc.start})"]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path, default_zone: str | None = None) -> Config:
    """Validate TOML ``text`` (read from ``path``) against the schema.

    Never writes anything; collects every problem before raising ``ConfigError``.
    ``default_zone`` is the zone used when ``[schedule] timezone`` is not set (default:
    the system's).
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [syntax_problem(str(exc), text)]) from None
    except RecursionError:
        raise ConfigError(
            str(path), ["arrays or tables are nested too deeply to be a followup config"]
        ) from None
    return build_config(raw, path, default_zone or system_timezone())
