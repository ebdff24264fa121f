"""The vault folder: create, open, unlock and lock; passphrase, recovery key and keyring.

A vault is a folder holding `journal.db` (SQLCipher 4, keyed with a random 256-bit data
key), `journal.key` (that key wrapped under the passphrase and the recovery key), a lock
file that keeps a second process out, and `backups/`.
"""

from __future__ import annotations

import logging
import os
import secrets as pysecrets
import stat
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from svjournal.core import backup as backups
from svjournal.core import logsafe, portable
from svjournal.core import restore as restoring
from svjournal.core.atomic import (
    OWNER_ONLY_DIR,
    OWNER_ONLY_FILE,
    atomic_write_bytes,
    fsync_dir,
    make_private_dir,
)
from svjournal.core.db import (
    DatabaseError,
    IntegrityReport,
    KeyHolder,
    check_integrity,
    file_shape_problem,
    make_engine,
    open_raw,
)
from svjournal.core.errors import (
    ExportFileError,
    KeyringFailed,
    MigrationFailed,
    PolicyRefused,
    SvJournalError,
    UnsupportedVersion,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from svjournal.core.keyfile import (
    DATA_KEY_BYTES,
    KdfParams,
    KeyFile,
    KeyFileDamaged,
    generate_recovery_key,
)
from svjournal.core.passphrase import require_strong
from svjournal.core.policy import Policy, current_policy
from svjournal.core.process_lock import AlreadyLocked, ProcessLock

# SQLAlchemy, Alembic and the re-key are imported where they are used: opening a vault to
# show its lock screen reads file names and the key file only.
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from svjournal.core.rekey import RekeyResult
    from svjournal.core.secrets import KeyStore

log = logging.getLogger(__name__)
# Why a backup was made, as the log may name it (other reasons are written as <withheld>).
logsafe.allow_words("manual", "close", "before-restore", "self-test", "after-retention")

DB_NAME = "journal.db"
KEY_NAME = "journal.key"
LOCK_NAME = ".svjournal.lock"
BACKUPS_NAME = "backups"
ENV_VAULT = "SVJOURNAL_VAULT"
DEFAULT_BACKUPS_KEPT = 10


def default_vault_path() -> Path:
    """`SVJOURNAL_VAULT` if set, else beside the executable in portable use, else a folder in
    the platform's user data directory."""
    override = os.environ.get(ENV_VAULT)
    if override:
        return Path(override).expanduser()
    root = portable.portable_root()
    if root is not None:
        return portable.portable_vault_path(root)
    import platformdirs

    return platformdirs.user_data_path("svjournal", appauthor=False) / "vault"


@dataclass
class CheckReport:
    """Everything `svjournal check` reports; `ok` is False on any problem."""

    integrity: IntegrityReport
    schema_revision: str | None
    head_revision: str
    key_file_version: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity.ok and not self.problems


@dataclass(frozen=True)
class CloseBackup:
    """The backup taken as the app closes, and its copy in the extra folder if one is set."""

    path: Path
    copy: Path | None = None
    copy_problem: str | None = None


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put in place and where the journal it replaced was kept."""

    source: Path
    created_at: str  # when the backup was made
    schema_revision: str | None
    counts: dict[str, int]
    records: int  # cases + encounters + follow-ups
    # The "before-restore" backup, or (when none could be made: no journal, wrong key,
    # damage) the folder in backups/ that holds the replaced files exactly as they were.
    previous: Path | None
    previous_is_backup: bool


class Vault:
    """An open vault folder (the process lock is held); unlocked while `engine` exists."""

    def __init__(self, path: Path, lock: ProcessLock, migrations: Path | None = None) -> None:
        self.path = path
        self._lock = lock
        self._migrations = migrations
        self._key: KeyHolder | None = None
        self._engine: Engine | None = None
        self._refused = 0  # wrong passphrases since this vault was opened (for the log)

    # --- paths -------------------------------------------------------------------------

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

    # --- life cycle --------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        enforce_strength: bool = True,
    ) -> tuple[Vault, str]:
        """Create a vault and return it unlocked with the recovery key (shown once)."""
        path = Path(path)
        if enforce_strength:
            require_strong(passphrase)
        if cls.exists(path):
            raise VaultExists(path)
        if path.exists() and not path.is_dir():
            raise VaultError(f"{path} is a file, not a folder: choose another place.")
        try:
            make_private_dir(path)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise VaultError(f"The journal folder {path} cannot be made: {reason}.") from None
        lock = _acquire(path)
        vault = cls(path, lock)
        try:
            recovery_key = vault._initialise(passphrase, kdf or KdfParams.calibrated())
        except BaseException:
            vault.close()
            raise
        log.info("a new journal was created")
        return vault, recovery_key

    def _initialise(self, passphrase: str, kdf: KdfParams) -> str:
        from svjournal.core import schema

        data_key = pysecrets.token_bytes(DATA_KEY_BYTES)
        recovery_key = generate_recovery_key()
        key_file = KeyFile.new(str(uuid.uuid4()), data_key, passphrase, recovery_key, kdf)
        # Build the database under a temporary name; the vault exists once both files do.
        building = self.path / f".{DB_NAME}.creating"
        for leftover in _with_sidecars(building):
            leftover.unlink(missing_ok=True)
        os.close(os.open(building, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE))
        holder = KeyHolder(data_key)
        try:
            engine = make_engine(building, holder)
            try:
                schema.upgrade(engine)
            finally:
                engine.dispose()
            atomic_write_bytes(self.key_path, key_file.to_bytes())
            os.replace(building, self.db_path)
            fsync_dir(self.path)
        except BaseException:
            for leftover in _with_sidecars(building):
                leftover.unlink(missing_ok=True)
            raise
        self._start(holder)
        return recovery_key

    @classmethod
    def open(cls, path: Path, *, migrations: Path | None = None) -> Vault:
        """Take the vault for this process; raises VaultNotFound, VaultInUse, VaultDamaged."""
        path = Path(path)
        if not cls.exists(path):
            raise VaultNotFound(path)
        lock = _acquire(path)
        vault = cls(path, lock, migrations)
        try:
            vault._repair_permissions()
            vault._remove_stale_temp_files()
            vault._read_key_file()  # damage shows now, before anyone types a passphrase
        except BaseException:
            vault.close()
            raise
        return vault

    def close(self) -> None:
        self.lock()
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- unlocking ---------------------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    @property
    def vault_id(self) -> str:
        return self._read_key_file().vault_id

    def unlock(self, passphrase: str) -> None:
        try:
            key = self._read_key_file().unwrap_with_passphrase(passphrase)
        except WrongPassphrase:
            self._refused += 1
            log.info("unlock refused: wrong passphrase (%d in a row)", self._refused)
            raise
        self._start(KeyHolder(key))
        log.info("unlocked with the passphrase (%d wrong before)", self._refused)
        self._refused = 0

    def unlock_with_recovery_key(
        self,
        recovery_key: str,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        keep_old_backups: bool = False,
        store: KeyStore | None = None,
        extra_backup_folders: Iterable[Path] | None = None,
    ) -> RekeyResult:
        """Reset a forgotten passphrase: the recovery key opens, and the vault is re-keyed
        under the new passphrase with a new recovery key (the old one is spent). The KDF
        parameters are calibrated afresh, never taken from the slot that was not opened."""
        require_strong(new_passphrase)
        key_file = self._read_key_file()
        key = key_file.unwrap_with_recovery_key(recovery_key)
        self._start(KeyHolder(key))
        log.info("unlocked with the recovery key, to set a new passphrase")
        from svjournal.core.rekey import rekey_vault

        try:
            return rekey_vault(
                self,
                recovery_key=recovery_key,
                new_passphrase=new_passphrase,
                kdf=kdf,
                keep_old_backups=keep_old_backups,
                store=store,
                extra_backup_folders=extra_backup_folders,
            )
        except BaseException:
            self.lock()
            raise

    def unlock_with_keystore(self, store: KeyStore, policy: Policy | None = None) -> bool:
        """Unlock with a remembered key; False when nothing is remembered for this vault, or
        when remembering is refused here (a key remembered before the policy is not used)."""
        if (current_policy() if policy is None else policy).remember_refusal() is not None:
            return False
        key_file = self._read_key_file()
        key = store.load(key_file.vault_id)
        if key is None:
            return False
        if not key_file.fits(key):
            raise KeyringFailed("the key remembered on this workstation does not fit this journal")
        self._start(KeyHolder(key))
        log.info("unlocked with the key remembered on this workstation")
        return True

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

    # --- passphrase and keyring --------------------------------------------------------

    def change_passphrase(
        self,
        current: str,
        new: str,
        *,
        kdf: KdfParams | None = None,
        keep_old_backups: bool = False,
        store: KeyStore | None = None,
        extra_backup_folders: Iterable[Path] | None = None,
    ) -> RekeyResult:
        """A new passphrase, and with it a new data key and recovery key (see core/rekey.py):
        the old passphrase and recovery key open nothing current afterwards."""
        from svjournal.core.rekey import rekey_vault

        return rekey_vault(
            self,
            passphrase=current,
            new_passphrase=new,
            kdf=kdf,
            keep_old_backups=keep_old_backups,
            store=store,
            extra_backup_folders=extra_backup_folders,
        )

    def rekey(
        self,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        new_passphrase: str | None = None,
        kdf: KdfParams | None = None,
        keep_old_backups: bool = False,
        store: KeyStore | None = None,
        extra_backup_folders: Iterable[Path] | None = None,
    ) -> RekeyResult:
        """A new data key and recovery key; the passphrase too when `new_passphrase` is
        given. `passphrase` or `recovery_key` authorises it."""
        from svjournal.core.rekey import rekey_vault

        return rekey_vault(
            self,
            passphrase=passphrase,
            recovery_key=recovery_key,
            new_passphrase=new_passphrase,
            kdf=kdf,
            keep_old_backups=keep_old_backups,
            store=store,
            extra_backup_folders=extra_backup_folders,
        )

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
            raise VaultError("The journal is busy; try again in a moment.")
        self._engine.pool.dispose()

    def adopt_key(self, key: KeyHolder) -> None:
        """After a re-key: the unlocked vault's key buffer holds the new key (the engine's
        connections, all closed by `quiesce`, reopen with it)."""
        if self._key is None or self._engine is None:
            key.wipe()
            return
        self._engine.pool.dispose()
        self._key.take(key)

    def remember(self, store: KeyStore, policy: Policy | None = None) -> None:
        """Keep the data key in the keyring; PolicyRefused when the IT policy or portable
        use forbids it."""
        refusal = (current_policy() if policy is None else policy).remember_refusal()
        if refusal is not None:
            raise PolicyRefused(refusal)
        store.save(self.vault_id, self._require_key().bytes())

    def forget(self, store: KeyStore) -> None:
        store.delete(self.vault_id)

    # --- backups and checks ------------------------------------------------------------

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
            written = self._write_backup(key, reason, dest)
        finally:
            key.wipe()
        if dest is None:
            backups.rotate(self.backups_dir, keep if keep is not None else DEFAULT_BACKUPS_KEPT)
        if dest is None:
            log.info("backup made (%s) in the vault's backups folder", reason)
        else:
            log.info("backup made (%s) to a chosen file", reason)
        return written

    def close_backup(self, keep: int, extra_folder: Path | None = None) -> CloseBackup:
        """The backup taken as the app closes: into `backups/` (rotated to `keep`), and a
        copy into `extra_folder` (a USB or network drive) if set. A failed copy is reported,
        not raised: the backup in the vault is what matters."""
        path = self.backup("close", keep=keep)
        if extra_folder is None:
            return CloseBackup(path)
        try:
            copy = backups.copy_to_folder(path, extra_folder, keep)
        except SvJournalError as exc:
            log.warning("close backup not copied to the extra folder (%s)", type(exc).__name__)
            return CloseBackup(path, None, str(exc))
        return CloseBackup(path, copy)

    def _write_backup(self, key: KeyHolder, reason: str, dest: Path | None) -> Path:
        make_private_dir(self.backups_dir)
        target = dest or _unique(self.backups_dir / backups.backup_name(reason))
        return backups.write_backup(
            self.db_path,
            key,
            self.key_path.read_bytes(),
            target,
            reason,
            staging=self.backups_dir,
        )

    # --- restore -----------------------------------------------------------------------

    @classmethod
    def restore_into(
        cls,
        path: Path,
        source: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        migrations: Path | None = None,
    ) -> RestoreResult:
        """Restore a backup into the vault folder at `path` — damaged, or gone entirely (the
        folder is then created) — and close the vault again. Raises VaultInUse while the
        app has it open."""
        path = Path(path)
        make_private_dir(path)
        vault = cls(path, _acquire(path), migrations)
        try:
            vault._repair_permissions()
            vault._remove_stale_temp_files()
            return vault.restore(source, passphrase=passphrase, recovery_key=recovery_key)
        finally:
            vault.close()

    def restore(
        self,
        source: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
    ) -> RestoreResult:
        """Replace the journal with a backup (opened with the passphrase or recovery key of
        its time) and leave the vault locked.

        The backup is verified completely first — header, checksum, key, both integrity
        checks, row counts, schema revision — and nothing in the vault changes if a check
        fails. Then the journal it replaces is kept: as a "before-restore" backup when the
        current key (or the secret given) reads it, else its files are moved, as they are,
        into backups/replaced-…. Database and key file are swapped as one.
        """
        from svjournal.core import schema

        source = Path(source)
        staged = restoring.stage(
            source,
            self.db_path,
            self.key_path,
            passphrase=passphrase,
            recovery_key=recovery_key,
            known_revisions=lambda: schema.known_revisions(self._migrations),
        )
        try:
            previous, is_backup = self._keep_current(passphrase, recovery_key)
        except BaseException:
            restoring.finish(self.db_path, self.key_path)  # no marker yet: drops the staged
            raise
        finally:
            staged.key.wipe()
        self.lock()
        try:
            restoring.commit(self.db_path, self.key_path, None if is_backup else previous)
        except BaseException as exc:
            if (self.path / restoring.MARKER).exists():
                outcome = "It will be completed the next time svjournal opens this journal."
            else:
                restoring.finish(self.db_path, self.key_path)  # not begun: drop the staged
                outcome = "The journal was left as it was."
            if isinstance(exc, OSError):
                raise ExportFileError(
                    f"The restore could not be completed ({exc.strerror or exc}). {outcome}"
                ) from exc
            raise
        log.info("journal restored from a backup")
        return RestoreResult(
            source=source,
            created_at=staged.header.created_at,
            schema_revision=staged.revision,
            counts=staged.counts,
            records=staged.records,
            previous=previous,
            previous_is_backup=is_backup,
        )

    def _keep_current(
        self, passphrase: str | None, recovery_key: str | None
    ) -> tuple[Path | None, bool]:
        """Keep the journal about to be replaced: (where, whether it is a backup file)."""
        if not (self.db_path.exists() or self.key_path.exists()):
            return None, False
        key = self._current_key(passphrase, recovery_key)
        if key is not None:
            try:
                if file_shape_problem(self.db_path) is None:
                    return self._write_backup(key, "before-restore", None), True
            except (SvJournalError, OSError) as exc:
                log.warning("no before-restore backup (%s); keeping the files", type(exc).__name__)
            finally:
                key.wipe()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return _unique(self.backups_dir / f"replaced-{stamp}"), False

    def _current_key(self, passphrase: str | None, recovery_key: str | None) -> KeyHolder | None:
        if self._key is not None:
            return KeyHolder(self._key.bytes())
        try:
            key_file = KeyFile.from_bytes(self.key_path.read_bytes())
            if recovery_key is not None:
                return KeyHolder(key_file.unwrap_with_recovery_key(recovery_key))
            if passphrase is not None:
                return KeyHolder(key_file.unwrap_with_passphrase(passphrase))
        except (OSError, KeyFileDamaged, SvJournalError):
            return None  # another passphrase, or a damaged key file: keep the files instead
        return None

    def newest_backup(self) -> Path | None:
        found = backups.list_backups(self.backups_dir)
        return found[0] if found else None

    def check(self) -> CheckReport:
        from svjournal.core import schema

        key = self._require_key()
        try:
            conn = open_raw(self.db_path, key, configure=False)
        except DatabaseError:
            raise self._damaged("the database cannot be read with the right key") from None
        try:
            integrity = check_integrity(conn)
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            except DatabaseError:
                revision = None
        finally:
            conn.close()
        report = CheckReport(integrity, revision, schema.head_revision(self._migrations), 1)
        if revision != report.head_revision:
            report.problems.append(f"schema is at {revision}, expected {report.head_revision}")
        if not integrity.cipher_version.startswith("4."):
            report.problems.append(f"unexpected SQLCipher version {integrity.cipher_version}")
        report.problems.extend(self._permission_problems())
        return report

    # --- internals ---------------------------------------------------------------------

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
            raise self._damaged("the key file is missing") from None
        try:
            return KeyFile.from_bytes(data)
        except KeyFileDamaged as exc:
            raise self._damaged(str(exc)) from None

    def _start(self, key: KeyHolder) -> None:
        """Open the database with a key known to be right; anything odd now is damage."""
        problem = file_shape_problem(self.db_path)
        if problem:
            key.wipe()
            raise self._damaged(problem)
        try:
            conn = open_raw(self.db_path, key, configure=False)
        except DatabaseError:
            key.wipe()
            raise self._damaged("the database cannot be read with the right key") from None
        try:
            # Every page's HMAC, now: damage anywhere is reported at unlock, before any
            # work is added to a damaged journal (~2 ms per MB; 0.25 s at 100,000 encounters).
            failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        except DatabaseError:
            failures = [("unreadable",)]
        finally:
            conn.close()
        if failures:
            key.wipe()
            raise self._damaged("some of its pages fail their authentication check")
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
            raise self._damaged("the database's schema cannot be read") from None
        if revision is None:
            raise self._damaged("the database holds no svjournal schema")
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

    def _refuse_links(self) -> None:
        """A database, key file, WAL or backup that is a symbolic link is refused, not
        followed: the journal's secrets would sit wherever the link points, with that
        place's permissions, and repairing permissions would change a file outside the
        vault. (The vault folder itself may be a link: that is the user's own choice.)"""
        names = [*(f"{DB_NAME}{s}" for s in ("", "-wal", "-shm", "-journal")), KEY_NAME]
        names.append(BACKUPS_NAME)
        candidates = [self.path / name for name in names]
        if self.backups_dir.is_dir() and not self.backups_dir.is_symlink():
            candidates += sorted(self.backups_dir.iterdir())
        for entry in candidates:
            if not entry.is_symlink():
                continue
            where = entry.relative_to(self.path)
            if not entry.exists():
                reason = f"{where} is a symbolic link that points nowhere"
            else:
                reason = f"{where} is a symbolic link to {os.readlink(entry)}"
            raise VaultError(
                f"The journal at {self.path} was not opened: {reason}. svjournal does not "
                "follow links inside a journal folder; put the real file there instead."
            )

    def _private_entries(self) -> list[tuple[Path, os.stat_result]]:
        """The vault folder and everything below it, by lstat: links are never followed."""
        found = [(self.path, os.stat(self.path))]
        for root, dirs, files in os.walk(self.path, followlinks=False):
            for name in [*dirs, *files]:
                entry = Path(root) / name
                found.append((entry, os.lstat(entry)))
        return found

    def _repair_permissions(self) -> None:
        self._refuse_links()
        if os.name != "posix":
            return
        for entry, info in self._private_entries():
            if stat.S_ISLNK(info.st_mode):
                continue  # chmod would change the link's target; refused above or ignored
            if stat.S_IMODE(info.st_mode) & 0o077:
                wanted = OWNER_ONLY_DIR if stat.S_ISDIR(info.st_mode) else OWNER_ONLY_FILE
                os.chmod(entry, wanted)

    def _permission_problems(self) -> list[str]:
        if os.name != "posix":
            return []
        return [
            f"{entry.relative_to(self.path.parent)} can be read by other users"
            for entry, info in self._private_entries()
            if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077
        ]

    def _remove_stale_temp_files(self) -> None:
        """Temp files a crash left behind: half-written key files and backup exports; an
        interrupted restore is finished (or its staged files dropped) first."""
        restoring.finish(self.db_path, self.key_path)
        # The restore marker's own temp file, when the crash came before its rename.
        patterns = (f".{KEY_NAME}.*.tmp", f".{DB_NAME}.creating*", f"{restoring.MARKER}.*.tmp")
        for pattern in patterns:
            for leftover in self.path.glob(pattern):
                leftover.unlink(missing_ok=True)
        if self.backups_dir.is_dir():
            for leftover in self.backups_dir.glob(".*"):
                leftover.unlink(missing_ok=True)


def _acquire(path: Path) -> ProcessLock:
    lock = ProcessLock(path / LOCK_NAME)
    try:
        lock.acquire()
    except AlreadyLocked:
        raise VaultInUse(path) from None
    return lock


def _with_sidecars(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")]


def _unique(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
