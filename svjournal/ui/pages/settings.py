"""Settings: locking, follow-up cadence, reports, departments, escalation contacts, keys,
backups and exports."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
from svjournal.core.policy import Policy
from svjournal.ui import errors
from svjournal.ui.backup_dialogs import BackupsSection
from svjournal.ui.pages.common import heading, hint
from svjournal.ui.policy_notes import remember_refusal, setting_note, show_warning, warning_label
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


def contacts_to_text(contacts: list[dict[str, str]]) -> str:
    return "\n".join(" | ".join(filter(None, (c["name"], c["phone"], c["note"]))) for c in contacts)


def contacts_from_text(text: str) -> list[dict[str, Any]]:
    contacts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        contacts.append({"name": parts[0], "phone": parts[1], "note": parts[2]})
    return contacts


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
        from svjournal.ui.passphrase_widgets import PassphraseField, PassphraseStrengthMeter

        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self._session = session
        self.current = PassphraseField("Current passphrase")
        self.new = PassphraseField("New passphrase")
        self.repeat = PassphraseField("Repeat new passphrase")
        self.meter = PassphraseStrengthMeter()
        self.new.textChanged.connect(self.meter.set_passphrase)
        form = QFormLayout()
        form.addRow("Current passphrase:", self.current)
        form.addRow("New passphrase:", self.new)
        form.addRow("", self.meter)
        form.addRow("Repeat new passphrase:", self.repeat)
        self.message = hint("")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _change(self) -> None:
        if self.new.text() != self.repeat.text():
            self.message.setText("The two new passphrases differ.")
            return
        try:
            self._session.vault.change_passphrase(self.current.text(), self.new.text())
        except SvJournalError as exc:
            self.message.setText(errors.describe(exc)[1])
            return
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.accept()


class SettingsPage(QWidget):
    settings_changed = Signal()
    open_trash = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.idle = _spin("Lock after idle minutes", 1, 120, " min")
        self.cadence = _spin("Default follow-up cadence", 1, 90, " days")
        self.threshold = _spin("Small-count threshold", 0, 50, "")
        self.threshold.setSpecialValueText("off")
        self.purge = QCheckBox("Delete contact details when a case is closed")
        self.programme = QLineEdit()
        self.programme.setAccessibleName("Programme name")
        self.departments = QPlainTextEdit()
        self.departments.setAccessibleName("Departments, one per line")
        self.contacts = QPlainTextEdit()
        self.contacts.setAccessibleName("Escalation contacts, one per line")
        for edit in (self.departments, self.contacts):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 6)

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
        form.addRow("&Lock after:", self.idle)
        form.addRow("", self.policy_notes["idle_lock_minutes"])
        form.addRow("Next &follow-up in:", self.cadence)
        form.addRow("", self.purge)
        form.addRow("&Departments:", self.departments)
        form.addRow("", hint("One per line. Removing one keeps it on the cases that use it."))
        form.addRow("", self.policy_notes["departments"])
        form.addRow("&Escalation contacts:", self.contacts)
        form.addRow("", hint("One per line: name | phone | note. Shown when a red flag is ticked."))
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
        security.addWidget(self.keyring_note)
        security.addWidget(
            hint("Under a login shared by several people, remembering protects nothing.")
        )

        self.backups = BackupsSection(self._session)

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
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.policy_warning)
        for box in (journal_box, reports_box, security_box, self.backups):
            inner.addWidget(box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Settings"))
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        j = self._session.journal
        self._apply_policy(j.policy)
        self.idle.setValue(j.setting("idle_lock_minutes"))
        self.cadence.setValue(j.setting("follow_up_cadence_days"))
        self.threshold.setValue(j.setting("small_count_threshold"))
        self.purge.setChecked(j.setting("purge_contacts_on_close"))
        self.programme.setText(j.setting("programme_name"))
        self.departments.setPlainText(departments_to_text(j.setting("departments")))
        self.contacts.setPlainText(contacts_to_text(j.setting("escalation_contacts")))
        refusal = remember_refusal(j.policy, self._session.keystore)
        self.remember.setEnabled(refusal is None)
        # Forgetting stays possible under a forbidding policy: it removes an earlier key.
        self.forget.setEnabled(self._session.keystore.available()[0])
        self.keyring_note.setText(refusal or "")
        self.status.clear()
        self.backups.refresh()

    def save(self) -> None:
        j = self._session.journal
        values = {
            "idle_lock_minutes": self.idle.value(),
            "follow_up_cadence_days": self.cadence.value(),
            "small_count_threshold": self.threshold.value(),
            "purge_contacts_on_close": self.purge.isChecked(),
            "programme_name": self.programme.text(),
            "departments": departments_from_text(
                self.departments.toPlainText(), j.setting("departments")
            ),
            "escalation_contacts": contacts_from_text(self.contacts.toPlainText()),
            **self.backups.values(),
        }
        values = {k: v for k, v in values.items() if not j.policy.is_locked(k)}
        try:
            for key, value in values.items():
                j.set_setting(key, value)
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        self.status.setText("Saved.")
        self.settings_changed.emit()

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
        for edit in (self.departments, self.contacts):
            edit.clear()
        self.programme.clear()
        self.backups.clear()
