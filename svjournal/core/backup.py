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
import hmac
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

from svjournal.core import strict_json
from svjournal.core.atomic import OWNER_ONLY_FILE, fsync_dir, remove_stale_temps
from svjournal.core.db import PAGE_SIZE, DatabaseError, KeyHolder, open_raw
from svjournal.core.errors import (
    ExportFileError,
    FileDamaged,
    FileTooNew,
    NotOurFile,
    SvJournalError,
)

log = logging.getLogger(__name__)

MAGIC = b"SVJBACKUP\n"
# 2: the header carries `header_mac`, an HMAC-SHA256 over the other fields under a key derived
# from the data key (HKDF), so a changed date or row count is damage. 1: no MAC (older
# backups, still read; their database part is verified against the counts as before).
FORMAT_VERSION = 2
_MAC_INFO = b"svjournal backup header v2"


def header_mac_key(data_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_MAC_INFO).derive(data_key)


def _signed_part(fields: dict[str, Any]) -> bytes:
    body = {k: v for k, v in fields.items() if k != "header_mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def header_mac(mac_key: bytes, fields: dict[str, Any]) -> str:
    return hmac.new(mac_key, _signed_part(fields), "sha256").hexdigest()


SUFFIX = ".svjbackup"
COUNTED_TABLES = (
    "cases",
    "encounters",
    "follow_ups",
    "contact_details",
    "settings",
    "export_log",
    "drafts",
)
RECORD_TABLES = ("cases", "encounters", "follow_ups")  # what "N records" counts
MAX_HEADER = 1_000_000
CHUNK = 1 << 20
# Page cache for integrity_check: it cross-checks every index against its table, and with
# too small a cache decrypts the same pages again and again (16 MiB: 11 s on a 100,000-
# encounter journal; 32 MiB: 1.5 s; 256 MiB: 1.1 s). About 40 % of the file, 32 to 256 MiB,
# keeps it fast without a large journal's backup doubling the app's memory for a moment.
_VERIFY_CACHE_MIN_KIB = 32 * 1024
_VERIFY_CACHE_MAX_KIB = 256 * 1024


def _verify_cache_kib(path: Path) -> int:
    wanted = int(path.stat().st_size * 0.4) // 1024
    return max(_VERIFY_CACHE_MIN_KIB, min(_VERIFY_CACHE_MAX_KIB, wanted))


# Other svjournal files someone may pick by mistake: named, so the error can say what it is.
_OTHER_KINDS = {b"SVJEXPORT\n": "a personal export", b"SVJBUNDLE\n": "a team bundle"}


class BackupError(SvJournalError):
    """A backup could not be written (the copy failed its checks, the disk is full, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The backup could not be made: {reason}.")
        self.reason = reason


@dataclass(frozen=True)
class BackupHeader:
    created_at: str
    reason: str
    schema_revision: str | None
    key_file: bytes
    db_size: int
    db_sha256: str
    row_counts: dict[str, int] | None = None
    db_offset: int = 0  # where the database part starts in the file
    mac: str | None = None  # format 2: HMAC over `signed`
    signed: bytes = b""

    def authentic(self, data_key: bytes) -> bool:
        """Whether the header is as written under this data key (format 1: no MAC, so
        only what the database part proves — counts and checksum — is checked)."""
        if self.mac is None:
            return True
        want = hmac.new(header_mac_key(data_key), self.signed, "sha256").hexdigest()
        return hmac.compare_digest(want, self.mac)

    @property
    def records(self) -> int | None:
        """Cases + encounters + follow-ups, when the header lists them."""
        if self.row_counts is None:
            return None
        return sum(self.row_counts.get(table, 0) for table in RECORD_TABLES)

    @property
    def vault_id(self) -> str | None:
        try:
            return str(strict_json.loads(self.key_file)["vault_id"])
        except (ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class DatabaseCheck:
    """What verifying a database copy found; `problem` is None when it is sound."""

    problem: str | None
    counts: dict[str, int]
    revision: str | None


@dataclass(frozen=True)
class BackupListing:
    """One file of a backups folder, for the Settings list."""

    path: Path
    size: int
    header: BackupHeader | None
    problem: str | None  # why the header cannot be read, if it cannot


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
        return DatabaseCheck("cannot be opened with its key", {}, None)
    try:
        second = open_raw(path, key, configure=False)
    except DatabaseError:
        main.close()
        return DatabaseCheck("cannot be opened with its key", {}, None)
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
        return DatabaseCheck("failed the cipher integrity check", counts, revision)
    if integrity != ["ok"]:
        return DatabaseCheck("failed the integrity check", counts, revision)
    if expected is not None and counts != expected:
        return DatabaseCheck("holds other row counts than when it was made", counts, revision)
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
        raise BackupError(f"the folder {dest.parent} does not exist")
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
            raise BackupError(f"the copy {check.problem}")
        if check.revision != revision:
            raise BackupError("the copy's schema differs from the journal's")
        os.replace(assembled, dest)
        assembled = None
        fsync_dir(dest.parent)
    except OSError as exc:
        raise BackupError(f"{dest} cannot be written ({exc.strerror or exc})") from exc
    except DatabaseError as exc:
        raise BackupError(f"the journal cannot be read ({exc})") from exc
    finally:
        if assembled is not None:
            assembled.unlink(missing_ok=True)
        remove_with_sidecars(tmp)
    return dest


def remove_sidecars_only(db: Path) -> None:
    # Verifying opened the copy in WAL mode; every connection is closed, so the -wal is empty.
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        side.unlink(missing_ok=True)


# --- reading -------------------------------------------------------------------------------


def read_header(path: Path) -> BackupHeader:
    """The backup's public header; raises NotOurFile, FileDamaged or FileTooNew."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            start = handle.read(len(MAGIC) + 4)
            if not start.startswith(MAGIC):
                raise NotOurFile(_not_a_backup(start))
            if len(start) < len(MAGIC) + 4:
                raise FileDamaged("The backup file is truncated.")
            (length,) = struct.unpack(">I", start[len(MAGIC) :])
            if length > MAX_HEADER:
                raise FileDamaged("The backup file's header is damaged.")
            raw = handle.read(length)
    except FileNotFoundError:
        raise ExportFileError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise NotOurFile(f"{path} is a folder, not a backup file.") from None
    except OSError as exc:
        raise ExportFileError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if len(raw) < length:
        raise FileDamaged("The backup file is truncated.")
    header = _parse_header(raw, len(MAGIC) + 4 + length)
    if size < header.db_offset + header.db_size:
        raise FileDamaged("The backup file is truncated.")
    if size > header.db_offset + header.db_size:
        raise FileDamaged("The backup file has bytes after its end; it was altered.")
    return header


def _not_a_backup(start: bytes) -> str:
    for magic, kind in _OTHER_KINDS.items():
        if start.startswith(magic):
            return f"This file is {kind}, not a backup."
    return "This is not an svjournal backup file."


def _parse_header(raw: bytes, db_offset: int) -> BackupHeader:
    try:
        data = strict_json.loads(raw)  # depth, NaN/Infinity and huge numbers refused
        if not isinstance(data, dict):
            raise TypeError("not an object")
        version = strict_json.small_int(data["format_version"], 1, 1_000_000)
    except (ValueError, KeyError, TypeError) as exc:
        raise FileDamaged("The backup file's header is damaged.") from exc
    if version > FORMAT_VERSION:
        raise FileTooNew("This backup was written by a newer svjournal; update the app first.")
    try:
        counts = data.get("row_counts")
        if counts is not None:
            counts = {str(k): strict_json.small_int(v, 0, 10**12) for k, v in dict(counts).items()}
        revision = data.get("schema_revision")
        header = BackupHeader(
            created_at=str(data["created_at"]),
            reason=str(data["reason"]),
            schema_revision=None if revision is None else str(revision),
            key_file=str(data["key_file"]).encode("utf-8"),
            db_size=strict_json.small_int(data["db_size"], PAGE_SIZE, 1 << 44),
            db_sha256=str(data["db_sha256"]),
            row_counts=counts,
            db_offset=db_offset,
            mac=None if version < 2 else str(data["header_mac"]),
            signed=_signed_part(data),
        )
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise FileDamaged("The backup file's header is damaged.") from exc
    if version < 1 or header.db_size < PAGE_SIZE or header.db_size % PAGE_SIZE:
        raise FileDamaged("The backup file's header is damaged.")
    return header


# --- folders -------------------------------------------------------------------------------

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
        raise BackupError(f"the folder {folder} is not available")
    header = read_header(backup)
    dest = folder / backup.name
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackupError(f"{folder} cannot be written ({exc.strerror or exc})") from exc
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
        raise BackupError(f"the copy in {folder} cannot be written ({reason})") from exc
    finally:
        tmp.unlink(missing_ok=True)
    rotate(folder, keep, vault_id=header.vault_id)
    return dest


def _check_copy(copy: Path, header: BackupHeader) -> None:
    """A copied file reads back with the same header and database checksum."""
    try:
        again = read_header(copy)
    except ExportFileError as exc:
        raise BackupError("the copy does not read back") from exc
    digest = hashlib.sha256()
    with open(copy, "rb") as handle:
        handle.seek(again.db_offset)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != header.db_sha256:
        raise BackupError("the copy does not read back as written")
