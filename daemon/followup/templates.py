"""A tiny, safe template language for draft subjects and bodies.

Only ``{{ name }}`` substitutions and ``{% if name %}…{% else %}…{% endif %}`` blocks
(nesting works). No expressions, attribute access or code: user templates come from a
config file and must never run anything. Rendering fails loudly instead of leaving a
placeholder in a draft that the user might send.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from followup.config import Identity, Interview
from followup.errors import FollowupError
from followup.model import Address, StageName

KNOWN_VARIABLES: frozenset[str] = frozenset(
    {
        "company",
        "role",
        "interviewer",  # first name of the person written to
        "interviewer_name",  # their full display name
        "my_name",
        "my_first_name",
        "my_email",
        "highlight",
        "interview_date",  # "Monday, November 16"
        "interview_day",  # "Monday"
        "promised_date",  # only when the company promised a date
    }
)


class TemplateError(FollowupError, ValueError):
    """A template is malformed or cannot be filled completely."""


# A block tag alone on its line swallows that line (indentation and newline included),
# so `{% if %}` lines leave no blank lines behind.
_TOKEN = re.compile(
    r"(?P<line>^[ \t]*\{%(?P<lblock>[^%\n]*)%\}[ \t]*(?:\n|\Z))"
    r"|\{%(?P<block>[^%\n]*)%\}"
    r"|\{\{(?P<var>[^{}%\n]*)\}\}",
    re.MULTILINE,
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_STRAY = ("{{", "}}", "{%", "%}")


@dataclass
class _If:
    name: str
    then: list[_Node] = field(default_factory=list)
    otherwise: list[_Node] = field(default_factory=list)
    in_else: bool = False


@dataclass(frozen=True)
class _Var:
    name: str


_Node = str | _Var | _If


def _describe_unknown(name: str) -> str:
    known = ", ".join(sorted(KNOWN_VARIABLES))
    return f"unknown variable {name!r} (known: {known})"


def _parse(text: str) -> tuple[list[_Node], list[str]]:
    """The template as a node tree, and every problem found (empty when it is valid)."""
    root: list[_Node] = []
    stack: list[_If] = []
    problems: list[str] = []

    def target() -> list[_Node]:
        if not stack:
            return root
        top = stack[-1]
        return top.otherwise if top.in_else else top.then

    def add_text(chunk: str) -> None:
        for stray in _STRAY:
            if stray in chunk:
                problems.append(f"stray {stray!r} that does not form a {{{{ }}}} or {{% %}} tag")
                break
        if chunk:
            target().append(chunk)

    def check_name(name: str) -> bool:
        if not _NAME.match(name):
            problems.append(f"invalid variable name {name!r}")
            return False
        if name not in KNOWN_VARIABLES:
            problems.append(_describe_unknown(name))
            return False
        return True

    pos = 0
    for m in _TOKEN.finditer(text):
        add_text(text[pos : m.start()])
        pos = m.end()
        if m.group("var") is not None:
            name = m.group("var").strip()
            if check_name(name):
                target().append(_Var(name))
            continue
        words = (m.group("lblock") or m.group("block") or "").split()
        keyword = words[0] if words else ""
        if keyword == "if" and len(words) == 2:
            node = _If(words[1])
            check_name(words[1])
            target().append(node)
            stack.append(node)
        elif keyword == "else" and len(words) == 1:
            if not stack or stack[-1].in_else:
                problems.append("{% else %} without a matching {% if %}")
            else:
                stack[-1].in_else = True
        elif keyword == "endif" and len(words) == 1:
            if not stack:
                problems.append("{% endif %} without a matching {% if %}")
            else:
                stack.pop()
        else:
            shown = " ".join(words)
            problems.append(
                f"unsupported tag {{% {shown} %}}; only if NAME, else and endif are allowed"
            )
    add_text(text[pos:])
    for node in stack:
        problems.append(f"{{% if {node.name} %}} is never closed with {{% endif %}}")
    return root, problems


def check_template(text: str) -> list[str]:
    """Every problem in ``text``: unknown variables, unbalanced tags, stray braces."""
    return _parse(text)[1]


def _collect_unguarded(nodes: list[_Node], guarded: frozenset[str], out: set[str]) -> None:
    for node in nodes:
        if isinstance(node, _Var):
            if node.name not in guarded:
                out.add(node.name)
        elif isinstance(node, _If):
            _collect_unguarded(node.then, guarded | {node.name}, out)
            _collect_unguarded(node.otherwise, guarded, out)


def unguarded_variables(text: str) -> frozenset[str]:
    """Variables ``text`` substitutes outside an ``{% if %}`` on themselves.

    Such a template fails to render whenever that variable has no value (e.g. an interview
    without ``highlight``), so the config loader can warn about it up front.
    """
    nodes, _ = _parse(text)
    out: set[str] = set()
    _collect_unguarded(nodes, frozenset(), out)
    return frozenset(out)


def _filled(variables: Mapping[str, str], name: str) -> bool:
    value = variables.get(name)
    return value is not None and value.strip() != ""


def _render_nodes(nodes: list[_Node], variables: Mapping[str, str], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Var):
            if not _filled(variables, node.name):
                raise TemplateError(
                    f"no value for {{{{ {node.name} }}}}; "
                    f"wrap it in {{% if {node.name} %}}…{{% endif %}} to make it optional"
                )
            out.append(variables[node.name])
        else:
            branch = node.then if _filled(variables, node.name) else node.otherwise
            _render_nodes(branch, variables, out)


def render(text: str, variables: Mapping[str, str]) -> str:
    """Fill ``text``; raises TemplateError if it is invalid or a placeholder would stay empty."""
    nodes, problems = _parse(text)
    if problems:
        raise TemplateError("; ".join(problems))
    out: list[str] = []
    _render_nodes(nodes, variables, out)
    return "".join(out)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})


def format_day(d: dt.date) -> str:
    """``Monday, November 16``: English regardless of the process locale."""
    return f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day}"


def first_name(display_name: str) -> str:
    """The given name in a display name ("Whitfield, Dana" and "Dr. Dana Whitfield" → Dana)."""
    name = display_name.strip().strip("\"'").strip()
    if "," in name:
        family, _, given = name.partition(",")
        name = given.strip() or family.strip()
    words = [w for w in name.split() if w.rstrip(".").lower() not in _TITLES]
    return words[0] if words else ""


def variables_for(
    interview: Interview, identity: Identity, recipient: Address | None
) -> dict[str, str]:
    """Template variables for one interview; a variable without a value is left out."""
    values: dict[str, str] = {
        "company": interview.company,
        "role": interview.role,
        "my_name": identity.name,
        "my_first_name": first_name(identity.name),
        "my_email": identity.email,
        "interview_date": format_day(interview.interviewed_on),
        "interview_day": _WEEKDAYS[interview.interviewed_on.weekday()],
    }
    if recipient is not None and recipient.name.strip():
        values["interviewer_name"] = recipient.name.strip()
        values["interviewer"] = first_name(recipient.name)
    if interview.highlight and interview.highlight.strip():
        values["highlight"] = interview.highlight.strip()
    if interview.reply_promised_by is not None:
        values["promised_date"] = format_day(interview.reply_promised_by)
    return {k: v for k, v in values.items() if v.strip()}


_GREETING = "{% if interviewer %}Hi {{ interviewer }},{% else %}Hello,{% endif %}\n"

_THANK_YOU_BODY = (
    _GREETING
    + """
Thank you for taking the time to speak with me about the {{ role }} role at \
{{ company }}. I really enjoyed our conversation, and it left me even more excited about \
the team and the work ahead.
{% if highlight %}

I have been thinking more about {{ highlight }} since we talked, and I would be glad to \
share a few more thoughts on it whenever that is useful.
{% endif %}

If there is anything else I can send you, please let me know. I look forward to hearing \
about the next steps.

Best regards,
{{ my_name }}
"""
)

_CHECK_IN_BODY = (
    _GREETING
    + """
I hope your week is going well. I wanted to follow up on our conversation on \
{{ interview_date }} about the {{ role }} role at {{ company }}. I am still very \
enthusiastic about the opportunity.
{% if highlight %}

Since we spoke, I have kept thinking about {{ highlight }} and have a few further ideas I \
did not get the chance to mention. I would love to hear your view on them, and I am happy \
to walk you through them if that would help.
{% endif %}

Could you let me know where things stand and what the next steps might be? If there is \
anything else I can provide, I will gladly send it.

Thank you again for your time.

Best regards,
{{ my_name }}
"""
)

_CLOSURE_BODY = (
    _GREETING
    + """
I am reaching out one last time about the {{ role }} role at {{ company }}. I know how \
busy hiring can be, and I do not want to crowd your inbox.

If the position has been filled or you have decided to go in another direction, I \
completely understand; a short note would help me plan, and I would be grateful for it.

Either way, thank you for the time you and the team spent with me. I enjoyed learning \
about {{ company }}, and I would be happy to stay in touch for future opportunities.

All the best,
{{ my_name }}
"""
)

DEFAULT_TEMPLATES: dict[StageName, tuple[str, str]] = {
    "thank_you": ("Thank you for the {{ role }} interview", _THANK_YOU_BODY),
    "check_in": ("Following up on the {{ role }} interview", _CHECK_IN_BODY),
    "closure": ("The {{ role }} role at {{ company }}", _CLOSURE_BODY),
}
