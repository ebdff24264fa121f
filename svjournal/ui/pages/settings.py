"""Settings: locking, follow-up cadence, reports, departments, escalation contacts, keys,
reminders, retention, backups and exports (the sections of their own: ui/retention_ui.py,
ui/backups_section.py; the fields: ui/pages/settings_fields.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.errors import SvJournalError
from svjournal.core.escalation import contacts_pending
from svjournal.core.i18n import tr
from svjournal.core.journals import JournalList
from svjournal.core.policy import Policy
from svjournal.operations import settings as settings_ops
from svjournal.ui import errors
from svjournal.ui.backups_section import BackupsSection
from svjournal.ui.change_passphrase import ChangePassphraseDialog
from svjournal.ui.contacts_table import ContactsEditor, escalation_contacts_for
from svjournal.ui.journal_switcher import LABEL_HINT, label_edit, label_of
from svjournal.ui.language_section import LanguageSection
from svjournal.ui.op_runner import OpRunner
from svjournal.ui.pages.common import field_hint, heading, hint
from svjournal.ui.pages.settings_fields import (
    ContactsPrompt,
    departments_from_text,
    departments_to_text,
    grow_with_lines,
    spin_box,
)
from svjournal.ui.policy_notes import remember_refusal, setting_note, show_warning, warning_label
from svjournal.ui.retention_ui import RetentionSection
from svjournal.ui.session import JournalSession


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
        self._fields()
        # Built in this order: Tab follows the order in which widgets join the page.
        journal_box = self._journal_box()
        reports_box = self._reports_box()
        security_box = self._security_box()
        self.backups = BackupsSection(self._session)
        self.retention = RetentionSection(self._session)
        self.retention.applied.connect(self.backups.refresh)  # backups and the export log
        reminders_box = self._reminders_box()
        self.language = LanguageSection()
        bottom = self._bottom_row()

        self.policy_warning = warning_label()
        self.contacts_prompt = ContactsPrompt()
        self.contacts_prompt.hide()
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.policy_warning)
        boxes = (
            journal_box,
            reports_box,
            reminders_box,
            self.language,
            security_box,
            self.retention,
        )
        for box in (*boxes, self.backups):
            inner.addWidget(box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Settings")))
        # Above the scrolling part: seen on arriving, whatever the window's height.
        layout.addWidget(self.contacts_prompt)
        layout.addWidget(scroll, 1)
        self._scroll = scroll
        self.contacts_prompt.button.clicked.connect(self.go_to_contacts)
        layout.addLayout(bottom)

    def _fields(self) -> None:
        """The page's own fields, and a note under each one the IT policy sets or bounds."""
        # Translators: " min" and " days" follow a number in a spin box ("15 min", "14 days").
        self.idle = spin_box(tr("Lock after idle minutes"), 1, 120, tr(" min"))
        self.cadence = spin_box(tr("Default follow-up cadence"), 1, 90, tr(" days"))
        self.threshold = spin_box(tr("Small-count threshold"), 0, 50, "")
        self.threshold.setSpecialValueText(tr("off"))
        self.purge = QCheckBox(tr("Delete contact details when a case is closed"))
        self.programme = QLineEdit()
        self.programme.setAccessibleName(tr("Program name"))
        self.departments = QPlainTextEdit()
        self.departments.setAccessibleName(tr("Departments, one per line"))
        # A table, one row a contact (it was "name | phone | note" lines to type by hand).
        self.contacts = ContactsEditor()
        self.departments.setTabChangesFocus(True)
        self.departments.setMinimumHeight(self.departments.fontMetrics().lineSpacing() * 6)
        # The page scrolls; a list inside it that scrolled too would hide lines under a
        # second scrollbar. It grows with its lines instead.
        grow_with_lines(self.departments, 6)
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

    def _journal_box(self) -> QGroupBox:
        box = QGroupBox(tr("Journal"))
        form = QFormLayout(box)
        # Number fields keep their natural width; text fields take the rest.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(tr("&Lock after:"), self.idle)
        form.addRow("", self.policy_notes["idle_lock_minutes"])
        form.addRow(tr("Next &follow-up in:"), self.cadence)
        form.addRow("", self.purge)
        form.addRow(tr("&Departments:"), self.departments)
        form.addRow(
            "", field_hint(tr("One per line. Removing one keeps it on the cases that use it."))
        )
        form.addRow("", self.policy_notes["departments"])
        form.addRow(tr("Escala&tion contacts:"), self.contacts)
        form.addRow("", field_hint(tr("One row a contact. Shown when a red flag is ticked.")))
        form.addRow("", self.policy_notes["escalation_contacts"])
        return box

    def _reports_box(self) -> QGroupBox:
        box = QGroupBox(tr("Reports"))
        reports = QFormLayout(box)
        reports.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        reports.addRow(tr("&Program name:"), self.programme)
        reports.addRow("", self.policy_notes["programme_name"])
        reports.addRow(tr("&Hide counts below:"), self.threshold)
        reports.addRow("", self.policy_notes["small_count_threshold"])
        return box

    def _security_box(self) -> QGroupBox:
        box = QGroupBox(tr("Passphrase and this workstation"))
        security = QVBoxLayout(box)
        self.keyring_note = hint("")
        row = QHBoxLayout()
        change = QPushButton(tr("Change passphrase…"))
        change.clicked.connect(lambda: ChangePassphraseDialog(self._session, self).open())
        self.remember = QPushButton(tr("Remember on this workstation"))
        self.remember.clicked.connect(self._remember)
        self.forget = QPushButton(tr("Forget on this workstation"))
        self.forget.clicked.connect(self._forget)
        for button in (change, self.remember, self.forget):
            row.addWidget(button)
        row.addStretch(1)
        security.addLayout(row)
        self.journal_label = label_edit()
        label_row = QFormLayout()
        label_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        label_row.addRow(tr("Lock-screen la&bel:"), self.journal_label)
        security.addLayout(label_row)
        security.addWidget(hint(tr(LABEL_HINT)))
        security.addWidget(self.keyring_note)
        security.addWidget(
            hint(tr("Under a login shared by several people, remembering protects nothing."))
        )
        return box

    def _reminders_box(self) -> QGroupBox:
        """A small group of its own (ui/tray.py does the reminding)."""
        box = QGroupBox(tr("Reminders"))
        reminders = QVBoxLayout(box)
        self.tray_reminders = QCheckBox(tr("Remind me in the system tray when follow-ups are due"))
        reminders.addWidget(self.tray_reminders)
        reminders.addWidget(
            hint(
                tr("Counts only, never a pseudonym. Where the desktop has no tray, nothing shows.")
            )
        )
        return box

    def _bottom_row(self) -> QHBoxLayout:
        self.status = QLabel()
        save = QPushButton(tr("Save settings"))
        save.setDefault(True)
        save.clicked.connect(self.save)
        trash = QPushButton(tr("Trash…"))
        trash.clicked.connect(self.open_trash)
        bottom = QHBoxLayout()
        bottom.addWidget(save)
        bottom.addWidget(trash)
        bottom.addWidget(self.status, 1)
        return bottom

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
            self.status.setText(
                tr("Saved, but the label could not be kept: {reason}.").format(reason=exc.strerror)
            )
        else:
            self.status.setText(tr("Saved."))
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
        self.threshold.setSpecialValueText(tr("off") if floor == 0 else "")
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
        self.status.setText(tr("The key is remembered on this workstation."))

    def _forget(self) -> None:
        try:
            self._session.vault.forget(self._session.keystore)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.status.setText(tr("This workstation no longer remembers the key."))

    def clear(self) -> None:
        self.departments.clear()
        self.contacts.set_contacts([])
        self.programme.clear()
        self.backups.clear()
        self.retention.clear()
