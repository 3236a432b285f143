"""The layout's rules, checked on the source: a pure core, no import cycle, small modules."""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

import pytest

from support.paths import PACKAGE

MAX_LINES = 400


@functools.cache
def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, *, top_level_only: bool) -> set[str]:
    """Modules ``path`` imports; ``from x import y`` is x.y when y is a module, else x."""
    known = modules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found


def test_the_core_imports_only_the_standard_library_and_itself() -> None:
    for name, path in modules().items():
        if not name.startswith("followup.core"):
            continue
        for imported in imports(path, top_level_only=False):
            root = imported.split(".")[0]
            if root == "followup":
                assert imported.startswith("followup.core"), f"{name} imports {imported}"
            else:
                assert root in sys.stdlib_module_names or root == "__future__", (
                    f"{name} imports the third-party {imported}"
                )


def test_there_is_no_import_cycle_between_the_modules() -> None:
    mods = modules()
    graph = {
        name: {m for m in imports(path, top_level_only=False) if m in mods and m != name}
        for name, path in mods.items()
    }
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node)


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_longer_than_the_limit(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines"
