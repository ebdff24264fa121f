"""Change the passphrase, reset a forgotten one with the recovery key, replace the key and
recovery key: each a re-key (core/rekey.py), so old secrets open nothing current afterwards.

Every new passphrase meets the core's strength floor (`require_strong`, checked in the
re-key for every front end). A re-key writes no journal record and no export-log line: it
changes the key file, the database's encryption and the backups it re-seals, so it returns
`Changes()`; its value holds the new recovery key, for the front end to show once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.core.keyfile import KdfParams
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import Vault
from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult

if TYPE_CHECKING:  # the re-key (and SQLAlchemy with it) is not needed to start the app
    from svjournal.core.rekey import RekeyResult


def change_passphrase(
    vault: Vault,
    current: str,
    new: str,
    *,
    keep_old_backups: bool = False,
    store: KeyStore | None = None,
    kdf: KdfParams | None = None,
    extra_backup_folders: Iterable[Path] | None = None,
) -> OpResult[RekeyResult]:
    """A new passphrase, and with it a new data key and recovery key. `keep_old_backups`
    leaves older backups under the old secrets instead of re-sealing them; `store` is the
    keyring whose remembered key follows the new one."""
    result = vault.change_passphrase(
        current,
        new,
        kdf=kdf,
        keep_old_backups=keep_old_backups,
        store=store,
        extra_backup_folders=extra_backup_folders,
    )
    return OpResult(result, Changes())


def reset_passphrase(
    vault: Vault,
    recovery_key: str,
    new: str,
    *,
    keep_old_backups: bool = False,
    store: KeyStore | None = None,
    kdf: KdfParams | None = None,
) -> OpResult[RekeyResult]:
    """A forgotten passphrase: the recovery key opens the vault (which stays unlocked) and it
    is re-keyed under `new` with a new recovery key; the one typed is spent."""
    result = vault.unlock_with_recovery_key(
        recovery_key, new, kdf=kdf, keep_old_backups=keep_old_backups, store=store
    )
    return OpResult(result, Changes())


def new_keys(
    vault: Vault,
    passphrase: str,
    *,
    keep_old_backups: bool = False,
    store: KeyStore | None = None,
    kdf: KdfParams | None = None,
) -> OpResult[RekeyResult]:
    """A new data key and a new recovery key under the same passphrase (`svjournal rekey`,
    `svjournal recovery-key --new`). The recovery key cannot be replaced alone: the old one
    sits in every older key file and backup, opening the same data key, so the data key is
    replaced with it."""
    result = vault.rekey(
        passphrase=passphrase, kdf=kdf, keep_old_backups=keep_old_backups, store=store
    )
    return OpResult(result, Changes())
