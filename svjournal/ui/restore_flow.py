"""Restoring a backup where there is no working journal: first run, damaged vault.

Settings › Backups restores over a working journal; this flow serves the two moments a
supporter most needs a backup and has no journal to open: setting up a new computer (or
after losing the vault folder), and a journal found damaged at start or unlock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from svjournal.core.i18n import ntr, tr
from svjournal.core.vault import RestoreResult
from svjournal.operations import restore as restoring
from svjournal.ui import errors
from svjournal.ui.backup_dialogs import BACKUP_FILTER, RestoreDialog, count_text, when
from svjournal.ui.file_dialogs import ask_open_path

log = logging.getLogger(__name__)

# (backup file, passphrase, recovery key) → what was restored
Restorer = Callable[[Path, str | None, str | None], RestoreResult]


def start_folder(vault_path: Path, newest: Path | None = None) -> Path:
    """Where the file dialog opens: the newest backup's folder, the vault's backups, home."""
    for folder in (newest.parent if newest else None, vault_path / "backups"):
        if folder is not None and folder.is_dir():
            return folder
    return Path.home()


def restore_from_backup(
    parent: QWidget | None, restore: Restorer, folder: Path, source: Path | None = None
) -> RestoreResult | None:
    """Ask for a backup file (unless given), what opens it, restore; None if not done."""
    source = source or ask_open_path(parent, tr("Restore from a backup"), tr(BACKUP_FILTER), folder)
    if source is None:
        return None
    try:
        header = restoring.read_backup(source)
    except Exception as exc:
        errors.show_error(parent, exc)
        return None
    dialog = RestoreDialog(header, parent, situation=RestoreDialog.NEW_TEXT)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    passphrase, recovery_key = dialog.secret()
    dialog.passphrase.clear()
    dialog.recovery.clear()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = restore(source, passphrase, recovery_key)
    except Exception as exc:
        QApplication.restoreOverrideCursor()
        log.warning("restore failed: %s", type(exc).__name__)
        errors.show_error(parent, exc)
        return None
    QApplication.restoreOverrideCursor()
    n = result.records
    # Translators: {n} records; {when} is the date and time the backup was made.
    text = ntr(
        "Restored {n} record from the backup made {when}.",
        "Restored {n} records from the backup made {when}.",
        n,
    ).format(n=count_text(n), when=when(result.created_at))
    text += "<br><br>" + tr(
        "Unlock it with the passphrase that was current when that backup was made (or reset "
        "it with that time's recovery key)."
    )
    if result.previous is not None:
        text += "<br><br>" + tr("The files it replaced are kept in {path}.").format(
            path=result.previous
        )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("Journal restored"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setAccessibleName(tr("Journal restored"))
    box.exec()
    return result
