"""Encrypted, verified backup files of a vault (database + the key file current at the time).

File layout: the magic `SVJBACKUP\\n`, a 4-byte big-endian header length, a JSON header
(format version, when, why, schema revision, the key file, size and SHA-256 of the database
part), then the SQLCipher database exported with `sqlcipher_export` — encrypted with the same
data key, so the backup opens with the passphrase or recovery key current when it was made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from svjournal.core.atomic import atomic_write_bytes, fsync_dir, make_private_dir
from svjournal.core.db import KeyHolder, check_integrity, open_raw

MAGIC = b"SVJBACKUP\n"
FORMAT_VERSION = 1
SUFFIX = ".svjbackup"
COUNTED_TABLES = ("cases", "encounters", "follow_ups", "contact_details", "settings", "drafts")


class BackupError(Exception):
    """A backup could not be written, or a backup file is not a sound backup."""


@dataclass(frozen=True)
class BackupHeader:
    created_at: str
    reason: str
    schema_revision: str | None
    key_file: bytes
    db_size: int
    db_sha256: str


def _row_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    counts = {}
    tables = {r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master")}
    for table in COUNTED_TABLES:
        if table in tables:
            counts[table] = conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
    return counts


def _revision(conn: Any) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception:  # no alembic_version table yet
        return None
    return row[0] if row else None


def export_database(db_path: Path, key: KeyHolder, dest: Path) -> dict[str, int]:
    """A consistent encrypted copy through SQLite, verified; returns the row counts."""
    conn = open_raw(db_path, key)
    try:
        literal = key.pragma().split("=", 1)[1].strip()  # "x'…'"
        conn.execute(f"ATTACH DATABASE ? AS backup KEY {literal}", (str(dest),))
        try:
            # One read transaction: the counts and the export see the same snapshot.
            conn.execute("BEGIN")
            counts = _row_counts(conn)
            conn.execute("SELECT sqlcipher_export('backup')").fetchall()
            conn.execute("COMMIT")
        finally:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
    verify_database(dest, key, counts)
    return counts


def verify_database(path: Path, key: KeyHolder, expected: dict[str, int] | None) -> None:
    try:
        copy = open_raw(path, key, configure=False)
    except Exception as exc:
        raise BackupError("the copy cannot be opened") from exc
    try:
        report = check_integrity(copy)
        if not report.ok:
            raise BackupError("the copy failed its integrity checks")
        if expected is not None and _row_counts(copy) != expected:
            raise BackupError("the copy's row counts differ from the journal's")
    finally:
        copy.close()


def write_backup(db_path: Path, key: KeyHolder, key_file: bytes, dest: Path, reason: str) -> Path:
    """Write a verified backup file at `dest` (atomically); returns `dest`."""
    make_private_dir(dest.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".db", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # sqlcipher_export wants to create the file itself
    try:
        export_database(db_path, key, tmp)
        conn = open_raw(tmp, key, configure=False)
        try:
            revision = _revision(conn)
        finally:
            conn.close()
        db_bytes = tmp.read_bytes()
        header = {
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "reason": reason,
            "schema_revision": revision,
            "key_file": key_file.decode("utf-8"),
            "db_size": len(db_bytes),
            "db_sha256": hashlib.sha256(db_bytes).hexdigest(),
        }
        head = json.dumps(header, sort_keys=True).encode()
        atomic_write_bytes(dest, MAGIC + struct.pack(">I", len(head)) + head + db_bytes)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    fsync_dir(dest.parent)
    return dest


def read_header(path: Path) -> BackupHeader:
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise BackupError("not an svjournal backup")
        raw_len = handle.read(4)
        if len(raw_len) != 4:
            raise BackupError("the backup is truncated")
        (length,) = struct.unpack(">I", raw_len)
        if length > 1_000_000:
            raise BackupError("the backup header is implausible")
        raw = handle.read(length)
    try:
        data = json.loads(raw)
        if int(data["format_version"]) > FORMAT_VERSION:
            raise BackupError("the backup was written by a newer svjournal")
        return BackupHeader(
            created_at=str(data["created_at"]),
            reason=str(data["reason"]),
            schema_revision=data.get("schema_revision"),
            key_file=str(data["key_file"]).encode("utf-8"),
            db_size=int(data["db_size"]),
            db_sha256=str(data["db_sha256"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("the backup header is damaged") from exc


_STAMP = "%Y%m%d-%H%M%S-%f"
_STAMP_LEN = len("20260101-120000-000000")


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
    found = folder.glob(f"svjournal-*{SUFFIX}")
    return sorted(found, key=lambda p: (_stamp_of(p), p.stat().st_mtime_ns), reverse=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    doomed = list_backups(folder)[keep:] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
