"""The open vault as the GUI sees it: unlock, lock, and the journal service while unlocked."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from svjournal.core.errors import VaultLocked
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import CloseBackup, Vault
from svjournal.core.write_watch import WriteWatch

if TYPE_CHECKING:
    from svjournal.core.journal import Journal
    from svjournal.core.rekey import RekeyResult
    from svjournal.operations.sources import JournalData

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
        # Every write goes through the vault's engine: enough to know whether a backup on
        # closing would hold anything new, and when to say `data_changed`.
        # (A method of the session, not the signal's emit: the watch keeps the session alive
        # as long as the engine lives, as the listeners always did.)
        self._writes = WriteWatch(on_commit=self._committed)
        self._change_pending = False
        self._written.connect(self._on_written)
        self._data: JournalData | None = None

    @property
    def changed(self) -> bool:
        """Anything written since the last unlock (or the last backup)."""
        return self._writes.changed

    @changed.setter
    def changed(self, value: bool) -> None:
        self._writes.changed = value

    @property
    def data(self) -> JournalData:
        """This journal's figures (the Charts and Reports views, the case view's chart);
        its queries refuse once the journal is locked."""
        if self._data is None:
            from svjournal.operations.sources import JournalData

            self._data = JournalData(self.vault)
        return self._data

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

    def close_backup(self, reason: str = "close") -> CloseBackup | None:
        """The backup taken as the app closes (or locks: `reason` "lock"); None when nothing
        changed since the last one (so that opening the app to look around does not rotate
        older backups away)."""
        journal = self.journal
        if not self.changed and self.vault.newest_backup() is not None:
            log.info("nothing changed since unlocking: no backup on closing")
            return None
        extra = journal.setting("extra_backup_folder")
        result = self.vault.close_backup(
            journal.setting("backups_kept"), Path(extra) if extra else None, reason
        )
        if result.copy is not None:
            from svjournal.core import backup as backups

            records = backups.read_header(result.copy).records
            journal.record_export(
                "backup", str(result.copy), detail="copy of the backup on closing", records=records
            )
        self.changed = False
        return result

    def _committed(self) -> None:
        self._written.emit()  # from whichever thread committed

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
        # The service, SQLModel and SQLAlchemy are imported only now: they are not needed to
        # show the lock screen (app.py imports them in the background while it is typed).
        from svjournal.operations.sources import open_journal

        self._journal = open_journal(self.vault)
        self.unlocked_at = datetime.now()
        self._writes.watch(self.vault)  # `changed` starts False
        log.info("journal unlocked")
        self.unlocked.emit()
