"""What every command module shares: exit codes, the one-line error, secrets from a file or
the terminal, the vault from --vault, argument types, confirmation, the kit to register with.

Command modules import from here, never from the package or from each other (no circle).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from svjournal.core.i18n import tr
from svjournal.core.vault import Vault, default_vault_path

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """A mistake on the command line (unreadable file, mismatched passphrases, ...)."""


# --- passphrases ------------------------------------------------------------------------


def read_secret_file(path: Path) -> str:
    """The file's text with exactly one trailing newline (LF or CRLF) removed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(tr("cannot read {path}: no such file").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        # Translators: {error} is the system's own description of the problem.
        raise UserError(tr("cannot read {path}: {error}").format(path=path, error=exc)) from None
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def prompt_secret(label: str, file_option: str | None = None) -> str:
    """Read a secret at the terminal without echo; a clear error where there is none.
    `label` is the prompt, translated; `file_option` the option that reads it from a file."""
    if not sys.stdin.isatty():
        raise UserError(
            # Translators: {label} is the prompt ("Passphrase"); {option} an option, or
            # "a file option".
            tr("{label}: needed, but there is no terminal to ask in: pass {option}").format(
                label=label, option=file_option or tr("a file option")
            )
        )
    try:
        # Translators: the prompt for a secret at the terminal; {label} is what is asked for.
        return getpass.getpass(tr("{label}: ").format(label=label))
    except EOFError:
        raise UserError(tr("{label}: none was given").format(label=label)) from None


def passphrase_from(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        return read_secret_file(Path(args.passphrase_file))
    return prompt_secret(tr("Passphrase"), "--passphrase-file")


def new_passphrase(file_option: str | None) -> str:
    if file_option:
        return read_secret_file(Path(file_option))
    first = prompt_secret(tr("New passphrase"))
    if first != prompt_secret(tr("Repeat the new passphrase")):
        raise UserError(tr("the two passphrases differ"))
    return first


def vault_path(args: argparse.Namespace) -> Path:
    return Path(args.vault).expanduser() if args.vault else default_vault_path()


def unlocked_vault(args: argparse.Namespace) -> Vault:
    vault = Vault.open(vault_path(args))
    try:
        vault.unlock(passphrase_from(args))
    except BaseException:
        vault.close()
        raise
    return vault


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(tr("must be at least 1"))
    return value


def iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            # Translators: dates on the command line are always written year-month-day.
            tr("{text} is not a date like 2026-01-31").format(text=repr(text))
        ) from None
    if not date(1900, 1, 1) <= day <= date(2200, 12, 31):
        raise argparse.ArgumentTypeError(tr("{text} is outside 1900 to 2200").format(text=text))
    return day


def encounter_mean(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{text} is not a number").format(text=repr(text))
        ) from None
    if not 1 <= value <= 10:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(tr("use a number from 1 to 10"))
    return value


def confirm(question: str) -> bool:
    """Ask yes/no at the terminal (no terminal: one line saying to add --yes). The answers
    taken are the language's own ("y", "yes" in English) and the English ones too."""
    if not sys.stdin.isatty():
        raise UserError(tr("no terminal to confirm in: add --yes to go ahead"))
    # Translators: the yes/no question at the terminal; keep [y/N] in step with the answers below.
    prompt = tr("{question} [y/N] ").format(question=question)
    # Translators: the answers meaning yes to a [y/N] question, lower case, separated by commas.
    words = {w.strip() for w in tr("y,yes").split(",") if w.strip()} | {"y", "yes"}
    try:
        return input(prompt).strip().lower() in words
    except EOFError:
        return False


@dataclass(frozen=True)
class CommandKit:
    """What a command module needs to add its sub-commands to the parser."""

    add: Callable[..., argparse.ArgumentParser]  # (name, handler, help, *parents)
    secret: argparse.ArgumentParser  # parent adding --passphrase-file


def leaf_options() -> argparse.ArgumentParser:
    """--vault and --passphrase-file after a sub-command too (`bundle export --vault V`).

    SUPPRESS keeps a leaf's unset option from overwriting one given before the sub-command.
    """
    leaf = argparse.ArgumentParser(add_help=False)
    leaf.add_argument(
        "--vault", metavar="PATH", default=argparse.SUPPRESS, help=tr("the vault folder")
    )
    leaf.add_argument(
        "--passphrase-file",
        metavar="F",
        default=argparse.SUPPRESS,
        help=tr("read the journal's passphrase from F (scripts; less safe)"),
    )
    return leaf


def usage_needed(args: argparse.Namespace) -> int:  # pragma: no cover - argparse needs an action
    raise UserError(tr("choose an action; see --help"))
