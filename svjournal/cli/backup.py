"""`svjournal` sub-commands for whole-journal files: backup, restore, personal export, calendar."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    confirm,
    iso_date,
    positive_int,
    prompt_secret,
    read_secret_file,
    unlocked_vault,
    vault_path,
)


def _output(option: str) -> Path:
    dest = Path(option).expanduser()
    if not dest.parent.is_dir():
        raise UserError(f"cannot write {dest}: the folder {dest.parent} does not exist")
    return dest.resolve()


def _output_file(option: str) -> Path:
    """Like `_output`, for commands that write one named file (not into a folder)."""
    dest = _output(option)
    if dest.is_dir():
        raise UserError(f"{dest} is a folder; give a file name")
    return dest


def _when(created_at: str) -> str:
    return created_at.replace("T", " ")[:16]


# --- backup and restore -------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from svjournal.core import backup as backups
    from svjournal.core.journal import Journal
    from svjournal.operations import exports

    dest = _output(args.output)
    if dest.is_dir():
        dest = dest / backups.backup_name("manual")
    with unlocked_vault(args) as vault:
        header = exports.back_up_to(vault, Journal(vault.engine), dest).value
    print(
        f"Wrote a verified, encrypted backup ({header.records} records) to {dest}\n"
        "It opens with this journal's current passphrase or its recovery key."
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from svjournal.core.vault import Vault
    from svjournal.operations import restore as restoring

    source = Path(args.file).expanduser().resolve()
    header = restoring.read_backup(source)  # a foreign or damaged file stops here, unasked
    target = vault_path(args)
    counts = header.row_counts or {}
    print(
        f"Backup made {_when(header.created_at)} ({header.reason}): "
        f"{counts.get('cases', '?')} cases, {counts.get('encounters', '?')} encounters, "
        f"{counts.get('follow_ups', '?')} follow-ups."
    )
    if Vault.exists(target):
        question = (
            f"Replace the journal at {target} with this backup? "
            "The current journal is kept in its backups folder first."
        )
    else:
        question = f"There is no journal at {target}. Create it from this backup?"
    if not args.yes and not confirm(question):
        print("Nothing was changed.")
        return EXIT_ERROR
    recovery_key = passphrase = None
    if args.recovery_key_file:
        recovery_key = read_secret_file(Path(args.recovery_key_file))
    elif args.passphrase_file:
        passphrase = read_secret_file(Path(args.passphrase_file))
    else:
        passphrase = prompt_secret(
            "Passphrase of the backup's time (or Ctrl+C and --recovery-key-file)"
        )
    result = restoring.restore_into(
        target, source, passphrase=passphrase, recovery_key=recovery_key
    ).value
    print(f"Restored {result.records} records into {target}.")
    if result.previous is not None:
        kept = "backed up to" if result.previous_is_backup else "kept, as it was, in"
        print(f"The journal it replaced was {kept} {result.previous}")
    print(
        "Unlock it with the passphrase that was current on "
        f"{_when(result.created_at)[:10]} (or the recovery key of that time)."
    )
    return EXIT_OK


# --- personal export and calendar --------------------------------------------------------


def _export_passphrase(args: argparse.Namespace) -> str:
    from svjournal.core.passphrase import require_strong

    if args.export_passphrase_file:
        chosen = read_secret_file(Path(args.export_passphrase_file))
    else:
        chosen = prompt_secret("Export passphrase (new, for this file)")
        if chosen != prompt_secret("Repeat the export passphrase"):
            raise UserError("the two export passphrases differ")
    require_strong(chosen)
    return chosen


def cmd_export(args: argparse.Namespace) -> int:
    from svjournal.core.journal import Journal
    from svjournal.operations import exports
    from svjournal.reports.personal import WARNING

    dest = _output_file(args.output)
    print(f"Warning: {WARNING}\n", file=sys.stderr)
    with unlocked_vault(args) as vault:
        chosen = _export_passphrase(args)
        records = exports.export_everything(vault, Journal(vault.engine), dest, chosen).value
    print(f"Wrote everything ({records} records, notes included), encrypted, to {dest}")
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from svjournal.core.journal import Journal
    from svjournal.operations import exports

    dest = _output_file(args.output)
    today = args.today or date.today()
    with unlocked_vault(args) as vault:
        count = exports.export_calendar(
            Journal(vault.engine),
            dest,
            today=today,
            days=args.days,
            include_overdue=args.include_overdue,
        ).value
    print(
        f"Wrote {count} follow-up(s) to {dest}\n"
        'Events say only "Peer support follow-up" and a reference code: no names, no notes.'
    )
    return EXIT_OK


def register(kit: CommandKit) -> None:
    """Add `backup`, `restore`, `export` and `calendar`."""
    backup = kit.add(
        "backup", cmd_backup, "write a verified, encrypted backup of the journal", kit.secret
    )
    backup.add_argument("-o", "--output", required=True, metavar="FILE", help="file or folder")

    restore = kit.add(
        "restore",
        cmd_restore,
        "replace the journal with a backup (the current one is kept first); also recreates "
        "a lost vault folder",
        kit.secret,
    )
    restore.add_argument("file", metavar="FILE", help="the .svjbackup file")
    restore.add_argument(
        "--recovery-key-file", metavar="F", help="open the backup with the recovery key in F"
    )
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    export = kit.add(
        "export",
        cmd_export,
        "export everything, notes included, into a file encrypted with an export passphrase",
        kit.secret,
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument(
        "--export-passphrase-file", metavar="F", help="read the export passphrase from F"
    )

    calendar = kit.add(
        "calendar",
        cmd_calendar,
        "export planned follow-ups as an .ics calendar (no names, no notes)",
        kit.secret,
    )
    calendar.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    calendar.add_argument(
        "--days", type=positive_int, default=90, metavar="N", help="how far ahead (default 90)"
    )
    calendar.add_argument(
        "--include-overdue",
        action="store_true",
        help="also list overdue follow-ups (shown on today, marked overdue)",
    )
    calendar.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
