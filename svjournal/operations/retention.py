"""Apply retention: de-identify the cases closed longer ago than the window, in the journal
and its backups (the work is core/retention.py), with one export-log line in the same
words whichever front end asked.

Afterwards no page can trust the cases it shows, so the journal's part returns
`Changes(everything)`. The app runs the two parts apart at unlock (the journal at once,
before any page shows a case; the backups, which take seconds each, in the background), so
each part is an operation of its own as well as the whole (`apply_retention`).
"""

from __future__ import annotations

from datetime import date, datetime

from svjournal.core import retention
from svjournal.core.db import KeyHolder
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult

EVERYTHING = Changes.of(everything=True)


def preview_retention(
    vault: Vault, journal: Journal, months: int, today: date
) -> retention.RetentionPreview:
    """What a run with `months` (1 to 1200: ValidationError otherwise) would remove, in
    counts only; changes nothing."""
    return retention.preview(vault, journal, months, today)


def retention_due(vault: Vault, journal: Journal, today: date) -> retention.RetentionPreview | None:
    """The preview of the run the journal's setting asks for: None when retention is off or
    nothing is due."""
    return retention.due(vault, journal, today)


def apply_retention(
    vault: Vault, journal: Journal, months: int, today: date, *, when: datetime | None = None
) -> OpResult[retention.RetentionResult]:
    """De-identify what the preview listed, log it, then delete or clean the backups."""
    done = apply_to_journal(vault, journal, months, today, when=when).value
    return OpResult(clean_backups(vault, done, vault.key_copy()).value, EVERYTHING)


def apply_to_journal(
    vault: Vault, journal: Journal, months: int, today: date, *, when: datetime | None = None
) -> OpResult[retention.JournalDone]:
    """The journal's part (one transaction, VACUUM, the export-log line); its value is what
    `clean_backups` does next."""
    done = retention.apply_journal(vault, journal, months, today, when=when)
    return OpResult(done, EVERYTHING)


def clean_backups(
    vault: Vault, done: retention.JournalDone, key: KeyHolder
) -> OpResult[retention.RetentionResult]:
    """The backups' part, with `key` (a copy taken while unlocked, wiped here), so that it
    goes on if the journal locks meanwhile. No journal record changes."""
    return OpResult(retention.apply_backups(vault, done, key), Changes())
