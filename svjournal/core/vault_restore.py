"""Restoring a backup over a vault's journal: verify it completely, keep the journal it
replaces, swap database and key file as one, and leave the vault locked.

`Vault.restore` and `Vault.restore_into` (core/vault.py) are the entry points; the staging and
the swap itself are in `core/restore.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.core import restore as restoring
from svjournal.core.db import KeyHolder, file_shape_problem
from svjournal.core.errors import ExportFileError, SvJournalError
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KeyFile, KeyFileDamaged
from svjournal.core.vault_folder import unique

if TYPE_CHECKING:
    from svjournal.core.vault import Vault

log = logging.getLogger(__name__)


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


def restore(
    vault: Vault, source: Path, *, passphrase: str | None, recovery_key: str | None
) -> RestoreResult:
    """See `Vault.restore`."""
    from svjournal.core import schema

    source = Path(source)
    db_path, key_path = vault.db_path, vault.key_path
    staged = restoring.stage(
        source,
        db_path,
        key_path,
        passphrase=passphrase,
        recovery_key=recovery_key,
        known_revisions=lambda: schema.known_revisions(vault.migrations),
    )
    try:
        previous, is_backup = _keep_current(vault, passphrase, recovery_key)
    except BaseException:
        restoring.finish(db_path, key_path)  # no marker yet: drops the staged
        raise
    finally:
        staged.key.wipe()
    vault.lock()
    try:
        restoring.commit(db_path, key_path, None if is_backup else previous)
    except BaseException as exc:
        if (vault.path / restoring.MARKER).exists():
            outcome = tr("It will be completed the next time svjournal opens this journal.")
        else:
            restoring.finish(db_path, key_path)  # not begun: drop the staged
            outcome = tr("The journal was left as it was.")
        if isinstance(exc, OSError):
            # Translators: {outcome} is a sentence: what became of the journal.
            problem = tr("The restore could not be completed ({reason}). {outcome}")
            raise ExportFileError(
                problem.format(reason=exc.strerror or exc, outcome=outcome)
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
    vault: Vault, passphrase: str | None, recovery_key: str | None
) -> tuple[Path | None, bool]:
    """Keep the journal about to be replaced: (where, whether it is a backup file)."""
    if not (vault.db_path.exists() or vault.key_path.exists()):
        return None, False
    key = _current_key(vault, passphrase, recovery_key)
    if key is not None:
        try:
            if file_shape_problem(vault.db_path) is None:
                return vault.write_backup_with(key, "before-restore"), True
        except (SvJournalError, OSError) as exc:
            log.warning("no before-restore backup (%s); keeping the files", type(exc).__name__)
        finally:
            key.wipe()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return unique(vault.backups_dir / f"replaced-{stamp}"), False


def _current_key(
    vault: Vault, passphrase: str | None, recovery_key: str | None
) -> KeyHolder | None:
    if vault.holds_key:
        return vault.key_copy()
    try:
        key_file = KeyFile.from_bytes(vault.key_path.read_bytes())
        if recovery_key is not None:
            return KeyHolder(key_file.unwrap_with_recovery_key(recovery_key))
        if passphrase is not None:
            return KeyHolder(key_file.unwrap_with_passphrase(passphrase))
    except (OSError, KeyFileDamaged, SvJournalError):
        return None  # another passphrase, or a damaged key file: keep the files instead
    return None
