"""The vault: create, open, unlock and lock; passphrase, recovery key and keyring; restore.

A vault is a folder holding `journal.db` (SQLCipher 4, keyed with a random 256-bit data
key), `journal.key` (that key wrapped under the passphrase and the recovery key), a lock
file that keeps a second process out, and `backups/`.

`Vault` is the one entry point. What an unlocked vault holds (key, engine, backups, the
check) is in `core/vault_base.py`; the folder's names and hygiene in `core/vault_folder.py`;
the restore in `core/vault_restore.py`; the damage checks in `core/vault_check.py`.
"""

from __future__ import annotations

import logging
import os
import secrets as pysecrets
import uuid
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from svjournal.core import vault_folder as folder
from svjournal.core import vault_restore
from svjournal.core.atomic import OWNER_ONLY_FILE, atomic_write_bytes, fsync_dir, make_private_dir
from svjournal.core.db import KeyHolder, make_engine
from svjournal.core.errors import (
    KeyringFailed,
    PolicyRefused,
    VaultError,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from svjournal.core.i18n import tr
from svjournal.core.keyfile import DATA_KEY_BYTES, KdfParams, KeyFile, generate_recovery_key
from svjournal.core.passphrase import require_strong
from svjournal.core.policy import Policy, current_policy
from svjournal.core.vault_base import DEFAULT_BACKUPS_KEPT, CloseBackup, VaultBase
from svjournal.core.vault_check import CheckReport
from svjournal.core.vault_folder import (
    BACKUPS_NAME,
    DB_NAME,
    ENV_VAULT,
    KEY_NAME,
    LOCK_NAME,
    default_vault_path,
)
from svjournal.core.vault_restore import RestoreResult

# SQLAlchemy, Alembic and the re-key are imported where they are used: opening a vault to
# show its lock screen reads file names and the key file only.
if TYPE_CHECKING:
    from svjournal.core.rekey import RekeyResult
    from svjournal.core.secrets import KeyStore

__all__ = [
    "BACKUPS_NAME",
    "DB_NAME",
    "DEFAULT_BACKUPS_KEPT",
    "ENV_VAULT",
    "KEY_NAME",
    "LOCK_NAME",
    "CheckReport",
    "CloseBackup",
    "RestoreResult",
    "Vault",
    "default_vault_path",
]

log = logging.getLogger(__name__)


class Vault(VaultBase):
    """An open vault folder (the process lock is held); unlocked while `engine` exists."""

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
            raise VaultError(
                tr("{path} is a file, not a folder: choose another place.").format(path=path)
            )
        try:
            make_private_dir(path)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            problem = tr("The journal folder {path} cannot be made: {reason}.")
            raise VaultError(problem.format(path=path, reason=reason)) from None
        lock = folder.acquire(path)
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
        for leftover in folder.with_sidecars(building):
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
            for leftover in folder.with_sidecars(building):
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
        lock = folder.acquire(path)
        vault = cls(path, lock, migrations)
        try:
            folder.tidy(path)
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
        try:
            return self.rekey(
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
            raise KeyringFailed(
                tr("the key remembered on this workstation does not fit this journal")
            )
        self._start(KeyHolder(key))
        log.info("unlocked with the key remembered on this workstation")
        return True

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
        return self.rekey(
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

    def remember(self, store: KeyStore, policy: Policy | None = None) -> None:
        """Keep the data key in the keyring; PolicyRefused when the IT policy or portable
        use forbids it."""
        refusal = (current_policy() if policy is None else policy).remember_refusal()
        if refusal is not None:
            raise PolicyRefused(refusal)
        store.save(self.vault_id, self._require_key().bytes())

    def forget(self, store: KeyStore) -> None:
        store.delete(self.vault_id)

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
        vault = cls(path, folder.acquire(path), migrations)
        try:
            folder.tidy(path)
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
        return vault_restore.restore(self, source, passphrase=passphrase, recovery_key=recovery_key)
