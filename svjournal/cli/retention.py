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


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"svjournal: warning: {line}", file=sys.stderr)


def cmd_retention(args: argparse.Namespace) -> int:
    from svjournal.core.journal import Journal
    from svjournal.operations import retention

    today: date = args.today or date.today()
    with unlocked_vault(args) as vault:
        journal = Journal(vault.engine)
        months = args.months or journal.setting("retention_months")
        if not months:
            raise UserError(
                "retention is off in this journal's settings: give --months N to run it once"
            )
        found = retention.preview_retention(vault, journal, months, today)
        print(f"Retention: cases closed more than {months} months ago (before {found.cutoff}).")
        for line in found.lines():
            print(f"  {line}")
        _warn(found.warnings())
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return EXIT_OK
        if found.nothing_to_do:
            return EXIT_OK
        if not args.yes and not confirm("De-identify these cases now? This cannot be undone."):
            print("Nothing was changed.")
            return EXIT_OK
        result = retention.apply_retention(vault, journal, months, today).value
    for line in result.lines():
        print(line)
    if result.fresh_backup is not None:
        print(f"A new backup of the cleaned journal: {result.fresh_backup}")
    _warn(result.warnings())
    return EXIT_ERROR if result.backups.failed else EXIT_OK


def register(kit: CommandKit) -> None:
    cmd = kit.add(
        "retention",
        cmd_retention,
        "de-identify cases closed more than N months ago (their pseudonym, notes, contact "
        "details and drafts go; coded fields stay) and clean or delete old backups",
        kit.secret,
    )
    cmd.add_argument(
        "--months",
        type=positive_int,
        metavar="N",
        help="the window in months (default: the journal's retention setting)",
    )
    cmd.add_argument("--dry-run", action="store_true", help="show what would go and change nothing")
    cmd.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    cmd.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
