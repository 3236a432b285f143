"""Human and JSON renderings of plans and cycle reports (the CLI's output, kept out of cli.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from followup.core.model import when_text
from followup.core.planner import InterviewPlan
from followup.engine import CycleReport


def _when(t: dt.datetime | None) -> str:
    return when_text(t) if t else "-"


def public_state(state: str) -> str:
    """The contract's stage states: the internal intents show as the state they lead from."""
    return {"intent": "scheduled", "withdrawing": "drafted"}.get(state, state)


def status_json(
    now: dt.datetime,
    plans: Sequence[InterviewPlan],
    health: Mapping[str, tuple[bool, str, dt.datetime]],
) -> dict[str, Any]:
    interviews = []
    for p in plans:
        reply = p.facts.reply
        interviews.append(
            {
                "id": p.interview.id,
                "company": p.interview.company,
                "state": p.state,
                "reply": None
                if reply is None
                else {
                    "from": reply.sender.email if reply.sender else None,
                    "date": reply.date.isoformat() if reply.date else None,
                    "message_id": reply.message_id,
                    "reason": p.facts.reply_reason,
                },
                "stages": [
                    {
                        "stage": s.stage,
                        "due": s.due.isoformat() if s.due else None,
                        "state": public_state(s.state),
                        "message_id": s.message_id,
                        "reason": s.reason,
                    }
                    for s in p.stages
                ],
            }
        )
    accounts = [
        {"name": name, "ok": ok, "detail": detail, "at": at.isoformat()}
        for name, (ok, detail, at) in sorted(health.items())
    ]
    return {"now": now.isoformat(), "interviews": interviews, "accounts": accounts}


def render_status(
    now: dt.datetime,
    plans: Sequence[InterviewPlan],
    health: Mapping[str, tuple[bool, str, dt.datetime]],
) -> str:
    lines = [f"as of {_when(now)} ({now.tzinfo})", ""]
    for name, (ok, detail, at) in sorted(health.items()):
        if not ok:
            lines.append(f"! account {name}: {detail} (since {_when(at)})")
    if any(not ok for ok, _, _ in health.values()):
        lines.append("")
    if not plans:
        lines.append("no interviews configured; add one with `followup add` or edit the config")
    for p in plans:
        iv = p.interview
        lines.append(f"{iv.id}  {iv.company} — {iv.role}  [{p.state}]")
        reply = p.facts.reply
        if reply is not None:
            who = reply.sender.formatted() if reply.sender else "?"
            lines.append(f"  reply: {who} on {_when(reply.date)}: {p.facts.reply_reason}")
        else:
            lines.append("  reply: none yet")
        for s in p.stages:
            state = public_state(s.state)
            lines.append(f"  {s.stage:<10} {state:<10} {_when(s.due):<21} {s.reason}")
        lines.append("")
    return "\n".join(lines)


def render_cycle(report: CycleReport) -> str:
    lines = [f"cycle at {_when(report.now)}: {report.new_messages} new message(s)"]
    for name, err in sorted(report.account_errors.items()):
        lines.append(f"! account {name}: {err}")
    for w in report.warnings:
        lines.append(f"warning: {w}")
    if not report.actions:
        lines.append("nothing to do")
    for a in report.actions:
        lines.append(f"{a.outcome}: {a.stage} for {a.company} ({a.interview_id}): {a.reason}")
    return "\n".join(lines) + "\n"
