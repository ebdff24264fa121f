"""`svjournal retention`: de-identify cases closed more than N months ago (see core/retention)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from svjournal.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandKit,
    UserError,
    confirm,
    iso_date,
    positive_int,
    unlocked_vault,
)
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_date, format_number


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(tr("svjournal: warning: {warning}").format(warning=line), file=sys.stderr)


def cmd_retention(args: argparse.Namespace) -> int:
    from svjournal.core.journal import Journal
    from svjournal.operations import retention

    today: date = args.today or date.today()
    with unlocked_vault(args) as vault:
        journal = Journal(vault.engine)
        months = args.months or journal.setting("retention_months")
        if not months:
            raise UserError(
                tr("retention is off in this journal's settings: give --months N to run it once")
            )
        found = retention.preview_retention(vault, journal, months, today)
        print(
            ntr(
                "Retention: cases closed more than {n} month ago (before {date}).",
                "Retention: cases closed more than {n} months ago (before {date}).",
                months,
            ).format(n=format_number(months), date=format_date(found.cutoff))
        )
        for line in found.lines(format_date):
            print(f"  {line}")
        _warn(found.warnings())
        if args.dry_run:
            print(tr("Dry run: nothing was changed."))
            return EXIT_OK
        if found.nothing_to_do:
            return EXIT_OK
        question = tr("De-identify these cases now? This cannot be undone.")
        if not args.yes and not confirm(question):
            print(tr("Nothing was changed."))
            return EXIT_OK
        result = retention.apply_retention(vault, journal, months, today).value
    for line in result.lines(format_date):
        print(line)
    if result.fresh_backup is not None:
        print(tr("A new backup of the cleaned journal: {path}").format(path=result.fresh_backup))
    _warn(result.warnings())
    return EXIT_ERROR if result.backups.failed else EXIT_OK


def register(kit: CommandKit) -> None:
    cmd = kit.add(
        "retention",
        cmd_retention,
        tr(
            "de-identify cases closed more than N months ago (their pseudonym, notes, contact "
            "details and drafts go; coded fields stay) and clean or delete old backups"
        ),
        kit.secret,
    )
    cmd.add_argument(
        "--months",
        type=positive_int,
        metavar="N",
        help=tr("the window in months (default: the journal's retention setting)"),
    )
    cmd.add_argument(
        "--dry-run", action="store_true", help=tr("show what would go and change nothing")
    )
    cmd.add_argument("--yes", action="store_true", help=tr("do not ask for confirmation"))
    cmd.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
