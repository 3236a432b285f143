"""What the calendar file shows: the upcoming stages and the dates companies promised.

Pure: plans in, items out; the iCalendar rendering is ``followup.notify.calendar_file``.
Each item's UID is stable for its interview, stage and round, so a calendar that
subscribes to the file updates an event in place instead of adding a new one. Round 1
has no round in its UID; later rounds (a company that asked for more time) add one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from followup.core.model import StageState, when_text
from followup.core.planner import InterviewPlan

# Stage states still waiting for their draft (``intent``: being written right now).
UPCOMING: frozenset[StageState] = frozenset({"scheduled", "intent"})
EVENT_LENGTH = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class AgendaItem:
    """One calendar event: a timed one at ``start``, or an all-day one on ``day``."""

    uid: str
    summary: str
    description: str
    start: dt.datetime | None = None
    day: dt.date | None = None


def _domain(identity_email: str) -> str:
    return identity_email.rpartition("@")[2].strip().lower() or "localhost"


def _round(round_no: int) -> str:
    return "" if round_no == 1 else f"-r{round_no}"


def stage_uid(interview_id: str, stage: str, identity_email: str, round_no: int = 1) -> str:
    """The UID of a stage's event; round 1's never changes."""
    return f"followup-{interview_id}-{stage}{_round(round_no)}@{_domain(identity_email)}"


def promise_uid(interview_id: str, identity_email: str, round_no: int = 1) -> str:
    """The UID of the all-day event of a promised date."""
    return f"followup-{interview_id}-promise{_round(round_no)}@{_domain(identity_email)}"


def agenda(plans: Sequence[InterviewPlan], identity_email: str) -> tuple[AgendaItem, ...]:
    """Every upcoming stage with a due time, and each promise still waited for.

    Cancelled, skipped, drafted and withdrawn stages have no event; neither has a closure
    that waits for a follow-up you have not sent yet (it has no due time). A promise shows
    while its interview waits and its check-in is not written yet.
    """
    items: list[AgendaItem] = []
    for plan in plans:
        iv = plan.interview
        for stage in plan.stages:
            if stage.state not in UPCOMING or stage.due is None:
                continue
            words = stage.stage.replace("_", "-")
            items.append(
                AgendaItem(
                    uid=stage_uid(iv.id, stage.stage, identity_email, stage.round),
                    summary=f"Follow up with {iv.company} ({words})",
                    description=(
                        f"{stage.reason}.\nfollowup writes the {words} draft for the "
                        f"{iv.role} role into your Drafts folder at this time, unless "
                        f"{iv.company} answers first."
                    ),
                    start=stage.due,
                )
            )
        promised = plan.promised_by  # the promise in force: the latest round's
        current = plan.story.current.number
        check_in = next(
            (s for s in plan.stages if s.stage == "check_in" and s.round == current), None
        )
        pending = check_in is None or check_in.state in UPCOMING
        if promised is not None and plan.state == "waiting" and pending:
            then = (
                f" If they stay silent, the check-in is due {when_text(check_in.due)}."
                if check_in is not None and check_in.due is not None
                else ""
            )
            items.append(
                AgendaItem(
                    uid=promise_uid(iv.id, identity_email, current),
                    summary=f"{iv.company} promised an answer",
                    description=(
                        f"{iv.company} said you would hear back about the {iv.role} role by "
                        f"{promised:%a %Y-%m-%d}.{then}"
                    ),
                    day=promised,
                )
            )
    return tuple(items)
