"""`svjournal` sub-commands for whole-journal files: backup, restore, personal export, calendar."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
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
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_date, format_datetime, format_number


def _output(option: str) -> Path:
    dest = Path(option).expanduser()
    if not dest.parent.is_dir():
        raise UserError(
            tr("cannot write {path}: the folder {folder} does not exist").format(
                path=dest, folder=dest.parent
            )
        )
    return dest.resolve()


def _output_file(option: str) -> Path:
    """Like `_output`, for commands that write one named file (not into a folder)."""
    dest = _output(option)
    if dest.is_dir():
        raise UserError(tr("{path} is a folder; give a file name").format(path=dest))
    return dest


def _when(created_at: str) -> str:
    """A backup's time (ISO, local, from its header) as the language writes it."""
    try:
        return format_datetime(datetime.fromisoformat(created_at))
    except ValueError:  # a header from elsewhere: shown as it is
        return created_at.replace("T", " ")[:16]


def _day(created_at: str) -> str:
    try:
        return format_date(datetime.fromisoformat(created_at).date())
    except ValueError:
        return created_at[:10]


def _records(n: int | None) -> str:
    # An unknown count ('?') reads as a plural.
    return ntr("{n} record", "{n} records", 2 if n is None else n).format(n=_number(n))


def _number(n: int | None) -> str:
    return "?" if n is None else format_number(n)


def _row_counts(counts: dict[str, int]) -> tuple[str, str, str]:
    """'12 cases', '40 encounters', '3 follow-ups' from a backup's row counts ('?' where the
    header has none)."""
    cases, encounters, follow_ups = (counts.get(k) for k in ("cases", "encounters", "follow_ups"))
    return (
        ntr("{n} case", "{n} cases", 2 if cases is None else cases).format(n=_number(cases)),
        ntr("{n} encounter", "{n} encounters", 2 if encounters is None else encounters).format(
            n=_number(encounters)
        ),
        ntr("{n} follow-up", "{n} follow-ups", 2 if follow_ups is None else follow_ups).format(
            n=_number(follow_ups)
        ),
    )


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
        tr(
            "Wrote a verified, encrypted backup ({records}) to {path}\n"
            "It opens with this journal's current passphrase or its recovery key."
        ).format(records=_records(header.records), path=dest)
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from svjournal.core.vault import Vault
    from svjournal.operations import restore as restoring

    source = Path(args.file).expanduser().resolve()
    header = restoring.read_backup(source)  # a foreign or damaged file stops here, unasked
    target = vault_path(args)
    counts = header.row_counts or {}
    cases, encounters, follow_ups = _row_counts(counts)
    print(
        # Translators: {reason} is the backup's reason code (manual, daily, pre-restore...);
        # {cases}, {encounters}, {follow_ups} are counts such as "12 cases".
        tr("Backup made {when} ({reason}): {cases}, {encounters}, {follow_ups}.").format(
            when=_when(header.created_at),
            reason=header.reason,
            cases=cases,
            encounters=encounters,
            follow_ups=follow_ups,
        )
    )
    if Vault.exists(target):
        question = tr(
            "Replace the journal at {path} with this backup? "
            "The current journal is kept in its backups folder first."
        ).format(path=target)
    else:
        question = tr("There is no journal at {path}. Create it from this backup?").format(
            path=target
        )
    if not args.yes and not confirm(question):
        print(tr("Nothing was changed."))
        return EXIT_ERROR
    recovery_key = passphrase = None
    if args.recovery_key_file:
        recovery_key = read_secret_file(Path(args.recovery_key_file))
    elif args.passphrase_file:
        passphrase = read_secret_file(Path(args.passphrase_file))
    else:
        passphrase = prompt_secret(
            tr("Passphrase of the backup's time (or Ctrl+C and --recovery-key-file)"),
            "--passphrase-file",
        )
    result = restoring.restore_into(
        target, source, passphrase=passphrase, recovery_key=recovery_key
    ).value
    print(
        tr("Restored {records} into {path}.").format(records=_records(result.records), path=target)
    )
    if result.previous is not None:
        if result.previous_is_backup:
            kept = tr("The journal it replaced was backed up to {path}")
        else:
            kept = tr("The journal it replaced was kept, as it was, in {path}")
        print(kept.format(path=result.previous))
    print(
        tr(
            "Unlock it with the passphrase that was current on {day} "
            "(or the recovery key of that time)."
        ).format(day=_day(result.created_at))
    )
    return EXIT_OK


# --- personal export and calendar --------------------------------------------------------


def _export_passphrase(args: argparse.Namespace) -> str:
    from svjournal.core.passphrase import require_strong

    if args.export_passphrase_file:
        chosen = read_secret_file(Path(args.export_passphrase_file))
    else:
        option = "--export-passphrase-file"
        chosen = prompt_secret(tr("Export passphrase (new, for this file)"), option)
        if chosen != prompt_secret(tr("Repeat the export passphrase"), option):
            raise UserError(tr("the two export passphrases differ"))
    require_strong(chosen)
    return chosen


def cmd_export(args: argparse.Namespace) -> int:
    from svjournal.core.journal import Journal
    from svjournal.operations import exports
    from svjournal.reports.personal import WARNING

    dest = _output_file(args.output)
    print(tr("Warning: {warning}").format(warning=tr(WARNING)) + "\n", file=sys.stderr)
    with unlocked_vault(args) as vault:
        chosen = _export_passphrase(args)
        records = exports.export_everything(vault, Journal(vault.engine), dest, chosen).value
    print(
        tr("Wrote everything ({records}, notes included), encrypted, to {path}").format(
            records=_records(records), path=dest
        )
    )
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
        ntr("Wrote {n} follow-up to {path}", "Wrote {n} follow-ups to {path}", count).format(
            n=format_number(count), path=dest
        )
    )
    print(tr('Events say only "Peer support follow-up" and a reference code: no names, no notes.'))
    return EXIT_OK


def register(kit: CommandKit) -> None:
    """Add `backup`, `restore`, `export` and `calendar`."""
    backup = kit.add(
        "backup", cmd_backup, tr("write a verified, encrypted backup of the journal"), kit.secret
    )
    backup.add_argument("-o", "--output", required=True, metavar="FILE", help=tr("file or folder"))

    restore = kit.add(
        "restore",
        cmd_restore,
        tr(
            "replace the journal with a backup (the current one is kept first); also recreates "
            "a lost vault folder"
        ),
        kit.secret,
    )
    restore.add_argument("file", metavar="FILE", help=tr("the .svjbackup file"))
    restore.add_argument(
        "--recovery-key-file", metavar="F", help=tr("open the backup with the recovery key in F")
    )
    restore.add_argument("--yes", action="store_true", help=tr("do not ask for confirmation"))

    export = kit.add(
        "export",
        cmd_export,
        tr("export everything, notes included, into a file encrypted with an export passphrase"),
        kit.secret,
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument(
        "--export-passphrase-file", metavar="F", help=tr("read the export passphrase from F")
    )

    calendar = kit.add(
        "calendar",
        cmd_calendar,
        tr("export planned follow-ups as an .ics calendar (no names, no notes)"),
        kit.secret,
    )
    calendar.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    calendar.add_argument(
        "--days",
        type=positive_int,
        default=90,
        metavar="N",
        help=tr("how far ahead, in days (default 90)"),
    )
    calendar.add_argument(
        "--include-overdue",
        action="store_true",
        help=tr("also list overdue follow-ups (shown on today, marked overdue)"),
    )
    calendar.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
