"""Retention ("record little, keep little"): closed cases past the window are de-identified.

`preview` says what would go; `apply` does it: in the journal (one transaction, then VACUUM
with secure_delete on and a WAL checkpoint that truncates the log, so no removed text stays
in the database file or its WAL), in the backups (older than the window: deleted; newer:
cleaned the same way, see `retention_backups`), with a line in the export log. The coded
fields stay, so every programme figure is the same before and after. Off unless the setting
`retention_months` (or the IT policy) turns it on; `due` is what the app runs at unlock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svjournal.core import backup as backups
from svjournal.core import validation as v
from svjournal.core.db import KeyHolder
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_date, format_number
from svjournal.core.models import now
from svjournal.core.periods import add_months
from svjournal.core.retention_backups import BackupOutcome, BackupPlan, carry_out, plan
from svjournal.core.retention_sql import Counts, count_due, deidentify

if TYPE_CHECKING:
    from svjournal.core.journal import Journal
    from svjournal.core.vault import Vault

log = logging.getLogger(__name__)

EXPORT_KIND = "retention"
MAX_MONTHS = 1200


def check_months(months: Any) -> int:
    return int(v.integer("months", months, low=1, high=MAX_MONTHS))  # type: ignore[arg-type]


def cutoff_for(months: int, today: date) -> date:
    """Cases closed before this day (and backups made before it) are past the window."""
    return add_months(today, -check_months(months))


@dataclass(frozen=True)
class RetentionPreview:
    """What retention would do: counts and backup files, never a pseudonym or a note."""

    months: int
    cutoff: date
    counts: Counts
    backups_expired: tuple[Path, ...] = ()
    backups_to_check: int = 0
    backups_other_key: int = 0
    extra_folder_missing: str = ""  # the extra backup folder, when set but not reachable

    @property
    def nothing_to_do(self) -> bool:
        return not self.counts.anything and not self.backups_expired

    def lines(self, day: Callable[[date], str] = format_date) -> list[str]:
        """What would go, in plain words; `day` writes a date (the current language's way)."""
        c, cutoff = self.counts, day(self.cutoff)
        if self.nothing_to_do:
            return [
                tr("Nothing to remove: no case closed before {date} holds anything.").format(
                    date=cutoff
                )
            ]
        return [
            # Translators: {date} is the cutoff day. Keep “Closed case 4F2A9C” as it is: it
            # is the pseudonym exactly as the journal stores it (in English).
            ntr(
                "{n} case closed before {date} will be de-identified: the pseudonym becomes "
                "a code like “Closed case 4F2A9C”.",
                "{n} cases closed before {date} will be de-identified: the pseudonym becomes "
                "a code like “Closed case 4F2A9C”.",
                c.cases,
            ).format(n=format_number(c.cases), date=cutoff),
            # Translators: {notes}, {contacts}, {drafts} are counts such as "3 notes".
            tr("Deleted: {notes}, {contacts}, {drafts}.").format(
                notes=_notes_count(c.notes),
                contacts=_contacts_count(c.contacts),
                drafts=_drafts_count(c.drafts, unsaved=True),
            ),
            # Translators: {encounters}, {follow_ups} are counts such as "12 encounters".
            tr(
                "Kept as coded records: {encounters} and {follow_ups}, so program figures "
                "do not change."
            ).format(
                encounters=ntr("{n} encounter", "{n} encounters", c.encounters_kept).format(
                    n=format_number(c.encounters_kept)
                ),
                follow_ups=ntr("{n} follow-up", "{n} follow-ups", c.follow_ups_kept).format(
                    n=format_number(c.follow_ups_kept)
                ),
            ),
            tr(
                "Backups made before {date} deleted: {deleted}. Newer backups checked and "
                "cleaned the same way: {checked}."
            ).format(
                date=cutoff,
                deleted=format_number(len(self.backups_expired)),
                checked=format_number(self.backups_to_check),
            ),
        ]

    def warnings(self, *, expiring: bool = True) -> list[str]:
        """What to warn about; `expiring`: the backups past the window, still to delete."""
        found = []
        if self.backups_expired and expiring:
            n = len(self.backups_expired)
            found.append(
                ntr(
                    "{n} backup older than {months} months will be deleted; it cannot be "
                    "restored afterwards.",
                    "{n} backups older than {months} months will be deleted; they cannot be "
                    "restored afterwards.",
                    n,
                ).format(n=format_number(n), months=format_number(self.months))
            )
        if self.backups_other_key:
            n = self.backups_other_key
            found.append(
                ntr(
                    "{n} backup made under an earlier passphrase cannot be opened with the "
                    "current key and still holds what it held; delete it in Settings › "
                    "Backups once you no longer need it.",
                    "{n} backups made under an earlier passphrase cannot be opened with the "
                    "current key and still hold what they held; delete them in Settings › "
                    "Backups once you no longer need them.",
                    n,
                ).format(n=format_number(n))
            )
        if self.extra_folder_missing:
            found.append(
                tr(
                    "The extra backup folder {folder} is not reachable: its copies are not "
                    "cleaned now (they are the next time it is, and it is)."
                ).format(folder=self.extra_folder_missing)
            )
        return found


def _notes_count(n: int) -> str:
    return ntr("{n} note", "{n} notes", n).format(n=format_number(n))


def _contacts_count(n: int) -> str:
    # Translators: a count of the sets of contact details (phone, email) of cases.
    return ntr("{n} set of contact details", "{n} sets of contact details", n).format(
        n=format_number(n)
    )


def _drafts_count(n: int, *, unsaved: bool = False) -> str:
    if unsaved:
        text = ntr("{n} unsaved draft", "{n} unsaved drafts", n)
    else:
        text = ntr("{n} draft", "{n} drafts", n)
    return text.format(n=format_number(n))


@dataclass(frozen=True)
class RetentionResult:
    """What retention did."""

    preview: RetentionPreview
    counts: Counts
    backups: BackupOutcome = field(default_factory=BackupOutcome)
    fresh_backup: Path | None = None  # made when no backup of the cleaned journal was left

    def lines(self, day: Callable[[date], str] = format_date) -> list[str]:
        c, b = self.counts, self.backups
        return [
            # Translators: {notes}, {contacts}, {drafts} are counts such as "3 notes".
            ntr(
                "De-identified {n} case closed before {date}: deleted {notes}, {contacts} "
                "and {drafts}.",
                "De-identified {n} cases closed before {date}: deleted {notes}, {contacts} "
                "and {drafts}.",
                c.cases,
            ).format(
                n=format_number(c.cases),
                date=day(self.preview.cutoff),
                notes=_notes_count(c.notes),
                contacts=_contacts_count(c.contacts),
                drafts=_drafts_count(c.drafts),
            ),
            tr("Backups deleted: {deleted}; cleaned: {cleaned}.").format(
                deleted=format_number(len(b.deleted)), cleaned=format_number(len(b.cleaned))
            ),
        ]

    def warnings(self) -> list[str]:
        found = self.preview.warnings(expiring=False)  # those are deleted by now
        if self.backups.failed:
            n = len(self.backups.failed)
            found.append(
                ntr(
                    "{n} backup could not be cleaned or deleted and still holds the removed "
                    "text; the next retention run tries again.",
                    "{n} backups could not be cleaned or deleted and still hold the removed "
                    "text; the next retention run tries again.",
                    n,
                ).format(n=format_number(n))
            )
        return found


def _folders(vault: Vault, journal: Journal) -> tuple[list[Path], str]:
    folders = [vault.backups_dir]
    extra = journal.setting("extra_backup_folder")
    if not extra:
        return folders, ""
    if Path(extra).is_dir():
        return [*folders, Path(extra)], ""
    return folders, str(extra)


def _plan(vault: Vault, journal: Journal, cutoff: date, key: bytes) -> tuple[BackupPlan, str]:
    folders, missing = _folders(vault, journal)
    return plan(folders, vault.vault_id, key, cutoff), missing


def preview(vault: Vault, journal: Journal, months: int, today: date) -> RetentionPreview:
    cutoff = cutoff_for(months, today)
    raw = vault.engine.raw_connection()
    try:
        counts = count_due(raw.driver_connection, cutoff)
    finally:
        raw.close()
    key = vault.key_copy()
    try:
        found, missing = _plan(vault, journal, cutoff, key.bytes())
    finally:
        key.wipe()
    return RetentionPreview(
        months,
        cutoff,
        counts,
        tuple(found.expired),
        len(found.to_check),
        len(found.other_key),
        missing,
    )


def _deidentify_journal(vault: Vault, cutoff: date, when: datetime) -> Counts:
    """The journal's part: one transaction, then VACUUM and a truncating checkpoint."""
    raw = vault.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        conn.execute("PRAGMA secure_delete = ON")  # on every connection already; said here too
        conn.execute("BEGIN IMMEDIATE")
        try:
            counts = deidentify(conn, cutoff, when)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if counts.anything:
            conn.execute("VACUUM")
            _checkpoint(conn)
    finally:
        raw.close()
    return counts


def _checkpoint(conn: Any) -> None:
    """Copy the WAL into the database and truncate it to nothing (retried while a reader
    holds it: the old pages must not stay in the log)."""
    for _attempt in range(50):
        busy, _frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        time.sleep(0.1)
    log.warning("the WAL could not be truncated after retention (a reader held it)")


@dataclass(frozen=True)
class JournalDone:
    """The journal's part done (and logged); what is left for the backups."""

    preview: RetentionPreview
    counts: Counts
    plan: BackupPlan
    when: datetime
    keep: int  # the backups_kept setting, for a fresh backup


def apply_journal(
    vault: Vault, journal: Journal, months: int, today: date, *, when: datetime | None = None
) -> JournalDone:
    """De-identify the due cases of the journal (one transaction, VACUUM, WAL truncated) and
    write the export-log line. Quick next to the backups, so the app does this part before
    any page shows a case, and the backups after it (`apply_backups`)."""
    when = when or now()
    before = preview(vault, journal, months, today)
    key = vault.key_copy()
    try:
        counts = _deidentify_journal(vault, before.cutoff, when)
        found, _missing = _plan(vault, journal, before.cutoff, key.bytes())
    finally:
        key.wipe()
    if counts.anything or found.expired:
        journal.record_export(
            EXPORT_KIND,
            "this journal and its backups",
            detail=(
                f"cases closed before {before.cutoff} de-identified ({months} months): "
                f"{counts.notes} notes, {counts.contacts} contact details, {counts.drafts} "
                f"drafts deleted; backups: {len(found.expired)} past the window deleted, "
                f"{len(found.to_check)} checked and cleaned"
            ),
            records=counts.cases,
        )
    return JournalDone(before, counts, found, when, int(journal.setting("backups_kept")))


def apply_backups(vault: Vault, done: JournalDone, key: KeyHolder) -> RetentionResult:
    """Delete the backups past the window and clean the others with `key` (a copy, wiped
    here): the work goes on if the journal locks meanwhile."""
    try:
        outcome = carry_out(done.plan, key, done.preview.cutoff, done.when, vault.backups_dir)
    finally:
        key.wipe()
    fresh = None
    if outcome.deleted and not backups.list_backups(vault.backups_dir) and vault.is_unlocked:
        # Never leave the journal without a backup: one of the cleaned journal.
        fresh = vault.backup("after-retention", keep=done.keep)
    log.info(
        "retention: %d cases de-identified, %d backups deleted, %d cleaned",
        done.counts.cases,
        len(outcome.deleted),
        len(outcome.cleaned),
    )
    return RetentionResult(done.preview, done.counts, outcome, fresh)


def apply(
    vault: Vault, journal: Journal, months: int, today: date, *, when: datetime | None = None
) -> RetentionResult:
    """De-identify what `preview` listed, log it, then delete or clean the backups."""
    done = apply_journal(vault, journal, months, today, when=when)
    return apply_backups(vault, done, vault.key_copy())


def due(vault: Vault, journal: Journal, today: date) -> RetentionPreview | None:
    """The preview of an automatic run: None when retention is off or nothing is due."""
    months = journal.setting("retention_months")
    if not months:
        return None
    found = preview(vault, journal, int(months), today)
    return None if found.nothing_to_do else found
