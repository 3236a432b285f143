"""Allow ``python -m followup``."""

from __future__ import annotations

from followup.cli.main import main

main()
