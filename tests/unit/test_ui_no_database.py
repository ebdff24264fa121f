"""The app's UI holds no database: it calls operations and reads query results (issue 14).

Read from the source of every module under svjournal/ui: an import of SQLAlchemy or SQLModel
anywhere (at the top, inside a function, or under TYPE_CHECKING: type names come from the
Qt-free layers) or any use of an attribute named `engine` fails the test, and so does
`database` (a data source's own way to its engine, for the operations layer and tests).
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "svjournal" / "ui"
DATABASE_LIBRARIES = ("sqlalchemy", "sqlmodel")
ENGINE_ATTRIBUTES = ("engine", "database")


def _database_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] in DATABASE_LIBRARIES]
    return found


def _engine_attributes(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ENGINE_ATTRIBUTES
    ]


def _problems(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    return [
        f"{name}:{line}: imports {module}" for line, module in sorted(_database_imports(tree))
    ] + [f"{name}:{line}: uses .{attr}" for line, attr in sorted(_engine_attributes(tree))]


def test_no_ui_module_imports_the_database_or_touches_an_engine() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 40  # the whole UI was read
    problems = [
        problem
        for path in modules
        for problem in _problems(path.read_text(encoding="utf-8"), str(path.relative_to(UI)))
    ]
    assert problems == []


def test_the_check_sees_imports_at_every_level_and_engine_attributes() -> None:
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from sqlalchemy import Engine
import sqlmodel.main
def later(session):
    from sqlalchemy.orm import Session
    return session.vault.engine, source.database()
"""
    assert _problems(source, "m.py") == [
        "m.py:4: imports sqlalchemy",
        "m.py:5: imports sqlmodel.main",
        "m.py:7: imports sqlalchemy.orm",
        "m.py:8: uses .database",
        "m.py:8: uses .engine",
    ]
    # A name that merely contains the word, and a relative import, are not the database.
    assert _problems("from .sqlalchemy_notes import x\nsession.engines\nengine = 1\n", "m") == []
