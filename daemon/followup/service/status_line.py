"""The one-line summary systemd shows in ``systemctl --user status followup``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from followup.core.planner import InterviewPlan


def status_line(
    plans: Sequence[InterviewPlan],
    now: dt.datetime,
    errors: Sequence[str] = (),
    reachable: Collection[str] = (),
) -> str:
    """What waits, what comes next, what is broken: "3 waiting · next draft Thu 09:00 for Acme"."""
    waiting = sum(1 for p in plans if p.state == "waiting")
    replied = sum(1 for p in plans if p.state == "replied")
    parts = [f"{waiting} waiting"]
    if replied:
        parts.append(f"{replied} replied")
    due_now = sum(1 for p in plans for s in p.stages if s.action != "none")
    if due_now:
        parts.append(f"{due_now} draft{'s' if due_now > 1 else ''} due now")
    upcoming = [
        (s.due, p.interview.company)
        for p in plans
        for s in p.stages
        if s.state == "scheduled" and s.action == "none" and s.due is not None and s.due > now
    ]
    if upcoming:
        due, company = min(upcoming)
        fmt = "%a %H:%M" if due - now < dt.timedelta(days=6) else "%a %d %b %H:%M"
        parts.append(f"next draft {due.astimezone(now.tzinfo):{fmt}} for {company}")
    elif not due_now:
        parts.append("nothing scheduled")
    unreachable = sorted(e for e in errors if e not in reachable)
    refused = sorted(e for e in errors if e in reachable)
    if unreachable:
        parts.append("unreachable: " + ", ".join(unreachable))
    if refused:
        parts.append("drafts failing: " + ", ".join(refused))
    return " · ".join(parts)
