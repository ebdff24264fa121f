"""Restore a backup: over the open journal, or into a vault folder with no working journal.

The work is `Vault.restore` (core/restore.py stages and verifies the backup, keeps the
journal it replaces, swaps both files as one and writes the "restore" line into the
restored journal's own export log, the log the supporter sees afterwards). The vault is
locked after a restore, and nothing any page showed can be trusted: `Changes(everything)`.
"""

from __future__ import annotations

from pathlib import Path

from svjournal.core import backup as backups
from svjournal.core.vault import RestoreResult, Vault
from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult

EVERYTHING = Changes.of(everything=True)


def read_backup(source: Path) -> backups.BackupHeader:
    """What a backup says of itself (when, why, how many records), shown before asking for
    its secret; NotOurFile or FileDamaged for anything else."""
    return backups.read_header(source)


def restore_backup(
    vault: Vault,
    source: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
) -> OpResult[RestoreResult]:
    """Replace the journal of `vault` (unlocked, locked or damaged) with the backup, opened
    with the passphrase or recovery key of its time; the vault is locked afterwards."""
    result = vault.restore(source, passphrase=passphrase, recovery_key=recovery_key)
    return OpResult(result, EVERYTHING)


def restore_into(
    path: Path,
    source: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    migrations: Path | None = None,
) -> OpResult[RestoreResult]:
    """Restore into the vault folder at `path` (damaged, or gone: it is created) when no
    vault is open there; VaultInUse while another process has it."""
    result = Vault.restore_into(
        path, source, passphrase=passphrase, recovery_key=recovery_key, migrations=migrations
    )
    return OpResult(result, EVERYTHING)
