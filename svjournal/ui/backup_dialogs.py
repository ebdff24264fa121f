"""The dialogs of Settings › Backups and exports: restoring a backup, the encrypted personal
export and the calendar export; and the words a backup or an export-log line is shown in.

The section that opens them (the backups list, the export log, the buttons) is
ui/backups_section.py; the first-run and damaged-journal restores use RestoreDialog too
(ui/restore_flow.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
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
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.records import ExportLogRecord
from svjournal.ui.dialogs import buttons_after_fields
from svjournal.ui.formatting import format_stamp
from svjournal.ui.pages.common import hint
from svjournal.ui.table_models import Column, short_date

_REASONS = {
    # Translators: why a backup was made, as the backups list says it.
    "close": N_("On closing"),
    "lock": N_("On locking"),
    "manual": N_("By hand"),
    "before-restore": N_("Before a restore"),
}
_KINDS = {
    "backup": N_("Backup"),
    "restore": N_("Restore"),
    "personal-export": N_("Personal export"),
    "calendar": N_("Calendar"),
    "chart": N_("Chart"),
    "team_bundle": N_("Team bundle"),
    "report-pdf": N_("Program report (PDF)"),
    "report-xlsx": N_("Program report (Excel)"),
    "report-csv": N_("Program report (CSV)"),
}


def export_kind_label(kind: str) -> str:
    """The export log's code for a kind of export, in words ("report-pdf" never shows)."""
    if kind in _KINDS:
        return tr(_KINDS[kind])
    return kind.replace("-", " ").replace("_", " ").capitalize()  # a code newer than this app


# Translators: a file-dialog filter; keep "(*.svjbackup)" as it is.
BACKUP_FILTER = N_("svjournal backups (*.svjbackup)")


def reason_label(reason: str) -> str:
    if reason.startswith("before-upgrade"):
        return tr("Before an upgrade")
    if reason in _REASONS:
        return tr(_REASONS[reason])
    return reason.replace("-", " ").capitalize()


def count_text(n: int) -> str:
    """A count as the window's locale writes it (1,234; 1.234; 1 234)."""
    return QLocale().toString(n)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        # Translators: a file size in megabytes.
        return tr("{size} MB").format(size=QLocale().toString(size / (1024 * 1024), "f", 1))
    # Translators: a file size in kilobytes.
    return tr("{size} KB").format(size=QLocale().toString(max(1, round(size / 1024))))


def plural_suffix(spin: QSpinBox, suffix: Callable[[int], str]) -> None:
    """A spin box suffix in the plural form its value takes ("1 day", "2 days"), kept so."""
    spin.setSuffix(suffix(spin.value()))
    spin.valueChanged.connect(lambda n: spin.setSuffix(suffix(n)))


def when(created_at: str) -> str:
    return format_stamp(created_at)


def listing_columns() -> list[Column[backups.BackupListing]]:
    def made(b: backups.BackupListing) -> str:
        return when(b.header.created_at) if b.header else "—"

    def why(b: backups.BackupListing) -> str:
        if b.header:
            return reason_label(b.header.reason)
        # Translators: {problem} says why the backup file cannot be read.
        return tr("Unreadable: {problem}").format(problem=b.problem)

    def records(b: backups.BackupListing) -> str:
        count = b.header.records if b.header else None
        return "—" if count is None else count_text(count)

    return [
        # Translators: column of the backups list: when the backup was made.
        Column(tr("Made"), made),
        # Translators: column of the backups list: why the backup was made.
        Column(tr("Why"), why),
        Column(tr("Records"), records),
        Column(tr("Size"), lambda b: human_size(b.size)),
        Column(tr("File"), lambda b: b.path.name),
    ]


def log_columns() -> list[Column[ExportLogRecord]]:
    def records(e: ExportLogRecord) -> str:
        count = getattr(e, "records", None)
        return "—" if count is None else count_text(count)

    return [
        # Translators: columns of the export log: when, what kind of export, how many
        # records, where the file went, and a detail.
        Column(tr("When"), lambda e: short_date(e.at)),
        Column(tr("What"), lambda e: export_kind_label(e.kind)),
        Column(tr("Records"), records),
        Column(tr("Where"), lambda e: e.destination),
        Column(tr("Detail"), lambda e: e.detail),
    ]


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

    REPLACE_TEXT = N_(
        "Restoring replaces the journal you are using now with this backup. The current "
        "journal is backed up first, into the backups folder, so you can go back to it.<br>"
    )
    NEW_TEXT = N_(
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
        figures = []
        if "cases" in counts:
            n = counts["cases"]
            figures.append(ntr("{n} case", "{n} cases", n).format(n=count_text(n)))
        if "encounters" in counts:
            n = counts["encounters"]
            figures.append(ntr("{n} encounter", "{n} encounters", n).format(n=count_text(n)))
        made = tr("<b>Backup made {when}</b>").format(when=when(header.created_at))
        reason = reason_label(header.reason)
        about = (
            # Translators: {made} is "Backup made <date>", {reason} why (e.g. "On closing"),
            # {figures} e.g. "12 cases, 80 encounters".
            tr("{made}. {reason}: {figures}.").format(
                made=made, reason=reason, figures=", ".join(figures)
            )
            if figures
            # Translators: {made} is "Backup made <date>", {reason} why (e.g. "On closing").
            else tr("{made}. {reason}.").format(made=made, reason=reason)
        )
        intro = (
            about
            + "<br><br>"
            + tr(situation or self.REPLACE_TEXT)
            + tr(
                "The backup is checked completely before anything changes. Afterwards the "
                "journal locks: unlock it with the passphrase that was current when the backup "
                "was made."
            )
        )
        super().__init__(tr("Restore from backup"), intro, tr("Restore"), parent)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.use_passphrase = QRadioButton(tr("Passphrase of that time"))
        self.use_recovery = QRadioButton(tr("Recovery key"))
        self.use_passphrase.setChecked(True)
        self.passphrase = PassphraseField(tr("Passphrase of the backup's time"))
        self.recovery = QLineEdit()
        self.recovery.setAccessibleName(tr("Recovery key"))
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

        title = tr("Export everything (encrypted)")
        intro = (
            tr("<b>Warning: this file will hold everything, notes included.</b>")
            + "<br><br>"
            + tr(WARNING)
        )
        super().__init__(title, intro, tr("Choose file and export…"), parent)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.understood = QCheckBox(tr("I understand: this file holds my notes and pseudonyms"))
        self.secret = NewPassphrase("export passphrase", self)
        self.passphrase, self.repeat, self.meter = (
            self.secret.first,
            self.secret.repeat,
            self.secret.meter,
        )
        self.form.addRow("", self.understood)
        self.secret.add_rows(self.form, tr("Export &passphrase:"), tr("&Repeat:"))
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
        intro = tr(
            "Planned follow-ups become all-day events in an .ics file for your calendar. "
            'Each says only "Peer support follow-up" and a reference code: no pseudonym, '
            "no note, no contact detail. Importing a newer file updates the same events."
        )
        title = tr("Export follow-ups to calendar")
        super().__init__(title, intro, tr("Choose file and export…"), parent)
        self.days = QSpinBox()
        self.days.setRange(1, 730)
        self.days.setValue(90)
        # Translators: the unit after a number in a spin box, with its leading space.
        plural_suffix(self.days, lambda n: ntr(" day", " days", n))
        self.days.setAccessibleName(tr("Days ahead"))
        self.overdue = QCheckBox(tr("Also overdue follow-ups (placed on today)"))
        self.form.addRow(tr("&Ahead:"), self.days)
        self.form.addRow("", self.overdue)
