"""The README's command table lists every command of `svjournal` with every option it takes
(besides --vault and --passphrase-file, which the text above the table explains, and hidden
ones), and no command or option the CLI does not have."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from svjournal.cli.main import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"
EXPLAINED_ABOVE = {"--vault", "--passphrase-file", "--lang", "-h", "--help"}


def _sub_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands() -> dict[str, list[tuple[str, ...]]]:
    """'backup' -> [('-o', '--output')]: every leaf command and its options (each the
    spellings of one option)."""
    found: dict[str, list[tuple[str, ...]]] = {}

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        children = _sub_parsers(parser)
        if not children:
            found[prefix] = [
                tuple(action.option_strings)
                for action in parser._actions
                if action.option_strings
                and not EXPLAINED_ABOVE & set(action.option_strings)
                and action.help != argparse.SUPPRESS  # hidden (tests' --today)
            ]
        for name, child in children.items():
            walk(f"{prefix} {name}".strip(), child)

    walk("", build_parser())
    return found


def _table() -> list[str]:
    """The first cell of each row of the command table (the table after "## Command line")."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    return [
        line.split(" | ", 1)[0] for line in section.splitlines() if line.startswith("| `svjournal")
    ]


def _mentions(cell: str) -> tuple[set[str], set[str]]:
    """(commands, options) named in a cell like "`svjournal team list` / `team remove X`"."""
    commands: set[str] = set()
    options: set[str] = set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", cell))
    known = _commands()
    for snippet in re.findall(r"`([^`]+)`", cell):
        words = snippet.removeprefix("svjournal").split()
        words = [w for w in words if re.fullmatch(r"[a-z][a-z-]*", w)]
        for n in range(len(words), 0, -1):
            if " ".join(words[:n]) in known:
                commands.add(" ".join(words[:n]))
                break
    return commands, options


def test_every_command_and_option_is_in_the_readme_table() -> None:
    rows = [_mentions(cell) for cell in _table()]
    for command, options in _commands().items():
        if not command:
            continue
        mine = [opts for cmds, opts in rows if command in cmds]
        assert mine, f"`svjournal {command}` is missing from the README's command table"
        shown = set().union(*mine)
        missing = [spellings[-1] for spellings in options if not shown & set(spellings)]
        assert not missing, f"`svjournal {command}`: {missing} missing from the table"


def test_the_readme_table_names_nothing_the_cli_lacks() -> None:
    commands = _commands()
    every_option = {o for options in commands.values() for spellings in options for o in spellings}
    every_option |= {"--self-test", "--version"}
    for cell in _table():
        named, options = _mentions(cell)
        root = "`svjournal` (no command)" in cell or "`svjournal --" in cell
        assert named or root, f"{cell}: no such command"
        assert options <= every_option, f"{cell}: {sorted(options - every_option)}"
