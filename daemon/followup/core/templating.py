"""A tiny, safe template language for draft subjects and bodies.

Only ``{{ name }}`` substitutions and ``{% if name %}…{% else %}…{% endif %}`` blocks
(nesting works). No expressions, attribute access or code: user templates come from a
config file and must never run anything. Rendering fails loudly instead of leaving a
placeholder in a draft that the user might send.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from followup.core.errors import FollowupError


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
MAX_NESTING = 16
"""Deeper ``{% if %}`` nesting is refused: no draft needs it, and rendering recurses."""


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


def _describe_unknown(name: str, known: Collection[str]) -> str:
    return f"unknown variable {name!r} (known: {', '.join(sorted(known))})"


def _parse(text: str, known: Collection[str] | None) -> tuple[list[_Node], list[str]]:
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
        if known is not None and name not in known:
            problems.append(_describe_unknown(name, known))
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
            if len(stack) >= MAX_NESTING:
                problems.append(f"{{% if %}} blocks nested deeper than {MAX_NESTING} levels")
                return root, problems
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


def check_template(text: str, known: Collection[str]) -> list[str]:
    """Every problem in ``text``: unknown variables, unbalanced tags, stray braces."""
    return _parse(text, known)[1]


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
    nodes, _ = _parse(text, None)
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


def render(text: str, variables: Mapping[str, str], known: Collection[str] | None = None) -> str:
    """Fill ``text``; raises TemplateError if it is invalid or a placeholder would stay empty.

    With ``known``, a variable outside it is an error even when a value is given.
    """
    nodes, problems = _parse(text, known)
    if problems:
        raise TemplateError("; ".join(problems))
    out: list[str] = []
    _render_nodes(nodes, variables, out)
    return "".join(out)
