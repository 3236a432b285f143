"""The one way tests run the real ``followup`` command: a subprocess of this Python.

Nothing leaks in from whoever runs the tests: no systemd credentials directory, no fault
or pause points, no terminal to prompt on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

_INHERITED = ("CREDENTIALS_DIRECTORY", "FOLLOWUP_FAULTS", "FOLLOWUP_PAUSE")


def followup_env(config: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a ``followup`` child that reads ``config``."""
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED}
    return {**env, "FOLLOWUP_CONFIG": str(config), **(extra or {})}


def followup(
    config: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    faults: str = "",
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """``followup ARGS`` with ``config``; ``faults`` arms FOLLOWUP_FAULTS for this run."""
    extra = {**(env or {}), **({"FOLLOWUP_FAULTS": faults} if faults else {})}
    return subprocess.run(
        [sys.executable, "-m", "followup", *args],
        capture_output=True,
        text=True,
        env=followup_env(config, extra),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
