"""The open vault as the GUI sees it: unlock, lock, and the journal service while unlocked."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from svjournal.core.errors import VaultLocked
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import CloseBackup, Vault

if TYPE_CHECKING:
    from svjournal.core.journal import Journal
    from svjournal.core.rekey import RekeyResult

log = logging.getLogger(__name__)


class JournalSession(QObject):
    """Owns the Vault for the app's lifetime; `journal` exists only while unlocked."""

    unlocked = Signal()
    locked = Signal()
    # After a write is committed, on the GUI thread, once per burst of writes: what the
    # navigation counts and the tray reminders refresh on ("after every change").
    data_changed = Signal()
    _written = Signal()  # from whichever thread committed; queued to the GUI thread

    def __init__(self, vault: Vault, keystore: KeyStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.keystore = keystore
        self._journal: Journal | None = None
        self.unlocked_at: datetime | None = None
        self.changed = False  # anything written since the last unlock (or the last backup)
        self._wrote = False  # a write since the last commit
        self._change_pending = False
        self._written.connect(self._on_written)

    @property
    def is_unlocked(self) -> bool:
        return self._journal is not None

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise VaultLocked()
        return self._journal

    def unlock(self, passphrase: str) -> None:
        self.vault.unlock(passphrase)
        self._opened()

    def unlock_with_recovery_key(self, recovery_key: str, new_passphrase: str) -> RekeyResult:
        """Reset the passphrase; the journal is re-keyed (the result holds the new recovery
        key, to be shown once)."""
        result = self.vault.unlock_with_recovery_key(
            recovery_key, new_passphrase, store=self.keystore
        )
        self._opened()
        return result

    def change_passphrase(
        self, current: str, new: str, *, keep_old_backups: bool = False
    ) -> RekeyResult:
        return self.vault.change_passphrase(
            current, new, keep_old_backups=keep_old_backups, store=self.keystore
        )

    def unlock_with_keyring(self) -> bool:
        """True when the remembered key opened the vault; raises Keyring* errors as they are."""
        if not self.vault.unlock_with_keystore(self.keystore):
            return False
        self._opened()
        return True

    def adopt_unlocked(self) -> None:
        """Use a vault that is already unlocked (just created by the first-run wizard)."""
        self._opened()

    def lock(self) -> None:
        if self._journal is None:
            return
        self._journal = None
        self.vault.lock()
        self.unlocked_at = None
        log.info("journal locked")
        self.locked.emit()

    def close(self) -> None:
        self.lock()
        self.vault.close()

    def close_backup(self) -> CloseBackup | None:
        """The backup taken as the app closes; None when nothing changed since the last one
        (so that opening the app to look around does not rotate older backups away)."""
        journal = self.journal
        if not self.changed and self.vault.newest_backup() is not None:
            log.info("nothing changed since unlocking: no backup on closing")
            return None
        extra = journal.setting("extra_backup_folder")
        result = self.vault.close_backup(
            journal.setting("backups_kept"), Path(extra) if extra else None
        )
        if result.copy is not None:
            from svjournal.core import backup as backups

            records = backups.read_header(result.copy).records
            journal.record_export(
                "backup", str(result.copy), detail="copy of the backup on closing", records=records
            )
        self.changed = False
        return result

    def _note_write(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.changed = True
            self._wrote = True

    def _note_commit(self, _conn: Any) -> None:
        if self._wrote:
            self._wrote = False
            self._written.emit()

    def _on_written(self) -> None:
        # Deferred: listeners read the journal, which must not happen inside a commit.
        if not self._change_pending:
            self._change_pending = True
            QTimer.singleShot(0, self._emit_changed)

    def _emit_changed(self) -> None:
        self._change_pending = False
        if self.is_unlocked:
            self.data_changed.emit()

    def _opened(self) -> None:
        # Imported here: the service, SQLModel and SQLAlchemy are not needed to show the lock
        # screen (app.py imports them in the background while the passphrase is typed).
        from sqlalchemy import event

        from svjournal.core.journal import Journal

        self._journal = Journal(self.vault.engine)
        self.unlocked_at = datetime.now()
        self.changed = False
        # Every write goes through this engine (one process per vault): enough to know
        # whether a backup on closing would hold anything new.
        event.listen(self.vault.engine, "before_cursor_execute", self._note_write)
        if not event.contains(self.vault.engine, "commit", self._note_commit):
            event.listen(self.vault.engine, "commit", self._note_commit)
        log.info("journal unlocked")
        self.unlocked.emit()
