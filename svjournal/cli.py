"""The `svjournal` command: vault administration from a terminal; no arguments starts the app.

Every error a user can cause prints one line and exits non-zero; tracebacks are for bugs.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from svjournal import __version__
from svjournal.core.errors import SvJournalError
from svjournal.core.rekey import RekeyResult
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import Vault, default_vault_path

log = logging.getLogger(__name__)

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
        raise UserError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def prompt_secret(label: str, file_option: str = "a file option") -> str:
    """Read a secret at the terminal without echo; a clear error where there is none."""
    if not sys.stdin.isatty():
        raise UserError(f"{label.lower()} needed: run in a terminal or pass {file_option}")
    try:
        return getpass.getpass(f"{label}: ")
    except EOFError:
        raise UserError(f"no {label.lower()} given") from None


def passphrase_from(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        return read_secret_file(Path(args.passphrase_file))
    return prompt_secret("Passphrase")


def new_passphrase(file_option: str | None) -> str:
    if file_option:
        return read_secret_file(Path(file_option))
    first = prompt_secret("New passphrase")
    if first != prompt_secret("Repeat the new passphrase"):
        raise UserError("the two passphrases differ")
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


def _show_recovery_key(recovery_key: str) -> None:
    print(
        "\nRecovery key — shown only this once. Write it down or store it in a safe place;\n"
        "it resets a forgotten passphrase and opens backups made with this key:\n"
    )
    print(f"    {recovery_key}\n")


# --- commands ---------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    path = vault_path(args)
    if Vault.exists(path):
        raise UserError(f"a journal already exists at {path}")
    if args.remember:
        _remember_refusal()
    passphrase = new_passphrase(args.passphrase_file)
    vault, recovery_key = Vault.create(path, passphrase)
    with vault:
        _show_recovery_key(recovery_key)  # first: nothing printed after it may stop it showing
        print(f"Created an encrypted journal at {path}")
        if args.remember:
            _remember(vault)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with unlocked_vault(args) as vault:
        report = vault.check()
    integrity = report.integrity
    print(f"vault:              {vault.path}")
    print(f"cipher:             SQLCipher {integrity.cipher_version}")
    print("key:                raw 256-bit data key (SQLCipher's own KDF is not used)")
    for setting in integrity.cipher_settings:
        if "kdf" not in setting:
            print(f"  {setting}")
    print(f"journal mode:       {integrity.journal_mode}")
    errors = integrity.cipher_errors
    print(f"cipher integrity:   {'ok' if not errors else f'{len(errors)} problem(s)'}")
    for line in errors[:5]:
        print(f"  {line}")
    print(f"integrity:          {'; '.join(integrity.integrity[:5])}")
    print(f"schema version:     {report.schema_revision} (expected {report.head_revision})")
    print(f"key file format:    {report.key_file_version}")
    for problem in report.problems:
        print(f"problem:            {problem}")
    print("result:             " + ("OK" if report.ok else "PROBLEMS FOUND"))
    if not report.ok:
        newest = vault.newest_backup()
        print(f"newest backup:      {newest or 'none found'}")
    return EXIT_OK if report.ok else EXIT_ERROR


def _report_rekey(result: RekeyResult, what: str) -> None:
    _show_recovery_key(result.recovery_key)  # first: nothing printed after it may stop it
    print(what)
    print(
        "The old passphrase and the old recovery key no longer open this journal"
        + (", nor its re-sealed backups." if result.resealed else ".")
    )
    if result.resealed:
        print(f"Backups re-sealed under the new key: {len(result.resealed)}.")
    warning = result.old_backups_warning
    if warning is not None:
        print(f"svjournal: warning: {warning}", file=sys.stderr)
        for path in result.old_backups:
            print(f"  {path}", file=sys.stderr)
    if result.keyring == "updated":
        print("The key remembered on this workstation was updated.")
    elif result.keyring != "none":
        print(f"svjournal: warning: {result.keyring}", file=sys.stderr)


def _keystore() -> KeyStore:
    from svjournal.core.secrets import OSKeyStore

    return OSKeyStore()


def cmd_passwd(args: argparse.Namespace) -> int:
    with Vault.open(vault_path(args)) as vault:
        current = passphrase_from(args)
        result = vault.change_passphrase(
            current,
            new_passphrase(args.new_passphrase_file),
            keep_old_backups=args.keep_old_backups,
            store=_keystore(),
        )
    _report_rekey(result, "Passphrase changed; the journal is now under a new key.")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    with Vault.open(vault_path(args)) as vault:
        if args.recovery_key_file:
            recovery_key = read_secret_file(Path(args.recovery_key_file))
        else:
            recovery_key = prompt_secret("Recovery key")
        new = new_passphrase(args.new_passphrase_file)
        result = vault.unlock_with_recovery_key(
            recovery_key, new, keep_old_backups=args.keep_old_backups, store=_keystore()
        )
    _report_rekey(
        result, "Passphrase reset with the recovery key; the journal is now under a new key."
    )
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    with Vault.open(vault_path(args)) as vault:
        result = vault.rekey(
            passphrase=passphrase_from(args),
            keep_old_backups=args.keep_old_backups,
            store=_keystore(),
        )
    _report_rekey(result, "The journal is now under a new key; the passphrase is unchanged.")
    return EXIT_OK


def cmd_recovery_key(args: argparse.Namespace) -> int:
    if not args.new:
        raise UserError("use --new to replace the recovery key (it is never shown again)")
    # The old recovery key sits in every older key file (and backup): replacing only its slot
    # would leave it opening the same data key, so the data key is replaced too.
    with Vault.open(vault_path(args)) as vault:
        result = vault.rekey(
            passphrase=passphrase_from(args),
            keep_old_backups=args.keep_old_backups,
            store=_keystore(),
        )
    _report_rekey(result, "The recovery key was replaced; the passphrase is unchanged.")
    return EXIT_OK


def _remember_refusal() -> None:
    """Refuse before anything is done when the IT policy or portable use forbids it."""
    from svjournal.core.policy import current_policy

    refusal = current_policy().remember_refusal()
    if refusal is not None:
        raise UserError(refusal)


def _remember(vault: Vault) -> None:
    from svjournal.core.secrets import OSKeyStore

    vault.remember(OSKeyStore())
    print(
        "The journal's key is now remembered in this workstation's keyring. Anyone who can\n"
        "log in as you here can open the journal: do not use this on a shared login."
    )


def cmd_remember(args: argparse.Namespace) -> int:
    _remember_refusal()  # before asking for the passphrase
    with unlocked_vault(args) as vault:
        _remember(vault)
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from svjournal.core.secrets import OSKeyStore

    with Vault.open(vault_path(args)) as vault:
        vault.forget(OSKeyStore())
    print("This workstation no longer remembers the journal's key.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from svjournal.core import demo
    from svjournal.core.journal import Journal

    path = vault_path(args)
    if Vault.exists(path):
        vault = unlocked_vault(args)
    else:
        vault, recovery_key = Vault.create(path, new_passphrase(args.passphrase_file))
        print(f"Created an encrypted journal at {path}")
        _show_recovery_key(recovery_key)
    with vault:
        anchor = args.today
        departments = Journal(vault.engine).department_codes()
        summary = demo.generate(
            vault.engine,
            cases=args.cases,
            seed=args.seed,
            anchor=anchor,
            mean_encounters=args.encounters_per_case,
            departments=[d for d in departments if d != "other"] or departments,
        )
    print(
        f"Added fictional demo data: {summary.cases} cases, {summary.encounters} encounters, "
        f"{summary.follow_ups} follow-ups."
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from svjournal.ui.app import run_app
    except ImportError as exc:
        raise UserError(f"the desktop app cannot start: {exc}") from None
    return run_app(vault_path=vault_path(args), log_file=not args.no_log_file)


# --- parsing ----------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None
    if not date(1900, 1, 1) <= day <= date(2200, 12, 31):
        raise argparse.ArgumentTypeError(f"{text} is outside 1900 to 2200")
    return day


def encounter_mean(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= value <= 10:  # also refuses nan and inf
        raise argparse.ArgumentTypeError("use a number from 1 to 10")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault",
        metavar="PATH",
        help="the vault folder (default: $SVJOURNAL_VAULT or the user data folder)",
    )
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument(
        "--passphrase-file",
        metavar="F",
        help="read the passphrase from F instead of the terminal (for scripts; less safe: "
        "the passphrase sits in a file); one trailing newline is ignored",
    )

    parser = argparse.ArgumentParser(
        prog="svjournal",
        description="An encrypted, offline journal for peer supporters. "
        "Without a command, the desktop app starts.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"svjournal {__version__}")
    parser.add_argument(
        "--no-log-file",
        action="store_true",
        help="do not write this run to svjournal's log file (it never holds journal text)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation in a throwaway journal (no display needed), then exit",
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

    init = add("init", cmd_init, "create a new encrypted journal", secret)
    init.add_argument(
        "--remember", action="store_true", help="remember the key on this workstation"
    )
    add("check", cmd_check, "verify encryption, integrity and schema version", secret)
    keep = argparse.ArgumentParser(add_help=False)
    keep.add_argument(
        "--keep-old-backups",
        action="store_true",
        help="leave older backups as they are (they keep opening with the old passphrase and "
        "recovery key) instead of re-sealing them under the new key",
    )
    passwd = add(
        "passwd",
        cmd_passwd,
        "change the passphrase (the journal gets a new key and a new recovery key)",
        secret,
        keep,
    )
    passwd.add_argument("--new-passphrase-file", metavar="F", help="read the new passphrase from F")
    recover = add(
        "recover",
        cmd_recover,
        "reset a forgotten passphrase with the recovery key (a new key and recovery key too)",
        keep,
    )
    recover.add_argument("--recovery-key-file", metavar="F", help="read the recovery key from F")
    recover.add_argument(
        "--new-passphrase-file", metavar="F", help="read the new passphrase from F"
    )
    add(
        "rekey",
        cmd_rekey,
        "give the journal a new key and recovery key, keeping the passphrase",
        secret,
        keep,
    )
    recovery = add(
        "recovery-key",
        cmd_recovery_key,
        "replace the recovery key (the journal gets a new key with it)",
        secret,
        keep,
    )
    recovery.add_argument("--new", action="store_true", help="make and show a new recovery key")
    add("remember", cmd_remember, "remember the key in this workstation's keyring", secret)
    add("forget", cmd_forget, "remove the remembered key from this workstation's keyring")
    demo = add("demo", cmd_demo, "fill a journal with clearly fictional demo data", secret)
    demo.add_argument(
        "--cases", type=positive_int, default=120, help="how many cases (default 120)"
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.add_argument(
        "--encounters-per-case",
        type=encounter_mean,
        default=3.0,
        metavar="N",
        help="mean encounters per case (default 3)",
    )
    demo.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    # Commands about files leaving or entering the vault live in their own modules; they are
    # imported here, not at the top, because they import this module's helpers.
    from svjournal import cli_backup, cli_policy, cli_report, cli_retention, cli_team

    kit = CommandKit(add=add, secret=secret)
    for module in (cli_backup, cli_report, cli_team, cli_policy, cli_retention):
        module.register(kit)
    return parser


@dataclass(frozen=True)
class CommandKit:
    """What a command module needs to add its sub-commands to the parser."""

    add: Callable[..., argparse.ArgumentParser]  # (name, handler, help, *parents)
    secret: argparse.ArgumentParser  # parent adding --passphrase-file


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    if not args.no_log_file:
        _start_log(args.command, "cli" if args.command or args.self_test else "app")
    if args.self_test:
        from svjournal.selftest import run_self_test

        return run_self_test()
    handler = getattr(args, "handler", cmd_gui)
    for stream in (sys.stdout, sys.stderr):
        # A path that is not valid UTF-8 must still print (escaped), not crash the command.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if handler is not cmd_gui:  # the app shows it in its windows
        _warn_about_policy()
    try:
        return handler(args)
    except (SvJournalError, UserError) as exc:
        log.info("command failed: %s", exc)  # the class only (logsafe): never its words
        _fail(str(exc))
    except OSError as exc:  # a folder that vanished, a full disk, no permission
        log.info("command failed: %s", exc)
        where = f" ({exc.filename})" if exc.filename else ""
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


def _fail(message: str) -> None:
    print(f"svjournal: {message}", file=sys.stderr)


def _warn_about_policy() -> None:
    from svjournal.core.policy import current_policy

    warning = current_policy().warning
    if warning is not None:
        print(f"svjournal: warning: {warning}", file=sys.stderr)


def entry_point() -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # the chart-drawing processes of a frozen build
    sys.exit(main())
