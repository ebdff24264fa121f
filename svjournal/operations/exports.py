"""Actions that write a file: a backup to a chosen place, the personal export, the calendar.

Each writes its file (atomically, by the writer it calls) and its export-log line here, once,
with the same words whichever front end asked. None of them changes journal records, so
none has an undo step; the log line is the only row written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from svjournal.core import backup as backups
from svjournal.core.i18n import ntr, tr
from svjournal.core.journal import Journal
from svjournal.core.locale_format import format_number
from svjournal.core.passphrase import require_strong
from svjournal.core.vault import Vault
from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult

NOTHING = Changes()
# The export log's details are written in the language spoken when the file was written:
# the log is the supporter's own record, read in the same window.


def back_up_now(vault: Vault, *, keep: int) -> OpResult[Path]:
    """A verified, encrypted backup into the journal's own backups folder, keeping the
    newest `keep` (no export-log line: nothing leaves the journal's folder)."""
    return OpResult(vault.backup("manual", keep=keep), NOTHING)


def back_up_to(vault: Vault, journal: Journal, dest: Path) -> OpResult[backups.BackupHeader]:
    """A verified, encrypted backup written to `dest` (outside the journal's own folder)."""
    header = backups.read_header(vault.backup("manual", dest=dest))
    journal.record_export(
        "backup", str(dest), detail=tr("encrypted backup (verified)"), records=header.records
    )
    return OpResult(header, NOTHING)


def export_everything(vault: Vault, journal: Journal, dest: Path, passphrase: str) -> OpResult[int]:
    """Everything, notes included, sealed with an export passphrase (strong enough, checked
    here for every front end)."""
    from svjournal.reports.personal import write_personal_export

    require_strong(passphrase)
    records = write_personal_export(vault.engine, dest, passphrase, vault_id=vault.vault_id)
    journal.record_export(
        "personal-export", str(dest), detail=tr("encrypted, notes included"), records=records
    )
    return OpResult(records, NOTHING)


def export_calendar(
    journal: Journal, dest: Path, *, today: date, days: int, include_overdue: bool
) -> OpResult[int]:
    """Planned follow-ups as an .ics file: no names, no notes (see reports/calendar.py)."""
    from svjournal.reports.calendar import planned_follow_ups, write_calendar

    items = planned_follow_ups(journal, today, days, include_overdue=include_overdue)
    count = write_calendar(items, dest, today=today)
    overdue = sum(item.overdue for item in items)
    if include_overdue:
        # Translators: the export log's note on a calendar export; {n} days ahead.
        detail = ntr(
            "next {n} day, {overdue} overdue", "next {n} days, {overdue} overdue", days
        ).format(n=format_number(days), overdue=format_number(overdue))
    else:
        detail = ntr("next {n} day", "next {n} days", days).format(n=format_number(days))
    journal.record_export("calendar", str(dest), detail=detail, records=count)
    return OpResult(count, NOTHING)
