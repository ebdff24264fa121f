"""Commands about the journal itself: create, check, passphrase and keys, keyring, demo, app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    encounter_mean,
    iso_date,
    new_passphrase,
    passphrase_from,
    positive_int,
    prompt_secret,
    read_secret_file,
    unlocked_vault,
    vault_path,
)
from svjournal.core.i18n import ntr, ptr, tr
from svjournal.core.locale_format import format_number
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import Vault

if TYPE_CHECKING:  # the re-key (and SQLAlchemy with it) is not needed to start the app
    from svjournal.core.rekey import RekeyResult


def _show_recovery_key(recovery_key: str) -> None:
    print(
        "\n"
        + tr(
            "Recovery key — shown only this once. Write it down or store it in a safe place;\n"
            "it resets a forgotten passphrase and opens backups made with this key:"
        )
        + "\n"
    )
    print(f"    {recovery_key}\n")


def cmd_init(args: argparse.Namespace) -> int:
    path = vault_path(args)
    if Vault.exists(path):
        raise UserError(tr("a journal already exists at {path}").format(path=path))
    if args.remember:
        _remember_refusal()
    passphrase = new_passphrase(args.passphrase_file)
    vault, recovery_key = Vault.create(path, passphrase)
    with vault:
        _show_recovery_key(recovery_key)  # first: nothing printed after it may stop it showing
        print(tr("Created an encrypted journal at {path}").format(path=path))
        if args.remember:
            _remember(vault)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with unlocked_vault(args) as vault:
        report = vault.check()
    integrity = report.integrity
    labels = {
        "vault": tr("vault:"),
        "cipher": tr("cipher:"),
        "key": tr("key:"),
        "mode": tr("journal mode:"),
        "cipher_integrity": tr("cipher integrity:"),
        # Translators: SQLite's own integrity check; its result is SQLite's words ("ok").
        "integrity": tr("integrity:"),
        "schema": tr("schema version:"),
        "key_file": tr("key file format:"),
        "problem": tr("problem:"),
        "result": tr("result:"),
        "newest": tr("newest backup:"),
    }
    width = max(20, *(len(label) + 2 for label in labels.values()))

    def line(key: str, value: object) -> None:
        print(f"{labels[key]:{width}}{value}")

    line("vault", vault.path)
    line("cipher", f"SQLCipher {integrity.cipher_version}")
    line("key", tr("raw 256-bit data key (SQLCipher's own KDF is not used)"))
    for setting in integrity.cipher_settings:  # SQLCipher's settings, as PRAGMA names them
        if "kdf" not in setting:
            print(f"  {setting}")
    line("mode", integrity.journal_mode)
    errors = integrity.cipher_errors
    line(
        "cipher_integrity",
        # Translators: the result of SQLCipher's integrity check when it found nothing wrong.
        ptr("check", "ok")
        if not errors
        else ntr("{n} problem", "{n} problems", len(errors)).format(n=format_number(len(errors))),
    )
    for error in errors[:5]:
        print(f"  {error}")
    line("integrity", "; ".join(integrity.integrity[:5]))
    line(
        "schema",
        # Translators: {found} and {expected} are schema revision identifiers.
        tr("{found} (expected {expected})").format(
            found=report.schema_revision, expected=report.head_revision
        ),
    )
    line("key_file", report.key_file_version)
    for problem in report.problems:
        line("problem", problem)
    line("result", tr("OK") if report.ok else tr("PROBLEMS FOUND"))
    if not report.ok:
        newest = vault.newest_backup()
        line("newest", newest or tr("none found"))
    return EXIT_OK if report.ok else EXIT_ERROR


def _report_rekey(result: RekeyResult, what: str) -> None:
    _show_recovery_key(result.recovery_key)  # first: nothing printed after it may stop it
    print(what)
    if result.resealed:
        print(
            tr(
                "The old passphrase and the old recovery key no longer open this journal, "
                "nor its re-sealed backups."
            )
        )
        count = len(result.resealed)
        print(
            # Translators: {n} is a count of backup files.
            ntr(
                "Backups re-sealed under the new key: {n}.",
                "Backups re-sealed under the new key: {n}.",
                count,
            ).format(n=format_number(count))
        )
    else:
        print(tr("The old passphrase and the old recovery key no longer open this journal."))
    warning = result.old_backups_warning
    if warning is not None:
        _warn(warning)
        for path in result.old_backups:
            print(f"  {path}", file=sys.stderr)
    if result.keyring == "updated":
        print(tr("The key remembered on this workstation was updated."))
    elif result.keyring != "none":
        _warn(result.keyring)


def _warn(warning: str) -> None:
    print(tr("svjournal: warning: {warning}").format(warning=warning), file=sys.stderr)


def _keystore() -> KeyStore:
    from svjournal.core.secrets import OSKeyStore

    return OSKeyStore()


def cmd_passwd(args: argparse.Namespace) -> int:
    from svjournal.operations import keys

    with Vault.open(vault_path(args)) as vault:
        current = passphrase_from(args)
        result = keys.change_passphrase(
            vault,
            current,
            new_passphrase(args.new_passphrase_file),
            keep_old_backups=args.keep_old_backups,
            store=_keystore(),
        ).value
    _report_rekey(result, tr("Passphrase changed; the journal is now under a new key."))
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from svjournal.operations import keys

    with Vault.open(vault_path(args)) as vault:
        if args.recovery_key_file:
            recovery_key = read_secret_file(Path(args.recovery_key_file))
        else:
            recovery_key = prompt_secret(tr("Recovery key"), "--recovery-key-file")
        new = new_passphrase(args.new_passphrase_file)
        result = keys.reset_passphrase(
            vault, recovery_key, new, keep_old_backups=args.keep_old_backups, store=_keystore()
        ).value
    _report_rekey(
        result, tr("Passphrase reset with the recovery key; the journal is now under a new key.")
    )
    return EXIT_OK


def _new_keys(args: argparse.Namespace, what: str) -> int:
    """A new data key and recovery key under the same passphrase (operations/keys.py)."""
    from svjournal.operations import keys

    with Vault.open(vault_path(args)) as vault:
        result = keys.new_keys(
            vault,
            passphrase_from(args),
            keep_old_backups=args.keep_old_backups,
            store=_keystore(),
        ).value
    _report_rekey(result, what)
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    return _new_keys(args, tr("The journal is now under a new key; the passphrase is unchanged."))


def cmd_recovery_key(args: argparse.Namespace) -> int:
    if not args.new:
        raise UserError(tr("use --new to replace the recovery key (it is never shown again)"))
    # The recovery key cannot be replaced alone: the data key is replaced with it.
    return _new_keys(args, tr("The recovery key was replaced; the passphrase is unchanged."))


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
        tr(
            "The journal's key is now remembered in this workstation's keyring. Anyone who can\n"
            "log in as you here can open the journal: do not use this on a shared login."
        )
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
    print(tr("This workstation no longer remembers the journal's key."))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from svjournal.core import demo
    from svjournal.core.journal import Journal

    path = vault_path(args)
    if Vault.exists(path):
        vault = unlocked_vault(args)
    else:
        vault, recovery_key = Vault.create(path, new_passphrase(args.passphrase_file))
        print(tr("Created an encrypted journal at {path}").format(path=path))
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
        # Translators: {cases}, {encounters}, {follow_ups} are counts such as "12 cases".
        tr("Added fictional demo data: {cases}, {encounters}, {follow_ups}.").format(
            cases=ntr("{n} case", "{n} cases", summary.cases).format(
                n=format_number(summary.cases)
            ),
            encounters=ntr("{n} encounter", "{n} encounters", summary.encounters).format(
                n=format_number(summary.encounters)
            ),
            follow_ups=ntr("{n} follow-up", "{n} follow-ups", summary.follow_ups).format(
                n=format_number(summary.follow_ups)
            ),
        )
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from svjournal.ui.app import run_app
    except ImportError as exc:
        raise UserError(tr("the desktop app cannot start: {error}").format(error=exc)) from None
    return run_app(vault_path=vault_path(args), log_file=not args.no_log_file)


def register(kit: CommandKit) -> None:
    """Add init, check, passwd, recover, rekey, recovery-key, remember, forget and demo."""
    init = kit.add("init", cmd_init, tr("create a new encrypted journal"), kit.secret)
    init.add_argument(
        "--remember", action="store_true", help=tr("remember the key on this workstation")
    )
    kit.add("check", cmd_check, tr("verify encryption, integrity and schema version"), kit.secret)
    keep = argparse.ArgumentParser(add_help=False)
    keep.add_argument(
        "--keep-old-backups",
        action="store_true",
        help=tr(
            "leave older backups as they are (they keep opening with the old passphrase and "
            "recovery key) instead of re-sealing them under the new key"
        ),
    )
    passwd = kit.add(
        "passwd",
        cmd_passwd,
        tr("change the passphrase (the journal gets a new key and a new recovery key)"),
        kit.secret,
        keep,
    )
    passwd.add_argument(
        "--new-passphrase-file", metavar="F", help=tr("read the new passphrase from F")
    )
    recover = kit.add(
        "recover",
        cmd_recover,
        tr("reset a forgotten passphrase with the recovery key (a new key and recovery key too)"),
        keep,
    )
    recover.add_argument(
        "--recovery-key-file", metavar="F", help=tr("read the recovery key from F")
    )
    recover.add_argument(
        "--new-passphrase-file", metavar="F", help=tr("read the new passphrase from F")
    )
    kit.add(
        "rekey",
        cmd_rekey,
        tr("give the journal a new key and recovery key, keeping the passphrase"),
        kit.secret,
        keep,
    )
    recovery = kit.add(
        "recovery-key",
        cmd_recovery_key,
        tr("replace the recovery key (the journal gets a new key with it)"),
        kit.secret,
        keep,
    )
    recovery.add_argument("--new", action="store_true", help=tr("make and show a new recovery key"))
    kit.add(
        "remember", cmd_remember, tr("remember the key in this workstation's keyring"), kit.secret
    )
    kit.add("forget", cmd_forget, tr("remove the remembered key from this workstation's keyring"))
    demo = kit.add(
        "demo", cmd_demo, tr("fill a journal with clearly fictional demo data"), kit.secret
    )
    demo.add_argument(
        "--cases", type=positive_int, default=120, help=tr("how many cases (default 120)")
    )
    demo.add_argument("--seed", type=int, default=1, help=tr("random seed (default 1)"))
    demo.add_argument(
        "--encounters-per-case",
        type=encounter_mean,
        default=3.0,
        metavar="N",
        help=tr("mean encounters per case (default 3)"),
    )
    demo.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
