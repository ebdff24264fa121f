"""The `svjournal` command: vault administration from a terminal; no arguments starts the app.

Every error a user can cause prints one line and exits non-zero; tracebacks are for bugs.
The commands live in this package's modules, each registering its own sub-commands.

The language is chosen before the parser is built, so that `--help` speaks it too: `--lang`
is read from the arguments first (before or after the command), else $SVJOURNAL_LANG, else
the system's. argparse's own words ("usage:", "error:", "options:", "show this help message
and exit") come from Python's gettext domain `argparse`, not ours, and stay English.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from svjournal import __version__
from svjournal.cli import backup, bundle, policy, report, retention, team, vault_commands
from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    CommandKit,
    UserError,
)
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault",
        metavar="PATH",
        help=tr("the vault folder (default: {variable} or the user data folder)").format(
            variable="$SVJOURNAL_VAULT"
        ),
    )
    common.add_argument(
        "--lang",
        metavar="LANG",
        # SUPPRESS: given before the command or after it, a subcommand's default must not
        # overwrite what was given first.
        default=argparse.SUPPRESS,
        help=tr(
            "the language of messages and reports, e.g. de or pt_BR "
            "(default: {variable}, else the system's)"
        ).format(variable="$SVJOURNAL_LANG"),
    )
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument(
        "--passphrase-file",
        metavar="F",
        # Translators: F is the option's argument (a file), as the usage line shows it.
        help=tr(
            "read the passphrase from F instead of the terminal (for scripts; less safe: "
            "the passphrase sits in a file); one trailing newline is ignored"
        ),
    )

    parser = argparse.ArgumentParser(
        prog="svjournal",
        description=tr(
            "An encrypted, offline journal for peer supporters. "
            "Without a command, the desktop app starts."
        ),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"svjournal {__version__}",
        help=tr("show the version number and exit"),
    )
    parser.add_argument(
        "--no-log-file",
        action="store_true",
        help=tr("do not write this run to svjournal's log file (it never holds journal text)"),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=tr("check this installation in a throwaway journal (no display needed), then exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        text: str,
        *parents: argparse.ArgumentParser,
    ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text, parents=[common, *parents])
        cmd.set_defaults(handler=handler)
        return cmd

    kit = CommandKit(add=add, secret=secret)
    for module in (vault_commands, backup, report, bundle, team, policy, retention):
        module.register(kit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The language first: the help texts are translated as the parser is built.
    chosen = lang_option(arguments)
    problem: SvJournalError | None = None
    try:
        _speak(chosen)
    except SvJournalError as exc:  # an unknown language: said once the arguments are read
        problem = exc
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    if not args.no_log_file:
        _start_log(args.command, "cli" if args.command or args.self_test else "app")
    given = getattr(args, "lang", None)
    if problem is None and given != chosen:  # an abbreviation argparse accepted (`--la de`)
        try:
            _speak(given)
        except SvJournalError as exc:
            problem = exc
    if problem is not None:
        _fail(str(problem))
        return EXIT_ERROR
    if args.self_test:
        from svjournal.selftest import run_self_test

        return run_self_test()
    handler = getattr(args, "handler", None) or vault_commands.cmd_gui
    for stream in (sys.stdout, sys.stderr):
        # A path that is not valid UTF-8 must still print (escaped), not crash the command.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if handler is not vault_commands.cmd_gui:  # the app shows it in its windows
        _warn_about_policy()
    try:
        return handler(args)
    except (SvJournalError, UserError) as exc:
        log.info("command failed: %s", exc)  # the class only (logsafe): never its words
        _fail(str(exc))
    except OSError as exc:  # a folder that vanished, a full disk, no permission
        log.info("command failed: %s", exc)
        where = f" ({exc.filename})" if exc.filename else ""
        # strerror is the system's own words (the C library's language).
        _fail(f"{exc.strerror or type(exc).__name__}{where}")
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: logged (class and svjournal frames), then as before
        # INFO, not ERROR: warnings and errors also reach stderr, which stays as it was.
        log.info("command failed unexpectedly: %s", exc, exc_info=exc)
        raise
    return EXIT_ERROR


def _start_log(command: str | None, front_end: str) -> None:
    """The log file for this run (a file that cannot be written is no reason to stop)."""
    from svjournal.core import logsafe, logsetup

    logsetup.configure(front_end)
    if command is None:
        return
    logsafe.allow_words(command)  # argparse accepted it, so it is one of our command names
    log.info("command: %s", command)


def lang_option(arguments: Sequence[str]) -> str | None:
    """The value of `--lang X` or `--lang=X` wherever it is (the last one given, as argparse
    keeps it), read before the parser exists; None without one. Nothing after `--`."""
    chosen: str | None = None
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(arguments):
            chosen = arguments[index + 1]
        elif argument.startswith("--lang="):
            chosen = argument.partition("=")[2]
    return chosen


def _speak(chosen: str | None) -> None:
    """The language of this run: the IT policy's when it locks one, else --lang, else
    $SVJOURNAL_LANG, else the policy's default, else the system's. Asked for with --lang or
    the variable, it also wins over the window's remembered Settings choice (ui/language.py)."""
    import os

    from svjournal.core import i18n
    from svjournal.core.policy import current_policy

    asked = chosen or os.environ.get(i18n.ENVIRONMENT) or None
    i18n.use(i18n.resolve(chosen, policy=current_policy().language(asked)), explicit=bool(asked))


def _fail(message: str) -> None:
    print(f"svjournal: {message}", file=sys.stderr)


def _warn_about_policy() -> None:
    from svjournal.core.policy import current_policy

    warning = current_policy().warning
    if warning is not None:
        print(tr("svjournal: warning: {warning}").format(warning=warning), file=sys.stderr)


def entry_point() -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # the chart-drawing processes of a frozen build
    sys.exit(main())
