"""``followup explain``: judge arbitrary .eml files with the current config and state.

The file's text is read exactly as a backend would hand it to the engine (the same
parser, the same bounds), so ``explain`` and the daemon come to the same verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup.config import Config
from followup.core.errors import MalformedMessage
from followup.core.parsing import READ_LIMIT, parse_message
from followup.facts import Explainer
from followup.store import Store


@dataclass(frozen=True)
class Explained:
    file: Path
    reason: str
    interview_id: str | None = None  # set when the message counts as a reply
    concerns: str | None = None  # the interview it is tied to, reply or not
    kind: str | None = None
    promised_by: dt.date | None = None
    away_until: dt.date | None = None
    readable: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "interview": self.interview_id,
            "reason": self.reason,
            "kind": self.kind,
            "concerns": self.concerns,
            "promised_by": self.promised_by.isoformat() if self.promised_by else None,
            "away_until": self.away_until.isoformat() if self.away_until else None,
        }

    def as_text(self) -> str:
        says = []
        if self.kind:
            says.append(f"kind {self.kind}")
        if self.promised_by:
            says.append(f"promised by {self.promised_by.isoformat()}")
        if self.away_until:
            says.append(f"away until {self.away_until.isoformat()}")
        tie = self.interview_id or (f"({self.concerns})" if self.concerns else "-")
        extra = f" [{', '.join(says)}]" if says else ""
        return f"{self.file}: {tie}: {self.reason}{extra}"


def explain_files(config: Config, store: Store, files: Sequence[Path]) -> list[Explained]:
    """Thread knowledge comes from every message the daemon has seen so far."""
    judge = Explainer(config, store.messages())
    out: list[Explained] = []
    for file in files:
        try:
            with file.open("rb") as fh:  # as much as the daemon ever reads of one message
                raw = fh.read(READ_LIMIT)
        except OSError as exc:
            out.append(Explained(file, f"cannot read {file}: {exc.strerror}", readable=False))
            continue
        try:
            meta = parse_message(raw, folder="explain", uid=file.name)
        except MalformedMessage as exc:
            out.append(Explained(file, f"not a mail message: {exc}"))
            continue
        v = judge.verdict(meta)
        reading = v.reading
        reason = v.match.reason + (f"; {reading.reason}" if reading else "")
        out.append(
            Explained(
                file,
                reason,
                interview_id=v.match.concerns if v.is_reply else None,
                concerns=v.match.concerns,
                kind=v.kind if v.match.concerns else None,
                promised_by=reading.promised_by if reading else None,
                away_until=reading.away_until if reading else None,
            )
        )
    return out
