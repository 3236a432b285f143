"""Where the repository's own files are, for tests that read them: nothing outside the clone."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "daemon" / "followup"
