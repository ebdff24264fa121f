"""Settings › Change passphrase: the current passphrase, the new one twice (the one
new-secret widget), and the re-key it starts (operations/keys.py); the new recovery key is
shown at once (ui/new_recovery_key.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import SvJournalError
from svjournal.core.i18n import tr
from svjournal.operations import keys
from svjournal.ui import errors
from svjournal.ui.pages.common import hint
from svjournal.ui.session import JournalSession


class ChangePassphraseDialog(QDialog):
    """Current passphrase, then the new one twice with the same strength meter as the wizard."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        from svjournal.ui.new_passphrase import NewPassphrase
        from svjournal.ui.passphrase_widgets import PassphraseField

        super().__init__(parent)
        self.setWindowTitle(tr("Change passphrase"))
        self._session = session
        self.current = PassphraseField(tr("Current passphrase"))
        self.secret = NewPassphrase("new passphrase", self)
        self.new, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        form = QFormLayout()
        form.addRow(tr("&Current passphrase:"), self.current)
        self.secret.add_rows(form, tr("&New passphrase:"), tr("&Repeat new passphrase:"))
        self.keep_old = QCheckBox(tr("Keep older backups as they are"))
        self.keep_old.setToolTip(
            tr(
                "They would keep opening with the old passphrase and recovery key. By default "
                "they are re-sealed under the new key."
            )
        )
        form.addRow("", self.keep_old)
        self.recovery_dialog: QDialog | None = None
        self.message = hint(
            tr("The journal gets a new key and a new recovery key, shown once after the change.")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def done(self, result: int) -> None:
        # Cancel, Esc or the close box: no passphrase stays in the fields of a hidden dialog.
        self.current.clear()
        self.secret.clear()
        super().done(result)

    def _change(self) -> None:
        reason = self.secret.reason(settle=True)  # the same rule as the first run's
        if not self.current.text():
            reason = tr("Type your current passphrase.")
        if reason:
            self.message.setText(reason)
            return
        from svjournal.ui.new_recovery_key import NewRecoveryKeyDialog

        self.message.setText(tr("Re-encrypting the journal under a new key…"))
        self.message.repaint()  # the key derivations and the re-encryption take a moment
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = keys.change_passphrase(
                self._session.vault,
                self.current.text(),
                self.new.text(),
                keep_old_backups=self.keep_old.isChecked(),
                store=self._session.keystore,
            ).value
        except SvJournalError as exc:
            self.message.setText(errors.describe(exc)[1])
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.current.clear()
        self.secret.clear()
        # Shown at once, not after: the old recovery key is spent and this one is not kept.
        self.recovery_dialog = NewRecoveryKeyDialog(
            result,
            self._session.vault,
            self._session.keystore,
            tr("Your passphrase was changed."),
            self.parentWidget(),
        )
        self.recovery_dialog.open()
        self.accept()
