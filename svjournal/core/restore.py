"""Restoring a backup into a vault folder: stage and verify it, then swap both files as one.

The backup's database and key file are staged beside the live ones (`.journal.db.restoring`,
`.journal.key.restoring`) and verified completely. Then a marker file is written: from that
moment the swap is rolled forward — now, or on the next open if the process dies half-way —
and before it the staged files are simply thrown away. A vault therefore holds either its
old database and key file or the restored pair, never one of each.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from svjournal.core import backup as backups
from svjournal.core import strict_json
from svjournal.core.atomic import OWNER_ONLY_FILE, atomic_write_bytes, fsync_dir, make_private_dir
from svjournal.core.db import DatabaseError, KeyHolder, open_raw
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    UnsupportedVersion,
    WrongFilePassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KeyFile, KeyFileDamaged
from svjournal.core.locale_format import format_datetime

log = logging.getLogger(__name__)

MARKER = ".svjournal-restore"
_SIDECARS = ("-wal", "-shm", "-journal")
# A re-key (core/rekey.py) stages each re-sealed backup as `backups/.NAME.resealing`; they
# are moved onto their backups with the database and key file, after the marker.
RESEALING = ".resealing"
BACKUPS = "backups"


def resealing_name(backup: Path) -> Path:
    return backup.with_name(f".{backup.name}{RESEALING}")


def resealed_target(staged: Path) -> Path:
    """The backup a `.NAME.resealing` file replaces."""
    return staged.with_name(staged.name[1 : -len(RESEALING)])


def drop_resealing(folder: Path) -> None:
    if folder.is_dir():
        for leftover in folder.glob(f".*{RESEALING}"):
            leftover.unlink(missing_ok=True)


@dataclass
class StagedBackup:
    """A backup's database copied out and verified, ready to be moved into a vault."""

    header: backups.BackupHeader
    key_file: bytes
    key: KeyHolder
    path: Path
    counts: dict[str, int]
    revision: str | None

    @property
    def records(self) -> int:
        return sum(self.counts.get(table, 0) for table in backups.RECORD_TABLES)


# --- staging ---------------------------------------------------------------------------------


def copy_part(source: Path, offset: int, size: int, dest: Path) -> str:
    """Copy `size` bytes from `offset` into a new owner-only file; their SHA-256."""
    digest = hashlib.sha256()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as handle:
        handle.seek(offset)
        left = size
        while left:
            chunk = handle.read(min(backups.CHUNK, left))
            if not chunk:
                raise FileDamaged(tr("The backup file is truncated."))
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _made(created_at: str) -> str:
    """When a backup was made, as the current language writes a date and time."""
    try:
        return format_datetime(datetime.fromisoformat(created_at).replace(tzinfo=None))
    except ValueError:  # not ISO: shown as written
        return created_at.replace("T", " ")[:16]


def _unwrap(
    header: backups.BackupHeader,
    key_file: KeyFile,
    passphrase: str | None,
    recovery_key: str | None,
) -> bytes:
    when = _made(header.created_at)
    try:
        if recovery_key is not None:
            return key_file.unwrap_with_recovery_key(recovery_key)
        if passphrase is None:
            raise ValueError("a passphrase or a recovery key is needed")
        return key_file.unwrap_with_passphrase(passphrase)
    except WrongRecoveryKey:
        raise WrongFilePassphrase(
            tr(
                "That recovery key does not open this backup (made {when}). A backup opens "
                "with the recovery key of the journal it was made from."
            ).format(when=when)
        ) from None
    except WrongPassphrase:
        raise WrongFilePassphrase(
            tr(
                "That passphrase does not open this backup. A backup opens with the "
                "passphrase that was current when it was made ({when}), or with the "
                "recovery key."
            ).format(when=when)
        ) from None


def stage_backup(
    source: Path,
    dest: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
) -> StagedBackup:
    """Check a backup completely and copy its database out to `dest` (which must not exist).

    Raises NotOurFile, FileDamaged, FileTooNew or WrongFilePassphrase and leaves nothing
    behind; on success `dest` holds a database that passed both integrity checks and whose
    row counts match the header, and the returned key opens it.
    """
    header = backups.read_header(source)
    try:
        key_file = KeyFile.from_bytes(header.key_file)
    except KeyFileDamaged:
        raise FileDamaged(tr("The key file inside the backup is damaged.")) from None
    except UnsupportedVersion:
        raise FileTooNew(
            tr("This backup was written by a newer svjournal; update the app.")
        ) from None
    backups.remove_with_sidecars(dest)
    try:
        try:
            digest = copy_part(source, header.db_offset, header.db_size, dest)
        except OSError as exc:
            raise ExportFileError(
                tr("The backup cannot be copied out ({reason}).").format(reason=exc.strerror or exc)
            ) from exc
        if digest != header.db_sha256:
            raise FileDamaged(
                tr("The backup file is damaged: its contents do not match its checksum.")
            )
        key = KeyHolder(_unwrap(header, key_file, passphrase, recovery_key))
        if not header.authentic(key.bytes()):
            key.wipe()
            raise FileDamaged(
                tr(
                    "The backup file's header was changed after it was made (its date, reason "
                    "or row counts no longer match its seal)."
                )
            )
        check = backups.check_database(dest, key, header.row_counts)
        if check.problem:
            key.wipe()
            # Translators: {problem}: e.g. "its database failed the integrity check".
            problem = tr("The journal inside the backup did not pass its checks ({problem}).")
            raise FileDamaged(problem.format(problem=check.problem))
        if check.revision is None:
            key.wipe()
            raise FileDamaged(tr("The journal inside the backup holds no svjournal schema."))
        backups.remove_sidecars_only(dest)
    except BaseException:
        backups.remove_with_sidecars(dest)
        raise
    return StagedBackup(header, header.key_file, key, dest, check.counts, check.revision)


def staged_paths(db: Path, key: Path) -> tuple[Path, Path]:
    return db.with_name(f".{db.name}.restoring"), key.with_name(f".{key.name}.restoring")


def _unlink_staged(db: Path, key: Path) -> None:
    staged_db, staged_key = staged_paths(db, key)
    for leftover in (staged_key, staged_db, *(Path(f"{staged_db}{s}") for s in _SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def stage(
    source: Path,
    db: Path,
    key: Path,
    *,
    passphrase: str | None,
    recovery_key: str | None,
    known_revisions: Callable[[], set[str]],
) -> StagedBackup:
    """Verify `source` completely and stage its database and key file beside `db` and `key`.

    Nothing live is touched. Raises NotOurFile, FileDamaged, FileTooNew or
    WrongFilePassphrase (and leaves nothing staged) when the backup cannot be restored.
    """
    _unlink_staged(db, key)
    staged_db, staged_key = staged_paths(db, key)
    staged = stage_backup(source, staged_db, passphrase=passphrase, recovery_key=recovery_key)
    try:
        if staged.revision not in known_revisions():
            raise FileTooNew(
                tr(
                    "This backup holds a journal from a newer svjournal (schema {revision}); "
                    "update the app to restore it."
                ).format(revision=staged.revision)
            )
        _record_restore(staged, source)
        write_durably(staged_key, staged.key_file)
        fsync_dir(db.parent)
    except BaseException:
        staged.key.wipe()
        _unlink_staged(db, key)
        raise
    return staged


def write_durably(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _record_restore(staged: StagedBackup, source: Path) -> None:
    """A line in the restored journal's own export log: that is the log the user will see."""
    when = staged.header.created_at.replace("T", " ")[:16]
    values = {
        "id": str(uuid.uuid4()),
        # SQLAlchemy's storage format for DateTime on SQLite.
        "at": datetime.now().strftime("%Y-%m-%d %H:%M:%S.000000"),
        "kind": "restore",
        "destination": str(source),
        "detail": f"backup made {when} ({staged.header.reason})",
        "records": staged.records,
    }
    conn = open_raw(staged.path, staged.key)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(export_log)")}
        if not columns:
            return
        names = [name for name in values if name in columns]
        marks = ", ".join("?" for _ in names)
        conn.execute(
            f"INSERT INTO export_log ({', '.join(names)}) VALUES ({marks})",
            [values[name] for name in names],
        )
        # Into the main file now: only the main file moves into the vault.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except DatabaseError as exc:
        # The restore itself is sound; only its log line is missing.
        log.warning("the restore was not written to the export log (%s)", type(exc).__name__)
    finally:
        conn.close()
    for side in ("-wal", "-shm"):
        Path(f"{staged.path}{side}").unlink(missing_ok=True)


def commit(db: Path, key: Path, keep: Path | None) -> None:
    """Swap the staged pair in; with `keep`, the replaced files are moved there first."""
    folder = db.parent
    relative = None if keep is None else keep.relative_to(folder).as_posix()
    atomic_write_bytes(folder / MARKER, json.dumps({"keep": relative}).encode())
    finish(db, key)


def finish(db: Path, key: Path) -> bool:
    """Roll an interrupted restore forward (marker written) or drop its staged files.

    Idempotent: a step already done is skipped, so a crash during this function is
    finished by the next call. True when a restore was completed.
    """
    folder = db.parent
    marker = folder / MARKER
    if not marker.exists():
        _unlink_staged(db, key)
        drop_resealing(folder / BACKUPS)
        return False
    keep = _keep_folder(folder, marker)
    if keep is not None:
        make_private_dir(keep)
    staged_db, staged_key = staged_paths(db, key)
    if staged_db.exists():
        for suffix in _SIDECARS:
            _set_aside(Path(f"{db}{suffix}"), keep)
        _set_aside(db, keep, unlink=False)
        os.replace(staged_db, db)
    if staged_key.exists():
        _set_aside(key, keep, unlink=False)
        os.replace(staged_key, key)
    fsync_dir(folder)
    if keep is not None:
        fsync_dir(keep)
    resealed = folder / BACKUPS
    if resealed.is_dir():
        for staged in resealed.glob(f".*{RESEALING}"):
            os.replace(staged, resealed_target(staged))
        fsync_dir(resealed)
    marker.unlink()
    fsync_dir(folder)
    log.info("a restored journal was put in place")
    return True


def _keep_folder(folder: Path, marker: Path) -> Path | None:
    try:
        relative = strict_json.loads(marker.read_bytes())["keep"]
    except (ValueError, KeyError, TypeError, OSError):
        relative = "backups/replaced-interrupted"  # unreadable marker: keep, never delete
    if relative is None:
        return None
    candidate = (folder / str(relative)).resolve()
    if folder.resolve() not in candidate.parents:
        candidate = folder / "backups" / "replaced-interrupted"
    return candidate


def _set_aside(path: Path, keep: Path | None, *, unlink: bool = True) -> None:
    """Move a live file into `keep`; without `keep`, delete it (sidecars) or leave it to be
    replaced (the database and key file, which os.replace swaps atomically)."""
    if not path.exists():
        return
    if keep is not None:
        os.replace(path, keep / path.name)
    elif unlink:
        path.unlink()
