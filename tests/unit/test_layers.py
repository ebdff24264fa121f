"""The package's layers hold: no module imports a layer above its own, none imports in a circle.

    core  <  charts  <  reports  <  operations  <  cli, ui, selftest (the front ends)

Read from the source (every import, at the top or inside a function; not those under
TYPE_CHECKING), so a lazy import that reaches up is caught as surely as a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "svjournal"
LAYERS = {"core": 0, "charts": 1, "reports": 2, "operations": 3}
FRONT_END = 4  # cli, ui, selftest, __main__
# Front ends may use each other only here: `svjournal` with no command starts the app,
# `svjournal --self-test` runs the self-test, and the self-test starts the app's pieces
# offscreen (module, and the module or package it may import).
ALLOWED_SIDEWAYS = {
    ("svjournal.selftest", "svjournal.ui"),
    ("svjournal.cli.vault_commands", "svjournal.ui.app"),
    ("svjournal.cli.main", "svjournal.selftest"),
    ("svjournal.__main__", "svjournal.cli"),  # `python -m svjournal`
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    found: set[str | None] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {owner(a.name) for a in node.names if a.name.startswith("svjournal")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("svjournal"):
            base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(owner(full) if full in modules else owner(base))
    return {name for name in found if name is not None}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package itself (names, version)


def test_no_module_imports_a_layer_above_its_own_or_another_front_end() -> None:
    wrong = []
    for module, imported in _graph().items():
        mine = _layer(module)
        for other in imported:
            theirs = _layer(other)
            if mine is None or theirs is None or mine == theirs:
                continue
            level, their_level = LAYERS.get(mine, FRONT_END), LAYERS.get(theirs, FRONT_END)
            up = their_level > level
            allowed = any(
                module == who and (other == what or other.startswith(what + "."))
                for who, what in ALLOWED_SIDEWAYS
            )
            sideways = their_level == level and not allowed
            if up or sideways:
                wrong.append(f"{module} -> {other}")
    assert wrong == []


def test_no_import_circles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert circles == []


def test_the_checks_see_imports_inside_functions() -> None:
    """The guard itself: a lazy import (the kind the old circles were made of) is found."""
    modules = _modules()
    assert "svjournal.ui.app" in _imports(PACKAGE / "cli" / "vault_commands.py", modules)
