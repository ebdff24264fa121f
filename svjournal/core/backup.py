"""Encrypted, verified backup files of a vault (database + the key file current at the time).

File layout: the magic `SVJBACKUP\\n`, a 4-byte big-endian header length, a JSON header
(format version, when, why, schema revision, the key file, row counts, size and SHA-256 of the
database part), then a copy of the SQLCipher database taken with SQLite's backup API — pages
encrypted with the same data key, so the backup opens with the passphrase or recovery key
current when it was made. A backup is verified (both integrity checks, row counts) before it
is moved into place, and again, completely, before anything is restored from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from svjournal.core.atomic import OWNER_ONLY_FILE, fsync_dir, remove_stale_temps
from svjournal.core.backup_folders import (
    BackupListing,
    backup_name,
    copy_to_folder,
    describe_backups,
    list_backups,
    rotate,
    vault_of,
)
from svjournal.core.backup_format import (
    CHUNK,
    FORMAT_VERSION,
    MAGIC,
    MAX_HEADER,
    RECORD_TABLES,
    SUFFIX,
    BackupError,
    BackupHeader,
    header_mac,
    header_mac_key,
    read_header,
)
from svjournal.core.db import DatabaseError, KeyHolder, open_raw
from svjournal.core.i18n import tr

# The format and the folders live in their own modules; their names are kept here, where the
# rest of svjournal has always found them.
__all__ = [
    "CHUNK",
    "COUNTED_TABLES",
    "FORMAT_VERSION",
    "MAGIC",
    "MAX_HEADER",
    "RECORD_TABLES",
    "SUFFIX",
    "BackupError",
    "BackupHeader",
    "BackupListing",
    "DatabaseCheck",
    "assemble",
    "backup_name",
    "check_database",
    "copy_to_folder",
    "describe_backups",
    "export_database",
    "header_fields",
    "header_mac",
    "header_mac_key",
    "list_backups",
    "read_header",
    "remove_sidecars_only",
    "remove_with_sidecars",
    "rotate",
    "row_counts",
    "vault_of",
    "write_backup",
]

log = logging.getLogger(__name__)


COUNTED_TABLES = (
    "cases",
    "encounters",
    "follow_ups",
    "contact_details",
    "settings",
    "export_log",
    "drafts",
)
# Page cache for integrity_check: it cross-checks every index against its table, and with
# too small a cache decrypts the same pages again and again (16 MiB: 11 s on a 100,000-
# encounter journal; 32 MiB: 1.5 s; 256 MiB: 1.1 s). About 40 % of the file, 32 to 256 MiB,
# keeps it fast without a large journal's backup doubling the app's memory for a moment.
_VERIFY_CACHE_MIN_KIB = 32 * 1024
_VERIFY_CACHE_MAX_KIB = 256 * 1024


def _verify_cache_kib(path: Path) -> int:
    wanted = int(path.stat().st_size * 0.4) // 1024
    return max(_VERIFY_CACHE_MIN_KIB, min(_VERIFY_CACHE_MAX_KIB, wanted))


@dataclass(frozen=True)
class DatabaseCheck:
    """What verifying a database copy found; `problem` is None when it is sound."""

    problem: str | None
    counts: dict[str, int]
    revision: str | None


# --- checks --------------------------------------------------------------------------------


def row_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    counts = {}
    tables = {r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master")}
    for table in COUNTED_TABLES:
        if table in tables:
            counts[table] = conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
    return counts


def _revision(conn: Any) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except DatabaseError:  # no alembic_version table
        return None
    return str(row[0]) if row else None


def _pragma_rows(conn: Any, pragma: str) -> list[str]:
    try:
        return [str(r[0]) for r in conn.execute(pragma)]
    except DatabaseError as exc:
        return [f"cannot run: {exc}"]


def check_database(path: Path, key: KeyHolder, expected: dict[str, int] | None) -> DatabaseCheck:
    """Both integrity checks, the row counts against `expected`, and the schema revision.

    The two checks run on two connections at once (SQLite releases the GIL): the cipher
    check reads every page's HMAC while integrity_check walks the b-trees.
    """
    try:
        main = open_raw(path, key, configure=False)
    except DatabaseError:
        return DatabaseCheck(tr("its database cannot be opened with its key"), {}, None)
    try:
        second = open_raw(path, key, configure=False)
    except DatabaseError:
        main.close()
        return DatabaseCheck(tr("its database cannot be opened with its key"), {}, None)
    cipher: list[str] = []
    worker = threading.Thread(
        target=lambda: cipher.extend(_pragma_rows(second, "PRAGMA cipher_integrity_check")),
        name="cipher-integrity-check",
    )
    worker.start()
    try:
        main.execute(f"PRAGMA cache_size = -{_verify_cache_kib(path)}")
        integrity = _pragma_rows(main, "PRAGMA integrity_check")
        try:
            counts = row_counts(main)
            revision = _revision(main)
        except DatabaseError:
            counts, revision = {}, None
    finally:
        worker.join()
        second.close()
        main.close()
    if cipher:
        return DatabaseCheck(tr("its database failed the cipher integrity check"), counts, revision)
    if integrity != ["ok"]:
        return DatabaseCheck(tr("its database failed the integrity check"), counts, revision)
    if expected is not None and counts != expected:
        problem = tr("its database holds other row counts than when it was made")
        return DatabaseCheck(problem, counts, revision)
    return DatabaseCheck(None, counts, revision)


def remove_with_sidecars(db: Path) -> None:
    for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


# --- writing -------------------------------------------------------------------------------


def export_database(db_path: Path, key: KeyHolder, dest: Path) -> tuple[dict[str, int], str | None]:
    """A consistent encrypted copy into `dest` (an empty owner-only file) through SQLite's
    backup API; the row counts and schema revision of the copied snapshot.

    One read transaction covers the counts and the copy, so both see the same snapshot even
    while another connection writes (WAL readers never block writers).
    """
    source = open_raw(db_path, key)
    # The copy reads each page once: a large cache would only hold memory for nothing.
    source.execute("PRAGMA cache_size = -2048")
    try:
        # An existing empty file is an empty database to SQLite; created by mkstemp it is
        # owner-only from the start (SQLite would create it 0644 less the umask).
        target = sqlcipher3.connect(str(dest), isolation_level=None, check_same_thread=False)
        try:
            target.execute("PRAGMA cipher_log_level = NONE")
            key.apply(target)  # same key, same page layout: pages copy as they are
            source.execute("BEGIN")
            try:
                counts = row_counts(source)  # the first read fixes the snapshot
                revision = _revision(source)
                source.backup(target)
            finally:
                source.execute("COMMIT")
        finally:
            target.close()
    finally:
        source.close()
    return counts, revision


def header_fields(
    reason: str, revision: str | None, key_file: bytes, counts: dict[str, int], size: int
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "reason": reason,
        "schema_revision": revision,
        "key_file": key_file.decode("utf-8"),
        "row_counts": counts,
        "db_size": size,
        "db_sha256": "0" * 64,  # placeholder of the same length, filled in after the copy
        "header_mac": "0" * 64,  # likewise, computed over the final fields
    }


def assemble(dest: Path, fields: dict[str, Any], db_file: Path, mac_key: bytes) -> Path:
    """Magic, header and database part into a temp file beside `dest`, hashed as it is
    copied and synced; returns the temp file (the caller moves it into place)."""
    head = json.dumps(fields, sort_keys=True).encode()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if os.name == "posix":
                os.fchmod(out.fileno(), OWNER_ONLY_FILE)
            out.write(MAGIC + struct.pack(">I", len(head)) + head)
            digest = hashlib.sha256()
            with open(db_file, "rb") as source:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            signed = {**fields, "db_sha256": digest.hexdigest()}
            signed["header_mac"] = header_mac(mac_key, signed)
            final = json.dumps(signed, sort_keys=True)
            if len(final.encode()) != len(head):
                raise AssertionError("the backup header changed length")
            out.seek(len(MAGIC) + 4)
            out.write(final.encode())
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_backup(
    db_path: Path,
    key: KeyHolder,
    key_file: bytes,
    dest: Path,
    reason: str,
    *,
    staging: Path | None = None,
) -> Path:
    """Write a verified backup file at `dest` (atomically); returns `dest`.

    The database copy is made and verified in `staging` (a private folder: the vault's
    backups folder). While both integrity checks run, the file is assembled beside `dest`;
    it is moved into place only if the checks pass.
    """
    folder = staging or dest.parent
    if not dest.parent.is_dir():
        raise BackupError(tr("the folder {folder} does not exist").format(folder=dest.parent))
    remove_stale_temps(dest)  # an interrupted `backup -o` to the same file left these
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".db", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    assembled: Path | None = None
    try:
        counts, revision = export_database(db_path, key, tmp)
        fields = header_fields(reason, revision, key_file, counts, tmp.stat().st_size)
        with ThreadPoolExecutor(1, thread_name_prefix="backup-assemble") as pool:
            assembling = pool.submit(assemble, dest, fields, tmp, header_mac_key(key.bytes()))
            try:
                check = check_database(tmp, key, counts)
            finally:
                with contextlib.suppress(Exception):
                    assembled = assembling.result()
            assembled = assembling.result()  # raises what assembling raised
        if check.problem:
            # Translators: {problem}: e.g. "its database failed the integrity check".
            problem = tr("the copy did not pass its checks ({problem})")
            raise BackupError(problem.format(problem=check.problem))
        if check.revision != revision:
            raise BackupError(tr("the copy's schema differs from the journal's"))
        os.replace(assembled, dest)
        assembled = None
        fsync_dir(dest.parent)
    except OSError as exc:
        raise BackupError(
            tr("{path} cannot be written ({reason})").format(path=dest, reason=exc.strerror or exc)
        ) from exc
    except DatabaseError as exc:
        raise BackupError(tr("the journal cannot be read ({reason})").format(reason=exc)) from exc
    finally:
        if assembled is not None:
            assembled.unlink(missing_ok=True)
        remove_with_sidecars(tmp)
    return dest


def remove_sidecars_only(db: Path) -> None:
    # Verifying opened the copy in WAL mode; every connection is closed, so the -wal is empty.
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        side.unlink(missing_ok=True)
