"""After a re-key: the new recovery key, shown once with the wizard's own recovery-key page."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGroupBox, QVBoxLayout, QWidget

from svjournal.core.i18n import tr
from svjournal.core.rekey import RekeyResult
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import Vault
from svjournal.ui.pages.common import heading, hint


class NewRecoveryKeyDialog(QDialog):
    """The new recovery key (copy, save, print, as in the wizard); Close is available once
    the user says it is stored. Says what happened to the old secrets and backups."""

    def __init__(
        self,
        result: RekeyResult,
        vault: Vault,
        keystore: KeyStore,
        what: str,
        parent: QWidget | None = None,
    ) -> None:
        from svjournal.ui.recovery_key_page import RecoveryKeyPage

        super().__init__(parent)
        self.setWindowTitle(tr("Your new recovery key"))
        self.page = RecoveryKeyPage(keystore, self)
        self.page.show_key(result.recovery_key, vault)
        # Remembering is chosen in Settings; here only the key matters.
        for box in self.page.findChildren(QGroupBox):
            box.hide()
        lines = [
            what,
            tr(
                "The journal is now under a new key: the old passphrase and the old recovery "
                "key no longer open it, nor its backups."
            )
            if result.resealed
            else tr(
                "The journal is now under a new key: the old passphrase and the old recovery "
                "key no longer open it."
            ),
        ]
        if result.keyring == "updated":
            lines.append(tr("The key remembered on this workstation was updated."))
        elif result.keyring != "none":
            lines.append(result.keyring[:1].upper() + result.keyring[1:] + ".")
        self.summary = hint(" ".join(lines))
        self.warning = hint(result.old_backups_warning or "")
        self.warning.setVisible(result.old_backups_warning is not None)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.page.completeChanged.connect(self._complete)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Keep your new recovery key")))
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.page)
        layout.addWidget(self.buttons)
        self._complete()

    def _complete(self) -> None:
        self.close_button.setEnabled(self.page.isComplete())

    def reject(self) -> None:
        # Escape must not lose a key that is never shown again: only Close (once stored).
        if self.page.isComplete():
            self.accept()

    def done(self, result: int) -> None:
        self.page.clear_key()
        super().done(result)
