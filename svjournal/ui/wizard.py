"""First-run wizard: what the journal is, a passphrase, the vault, and the recovery key."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from svjournal import APP_NAME
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import KeyringFailed, KeyringUnavailable, SvJournalError
from svjournal.core.keyfile import KdfParams
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import RestoreResult, Vault
from svjournal.ui import errors
from svjournal.ui.contacts_table import ContactsPage
from svjournal.ui.file_dialogs import ask_save_path
from svjournal.ui.journal_switcher import LABEL_HINT, label_edit
from svjournal.ui.new_passphrase import NewPassphrase
from svjournal.ui.passphrase_widgets import (
    CLIPBOARD_CLEAR_MS,
    copy_secret_to_clipboard,
    grow_dialog_to_fit,
    monospace_font,
)

try:  # QtPrintSupport is part of PySide6-Essentials, but a trimmed build may lack it.
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover - depends on the installed Qt
    QPrintDialog = QPrinter = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

RECOVERY_FILE_NAME = f"{APP_NAME}-recovery-key.txt"


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if text.startswith("<") else Qt.TextFormat.PlainText)
    return label


class WelcomePage(QWizardPage):
    """What the journal is, and what it is not, before anything is created."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(f"Welcome to {APP_NAME}")
        self.setSubTitle("A private journal for your work as a peer supporter.")
        points = [
            "A <b>minimal log</b> of peer-support encounters: dates, stages, tiers, "
            "referrals and follow-ups. Keep entries short; notes are optional.",
            "<b>Not a medical record</b>, and not part of quality review or peer review.",
            "<b>No patient identifiers</b>: no patient names, dates of birth, record "
            "numbers or other details that could point to a patient.",
            "<b>Everything is encrypted on this computer.</b> Nothing is sent anywhere.",
        ]
        items = "".join(f"<li style='margin-bottom:6px'>{p}</li>" for p in points)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(f"<ul style='margin-left:-20px'>{items}</ul>"))
        layout.addWidget(
            _wrapped(
                "Next you choose a passphrase. Then you receive a recovery key to keep "
                "somewhere safe: it is the only way back in if the passphrase is forgotten."
            )
        )
        layout.addStretch(1)
        # A new computer, or a lost vault folder: start from a backup instead.
        self.restore_button = QPushButton("Restore a journal from a backup…")
        self.restore_button.setAccessibleName("Restore a journal from a backup")
        row = QHBoxLayout()
        row.addWidget(_wrapped("Moving to this computer, or lost your journal?"), 1)
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
        self.setTitle("Choose a passphrase")
        self.setSubTitle("You type it each time you open the journal.")
        self.setCommitPage(True)  # once the vault exists there is no going back to change it
        self.setButtonText(QWizard.WizardButton.CommitButton, "Create journal")

        self.secret = NewPassphrase("passphrase", self)
        self.passphrase, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        self.message = _wrapped("")
        # A label's accessible name replaces its text for screen readers: describe instead.
        self.message.setAccessibleDescription("Why the journal cannot be created yet")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.secret.add_rows(form, "&Passphrase:", "&Repeat it:")
        form.addRow("&Label:", self.label)
        form.addRow("", _wrapped(LABEL_HINT))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                "The passphrase is never stored, so nobody can look it up for you. "
                "The recovery key on the next page is the only other way in."
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
            return "Choose a label, so that you can find your journal on the lock screen."
        return ""

    def isComplete(self) -> bool:
        return self.reason() == ""

    def _changed(self) -> None:
        reason = self.reason()
        if not self.meter.is_pending:  # keep the last word while typing, to avoid flicker
            self.message.setText(reason or "Ready. Creating the journal takes a moment.")
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


class RecoveryKeyPage(QWizardPage):
    """The recovery key, shown once, and the choice to remember the journal here."""

    content_changed = Signal()

    def __init__(self, keystore: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keystore = keystore
        self._key: str | None = None
        self._vault: Vault | None = None
        self.setTitle("Keep your recovery key")
        self.setSubTitle("It opens the journal if you forget the passphrase. It is shown only now.")

        self.key_label = QLabel(self)
        self.key_label.setFont(monospace_font(1.6))
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleDescription("Recovery key: six groups of five characters")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        key_frame = QFrame(self)
        key_frame.setFrameShape(QFrame.Shape.StyledPanel)
        key_frame.setFrameShadow(QFrame.Shadow.Sunken)
        QVBoxLayout(key_frame).addWidget(self.key_label)

        self.copy_button = QPushButton("&Copy", self)
        self.save_button = QPushButton("&Save to file…", self)
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setVisible(QPrintDialog is not None)
        self.action_status = _wrapped("")
        self.stored_check = QCheckBox("&I have stored the recovery key somewhere safe", self)

        self.remember_check = QCheckBox("&Remember on this workstation", self)
        self.remember_note = _wrapped("")
        remember_box = QGroupBox("Opening without the passphrase", self)
        remember_layout = QVBoxLayout(remember_box)
        remember_layout.addWidget(self.remember_check)
        remember_layout.addWidget(self.remember_note)

        buttons = QHBoxLayout()
        for button in (self.copy_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                "Write it down, print it, or save it to a USB stick, and keep it away from "
                "this computer. Anyone who has it and the journal's files can read the journal."
            )
        )
        layout.addWidget(key_frame)
        layout.addLayout(buttons)
        layout.addWidget(self.action_status)
        layout.addWidget(self.stored_check)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(remember_box)
        layout.addStretch(1)

        self.copy_button.clicked.connect(self.copy_key)
        self.save_button.clicked.connect(self.save_key)
        self.print_button.clicked.connect(self.print_key)
        self.stored_check.toggled.connect(self.completeChanged)

    def show_key(self, key: str, vault: Vault) -> None:
        self._key, self._vault = key, vault
        self.key_label.setText(key)
        from svjournal.core.policy import current_policy

        refusal = current_policy().remember_refusal()  # IT policy or portable use
        available, reason = (False, refusal) if refusal else self._keystore.available()
        self.remember_check.setEnabled(available)
        self.remember_check.setChecked(False)
        shared = (
            "The journal then opens when you sign in to this computer account, without the "
            "passphrase. Under a login shared by several people this protects nothing: "
            "leave it off."
        )
        if available:
            self.remember_note.setText(shared)
        else:
            self.remember_note.setText(refusal or f"Not available here: {reason}")
        self.content_changed.emit()

    def _report(self, text: str) -> None:
        self.action_status.setText(text)
        self.content_changed.emit()

    def clear_key(self) -> None:
        """Drop every copy of the key this page holds (the clipboard clears on its own)."""
        self._key = None
        self.key_label.clear()

    def isComplete(self) -> bool:
        return self._key is not None and self.stored_check.isChecked()

    def copy_key(self) -> None:
        if self._key is None:
            return
        copy_secret_to_clipboard(self._key)
        seconds = CLIPBOARD_CLEAR_MS // 1000
        self._report(f"Copied. The clipboard will be cleared in {seconds} seconds.")

    def save_key(self) -> None:
        if self._key is None or self._vault is None:
            return
        # Where the recovery key went is not noted in the (plaintext) remembered folder.
        target = ask_save_path(
            self,
            "Save recovery key",
            RECOVERY_FILE_NAME,
            "Text files (*.txt);;All files (*)",
            remember=False,
        )
        if target is None:
            return
        if target.resolve().is_relative_to(self._vault.path.resolve()):
            self._report(
                "Save it outside the journal's folder: anyone who copies that folder would "
                "have the key too."
            )
            return
        try:
            atomic_write_bytes(target, self._sheet().encode("utf-8"))
        except OSError as exc:
            self._report(f"Could not save the file: {exc.strerror or exc}.")
            return
        self._report(f"Saved to {target}.")

    def print_key(self) -> None:
        if self._key is None or QPrintDialog is None or QPrinter is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print recovery key")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        key = html.escape(self._key)
        big = f"<span style='font-family:monospace;font-size:20pt'><b>{key}</b></span>"
        body = html.escape(self._sheet()).replace(key, big, 1).replace("\n", "<br>")
        document = QTextDocument()
        document.setHtml(f"<div style='font-size:12pt'>{body}</div>")
        document.print_(printer)
        self._report("Sent to the printer.")

    def _sheet(self) -> str:
        assert self._key is not None and self._vault is not None
        return "\n".join(
            [
                f"{APP_NAME} recovery key",
                "",
                self._key,
                "",
                f"Journal: {self._vault.path}",
                f"Journal id: {self._vault.vault_id}",
                f"Created: {date.today().isoformat()}",
                "",
                "This key opens the journal if the passphrase is forgotten.",
                "Anyone who has it and the journal's files can read the journal:",
                "keep it away from the computer that holds the journal.",
                "",
            ]
        )


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
        self.setWindowTitle(f"Set up {APP_NAME}")
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
            return Vault.restore_into(path, source, passphrase=passphrase, recovery_key=key)

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
                "Close without the recovery key?",
                "Your journal has been created, and the recovery key will not be shown "
                "again. Without it a forgotten passphrase cannot be reset.\n\nClose anyway?",
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
