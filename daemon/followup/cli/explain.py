"""``followup explain``: classify arbitrary .eml files against the current config and state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from followup.config import Config
from followup.core.errors import MalformedMessage
from followup.core.matching import classify
from followup.core.parsing import READ_LIMIT, parse_message
from followup.engine import derive_facts
from followup.store import Store


@dataclass(frozen=True)
class Verdict:
    file: Path
    interview_id: str | None
    reason: str
    readable: bool = True


def explain_files(config: Config, store: Store, files: Sequence[Path]) -> list[Verdict]:
    """Thread knowledge comes from every message the daemon has seen so far."""
    _, _, threads = derive_facts(config, store.messages())
    out: list[Verdict] = []
    for file in files:
        try:
            with file.open("rb") as fh:  # as much as the daemon ever reads of one message
                raw = fh.read(READ_LIMIT)
        except OSError as exc:
            out.append(Verdict(file, None, f"cannot read {file}: {exc.strerror}", readable=False))
            continue
        try:
            meta = parse_message(raw, folder="explain", uid=file.name)
        except MalformedMessage as exc:
            out.append(Verdict(file, None, f"not a mail message: {exc}"))
            continue
        match = classify(meta, config.interviews, config.identity, threads)
        out.append(
            Verdict(file, match.interview_id if match.kind == "reply" else None, match.reason)
        )
    return out
