"""SQLAlchemy engines over SQLCipher 4, keyed with the raw data key; integrity checks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

if TYPE_CHECKING:
    from sqlalchemy import Engine

from svjournal.core.errors import VaultLocked
from svjournal.core.i18n import tr

PAGE_SIZE = 4096  # SQLCipher 4's default page size: a healthy file is a whole number of pages

# Pragmas every connection gets, in this order, after the key has been verified.
CONNECTION_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA cache_size = -32768",
)

DatabaseError = sqlcipher3.DatabaseError

# SQLCipher 4's settings, set explicitly on every connection and checked after the first
# read, so a library built with other defaults fails loudly instead of reading (or
# writing) a file under settings we never chose. With a raw key the KDF is not run, but
# its settings are part of the format. `cipher_memory_security`: see docs/SECURITY.md.
CIPHER_SETTINGS = (
    ("cipher_page_size", "4096"),
    ("cipher_use_hmac", "1"),
    ("cipher_hmac_algorithm", "HMAC_SHA512"),
    ("cipher_kdf_algorithm", "PBKDF2_HMAC_SHA512"),
    ("kdf_iter", "256000"),
    ("cipher_plaintext_header_size", "0"),
)
_HEX = b"0123456789abcdef"


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


class CipherSettingsDiffer(sqlcipher3.DatabaseError):
    """The library reports other cipher settings than the ones pinned."""


def check_cipher_settings(conn: sqlcipher3.Connection, schema: str = "main") -> None:
    for name, value in CIPHER_SETTINGS:
        row = conn.execute(f"PRAGMA {schema}.{name}").fetchone()
        got = "" if row is None else str(row[0])
        if got.upper() not in (value.upper(), "ON" if value == "1" else value.upper()):
            raise CipherSettingsDiffer(f"{name} is {got}, not {value}")


class KeyHolder:
    """The data key, kept in a mutable buffer so that locking can overwrite it."""

    def __init__(self, key: bytes) -> None:
        self._key = bytearray(key)

    def raw_form(self) -> bytearray:
        """SQLCipher's raw-key form `x'<64 hex digits>'`, built byte by byte in a new
        buffer (never a str, which Python cannot wipe); the caller wipes it."""
        if not any(self._key):
            # Locked while a task still held the engine: the lock is what happened, and the
            # UI puts it into words (a RuntimeError was reported as a crash after locking).
            raise VaultLocked()
        form = bytearray(len(self._key) * 2 + 3)
        form[0:2], form[-1] = b"x'", ord("'")
        for i, byte in enumerate(self._key):
            form[2 + 2 * i] = _HEX[byte >> 4]
            form[3 + 2 * i] = _HEX[byte & 15]
        return form

    def apply(self, conn: sqlcipher3.Connection) -> None:
        """Key `conn` (sqlite3_key through set_key: the buffer is passed, not copied into a
        str), wipe the buffer, then pin the cipher settings."""
        form = self.raw_form()
        try:
            conn.set_key(form)
        finally:
            _wipe(form)
        for name, value in CIPHER_SETTINGS:
            conn.execute(f"PRAGMA {name} = {value}")

    def bytes(self) -> bytes:
        return bytes(self._key)

    def take(self, other: KeyHolder) -> None:
        """Hold `other`'s key instead (in place: engines built on this holder follow it);
        `other` is wiped."""
        self._key[:] = other._key
        other.wipe()

    def wipe(self) -> None:
        for i in range(len(self._key)):
            self._key[i] = 0

    @property
    def wiped(self) -> bool:
        return not any(self._key)


def open_raw(path: Path, key: KeyHolder, *, configure: bool = True) -> sqlcipher3.Connection:
    """A DB-API connection, keyed and verified; raises sqlcipher3.DatabaseError if not."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        key.apply(conn)
        # The first read decrypts page 1: a wrong key or a damaged file fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        check_cipher_settings(conn)
        if configure:
            for pragma in CONNECTION_PRAGMAS:
                conn.execute(pragma).fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path, key: KeyHolder) -> Engine:
    """An engine whose every connection (any thread) is keyed, verified and configured."""
    # Imported here: SQLAlchemy is needed from unlocking on, not to show the lock screen
    # (the app imports it in the background while the passphrase is typed).
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    def creator() -> Any:
        return open_raw(path, key)

    engine = create_engine(
        "sqlite+pysqlite://",
        creator=creator,
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,  # a file database; the URL alone would suggest :memory:
        # Two kept (the GUI thread's and a worker's); more open when needed and close again,
        # so their page caches (up to 32 MiB each) do not stay resident.
        pool_size=2,
        max_overflow=6,
        pool_use_lifo=True,  # the connection used last has the warmest page cache
        pool_pre_ping=False,
    )

    # pysqlite's own transaction handling skips BEGIN before DDL and SELECT; emit it
    # ourselves so that a save or a migration is one real transaction.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    # Disposing the engine on lock closes only idle connections; one a worker thread still
    # had (a long query when the idle lock fired) is closed here, when it comes back.
    @event.listens_for(engine, "checkin")
    def _close_after_lock(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None and key.wiped:
            record.invalidate()

    return engine


@dataclass
class IntegrityReport:
    """What `PRAGMA cipher_integrity_check` and `PRAGMA integrity_check` said."""

    cipher_errors: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    cipher_version: str = ""
    cipher_settings: list[str] = field(default_factory=list)
    journal_mode: str = ""

    @property
    def ok(self) -> bool:
        return not self.cipher_errors and self.integrity == ["ok"]


def _rows(conn: sqlcipher3.Connection, pragma: str) -> list[str]:
    """A pragma's rows as text; a check that cannot even run reports the reason as a row."""
    try:
        return [str(r[0]) for r in conn.execute(pragma)]
    except DatabaseError as exc:
        return [f"cannot run: {exc}"]


def check_integrity(conn: sqlcipher3.Connection) -> IntegrityReport:
    report = IntegrityReport()
    report.cipher_errors = _rows(conn, "PRAGMA cipher_integrity_check")
    report.integrity = _rows(conn, "PRAGMA integrity_check")
    report.cipher_version = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    report.cipher_settings = [str(r[0]) for r in conn.execute("PRAGMA cipher_settings")]
    report.journal_mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    return report


def file_shape_problem(path: Path) -> str | None:
    """A reason the database file cannot be a healthy vault database, or None."""
    if not path.exists():
        return tr("the database file is missing")
    size = os.path.getsize(path)
    if size == 0:
        return tr("the database file is empty")
    if size % PAGE_SIZE:
        return tr("the database file is truncated")
    return None
