"""followup: drafts polite interview follow-ups when employers go silent; never sends mail."""

from __future__ import annotations

__version__ = "0.1.0"
