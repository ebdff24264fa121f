"""An open vault's state once its folder is held: the paths, the data key in memory, the
database engine (migrated on unlock), its backups and the check.

`core/vault.py` builds the entry points on it (`Vault`: create, open, unlock, re-key,
restore); other code imports `Vault` from there, not this base.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.core import backup as backups
from svjournal.core import logsafe
from svjournal.core import vault_folder as folder
from svjournal.core.atomic import make_private_dir
from svjournal.core.db import DatabaseError, KeyHolder, make_engine
from svjournal.core.errors import (
    MigrationFailed,
    SvJournalError,
    UnsupportedVersion,
    VaultDamaged,
    VaultError,
    VaultLocked,
)
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KeyFile, KeyFileDamaged
from svjournal.core.process_lock import ProcessLock
from svjournal.core.vault_check import (
    UNREADABLE,
    CheckReport,
    build_report,
    read_check,
    unlock_problem,
)
from svjournal.core.vault_folder import BACKUPS_NAME, DB_NAME, KEY_NAME

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
# Why a backup was made, as the log may name it (other reasons are written as <withheld>).
logsafe.allow_words("manual", "close", "before-restore", "self-test", "after-retention")

DEFAULT_BACKUPS_KEPT = 10


@dataclass(frozen=True)
class CloseBackup:
    """The backup taken as the app closes, and its copy in the extra folder if one is set."""

    path: Path
    copy: Path | None = None
    copy_problem: str | None = None


class VaultBase:
    """A vault folder held by this process (its lock taken); unlocked while `engine` exists."""

    def __init__(self, path: Path, lock: ProcessLock, migrations: Path | None = None) -> None:
        self.path = path
        self._lock = lock
        self._migrations = migrations
        self._key: KeyHolder | None = None
        self._engine: Engine | None = None
        self._refused = 0  # wrong passphrases since this vault was opened (for the log)

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def key_path(self) -> Path:
        return self.path / KEY_NAME

    @property
    def backups_dir(self) -> Path:
        return self.path / BACKUPS_NAME

    @staticmethod
    def exists(path: Path) -> bool:
        return (path / KEY_NAME).exists() or (path / DB_NAME).exists()

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    @property
    def vault_id(self) -> str:
        return self._read_key_file().vault_id

    def lock(self) -> None:
        """Dispose every connection and overwrite the key buffer."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._key is not None:
            self._key.wipe()
            self._key = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultLocked()
        return self._engine

    @property
    def holds_key(self) -> bool:
        """Whether the data key is in memory (the vault is unlocked, or is unlocking)."""
        return self._key is not None

    @property
    def migrations(self) -> Path | None:
        """The migration scripts this vault upgrades with (None: the package's own)."""
        return self._migrations

    def key_copy(self) -> KeyHolder:
        """A copy of the data key in a buffer of its own (the caller wipes it): work that
        opens backups with it goes on even if the vault locks meanwhile."""
        return KeyHolder(self._require_key().bytes())

    def read_key_file(self) -> KeyFile:
        """The key file, parsed; VaultDamaged when it is missing or damaged."""
        return self._read_key_file()

    def quiesce(self) -> None:
        """Close every idle connection before the database file is replaced; refused while
        one is in use (its writes would go to the file being replaced)."""
        if self._engine is None:
            return
        if self._engine.pool.checkedout():  # type: ignore[attr-defined]
            raise VaultError(tr("The journal is busy; try again in a moment."))
        self._engine.pool.dispose()

    def adopt_key(self, key: KeyHolder) -> None:
        """After a re-key: the unlocked vault's key buffer holds the new key (the engine's
        connections, all closed by `quiesce`, reopen with it)."""
        if self._key is None or self._engine is None:
            key.wipe()
            return
        self._engine.pool.dispose()
        self._key.take(key)

    def backup(
        self, reason: str = "manual", dest: Path | None = None, keep: int | None = None
    ) -> Path:
        """A verified encrypted backup; into `backups/` (rotated) unless `dest` is given."""
        # A copy of the key: locking the vault meanwhile (idle lock) cannot pull it away.
        key = KeyHolder(self._require_key().bytes())
        if self._engine is not None:
            # Idle pooled connections let go of their page caches (up to 32 MiB each) while
            # the copy is verified with a cache of its own; connections in use are kept.
            self._engine.pool.dispose()
        try:
            written = self.write_backup_with(key, reason, dest)
        finally:
            key.wipe()
        if dest is None:
            backups.rotate(self.backups_dir, keep if keep is not None else DEFAULT_BACKUPS_KEPT)
        if dest is None:
            log.info("backup made (%s) in the vault's backups folder", reason)
        else:
            log.info("backup made (%s) to a chosen file", reason)
        return written

    def close_backup(
        self, keep: int, extra_folder: Path | None = None, reason: str = "close"
    ) -> CloseBackup:
        """The backup taken as the app closes (or the journal locks: `reason` "lock"): into
        `backups/` (rotated to `keep`), and a copy into `extra_folder` (a USB or network
        drive) if set. A failed copy is reported, not raised: the backup in the vault is
        what matters."""
        path = self.backup(reason, keep=keep)
        if extra_folder is None:
            return CloseBackup(path)
        try:
            copy = backups.copy_to_folder(path, extra_folder, keep)
        except SvJournalError as exc:
            log.warning("close backup not copied to the extra folder (%s)", type(exc).__name__)
            return CloseBackup(path, None, str(exc))
        return CloseBackup(path, copy)

    def write_backup_with(self, key: KeyHolder, reason: str, dest: Path | None = None) -> Path:
        """A verified backup made with `key` (the caller's, which it wipes): no rotation,
        no log line."""
        make_private_dir(self.backups_dir)
        target = dest or folder.unique(self.backups_dir / backups.backup_name(reason))
        return backups.write_backup(
            self.db_path,
            key,
            self.key_path.read_bytes(),
            target,
            reason,
            staging=self.backups_dir,
        )

    def newest_backup(self) -> Path | None:
        found = backups.list_backups(self.backups_dir)
        return found[0] if found else None

    def check(self) -> CheckReport:
        from svjournal.core import schema

        try:
            integrity, revision = read_check(self.db_path, self._require_key())
        except DatabaseError:
            raise self._damaged(tr(UNREADABLE)) from None
        head = schema.head_revision(self._migrations)
        return build_report(integrity, revision, head, folder.permission_problems(self.path))

    def _require_key(self) -> KeyHolder:
        if self._key is None:
            raise VaultLocked()
        return self._key

    def _damaged(self, reason: str) -> VaultDamaged:
        return VaultDamaged(self.path, reason, self.newest_backup())

    def _read_key_file(self) -> KeyFile:
        try:
            data = self.key_path.read_bytes()
        except FileNotFoundError:
            raise self._damaged(tr("the key file is missing")) from None
        try:
            return KeyFile.from_bytes(data)
        except KeyFileDamaged as exc:
            raise self._damaged(str(exc)) from None

    def _start(self, key: KeyHolder) -> None:
        """Open the database with a key known to be right; anything odd now is damage."""
        problem = unlock_problem(self.db_path, key)
        if problem:
            key.wipe()
            raise self._damaged(problem)
        self.lock()
        self._key = key
        self._engine = make_engine(self.db_path, key)
        try:
            self._migrate_if_needed()
        except BaseException:
            self.lock()
            raise

    def _migrate_if_needed(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from svjournal.core import schema

        try:
            with self.engine.connect() as conn:
                revision = schema.current_revision(conn)
        except SQLAlchemyError:
            raise self._damaged(tr("the database's schema cannot be read")) from None
        if revision is None:
            raise self._damaged(tr("the database holds no svjournal schema"))
        head = schema.head_revision(self._migrations)
        if revision == head:
            return
        if revision not in schema.known_revisions(self._migrations):
            raise UnsupportedVersion("journal")
        # Both among our own migrations (checked above): words of ours, fit for the log.
        logsafe.allow_words(revision, head, f"before-upgrade-{revision}")
        saved = self.backup(reason=f"before-upgrade-{revision}")
        log.info("upgrading the vault schema from %s to %s", revision, head)
        try:
            schema.upgrade(self.engine, script_location=self._migrations)
        except Exception as exc:
            raise MigrationFailed(type(exc).__name__, saved) from exc
