"""Forgotten passphrase: the recovery key opens the journal, a new passphrase replaces the old."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import WrongRecoveryKey
from svjournal.core.i18n import N_, tr
from svjournal.core.keyfile import RECOVERY_ALPHABET, RECOVERY_GROUP_LEN, RECOVERY_GROUPS
from svjournal.ui import errors
from svjournal.ui.new_passphrase import NewPassphrase
from svjournal.ui.passphrase_widgets import monospace_font
from svjournal.ui.session import JournalSession

log = logging.getLogger(__name__)

RECOVERY_KEY_CHARS = RECOVERY_GROUPS * RECOVERY_GROUP_LEN
WRONG_KEY_TEXT = N_(
    "That recovery key does not open this journal. Check it against your copy: "
    "it has 30 letters and digits; case, spaces and dashes do not matter."
)


def _key_chars(text: str) -> str:
    # The same normalization as the core's parser: any case, spaces and dashes.
    return "".join(ch for ch in text.upper() if ch not in " -\t\r\n")


class RecoveryDialog(QDialog):
    """Reset a forgotten passphrase with the recovery key; accepts once the journal is open."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.new_key_dialog: QDialog | None = None
        self.setWindowTitle(tr("Reset the passphrase"))

        self.key_edit = QLineEdit(self)
        self.key_edit.setAccessibleName(tr("Recovery key"))
        self.key_edit.setFont(monospace_font(1.2))
        self.key_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.key_edit.setMinimumWidth(self.key_edit.fontMetrics().horizontalAdvance("M" * 38))
        self.key_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhPreferUppercase
        )
        self.secret = NewPassphrase("new passphrase", self)
        self.passphrase, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleDescription(tr("Status"))

        self.buttons = QDialogButtonBox(self)
        self.reset_button = self.buttons.addButton(
            tr("&Reset passphrase"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.reset)
        self.buttons.rejected.connect(self.reject)

        intro = QLabel(
            tr(
                "Type the recovery key you kept when the journal was created, then choose a "
                "new passphrase. Your entries stay as they are."
            ),
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Recovery &key:"), self.key_edit)
        self.secret.add_rows(form, tr("&New passphrase:"), tr("Re&peat it:"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.key_edit, self.passphrase.edit)
        self.secret.chain_tab_order()  # the key moved the first field: its toggle follows

        self.key_edit.textChanged.connect(self._changed)
        self.secret.changed.connect(self._changed)
        self._changed()

    def reason(self) -> str:
        """Why Reset is not available yet; empty when it is."""
        chars = _key_chars(self.key_edit.text())
        if not chars:
            return tr("Type your recovery key.")
        if len(chars) != RECOVERY_KEY_CHARS:
            # Translators: {size} is always 30; {count} is how many characters were typed.
            return tr("A recovery key has {size} letters and digits; this has {count}.").format(
                size=RECOVERY_KEY_CHARS, count=len(chars)
            )
        if any(ch not in RECOVERY_ALPHABET for ch in chars):
            return tr("A recovery key has no 0, O, 1, I, L or U; check the characters you typed.")
        return self.secret.reason()

    def _changed(self) -> None:
        reason = self.reason()
        self.reset_button.setEnabled(not reason)
        if not self.meter.is_pending:
            self.status.setText(reason)

    def reset(self) -> None:
        self.meter.flush()
        if self.reason():
            self._changed()
            return
        # Here, not at the top: the lock screen shows before SQLAlchemy is imported.
        from svjournal.operations import keys

        self.status.setText(tr("Opening the journal…"))
        self.status.repaint()  # the key derivation blocks for a moment; show why
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = keys.reset_passphrase(
                self.session.vault,
                self.key_edit.text(),
                self.passphrase.text(),
                store=self.session.keystore,
            ).value
            self.session.adopt_unlocked()  # the re-keyed vault is open: so is the journal
        except WrongRecoveryKey:
            QApplication.restoreOverrideCursor()
            self.status.setText(tr(WRONG_KEY_TEXT))
            self.key_edit.setFocus()
            self.key_edit.selectAll()
            return
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            log.warning("recovery failed: %s", type(exc).__name__)
            title, message = errors.describe(exc)
            # Translators: an error's title, then what to do about it.
            self.status.setText(tr("{title}. {message}").format(title=title, message=message))
            return
        QApplication.restoreOverrideCursor()
        from svjournal.ui.new_recovery_key import NewRecoveryKeyDialog

        # The recovery key just typed is spent: the new one is shown now, once.
        self.new_key_dialog = NewRecoveryKeyDialog(
            result,
            self.session.vault,
            self.session.keystore,
            tr("Your passphrase was reset with the recovery key."),
            self.parentWidget(),
        )
        self.new_key_dialog.open()
        self.accept()

    def done(self, result: int) -> None:
        # Nothing secret stays in the widgets once the dialog closes.
        self.key_edit.clear()
        self.passphrase.clear()
        self.repeat.clear()
        self.meter.clear()
        super().done(result)
