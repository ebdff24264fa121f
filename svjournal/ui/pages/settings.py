"""Settings: locking, follow-up cadence, reports, departments, escalation contacts, keys,
backups and exports."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import SvJournalError
from svjournal.core.escalation import contacts_pending
from svjournal.core.journals import JournalList
from svjournal.core.policy import Policy
from svjournal.operations import keys
from svjournal.operations import settings as settings_ops
from svjournal.ui import errors
from svjournal.ui.backup_dialogs import BackupsSection
from svjournal.ui.contacts_table import ContactsEditor, escalation_contacts_for
from svjournal.ui.journal_switcher import LABEL_HINT, label_edit, label_of
from svjournal.ui.op_runner import OpRunner
from svjournal.ui.pages.common import field_hint, heading, hint
from svjournal.ui.policy_notes import remember_refusal, setting_note, show_warning, warning_label
from svjournal.ui.retention_ui import RetentionSection
from svjournal.ui.session import JournalSession


def _spin(name: str, low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


def departments_to_text(departments: list[dict[str, str]]) -> str:
    return "\n".join(d["label"] for d in departments)


def departments_from_text(text: str, existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """One label a line; known labels keep their codes, new ones get a code made from the label."""
    by_label = {d["label"]: d["code"] for d in existing}
    result: list[dict[str, str]] = []
    used: set[str] = set()
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        code = by_label.get(label) or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
        code = code or "department"
        base, n = code, 2
        while code in used:
            code, n = f"{base}_{n}", n + 1
        used.add(code)
        result.append({"code": code, "label": label})
    return result


CONTACTS_PROMPT = (
    "Add the escalation contacts for where you work: the local crisis line, the on-call or "
    "occupational health number, your programme lead. They are shown whenever a red flag is "
    "ticked, and no number is assumed for your country."
)


class ContactsPrompt(QFrame):
    """Asks for the local escalation contacts until they are saved; a button goes to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsPrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Escalation contacts needed")
        self.text = QLabel(CONTACTS_PROMPT)
        self.text.setWordWrap(True)
        self.button = QPushButton("Enter &contacts")
        self.button.setAccessibleName("Enter escalation contacts")
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


def grow_with_lines(edit: QPlainTextEdit, minimum_lines: int) -> None:
    """Keep `edit` exactly as tall as its text (at least `minimum_lines`), never scrolling."""
    edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit() -> None:
        lines = max(minimum_lines, int(edit.document().size().height()) + 1)
        margins = edit.contentsMargins()
        frame = 2 * edit.frameWidth() + margins.top() + margins.bottom()
        document = 2 * int(edit.document().documentMargin())
        edit.setFixedHeight(lines * edit.fontMetrics().lineSpacing() + frame + document)

    edit.document().documentLayout().documentSizeChanged.connect(lambda _size: fit())
    fit()


class ChangePassphraseDialog(QDialog):
    """Current passphrase, then the new one twice with the same strength meter as the wizard."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        from svjournal.ui.new_passphrase import NewPassphrase
        from svjournal.ui.passphrase_widgets import PassphraseField

        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self._session = session
        self.current = PassphraseField("Current passphrase")
        self.secret = NewPassphrase("new passphrase", self)
        self.new, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        form = QFormLayout()
        form.addRow("&Current passphrase:", self.current)
        self.secret.add_rows(form, "&New passphrase:", "&Repeat new passphrase:")
        self.keep_old = QCheckBox("Keep older backups as they are")
        self.keep_old.setToolTip(
            "They would keep opening with the old passphrase and recovery key. By default they "
            "are re-sealed under the new key."
        )
        form.addRow("", self.keep_old)
        self.recovery_dialog: QDialog | None = None
        self.message = hint(
            "The journal gets a new key and a new recovery key, shown once after the change."
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
            reason = "Type your current passphrase."
        if reason:
            self.message.setText(reason)
            return
        from svjournal.ui.new_recovery_key import NewRecoveryKeyDialog

        self.message.setText("Re-encrypting the journal under a new key…")
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
            "Your passphrase was changed.",
            self.parentWidget(),
        )
        self.recovery_dialog.open()
        self.accept()


class SettingsPage(QWidget):
    settings_changed = Signal()
    open_trash = Signal()

    def __init__(
        self, session: JournalSession, ops: OpRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        # Saving is an operation like any other: one transaction, undoable (Edit › Undo).
        self._ops = ops if ops is not None else OpRunner(lambda: session.journal, self)
        self.idle = _spin("Lock after idle minutes", 1, 120, " min")
        self.cadence = _spin("Default follow-up cadence", 1, 90, " days")
        self.threshold = _spin("Small-count threshold", 0, 50, "")
        self.threshold.setSpecialValueText("off")
        self.purge = QCheckBox("Delete contact details when a case is closed")
        self.programme = QLineEdit()
        self.programme.setAccessibleName("Programme name")
        self.departments = QPlainTextEdit()
        self.departments.setAccessibleName("Departments, one per line")
        # A table, one row a contact (it was "name | phone | note" lines to type by hand).
        self.contacts = ContactsEditor()
        self.departments.setTabChangesFocus(True)
        self.departments.setMinimumHeight(self.departments.fontMetrics().lineSpacing() * 6)

        # The page scrolls; a list inside it that scrolled too would hide lines under a
        # second scrollbar. It grows with its lines instead.
        grow_with_lines(self.departments, 6)

        journal_box = QGroupBox("Journal")
        form = QFormLayout(journal_box)
        # Number fields keep their natural width; text fields take the rest.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # What the IT policy sets or bounds: the control, and a note under it.
        self.governed: dict[str, QWidget] = {
            "idle_lock_minutes": self.idle,
            "small_count_threshold": self.threshold,
            "programme_name": self.programme,
            "departments": self.departments,
            "escalation_contacts": self.contacts,
        }
        self.policy_notes = {key: hint("") for key in self.governed}
        for note in self.policy_notes.values():
            note.setWordWrap(False)  # one short line; wrapping squeezes it into a column
        form.addRow("&Lock after:", self.idle)
        form.addRow("", self.policy_notes["idle_lock_minutes"])
        form.addRow("Next &follow-up in:", self.cadence)
        form.addRow("", self.purge)
        form.addRow("&Departments:", self.departments)
        form.addRow("", field_hint("One per line. Removing one keeps it on the cases that use it."))
        form.addRow("", self.policy_notes["departments"])
        form.addRow("&Escalation contacts:", self.contacts)
        form.addRow("", field_hint("One row a contact. Shown when a red flag is ticked."))
        form.addRow("", self.policy_notes["escalation_contacts"])
        reports_box = QGroupBox("Reports")
        reports = QFormLayout(reports_box)
        reports.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        reports.addRow("&Programme name:", self.programme)
        reports.addRow("", self.policy_notes["programme_name"])
        reports.addRow("&Hide counts below:", self.threshold)
        reports.addRow("", self.policy_notes["small_count_threshold"])

        security_box = QGroupBox("Passphrase and this workstation")
        security = QVBoxLayout(security_box)
        self.keyring_note = hint("")
        row = QHBoxLayout()
        change = QPushButton("Change passphrase…")
        change.clicked.connect(lambda: ChangePassphraseDialog(self._session, self).open())
        self.remember = QPushButton("Remember on this workstation")
        self.remember.clicked.connect(self._remember)
        self.forget = QPushButton("Forget on this workstation")
        self.forget.clicked.connect(self._forget)
        for button in (change, self.remember, self.forget):
            row.addWidget(button)
        row.addStretch(1)
        security.addLayout(row)
        self.journal_label = label_edit()
        label_row = QFormLayout()
        label_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        label_row.addRow("Lock-screen &label:", self.journal_label)
        security.addLayout(label_row)
        security.addWidget(hint(LABEL_HINT))
        security.addWidget(self.keyring_note)
        security.addWidget(
            hint("Under a login shared by several people, remembering protects nothing.")
        )

        self.backups = BackupsSection(self._session)
        self.retention = RetentionSection(self._session)
        self.retention.applied.connect(self.backups.refresh)  # backups and the export log

        # Reminders: a small group of its own (ui/tray.py does the reminding).
        reminders_box = QGroupBox("Reminders")
        reminders = QVBoxLayout(reminders_box)
        self.tray_reminders = QCheckBox("Remind me in the system tray when follow-ups are due")
        reminders.addWidget(self.tray_reminders)
        reminders.addWidget(
            hint("Counts only, never a pseudonym. Where the desktop has no tray, nothing shows.")
        )

        self.status = QLabel()
        save = QPushButton("Save settings")
        save.setDefault(True)
        save.clicked.connect(self.save)
        trash = QPushButton("Trash…")
        trash.clicked.connect(self.open_trash)
        bottom = QHBoxLayout()
        bottom.addWidget(save)
        bottom.addWidget(trash)
        bottom.addWidget(self.status, 1)

        self.policy_warning = warning_label()
        self.contacts_prompt = ContactsPrompt()
        self.contacts_prompt.hide()
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.policy_warning)
        boxes = (journal_box, reports_box, reminders_box, security_box, self.retention)
        for box in (*boxes, self.backups):
            inner.addWidget(box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Settings"))
        # Above the scrolling part: seen on arriving, whatever the window's height.
        layout.addWidget(self.contacts_prompt)
        layout.addWidget(scroll, 1)
        self._scroll = scroll
        self.contacts_prompt.button.clicked.connect(self.go_to_contacts)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        j = self._session.journal
        self._apply_policy(j.policy)
        self.idle.setValue(j.setting("idle_lock_minutes"))
        self.cadence.setValue(j.setting("follow_up_cadence_days"))
        self.threshold.setValue(j.setting("small_count_threshold"))
        self.purge.setChecked(j.setting("purge_contacts_on_close"))
        self.tray_reminders.setChecked(j.setting("tray_reminders"))
        self.programme.setText(j.setting("programme_name"))
        self.departments.setPlainText(departments_to_text(j.setting("departments")))
        self.contacts.set_contacts(escalation_contacts_for(j))
        self._show_contacts_prompt()
        refusal = remember_refusal(j.policy, self._session.keystore)
        self.remember.setEnabled(refusal is None)
        # Forgetting stays possible under a forbidding policy: it removes an earlier key.
        self.forget.setEnabled(self._session.keystore.available()[0])
        self.keyring_note.setText(refusal or "")
        self.journal_label.setText(label_of(self._session.vault.path))
        self.status.clear()
        self.retention.refresh()
        self.backups.refresh()

    def save(self) -> None:
        j = self._session.journal
        values = {
            "idle_lock_minutes": self.idle.value(),
            "follow_up_cadence_days": self.cadence.value(),
            "small_count_threshold": self.threshold.value(),
            "purge_contacts_on_close": self.purge.isChecked(),
            "tray_reminders": self.tray_reminders.isChecked(),
            "programme_name": self.programme.text(),
            "departments": departments_from_text(
                self.departments.toPlainText(), j.setting("departments")
            ),
            "escalation_contacts": self.contacts.contacts(),
            **self.backups.values(),
            **self.retention.values(),
        }
        if self.contacts.contacts():
            values["escalation_contacts_confirmed"] = True
        values = {k: v for k, v in values.items() if not j.policy.is_locked(k)}
        if (
            self._ops.run(self, lambda journal: settings_ops.change_settings(journal, values))
            is None
        ):
            return  # refused, and said why
        try:
            label = self.journal_label.text().strip()
            if label != label_of(self._session.vault.path):
                JournalList().set_label(self._session.vault.path, label)
        except OSError as exc:  # the config folder; the journal's own settings are saved
            self.status.setText(f"Saved, but the label could not be kept: {exc.strerror}.")
        else:
            self.status.setText("Saved.")
        self._show_contacts_prompt()
        self.settings_changed.emit()

    def _show_contacts_prompt(self) -> None:
        j = self._session.journal
        pending = contacts_pending(
            confirmed=j.setting("escalation_contacts_confirmed"),
            locked=j.policy.is_locked("escalation_contacts"),
        )
        self.contacts_prompt.setVisible(pending)

    def go_to_contacts(self) -> None:
        """Scroll to the contacts table and put the keyboard in it (an empty one gets a row)."""
        self._scroll.ensureWidgetVisible(self.contacts)
        if not self.contacts.model.rowCount():
            self.contacts.add_contact()
        else:
            self.contacts.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_policy(self, policy: Policy) -> None:
        """Bounds first (a value outside them would be clamped by the spin box), then locks."""
        self.idle.setMaximum(policy.idle_max() or 120)
        floor = policy.threshold_min() or 0
        self.threshold.setMinimum(floor)
        # The special text stands for the minimum: "off" only where 0 is allowed.
        self.threshold.setSpecialValueText("off" if floor == 0 else "")
        for key, control in self.governed.items():
            control.setEnabled(not policy.is_locked(key))
            note = setting_note(policy, key)
            self.policy_notes[key].setText(note)
            self.policy_notes[key].setVisible(bool(note))
        self.backups.apply_policy(policy)
        self.retention.apply_policy(policy)
        show_warning(self.policy_warning, policy)

    def _remember(self) -> None:
        try:
            self._session.vault.remember(self._session.keystore)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.status.setText("The key is remembered on this workstation.")

    def _forget(self) -> None:
        try:
            self._session.vault.forget(self._session.keystore)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.status.setText("This workstation no longer remembers the key.")

    def clear(self) -> None:
        self.departments.clear()
        self.contacts.set_contacts([])
        self.programme.clear()
        self.backups.clear()
        self.retention.clear()
