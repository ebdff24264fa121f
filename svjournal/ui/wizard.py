"""First-run wizard: what the journal is, a passphrase, the vault, and the recovery key (its
page, shared with the new-recovery-key dialog, is `ui/recovery_key_page.py`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from svjournal import APP_NAME
from svjournal.core.errors import KeyringFailed, KeyringUnavailable, SvJournalError
from svjournal.core.i18n import tr
from svjournal.core.keyfile import KdfParams
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import RestoreResult, Vault
from svjournal.ui import errors
from svjournal.ui.contacts_table import ContactsPage
from svjournal.ui.form_widgets import wrapped_label
from svjournal.ui.journal_switcher import LABEL_HINT, label_edit
from svjournal.ui.new_passphrase import NewPassphrase
from svjournal.ui.passphrase_widgets import (
    grow_dialog_to_fit,
)
from svjournal.ui.recovery_key_page import RecoveryKeyPage

log = logging.getLogger(__name__)


class WelcomePage(QWizardPage):
    """What the journal is, and what it is not, before anything is created."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Translators: {app} is the application's name, svjournal.
        self.setTitle(tr("Welcome to {app}").format(app=APP_NAME))
        self.setSubTitle(tr("A private journal for your work as a peer supporter."))
        points = [
            tr(
                "A <b>minimal log</b> of peer-support encounters: dates, stages, tiers, "
                "referrals and follow-ups. Keep entries short; notes are optional."
            ),
            tr("<b>Not a medical record</b>, and not part of quality review or peer review."),
            tr(
                "<b>No patient identifiers</b>: no patient names, dates of birth, record "
                "numbers or other details that could point to a patient."
            ),
            tr("<b>Everything is encrypted on this computer.</b> Nothing is sent anywhere."),
        ]
        items = "".join(f"<li style='margin-bottom:6px'>{p}</li>" for p in points)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(f"<ul style='margin-left:-20px'>{items}</ul>"))
        layout.addWidget(
            wrapped_label(
                tr(
                    "Next you choose a passphrase. Then you receive a recovery key to keep "
                    "somewhere safe: it is the only way back in if the passphrase is forgotten."
                )
            )
        )
        layout.addStretch(1)
        # A new computer, or a lost vault folder: start from a backup instead.
        self.restore_button = QPushButton(tr("Restore a journal from a backup…"))
        self.restore_button.setAccessibleName(tr("Restore a journal from a backup"))
        row = QHBoxLayout()
        row.addWidget(wrapped_label(tr("Moving to this computer, or lost your journal?")), 1)
        row.addWidget(self.restore_button)
        layout.addLayout(row)


class PassphrasePage(QWizardPage):
    """The passphrase, twice, with live advice; committing it creates the vault."""

    def __init__(
        self,
        create: Callable[[str], bool],
        parent: QWidget | None = None,
        *,
        label_required: bool = False,
    ) -> None:
        super().__init__(parent)
        self._create = create
        self._label_required = label_required
        # Shared logins: the lock screen lists journals by this label, and only by it.
        self.label = label_edit(required=label_required)
        self.setTitle(tr("Choose a passphrase"))
        self.setSubTitle(tr("You type it each time you open the journal."))
        self.setCommitPage(True)  # once the vault exists there is no going back to change it
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("Create journal"))

        self.secret = NewPassphrase("passphrase", self)
        self.passphrase, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        self.message = wrapped_label("")
        # A label's accessible name replaces its text for screen readers: describe instead.
        self.message.setAccessibleDescription(tr("Why the journal cannot be created yet"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.secret.add_rows(form, tr("&Passphrase:"), tr("&Repeat it:"))
        form.addRow(tr("&Label:"), self.label)
        form.addRow("", wrapped_label(tr(LABEL_HINT)))
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                tr(
                    "The passphrase is never stored, so nobody can look it up for you. "
                    "The recovery key on the next page is the only other way in."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.secret.changed.connect(self._changed)
        self.label.textChanged.connect(self._changed)
        self._changed()

    def reason(self) -> str:
        """Why the journal cannot be created yet; empty when it can."""
        reason = self.secret.reason()
        if reason:
            return reason
        if self._label_required and not self.label.text().strip():
            return tr("Choose a label, so that you can find your journal on the lock screen.")
        return ""

    def isComplete(self) -> bool:
        return self.reason() == ""

    def _changed(self) -> None:
        reason = self.reason()
        if not self.meter.is_pending:  # keep the last word while typing, to avoid flicker
            self.message.setText(reason or tr("Ready. Creating the journal takes a moment."))
        self.completeChanged.emit()

    def validatePage(self) -> bool:
        self.meter.flush()
        if not self.isComplete():
            self._changed()
            return False
        if not self._create(self.passphrase.text()):
            return False
        self.secret.clear()
        return True


class FirstRunWizard(QWizard):
    """Creates the vault; after accept() `vault` is the created, unlocked Vault."""

    def __init__(
        self,
        vault_path: Path,
        keystore: KeyStore,
        parent: QWidget | None = None,
        *,
        kdf: KdfParams | None = None,
        label_required: bool = False,
    ) -> None:
        super().__init__(parent)
        self._vault_path = Path(vault_path)
        self._keystore = keystore
        self._kdf = kdf
        self.vault: Vault | None = None
        self.restored: RestoreResult | None = None  # set when set up from a backup instead
        self.setWindowTitle(tr("Set up {app}").format(app=APP_NAME))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # After creation cancelling undoes nothing; closing asks first (see reject).
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.welcome_page = WelcomePage(self)
        self.passphrase_page = PassphrasePage(
            self._create_vault, self, label_required=label_required
        )
        self.key_page = RecoveryKeyPage(keystore, self)
        self.contacts_page = ContactsPage(self)
        # Finish stays on the key page too: the contacts page is optional and skippable.
        self.key_page.setFinalPage(True)
        for page in (self.welcome_page, self.passphrase_page, self.key_page):
            self.addPage(page)
        from svjournal.core.policy import current_policy

        if not current_policy().is_locked("escalation_contacts"):  # IT sets them otherwise
            self.addPage(self.contacts_page)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.welcome_page.restore_button.clicked.connect(self.restore_from_backup)
        self.key_page.content_changed.connect(self._grow_to_fit)
        self.currentIdChanged.connect(self._grow_to_fit)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        # After this event, once the layout has taken in the new text.
        QTimer.singleShot(0, self, lambda: grow_dialog_to_fit(self))

    def restore_from_backup(self) -> None:
        from svjournal.ui.restore_flow import restore_from_backup, start_folder

        path = self._vault_path

        def restore(source: Path, passphrase: str | None, key: str | None) -> RestoreResult:
            from svjournal.operations import restore as restore_ops

            return restore_ops.restore_into(
                path, source, passphrase=passphrase, recovery_key=key
            ).value

        result = restore_from_backup(self, restore, start_folder(path))
        if result is not None:
            self.restored = result
            self.done(QDialog.DialogCode.Accepted)

    def _create_vault(self, passphrase: str) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            vault, recovery_key = Vault.create(self._vault_path, passphrase, kdf=self._kdf)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            log.warning("creating the vault failed: %s", type(exc).__name__)
            errors.show_error(self, exc)
            return False
        QApplication.restoreOverrideCursor()
        self.vault = vault
        self.key_page.show_key(recovery_key, vault)
        return True

    def reject(self) -> None:
        if self.vault is not None:
            answer = QMessageBox.question(
                self,
                tr("Close without the recovery key?"),
                tr(
                    "Your journal has been created, and the recovery key will not be shown "
                    "again. Without it a forgotten passphrase cannot be reset.\n\nClose anyway?"
                ),
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Close:
                return
            self.vault.close()
            self.vault = None
        super().reject()

    def _save_contacts(self) -> None:
        contacts = self.contacts_page.contacts.contacts()
        if not contacts or self.vault is None:
            return  # skipped: Settings keeps asking
        from svjournal.operations.settings import change_settings
        from svjournal.operations.sources import open_journal

        try:
            change_settings(
                open_journal(self.vault),
                {"escalation_contacts": contacts, "escalation_contacts_confirmed": True},
            )
        except SvJournalError as exc:
            # The journal works without them; Settings asks again.
            errors.show_error(self, exc)

    def done(self, result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted
        if accepted and self.vault is not None and self.currentPage() is self.contacts_page:
            self._save_contacts()
        if accepted and self.vault is not None:
            from svjournal.ui.journal_switcher import record_opened

            record_opened(self.vault.path, self.passphrase_page.label.text())
        if accepted and self.vault is not None and self.key_page.remember_check.isChecked():
            try:
                self.vault.remember(self._keystore)
            except (KeyringFailed, KeyringUnavailable) as exc:
                # The journal works without it; the passphrase still opens it.
                errors.show_error(self, exc)
        self.key_page.clear_key()
        self.passphrase_page.passphrase.clear()
        self.passphrase_page.repeat.clear()
        super().done(result)
