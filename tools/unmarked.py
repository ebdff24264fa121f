"""Strings that look user-facing but are not marked for translation (a marker's checklist).

    python -m tools.unmarked svjournal/ui/pages/today.py svjournal/reports   # files or folders

A heuristic, not a proof: it lists every string literal (and f-string) that reads like
words — a space between letters, or one capitalised word — and is not inside `tr`, `ntr`,
`ptr` or `N_`, skipping docstrings, logging calls, comparisons, subscripts, dictionary keys
and Qt's object names and settings keys. Each line it prints is either marked or judged
not user-facing (a code, a format key, SQL); the pseudo-locale walk of the window
(tests/ui/test_pseudo_locale.py) is the test that decides for the window.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

MARKERS = {"tr", "ntr", "ptr", "N_"}
# Calls whose string arguments are never shown to the user.
QUIET_CALLS = {
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "log",  # logging
    "setObjectName",
    "setProperty",
    "property",
    "value",
    "setValue",
    "contains",
    "remove",
    "getattr",
    "setattr",
    "hasattr",
    "startswith",
    "endswith",
    "split",
    "join",
    "replace",
    "strftime",
    "strptime",
    "fromisoformat",
    "execute",
    "text",
    "compile",
    "match",
    "search",
    "sub",
    "fullmatch",
    "findall",
    "get",
    "pop",
    "setdefault",
    "encode",
    "decode",
    "Path",
    "joinpath",
    "with_suffix",
    "with_name",
    "glob",
    "rglob",
    "open",
    "environ",
    "getenv",
    "import_module",
    "TypeVar",
    "NewType",
    "namedtuple",
    "field",
    "Column",
    "Field",
    "Signal",
    "Slot",
    "Property",
    "setStyleSheet",
    "setAccessibleName",
    "add_argument_group",
    "cast",
    "isinstance",
    "struct",
    "pack",
    "unpack",
    "hexdigest",
    "fromhex",
    "rstrip",
    "lstrip",
    "strip",
    "format_date",
    "format_datetime",
    "format_time",
    "toString",
    "fromString",
    "QKeySequence",
    "QColor",
    "QIcon",
    "QFont",
    "set_facecolor",
    "rcParams",
}
ONE_WORD = re.compile(r"^&?[A-Z][a-z]{2,}[.!?:…]?$")  # "Journal", "&Save", "Saved."
WORDY = re.compile(r"[A-Za-z]{2,}[^\n]*\s+[A-Za-z]|^[A-Z][a-z]{2,}[.!?:…]?$")
CODE_LIKE = re.compile(
    r"^[\w.\-/]+$|^%[\w-]+$|^\W*$|^(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH|ALTER|DROP)\b"
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _quiet_nodes(tree: ast.AST) -> set[int]:
    """Ids of nodes under a marker, a quiet call, a comparison, a subscript or a dict key."""
    quiet: set[int] = set()

    def hush(node: ast.AST) -> None:
        quiet.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in MARKERS or name in QUIET_CALLS:
                hush(node)
        elif isinstance(node, ast.Compare):
            hush(node)
        elif isinstance(node, ast.Subscript):
            hush(node.slice)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    hush(key)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in {"__all__", "__slots__"}:
                    hush(node.value)
        elif isinstance(node, (ast.Match, ast.MatchValue)):
            hush(node)
    return quiet


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def unmarked(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each literal in `path` that reads like words and is not marked."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree) | _quiet_nodes(tree)
    inner = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inner:
            continue
        text = _literal_text(node)
        if text is None:
            continue
        stripped = text.strip()
        if not ONE_WORD.match(stripped) and (
            CODE_LIKE.match(stripped) or not WORDY.search(stripped)
        ):
            continue
        yield getattr(node, "lineno", 0), text


def files(targets: list[str]) -> Iterator[Path]:
    for target in targets:
        path = Path(target)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)
        else:
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    count = 0
    for path in files(args.paths):
        for line, text in sorted(unmarked(path)):
            count += 1
            shown = text if len(text) <= 90 else text[:87] + "..."
            print(f"{path}:{line}: {shown!r}")
    print(f"{count} unmarked", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
