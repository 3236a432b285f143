"""Human and JSON renderings of plans and cycle reports (the CLI's output, kept out of main)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from followup.core.model import when_text
from followup.core.planner import InterviewPlan, StagePlan
from followup.core.rounds import Answer, Round
from followup.store import AccountHealth

if TYPE_CHECKING:  # `status` renders without the engine's rules or the email package
    from email.message import EmailMessage

    from followup.engine import CycleReport

NOT_SYNCED = "not synced yet — run `followup run --once`"


def _when(t: dt.datetime | None) -> str:
    return when_text(t) if t else "-"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_state(state: str) -> str:
    """The contract's stage states: the internal intents show as the state they lead from."""
    return {"intent": "scheduled", "withdrawing": "drafted"}.get(state, state)


def _answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "from": answer.meta.sender.email if answer.meta.sender else None,
        "date": _iso(answer.meta.date),
        "message_id": answer.meta.message_id,
        "reason": f"{answer.match_reason}; {answer.reason}",
        "kind": answer.kind,
    }


def _stage_json(s: StagePlan, unsynced: bool) -> dict[str, Any]:
    state = public_state(s.state)
    return {
        "stage": s.stage,
        "round": s.round,
        "due": _iso(s.due),
        "state": state,
        "message_id": s.message_id,
        "reason": NOT_SYNCED if unsynced and state == "scheduled" else s.reason,
    }


def _never_read(accounts: Sequence[str], health: Mapping[str, AccountHealth]) -> set[str]:
    """Accounts whose mailbox was never read: no cycle yet, or none that got through."""
    return {n for n in accounts if n not in health or health[n].last_sync is None}


def _unsynced(p: InterviewPlan, accounts: Sequence[str], never: set[str]) -> bool:
    """Whether the mailbox of ``p`` was never read (nothing is known about its replies)."""
    only = accounts[0] if len(accounts) == 1 else None
    return (p.interview.account or only) in never


def status_json(
    now: dt.datetime,
    plans: Sequence[InterviewPlan],
    health: Mapping[str, AccountHealth],
    accounts: Sequence[str] = (),
) -> dict[str, Any]:
    """The `status --json` contract (README): interviews, their stages, and every account.

    An interview whose mailbox was never read says so (``synced``: false) and its waiting
    stages give that as their reason, as the human ``status`` does."""
    never = _never_read(accounts, health)
    interviews = []
    for p in plans:
        unsynced = _unsynced(p, accounts, never)
        interviews.append(
            {
                "id": p.interview.id,
                "company": p.interview.company,
                "state": p.state,
                "synced": not unsynced,
                "outcome": p.outcome,
                "promised_by": _iso(p.promised_by),
                "reply": None if p.answer is None else _answer_json(p.answer),
                "stages": [_stage_json(s, unsynced) for s in p.stages],
            }
        )
    names = list(dict.fromkeys([*accounts, *sorted(health)]))
    return {
        "now": now.isoformat(),
        "interviews": interviews,
        "accounts": [_account_json(name, health.get(name)) for name in names],
    }


def _account_json(name: str, h: AccountHealth | None) -> dict[str, Any]:
    if h is None:
        return {"name": name, "last_sync": None, "error": None, "ok": None, "detail": NOT_SYNCED}
    return {
        "name": name,
        "last_sync": _iso(h.last_sync),
        "error": None if h.ok else h.detail,
        "ok": h.ok,
        "detail": h.detail,
        "at": h.at.isoformat(),
    }


def _short_day(day: dt.date) -> str:
    return f"{day:%b} {day.day}"


def _round_note(p: InterviewPlan, s: StagePlan) -> str:
    """ "check-in (round 2, after their Dec 11 promise)" for stages beyond round 1."""
    name = s.stage.replace("_", "-")
    if s.round == 1:
        return name
    r: Round = p.story.rounds[s.round - 1]
    if r.origin == "meeting":
        why = f"after the meeting on {_short_day(r.anchor)}"
    elif r.promised:
        why = f"after their {_short_day(r.promise)} promise"
    else:
        why = f"after they wrote on {_short_day(r.anchor)}"
    return f"{name} (round {s.round}, {why})"


def _interview_lines(p: InterviewPlan, unsynced: bool = False) -> list[str]:
    """One interview; ``unsynced``: its mailbox was never read, so nothing is claimed about
    replies (a stage that is only waiting says so instead of "no reply")."""
    iv = p.interview
    outcome = f", {p.outcome}" if p.outcome else ""
    state = "not synced yet" if unsynced else p.state
    lines = [f"{iv.id}  {iv.company} — {iv.role}  [{state}{outcome}]"]
    answer = p.answer
    if unsynced and answer is None:
        lines.append("  reply: not known yet — the mailbox was never read")
    elif answer is not None:
        who = answer.meta.sender.formatted() if answer.meta.sender else "?"
        lines.append(f"  reply: {who} on {_when(answer.meta.date)}: {answer.reason}")
        lines.append(f"         ({answer.match_reason})")
    else:
        promise = f" (promised by {p.promised_by.isoformat()})" if p.promised_by else ""
        lines.append(f"  reply: none yet{promise}")
    notes = [_round_note(p, s) for s in p.stages]
    width = max([10, *map(len, notes)])
    for s, note in zip(p.stages, notes, strict=True):
        shown = public_state(s.state)
        reason = NOT_SYNCED if unsynced and shown == "scheduled" else s.reason
        lines.append(f"  {note:<{width}} {shown:<10} {_when(s.due):<21} {reason}")
    return [*lines, ""]


def render_status(
    now: dt.datetime,
    plans: Sequence[InterviewPlan],
    health: Mapping[str, AccountHealth],
    accounts: Sequence[str] = (),
) -> str:
    lines = [f"as of {_when(now)} ({now.tzinfo})", ""]
    never = [name for name in accounts if name not in health]
    for name in never:
        lines.append(f"! account {name}: {NOT_SYNCED}")
    for name, h in sorted(health.items()):
        if not h.ok:
            lines.append(f"! account {name}: {h.detail} (since {_when(h.at)})")
    if never or any(not h.ok for h in health.values()):
        lines.append("")
    if not plans:
        lines.append("no interviews configured; add one with `followup add` or edit the config")
    unread = _never_read(accounts, health)
    if plans and unread and len(unread) == len(accounts):
        lines.append("the mailbox was never read, so nothing below is known about replies yet")
        lines.append("")
    ended = [p for p in plans if p.outcome is not None]
    for p in [*(p for p in plans if p.outcome is None), *ended]:  # outcomes at the bottom
        lines += _interview_lines(p, _unsynced(p, accounts, unread))
    return "\n".join(lines)


def draft_text(message: EmailMessage) -> str:
    """A draft as a mail client shows it: the headers a person reads, then the text."""
    headers = [
        f"{name}: {message[name]}"
        for name in ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References")
        if message[name] is not None
    ]
    body = message.get_content() if not message.is_multipart() else ""
    return "\n".join(headers) + "\n\n" + str(body).rstrip()


def render_drafts(report: CycleReport) -> str:
    """The full text of every draft a dry run would write."""
    out = []
    for a in report.actions:
        if a.outcome == "would-draft" and a.message is not None:
            out.append(f"--- the {a.stage} draft for {a.company} ({a.interview_id}) ---")
            out.append(draft_text(a.message))
            out.append("--- end of draft ---")
    return "\n".join(out) + "\n" if out else ""


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
