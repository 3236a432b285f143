"""`followup add`: one interview from command-line options, appended to the config.

The config's own validation decides what is valid, but its answers are about keys of a
file (``interviews[5].contacts[0]``) the user never typed. Here each problem of the new
interview is told as the option it came from, with the value given and, where one exists,
the form that would work; nothing is written unless the whole config still loads.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from followup.config.kinds import quoted_contact
from followup.config.toml_hints import not_on_the_calendar
from followup.core.calendar import parse_date_or_datetime
from followup.core.errors import ConfigError, UsageError

OPTION_OF = {
    "id": "--id",
    "company": "--company",
    "role": "--role",
    "interviewed_on": "--interviewed-on",
    "reply_promised_by": "--reply-promised-by",
    "contacts": "--contact",
    "domains": "--domain",
    "account": "--account",
    "highlight": "--highlight",
}
_PROBLEM = re.compile(r"^at 'interviews\[(\d+)\]\.(\w+)(?:\[(\d+)\])?': (.*)$", re.DOTALL)


@dataclass(frozen=True)
class NewInterview:
    """The options of one `followup add`, as typed."""

    iid: str
    company: str
    role: str
    interviewed_on: str
    reply_promised_by: str | None
    contacts: Sequence[str]
    domains: Sequence[str]
    account: str | None
    highlight: str | None


def add_interview(config_path: Path, new: NewInterview) -> list[str]:
    """Append ``new``; returns warnings for the user. Raises ``UsageError`` naming options."""
    from followup.config.edit import append_interview, interview_count

    problems = _early_problems(new)
    if problems:
        raise UsageError(_told(problems))
    fields: dict[str, object] = {
        "id": new.iid,
        "company": new.company,
        "role": new.role,
        "interviewed_on": parse_date_or_datetime(new.interviewed_on),
    }
    if new.reply_promised_by:
        fields["reply_promised_by"] = dt.date.fromisoformat(new.reply_promised_by)
    optional: dict[str, object] = {
        "contacts": list(new.contacts),
        "domains": list(new.domains),
        "account": new.account,
        "highlight": new.highlight,
    }
    fields.update({key: value for key, value in optional.items() if value})
    index = interview_count(config_path)
    try:
        append_interview(config_path, fields)
    except ConfigError as exc:
        ours = [_as_option(p, index, new) for p in exc.problems]
        if all(o is not None for o in ours):
            raise UsageError(_told([o for o in ours if o is not None])) from None
        raise  # the file itself has problems: they are told with their keys, as always
    return _warnings(new)


def _early_problems(new: NewInterview) -> list[str]:
    """What can be told from the options alone: dates, and contacts that need quotes."""
    problems = []
    try:
        parse_date_or_datetime(new.interviewed_on)
    except ValueError:
        impossible = not_on_the_calendar(new.interviewed_on)
        problems.append(
            f"--interviewed-on: {impossible}"
            if impossible
            else f"--interviewed-on: expected YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got "
            f'"{new.interviewed_on}"'
        )
    if new.reply_promised_by is not None:
        try:
            dt.date.fromisoformat(new.reply_promised_by)
        except ValueError:
            impossible = not_on_the_calendar(new.reply_promised_by)
            problems.append(
                f"--reply-promised-by: {impossible}"
                if impossible
                else f'--reply-promised-by: expected YYYY-MM-DD, got "{new.reply_promised_by}"'
            )
    for contact in new.contacts:
        quoted = quoted_contact(contact)
        if quoted is not None:
            problems.append(
                f'--contact "{contact}": a name with {quoted[1]!r} in it needs quotes around '
                f"it; use --contact {shlex.quote(quoted[0])}"
            )
    return problems


def _as_option(problem: str, index: int, new: NewInterview) -> str | None:
    """A config problem of the new interview, said as its option (None: not ours)."""
    found = _PROBLEM.match(problem)
    if found is None or int(found[1]) != index or found[2] not in OPTION_OF:
        return None
    key, item = found[2], found[3]
    message = re.sub(r"interviews\[\d+\]", "another interview", found[4])  # no index typed
    option = OPTION_OF[key]
    values = {"contacts": new.contacts, "domains": new.domains}.get(key)
    if values is not None and item is not None and int(item) < len(values):
        return f'{option} "{values[int(item)]}": {message}'
    return f"{option}: {message}"


def _told(problems: Sequence[str]) -> str:
    if len(problems) == 1:
        return f"add: {problems[0]}; nothing was added"
    lines = "\n".join(f"  {p}" for p in problems)
    return f"add: {len(problems)} problems with the options; nothing was added:\n{lines}"


def _warnings(new: NewInterview) -> list[str]:
    if new.contacts:
        return []
    if new.domains:
        return [
            f"interview {new.iid} has no --contact: mail from {', '.join(new.domains)} "
            f"counts as {new.company}'s, but no follow-up is drafted until someone from "
            "there has written (it needs someone to write to); add contacts = "
            '["Name <name@company.com>"] to it in the config when you know one'
        ]
    return [
        f"interview {new.iid} has neither --contact nor --domain: followup cannot tell "
        f"{new.company}'s mail from other mail (only a job-application system's that names "
        "it) and has no one to write a follow-up to; add contacts = "
        '["Name <name@company.com>"] to it in the config when you know one'
    ]
