"""Backups folders: file names that sort by when, listing and describing what a folder holds,
rotation to the newest N (per vault in a shared folder), and a verified copy into a second
folder (a USB or network drive)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from svjournal.core.atomic import OWNER_ONLY_FILE, fsync_dir
from svjournal.core.backup_format import (
    CHUNK,
    SUFFIX,
    BackupError,
    BackupHeader,
    read_header,
)
from svjournal.core.errors import ExportFileError
from svjournal.core.i18n import tr

_STAMP = "%Y%m%d-%H%M%S-%f"
_STAMP_LEN = len("20260101-120000-000000")


@dataclass(frozen=True)
class BackupListing:
    """One file of a backups folder, for the Settings list."""

    path: Path
    size: int
    header: BackupHeader | None
    problem: str | None  # why the header cannot be read, if it cannot


def backup_name(reason: str, when: datetime | None = None) -> str:
    # Microseconds: two backups in one second must still sort in the order they were made.
    stamp = (when or datetime.now()).strftime(_STAMP)
    return f"svjournal-{stamp}-{reason}{SUFFIX}"


def _stamp_of(path: Path) -> str:
    return path.name[len("svjournal-") :][:_STAMP_LEN]


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, newest first, by the timestamp in their names."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"svjournal-*{SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: (_stamp_of(p), p.stat().st_mtime_ns), reverse=True)


def describe_backups(folder: Path) -> list[BackupListing]:
    """Every backup in `folder` with its header (or why it cannot be read), newest first."""
    listings = []
    for path in list_backups(folder):
        try:
            size = path.stat().st_size
            listings.append(BackupListing(path, size, read_header(path), None))
        except ExportFileError as exc:
            listings.append(BackupListing(path, 0, None, str(exc)))
        except OSError:
            continue  # deleted while we looked
    return listings


def rotate(folder: Path, keep: int, *, vault_id: str | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted.

    With `vault_id`, only that vault's backups count (a shared USB folder may hold several);
    files whose header cannot be read are then left alone.
    """
    found = list_backups(folder)
    if vault_id is not None:
        found = [p for p in found if vault_of(p) == vault_id]
    doomed = found[keep:] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def vault_of(path: Path) -> str | None:
    try:
        return read_header(path).vault_id
    except ExportFileError:
        return None


def copy_to_folder(backup: Path, folder: Path, keep: int) -> Path:
    """Copy a backup into another folder (a USB or network drive) and rotate there."""
    if not folder.is_dir():
        raise BackupError(tr("the folder {folder} is not available").format(folder=folder))
    header = read_header(backup)
    dest = folder / backup.name
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackupError(
            tr("{path} cannot be written ({reason})").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(backup, "rb") as source:
            if os.name == "posix":
                os.fchmod(out.fileno(), OWNER_ONLY_FILE)
            while chunk := source.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        _check_copy(tmp, header)
        os.replace(tmp, dest)
        fsync_dir(folder)
    except OSError as exc:
        reason = exc.strerror or exc
        raise BackupError(
            tr("the copy in {folder} cannot be written ({reason})").format(
                folder=folder, reason=reason
            )
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    rotate(folder, keep, vault_id=header.vault_id)
    return dest


def _check_copy(copy: Path, header: BackupHeader) -> None:
    """A copied file reads back with the same header and database checksum."""
    try:
        again = read_header(copy)
    except ExportFileError as exc:
        raise BackupError(tr("the copy does not read back")) from exc
    digest = hashlib.sha256()
    with open(copy, "rb") as handle:
        handle.seek(again.db_offset)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != header.db_sha256:
        raise BackupError(tr("the copy does not read back as written"))
