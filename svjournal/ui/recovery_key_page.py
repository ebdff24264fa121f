"""The recovery key, shown once: copy it, save it to a file or print it on a sheet, and say
it is kept somewhere safe. A page of the first-run wizard and of the new-recovery-key dialog."""

from __future__ import annotations

import html
import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from svjournal import APP_NAME
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.i18n import ntr, tr
from svjournal.core.secrets import KeyStore
from svjournal.core.vault import Vault
from svjournal.ui.file_dialogs import ask_save_path
from svjournal.ui.form_widgets import wrapped_label
from svjournal.ui.passphrase_widgets import (
    CLIPBOARD_CLEAR_MS,
    copy_secret_to_clipboard,
    monospace_font,
)

try:  # QtPrintSupport is part of PySide6-Essentials, but a trimmed build may lack it.
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover - depends on the installed Qt
    QPrintDialog = QPrinter = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

RECOVERY_FILE_NAME = f"{APP_NAME}-recovery-key.txt"


class RecoveryKeyPage(QWizardPage):
    """The recovery key, shown once, and the choice to remember the journal here."""

    content_changed = Signal()

    def __init__(self, keystore: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keystore = keystore
        self._key: str | None = None
        self._vault: Vault | None = None
        self.setTitle(tr("Keep your recovery key"))
        self.setSubTitle(
            tr("It opens the journal if you forget the passphrase. It is shown only now.")
        )

        self.key_label = QLabel(self)
        self.key_label.setFont(monospace_font(1.6))
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleDescription(tr("Recovery key: six groups of five characters"))
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        key_frame = QFrame(self)
        key_frame.setFrameShape(QFrame.Shape.StyledPanel)
        key_frame.setFrameShadow(QFrame.Shadow.Sunken)
        QVBoxLayout(key_frame).addWidget(self.key_label)

        self.copy_button = QPushButton(tr("&Copy"), self)
        self.save_button = QPushButton(tr("&Save to file…"), self)
        self.print_button = QPushButton(tr("&Print…"), self)
        self.print_button.setVisible(QPrintDialog is not None)
        self.action_status = wrapped_label("")
        self.stored_check = QCheckBox(tr("&I have stored the recovery key somewhere safe"), self)

        self.remember_check = QCheckBox(tr("&Remember on this workstation"), self)
        self.remember_note = wrapped_label("")
        remember_box = QGroupBox(tr("Opening without the passphrase"), self)
        remember_layout = QVBoxLayout(remember_box)
        remember_layout.addWidget(self.remember_check)
        remember_layout.addWidget(self.remember_note)

        buttons = QHBoxLayout()
        for button in (self.copy_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                tr(
                    "Write it down, print it, or save it to a USB stick, and keep it away from "
                    "this computer. Anyone who has it and the journal's files can read the "
                    "journal."
                )
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
        shared = tr(
            "The journal then opens when you sign in to this computer account, without the "
            "passphrase. Under a login shared by several people this protects nothing: "
            "leave it off."
        )
        if available:
            self.remember_note.setText(shared)
        else:
            # Translators: {reason} says why the system keyring cannot be used.
            unavailable = tr("Not available here: {reason}").format(reason=reason)
            self.remember_note.setText(refusal or unavailable)
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
        self._report(
            ntr(
                "Copied. The clipboard will be cleared in {n} second.",
                "Copied. The clipboard will be cleared in {n} seconds.",
                seconds,
            ).format(n=seconds)
        )

    def save_key(self) -> None:
        if self._key is None or self._vault is None:
            return
        # Where the recovery key went is not noted in the (plaintext) remembered folder.
        target = ask_save_path(
            self,
            tr("Save recovery key"),
            RECOVERY_FILE_NAME,
            # Translators: file-dialog filters; keep the patterns in brackets as they are.
            tr("Text files (*.txt);;All files (*)"),
            remember=False,
        )
        if target is None:
            return
        if target.resolve().is_relative_to(self._vault.path.resolve()):
            self._report(
                tr(
                    "Save it outside the journal's folder: anyone who copies that folder would "
                    "have the key too."
                )
            )
            return
        try:
            atomic_write_bytes(target, self._sheet().encode("utf-8"))
        except OSError as exc:
            # Translators: {reason} is the system's own error text.
            problem = tr("Could not save the file: {reason}.")
            self._report(problem.format(reason=exc.strerror or exc))
            return
        self._report(tr("Saved to {path}.").format(path=target))

    def print_key(self) -> None:
        if self._key is None or QPrintDialog is None or QPrinter is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("Print recovery key"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        key = html.escape(self._key)
        big = f"<span style='font-family:monospace;font-size:20pt'><b>{key}</b></span>"
        body = html.escape(self._sheet()).replace(key, big, 1).replace("\n", "<br>")
        document = QTextDocument()
        document.setHtml(f"<div style='font-size:12pt'>{body}</div>")
        document.print_(printer)
        self._report(tr("Sent to the printer."))

    def _sheet(self) -> str:
        assert self._key is not None and self._vault is not None
        # The sheet's date stays ISO (2026-12-04): unambiguous in every language.
        return "\n".join(
            [
                # Translators: the heading of the printed or saved recovery-key sheet.
                tr("{app} recovery key").format(app=APP_NAME),
                "",
                self._key,
                "",
                tr("Journal: {path}").format(path=self._vault.path),
                tr("Journal id: {id}").format(id=self._vault.vault_id),
                tr("Created: {date}").format(date=date.today().isoformat()),
                "",
                tr("This key opens the journal if the passphrase is forgotten."),
                # Translators: one sentence over two lines of a plain-text sheet.
                tr(
                    "Anyone who has it and the journal's files can read the journal:\n"
                    "keep it away from the computer that holds the journal."
                ),
                "",
            ]
        )
