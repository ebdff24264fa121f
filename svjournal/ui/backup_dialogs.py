"""The dialogs of Settings › Backups and exports: restoring a backup, the encrypted personal
export and the calendar export; and the words a backup or an export-log line is shown in.

The section that opens them (the backups list, the export log, the buttons) is
ui/backups_section.py; the first-run and damaged-journal restores use RestoreDialog too
(ui/restore_flow.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import backup as backups
from svjournal.ui.dialogs import buttons_after_fields
from svjournal.ui.formatting import format_stamp
from svjournal.ui.pages.common import hint

_REASONS = {"close": "On closing", "manual": "By hand", "before-restore": "Before a restore"}
_KINDS = {
    "backup": "Backup",
    "restore": "Restore",
    "personal-export": "Personal export",
    "calendar": "Calendar",
    "chart": "Chart",
    "team_bundle": "Team bundle",
    "report-pdf": "Programme report (PDF)",
    "report-xlsx": "Programme report (Excel)",
    "report-csv": "Programme report (CSV)",
}


def export_kind_label(kind: str) -> str:
    """The export log's code for a kind of export, in words ("report-pdf" never shows)."""
    return _KINDS.get(kind, kind.replace("-", " ").replace("_", " ").capitalize())


BACKUP_FILTER = "svjournal backups (*.svjbackup)"


def reason_label(reason: str) -> str:
    if reason.startswith("before-upgrade"):
        return "Before an upgrade"
    return _REASONS.get(reason, reason.replace("-", " ").capitalize())


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def when(created_at: str) -> str:
    return format_stamp(created_at)


class _Dialog(QDialog):
    def __init__(self, title: str, intro: str, action: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        # Text fields take the width; number fields keep their natural size.
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.message = hint("")
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 84)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:
        # The buttons are built before a subclass adds its fields: put them last for Tab.
        buttons_after_fields(self, self.buttons)
        super().showEvent(event)

    def _check(self) -> None:
        self.accept()


class RestoreDialog(_Dialog):
    """What a restore will do, and the passphrase or recovery key of the backup's time."""

    REPLACE_TEXT = (
        "Restoring replaces the journal you are using now with this backup. The current "
        "journal is backed up first, into the backups folder, so you can go back to it.<br>"
    )
    NEW_TEXT = (
        "The journal in this backup becomes your journal on this computer. If damaged "
        "journal files are in the way, they are kept, as they are, in the backups folder.<br>"
    )

    def __init__(
        self,
        header: backups.BackupHeader,
        parent: QWidget | None = None,
        *,
        situation: str | None = None,
    ) -> None:
        from svjournal.ui.passphrase_widgets import PassphraseField

        counts = header.row_counts or {}
        figures = ", ".join(
            f"{counts[t]:,} {label}"
            for t, label in (("cases", "cases"), ("encounters", "encounters"))
            if t in counts
        )
        intro = (
            f"<b>Backup made {when(header.created_at)}</b> ({reason_label(header.reason).lower()}"
            f"{': ' + figures if figures else ''}).<br><br>"
            f"{situation or self.REPLACE_TEXT}"
            "The backup is checked completely before anything changes. Afterwards the journal "
            "locks: unlock it with the passphrase that was current when the backup was made."
        )
        super().__init__("Restore from backup", intro, "Restore", parent)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.use_passphrase = QRadioButton("Passphrase of that time")
        self.use_recovery = QRadioButton("Recovery key")
        self.use_passphrase.setChecked(True)
        self.passphrase = PassphraseField("Passphrase of the backup's time")
        self.recovery = QLineEdit()
        self.recovery.setAccessibleName("Recovery key")
        self.recovery.setPlaceholderText("ABCDE-FGHJK-…")
        self.form.addRow(self.use_passphrase, self.passphrase)
        self.form.addRow(self.use_recovery, self.recovery)
        for toggle in (self.use_passphrase, self.use_recovery):
            toggle.toggled.connect(self._update)
        self.passphrase.textChanged.connect(self._update)
        self.recovery.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        by_passphrase = self.use_passphrase.isChecked()
        self.passphrase.setEnabled(by_passphrase)
        self.recovery.setEnabled(not by_passphrase)
        given = self.passphrase.text() if by_passphrase else self.recovery.text().strip()
        self.ok.setEnabled(bool(given))

    def secret(self) -> tuple[str | None, str | None]:
        """(passphrase, recovery key): one of them is None."""
        if self.use_passphrase.isChecked():
            return self.passphrase.text(), None
        return None, self.recovery.text()


class PersonalExportDialog(_Dialog):
    """The warning, an explicit "I understand", and a strong export passphrase twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from svjournal.reports.personal import WARNING
        from svjournal.ui.new_passphrase import NewPassphrase

        title = "Export everything (encrypted)"
        intro = f"<b>Warning: this file will hold everything, notes included.</b><br><br>{WARNING}"
        super().__init__(title, intro, "Choose file and export…", parent)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.understood = QCheckBox("I understand: this file holds my notes and pseudonyms")
        self.secret = NewPassphrase("export passphrase", self)
        self.passphrase, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        self.form.addRow("", self.understood)
        self.secret.add_rows(self.form, "Export &passphrase:", "&Repeat:")
        self.understood.toggled.connect(self.ok.setEnabled)
        self.ok.setEnabled(False)

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:  # nothing typed stays in a closed dialog
            self.secret.clear()
        super().done(result)

    def _check(self) -> None:
        reason = self.secret.reason(settle=True)  # the rule every new secret follows
        if reason:
            self.say(reason)
            return
        self.accept()


class CalendarDialog(_Dialog):
    """How far ahead, and whether overdue follow-ups go in too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        intro = (
            "Planned follow-ups become all-day events in an .ics file for your calendar. "
            'Each says only "Peer support follow-up" and a reference code: no pseudonym, '
            "no note, no contact detail. Importing a newer file updates the same events."
        )
        super().__init__("Export follow-ups to calendar", intro, "Choose file and export…", parent)
        self.days = QSpinBox()
        self.days.setRange(1, 730)
        self.days.setValue(90)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Days ahead")
        self.overdue = QCheckBox("Also overdue follow-ups (placed on today)")
        self.form.addRow("&Ahead:", self.days)
        self.form.addRow("", self.overdue)
