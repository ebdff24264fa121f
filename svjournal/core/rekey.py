"""Re-keying a vault: a new data key for the database, the key file and the backups, as one.

Changing the passphrase used to re-wrap the same data key, so anyone who had seen the old
passphrase and copied the vault (or any backup) still read everything. A re-key makes a new
random data key and a new recovery key, and:

1. exports the database into `.journal.db.restoring` under the new key (`sqlcipher_export`
   over an ATTACH: every page decrypted with the old key, encrypted with the new one);
2. writes the new key file as `.journal.key.restoring`;
3. re-seals each backup the old key opens into `backups/.NAME.resealing`;
4. writes the restore marker. From that moment `restore.finish` rolls everything forward —
   now, or on the next open after a crash — and before it the staged files are dropped.

Why an export and not `PRAGMA rekey` on the live file: a re-key changes two files, the
database and the key file, and `PRAGMA rekey` commits the database alone. Killed between
that commit and the key file's rename, the vault would hold a database under a key that no
key file wraps — every entry lost. Staged files and the marker (the same roll-forward the
restore uses) make the whole change one step: kill -9 anywhere leaves the old set of
secrets or the new one, never a mixture.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets as pysecrets
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from svjournal.core import backup as backups
from svjournal.core import restore as restoring
from svjournal.core.atomic import atomic_write_bytes, fsync_dir
from svjournal.core.db import CIPHER_SETTINGS, DatabaseError, KeyHolder, open_raw
from svjournal.core.errors import KeyringUnavailable, SvJournalError, VaultError
from svjournal.core.i18n import ntr, tr
from svjournal.core.keyfile import (
    DATA_KEY_BYTES,
    KdfParams,
    KeyFile,
    KeyFileDamaged,
    generate_recovery_key,
)
from svjournal.core.locale_format import format_number
from svjournal.core.passphrase import require_strong

if TYPE_CHECKING:
    from svjournal.core.secrets import KeyStore
    from svjournal.core.vault import Vault

log = logging.getLogger(__name__)

RESEALING = restoring.RESEALING


class RekeyFailed(VaultError):
    """The re-key could not be done; the vault keeps its old secrets."""


@dataclass(frozen=True)
class RekeyResult:
    """What a re-key changed. `recovery_key` is shown once, like at creation."""

    recovery_key: str
    resealed: tuple[Path, ...]  # backups now under the new key
    old_backups: tuple[Path, ...]  # backups that still open with earlier secrets
    keyring: str  # "updated", "none" (nothing remembered) or why it could not be updated

    @property
    def old_backups_warning(self) -> str | None:
        if not self.old_backups:
            return None
        n = len(self.old_backups)
        return ntr(
            "{n} older backup still opens with the old passphrase or recovery key: anyone "
            "who knows those and copies it can read what it holds. Delete it once newer "
            "backups exist.",
            "{n} older backups still open with the old passphrase or recovery key: anyone "
            "who knows those and copies them can read what they hold. Delete them once "
            "newer backups exist.",
            n,
        ).format(n=format_number(n))


resealing_name = restoring.resealing_name
drop_resealing = restoring.drop_resealing


# --- database --------------------------------------------------------------------------------


def raw_key_blob(key: KeyHolder) -> bytearray:
    """SQLCipher's raw-key form `x'<hex>'` as a wipeable buffer (the caller wipes it)."""
    return key.raw_form()


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def export_rekeyed(source: Path, old: KeyHolder, new: KeyHolder, dest: Path) -> dict[str, int]:
    """Copy the database at `source` (read with `old`) into `dest` (a new file) under `new`;
    the row counts, checked equal in both."""
    conn = open_raw(source, old, configure=False)
    blob = raw_key_blob(new)
    try:
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(dest), blob))
        _wipe(blob)
        try:
            for name, value in CIPHER_SETTINGS:  # pinned on the new file too
                conn.execute(f"PRAGMA rekeyed.{name} = {value}")
            conn.execute("PRAGMA rekeyed.synchronous = FULL")
            conn.execute("BEGIN")
            try:
                before = backups.row_counts(conn, "main")
                conn.execute("SELECT sqlcipher_export('rekeyed')").fetchall()
                after = backups.row_counts(conn, "rekeyed")
            finally:
                conn.execute("COMMIT")
        finally:
            conn.execute("DETACH DATABASE rekeyed")
    finally:
        _wipe(blob)
        conn.close()
    if before != after:
        raise RekeyFailed(tr("the re-encrypted copy holds other row counts than the journal"))
    _fsync_file(dest)
    return after


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_copy(path: Path, key: KeyHolder, counts: dict[str, int]) -> None:
    """The copy opens with the new key, every page authenticates, the rows are all there."""
    conn = open_raw(path, key, configure=False)
    try:
        if conn.execute("PRAGMA cipher_integrity_check").fetchall():
            raise RekeyFailed(tr("the re-encrypted copy fails its authentication check"))
        if backups.row_counts(conn, "main") != counts:
            raise RekeyFailed(tr("the re-encrypted copy holds other row counts than the journal"))
    finally:
        conn.close()


# --- backups ---------------------------------------------------------------------------------


def _backup_fits(path: Path, key: bytes) -> bool:
    try:
        header = backups.read_header(path)
        return KeyFile.from_bytes(header.key_file).fits(key)
    except (SvJournalError, KeyFileDamaged, OSError):
        return False


def reseal_backup(
    source: Path, old: KeyHolder, new: KeyHolder, key_file: bytes, staging: Path
) -> Path:
    """Write `source` re-encrypted under `new` (with `key_file`) as its `.resealing` twin;
    its time, reason and row counts are kept, the copy is verified like any backup."""
    header = backups.read_header(source)
    fd, part_name = tempfile.mkstemp(prefix=".reseal-", suffix=".db", dir=staging)
    os.close(fd)
    part = Path(part_name)
    fd, out_name = tempfile.mkstemp(prefix=".reseal-", suffix=".db", dir=staging)
    os.close(fd)
    out = Path(out_name)
    out.unlink()  # ATTACH creates it; an existing empty file would do too, but be plain
    assembled: Path | None = None
    try:
        part.unlink()
        digest = restoring.copy_part(source, header.db_offset, header.db_size, part)
        if digest != header.db_sha256:
            raise backups.BackupError(tr("an old backup is damaged and was not re-sealed"))
        counts = export_rekeyed(part, old, new, out)
        if header.row_counts is not None and counts != header.row_counts:
            raise backups.BackupError(tr("an old backup holds other rows than its header says"))
        check = backups.check_database(out, new, counts)
        if check.problem:
            # Translators: {problem}: e.g. "its database failed the integrity check".
            problem = tr("the re-sealed copy did not pass its checks ({problem})")
            raise backups.BackupError(problem.format(problem=check.problem))
        backups.remove_sidecars_only(out)
        fields = backups.header_fields(
            header.reason, header.schema_revision, key_file, counts, out.stat().st_size
        )
        fields["created_at"] = header.created_at  # a backup keeps the time it was made
        assembled = backups.assemble(source, fields, out, backups.header_mac_key(new.bytes()))
        target = resealing_name(source)
        os.replace(assembled, target)
        assembled = None
        return target
    finally:
        if assembled is not None:
            assembled.unlink(missing_ok=True)
        backups.remove_with_sidecars(part)
        backups.remove_with_sidecars(out)


# --- the whole re-key ------------------------------------------------------------------------


def rekey_vault(
    vault: Vault,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    new_passphrase: str | None = None,
    keep_old_backups: bool = False,
    store: KeyStore | None = None,
    kdf: KdfParams | None = None,
    extra_backup_folders: Iterable[Path] | None = None,
) -> RekeyResult:
    """Give the vault a new data key and recovery key (and `new_passphrase`, if given).

    `passphrase` or `recovery_key` proves the caller may (with `recovery_key`, a new
    passphrase is required). An unlocked vault stays unlocked (same engine, the key buffer
    swapped in place); a locked one stays locked."""
    if new_passphrase is not None:
        require_strong(new_passphrase)
    wraps = new_passphrase if new_passphrase is not None else passphrase
    if wraps is None:
        raise ValueError("a new passphrase is needed to reset with the recovery key")
    key_file = vault.read_key_file()
    old = KeyHolder(key_file.unwrap(passphrase=passphrase, recovery_key=recovery_key))
    was_unlocked = vault.is_unlocked
    vault.quiesce()  # no connection may keep writing to the file about to be replaced
    new = KeyHolder(pysecrets.token_bytes(DATA_KEY_BYTES))
    try:
        new_recovery = generate_recovery_key()
        params = _new_params(key_file, kdf, by_recovery=recovery_key is not None)
        # The two Argon2 derivations of the new key file run while SQLite re-encrypts the
        # database (both release the GIL): the re-key takes the longer of the two, not both.
        with ThreadPoolExecutor(1, thread_name_prefix="rekey-kdf") as pool:
            sealing = pool.submit(
                lambda: KeyFile.new(key_file.vault_id, new.bytes(), wraps, new_recovery, params)
            )
            try:
                resealed, old_backups = _swap(
                    vault, old, new, lambda: sealing.result().to_bytes(), keep_old_backups
                )
            finally:
                sealing.cancel()
        new_file = sealing.result().to_bytes()
        if extra_backup_folders is None:
            extra_backup_folders = _extra_folder_setting(vault.db_path, new)
        for folder in extra_backup_folders:
            old_backups += _reseal_folder(folder, vault, key_file.vault_id, old, new, new_file)
        keyring = _update_keyring(store, key_file.vault_id, new.bytes())
    except BaseException:
        new.wipe()
        if (vault.path / restoring.MARKER).exists():
            vault.lock()  # the file it has open is about to be replaced: no more writes
        raise
    finally:
        old.wipe()
    if was_unlocked:
        vault.adopt_key(new)  # the engine's key buffer now holds the new key
    else:
        new.wipe()
    log.info("vault re-keyed (%d backups re-sealed)", len(resealed))
    return RekeyResult(new_recovery, tuple(resealed), tuple(old_backups), keyring)


def _new_params(key_file: KeyFile, kdf: KdfParams | None, *, by_recovery: bool) -> KdfParams:
    # `kdf` if given; else the passphrase slot just opened keeps its cost, and recovery never
    # inherits the parameters of the slot it did not open (calibrated afresh); floor kept.
    if kdf is None:
        opened = None if by_recovery else key_file.passphrase.params
        kdf = opened or KdfParams.calibrated()
    return kdf.at_least_floor()


def _swap(
    vault: Vault,
    old: KeyHolder,
    new: KeyHolder,
    key_file: Callable[[], bytes],
    keep_old_backups: bool,
) -> tuple[list[Path], list[Path]]:
    """Stage the database, key file and re-sealed backups, then commit them as one."""
    db, key_path = vault.db_path, vault.key_path
    staged_db, staged_key = restoring.staged_paths(db, key_path)
    old_bytes = old.bytes()
    resealed: list[Path] = []
    old_backups: list[Path] = []
    try:
        restoring.finish(db, key_path)  # nothing half-done from before (drops staged files)
        drop_resealing(vault.backups_dir)
        try:
            counts = export_rekeyed(db, old, new, staged_db)
            _check_copy(staged_db, new, counts)
            backups.remove_sidecars_only(staged_db)
            new_file = key_file()
            restoring.write_durably(staged_key, new_file)
            for path in backups.list_backups(vault.backups_dir):
                if keep_old_backups or not _backup_fits(path, old_bytes):
                    old_backups.append(path)
                    continue
                reseal_backup(path, old, new, new_file, vault.backups_dir)
                resealed.append(path)
            if vault.backups_dir.is_dir():
                fsync_dir(vault.backups_dir)
            fsync_dir(vault.path)
        except BaseException:
            restoring.finish(db, key_path)  # no marker yet: drops the staged files
            drop_resealing(vault.backups_dir)
            raise
        # The point of no return: from here the new set is the vault's, crash or not.
        atomic_write_bytes(vault.path / restoring.MARKER, json.dumps({"keep": None}).encode())
        restoring.finish(db, key_path)
    except (OSError, DatabaseError) as exc:
        if (vault.path / restoring.MARKER).exists():
            raise RekeyFailed(
                tr(
                    "The re-key was interrupted; it will be completed the next time svjournal "
                    "opens this journal."
                )
            ) from exc
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise RekeyFailed(
            tr("The journal could not be re-keyed ({reason}).").format(reason=reason)
        ) from exc
    return resealed, old_backups


def _extra_folder_setting(db: Path, key: KeyHolder) -> list[Path]:
    """The extra backup folder (a USB or network drive) set in Settings, if it is there."""
    from svjournal.core.db import make_engine
    from svjournal.core.journal import Journal

    holder = KeyHolder(key.bytes())
    engine = make_engine(db, holder)
    try:
        folder = Journal(engine).setting("extra_backup_folder")
    except (SvJournalError, SQLAlchemyError) as exc:
        log.warning("the extra backup folder setting cannot be read (%s)", type(exc).__name__)
        return []
    finally:
        engine.dispose()
        holder.wipe()
    return [Path(folder)] if folder and Path(folder).is_dir() else []


def _reseal_folder(
    folder: Path, vault: Vault, vault_id: str, old: KeyHolder, new: KeyHolder, key_file: bytes
) -> list[Path]:
    """This vault's backups in another folder (a USB drive), re-sealed one by one after the
    vault itself (not under the marker: the drive may be gone by the next start). What cannot
    be re-sealed is returned: it still opens with the old secrets."""
    left: list[Path] = []
    old_bytes = old.bytes()
    for path in backups.list_backups(folder):
        if backups.vault_of(path) != vault_id:
            continue
        if not _backup_fits(path, old_bytes):
            left.append(path)
            continue
        try:
            staged = reseal_backup(path, old, new, key_file, vault.backups_dir)
            os.replace(staged, path)
            fsync_dir(folder)
        except (SvJournalError, OSError, DatabaseError) as exc:
            log.warning("a backup in the extra folder was not re-sealed (%s)", type(exc).__name__)
            drop_resealing(folder)
            left.append(path)
    return left


def _update_keyring(store: KeyStore | None, vault_id: str, new_key: bytes) -> str:
    """Replace a remembered key; an entry that cannot be replaced is removed (it no longer
    fits), and the reason is returned for the caller to show."""
    if store is None:
        return "none"
    try:
        remembered = store.load(vault_id)
    except KeyringUnavailable:
        return "none"  # no keyring here: nothing can be remembered in it
    except SvJournalError as exc:
        return tr("the remembered key could not be checked ({reason})").format(reason=exc)
    if remembered is None:
        return "none"
    try:
        store.save(vault_id, new_key)
        return "updated"
    except SvJournalError as exc:
        with contextlib.suppress(SvJournalError):
            store.delete(vault_id)
        return tr("the remembered key could not be updated ({reason})").format(reason=exc)
