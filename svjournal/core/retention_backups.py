"""Retention in the backups: the ones older than the window go, the others are cleaned.

A backup made last week still holds every case the journal held then, closed long ago or
not, so de-identifying only the journal would leave the removed text in up to ten files.
Each backup the current key opens is cleaned the way the journal is (`retention_sql`), then
vacuumed and re-assembled with the time, reason and key file it had: it restores to the
same point in time, without what retention removed. A backup the current key does not open
(kept by a re-key with "keep old backups") cannot be cleaned; it is reported, never touched.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from svjournal.core import backup as backups
from svjournal.core import restore as restoring
from svjournal.core.atomic import fsync_dir
from svjournal.core.db import DatabaseError, KeyHolder, open_raw
from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KeyFile, KeyFileDamaged
from svjournal.core.retention_sql import count_due, deidentify

log = logging.getLogger(__name__)


@dataclass
class BackupPlan:
    """The backups of one journal, sorted by what retention does to them."""

    expired: list[Path] = field(default_factory=list)  # made before the cutoff: deleted
    to_check: list[Path] = field(default_factory=list)  # the current key opens them: cleaned
    other_key: list[Path] = field(default_factory=list)  # made under earlier secrets: left
    unreadable: list[Path] = field(default_factory=list)  # header damaged: left


def _made_on(header: backups.BackupHeader) -> date:
    return datetime.fromisoformat(header.created_at).date()


def plan(folders: list[Path], vault_id: str, key: bytes, cutoff: date) -> BackupPlan:
    """Sort this journal's backups in `folders` (files of other journals are left out)."""
    result = BackupPlan()
    for folder in folders:
        for path in backups.list_backups(folder):
            try:
                header = backups.read_header(path)
                key_file = KeyFile.from_bytes(header.key_file)
                made = _made_on(header)
            except (SvJournalError, KeyFileDamaged, ValueError, OSError):
                result.unreadable.append(path)
                continue
            if key_file.vault_id != vault_id:
                continue
            if made < cutoff:
                result.expired.append(path)
            elif key_file.fits(key):
                result.to_check.append(path)
            else:
                result.other_key.append(path)
    return result


def clean_backup(path: Path, key: KeyHolder, cutoff: date, when: datetime, staging: Path) -> bool:
    """De-identify the due cases inside one backup, in place; True when it changed.

    The database part is copied out (into the private `staging` folder), cleaned in one
    transaction with secure_delete on, vacuumed, verified like any backup, and the file is
    re-assembled beside the original and moved over it (atomic: a crash leaves the old file
    or the new one).
    """
    header = backups.read_header(path)
    fd, part_name = tempfile.mkstemp(prefix=".retention-", suffix=".db", dir=staging)
    os.close(fd)
    part = Path(part_name)
    part.unlink()
    assembled: Path | None = None
    try:
        digest = restoring.copy_part(path, header.db_offset, header.db_size, part)
        if digest != header.db_sha256:
            raise backups.BackupError(tr("a backup is damaged and was not cleaned"))
        conn = open_raw(part, key, configure=False)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            if not count_due(conn, cutoff).anything:
                return False
            conn.execute("BEGIN IMMEDIATE")
            try:
                deidentify(conn, cutoff, when)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            conn.execute("VACUUM")
            counts = backups.row_counts(conn)
        finally:
            conn.close()
        check = backups.check_database(part, key, counts)
        if check.problem:
            # Translators: {problem}: e.g. "its database failed the integrity check".
            problem = tr("the cleaned copy did not pass its checks ({problem})")
            raise backups.BackupError(problem.format(problem=check.problem))
        backups.remove_sidecars_only(part)
        fields = backups.header_fields(
            header.reason, header.schema_revision, header.key_file, counts, part.stat().st_size
        )
        fields["created_at"] = header.created_at  # it still restores to the time it was made
        assembled = backups.assemble(path, fields, part, backups.header_mac_key(key.bytes()))
        os.replace(assembled, path)
        assembled = None
        fsync_dir(path.parent)
        return True
    finally:
        if assembled is not None:
            assembled.unlink(missing_ok=True)
        backups.remove_with_sidecars(part)


@dataclass(frozen=True)
class BackupOutcome:
    deleted: tuple[Path, ...] = ()
    cleaned: tuple[Path, ...] = ()
    failed: tuple[Path, ...] = ()  # could not be cleaned (damaged, disk full): still hold text


def carry_out(
    found: BackupPlan, key: KeyHolder, cutoff: date, when: datetime, staging: Path
) -> BackupOutcome:
    """Delete the expired backups and clean the others; one that fails is reported, and the
    rest still go ahead."""
    deleted, cleaned, failed = [], [], []
    for path in found.expired:
        try:
            path.unlink(missing_ok=True)
            deleted.append(path)
        except OSError as exc:
            log.warning("an expired backup could not be deleted (%s)", type(exc).__name__)
            failed.append(path)
    for path in found.to_check:
        try:
            if clean_backup(path, key, cutoff, when, staging):
                cleaned.append(path)
        except (SvJournalError, OSError, DatabaseError) as exc:
            log.warning("a backup could not be cleaned (%s)", type(exc).__name__)
            failed.append(path)
    return BackupOutcome(tuple(deleted), tuple(cleaned), tuple(failed))
