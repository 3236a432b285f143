"""The deterministic Message-ID of a stage's draft.

Apart from ``core.drafts`` (which composes the draft) so the planner and ``status`` can
name a draft without importing the email package.
"""

from __future__ import annotations

import hashlib

from followup.core.model import StageName


def message_id_for(
    interview_id: str, stage: StageName, identity_email: str, round_: int = 1
) -> str:
    """The deterministic Message-ID (without angle brackets) of a stage's draft in a round.

    Round 1 keeps the form of the first version, so drafts written before rounds existed
    are still recognised as ours."""
    digest = hashlib.sha256(interview_id.encode("utf-8")).hexdigest()[:16]
    domain = identity_email.rpartition("@")[2].strip().lower() or "localhost"
    nth = "" if round_ == 1 else f"r{round_}."
    return f"followup.{stage}.{nth}{digest}@{domain}"
