"""Settings › Backups and exports: the backups list, backing up and restoring, the extra
backup folder, the encrypted personal export, the calendar export and the export log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import backup as backups
from svjournal.core.policy import Policy
from svjournal.core.records import ExportLogRecord
from svjournal.operations import exports
from svjournal.operations import restore as restoring
from svjournal.ui import errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.dialogs import buttons_after_fields
from svjournal.ui.file_dialogs import ask_folder, ask_open_path, ask_save_path
from svjournal.ui.formatting import format_stamp
from svjournal.ui.pages.common import EmptyOr, RowTable, hint
from svjournal.ui.policy_notes import setting_note
from svjournal.ui.session import JournalSession
from svjournal.ui.table_models import Column, RowTableModel, short_date

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


def _listing_columns() -> list[Column[backups.BackupListing]]:
    def made(b: backups.BackupListing) -> str:
        return when(b.header.created_at) if b.header else "—"

    def why(b: backups.BackupListing) -> str:
        return reason_label(b.header.reason) if b.header else f"Unreadable: {b.problem}"

    def records(b: backups.BackupListing) -> str:
        count = b.header.records if b.header else None
        return "—" if count is None else f"{count:,}"

    return [
        Column("Made", made),
        Column("Why", why),
        Column("Records", records),
        Column("Size", lambda b: human_size(b.size)),
        Column("File", lambda b: b.path.name),
    ]


def _log_columns() -> list[Column[ExportLogRecord]]:
    def records(e: ExportLogRecord) -> str:
        count = getattr(e, "records", None)
        return "—" if count is None else f"{count:,}"

    return [
        Column("When", lambda e: short_date(e.at)),
        Column("What", lambda e: export_kind_label(e.kind)),
        Column("Records", records),
        Column("Where", lambda e: e.destination),
        Column("Detail", lambda e: e.detail),
    ]


# --- dialogs --------------------------------------------------------------------------------


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


# --- the section ----------------------------------------------------------------------------


class BackupsSection(QWidget):
    """Two group boxes for the Settings page: Backups, and Exports with the export log."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = BackgroundRunner(self)
        self._progress: QProgressDialog | None = None
        self.backups_model: RowTableModel[backups.BackupListing] = RowTableModel(_listing_columns())
        self.backups_table = RowTable(self.backups_model, "Backups", stretch=4)
        self.backups_table.activated_row.connect(lambda _row: self.restore_selected())
        self.log_model: RowTableModel[ExportLogRecord] = RowTableModel(_log_columns())
        self.log_table = RowTable(self.log_model, "Export log", stretch=3)
        for table in (self.backups_table, self.log_table):
            table.setMinimumHeight(table.fontMetrics().lineSpacing() * 8)
        self.kept = QSpinBox()
        self.kept.setRange(1, 100)
        self.kept.setSuffix(" backups")
        self.kept.setAccessibleName("Backups kept")
        self.extra = QLineEdit()
        self.extra.setReadOnly(True)
        self.extra.setPlaceholderText("None")
        self.extra.setAccessibleName("Extra backup folder")
        self.status = hint("")
        self.buttons: dict[str, QPushButton] = {}

        box = QGroupBox("Backups")
        layout = QVBoxLayout(box)
        layout.addWidget(
            hint(
                "Encrypted, verified copies of the whole journal, taken when you close the "
                "app (if anything changed), before every upgrade and restore, and whenever you "
                "ask. Each opens with the passphrase or recovery key current when it was made."
            )
        )
        layout.addWidget(EmptyOr(self.backups_table, "No backups yet."))
        layout.addLayout(
            self._row(
                ("now", "Back up now", self.back_up_now),
                ("file", "Back up to file…", self.back_up_to_file),
                ("selected", "Restore selected…", self.restore_selected),
                ("restore", "Restore from file…", self.restore_from_file),
            )
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Keep the newest:", self.kept)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.extra, 1)
        folder_row.addLayout(
            self._row(("choose", "Choose…", self.choose_folder), ("none", "Clear", self.no_folder))
        )
        folder_label = QLabel("Also &copy to:")
        folder_label.setBuddy(self.extra)
        form.addRow(folder_label, folder_row)
        form.addRow(hint("A USB or network drive: backups on closing are copied there too."))
        self.folder_note = hint("")
        self.folder_note.setWordWrap(False)
        self.folder_note.hide()
        form.addRow(self.folder_note)
        self._folder_locked = False
        layout.addLayout(form)

        exports = QGroupBox("Exports")
        exports_layout = QVBoxLayout(exports)
        exports_layout.addLayout(
            self._row(
                ("everything", "Export everything (encrypted)…", self.export_everything),
                ("calendar", "Export follow-ups to calendar…", self.export_calendar),
            )
        )
        exports_layout.addWidget(hint("Every file that left the journal:"))
        self._log_stack = EmptyOr(self.log_table, "Nothing has been exported yet.")
        exports_layout.addWidget(self._log_stack)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(box)
        outer.addWidget(exports)
        outer.addWidget(self.status)
        self.backups_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._runner.started.connect(self._update_buttons)
        self._runner.finished.connect(self._update_buttons)

    def _row(self, *specs: tuple[str, str, Callable[[], None]]) -> QHBoxLayout:
        row = QHBoxLayout()
        for key, text, slot in specs:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    # --- state --------------------------------------------------------------------------

    def refresh(self) -> None:
        journal = self._session.journal
        self.kept.setValue(journal.setting("backups_kept"))
        self.extra.setText(journal.setting("extra_backup_folder"))
        listings = backups.describe_backups(self._session.vault.backups_dir)
        self.backups_model.set_rows(listings)
        self.backups_table.parentWidget().set_empty(not listings)  # type: ignore[union-attr]
        entries = journal.export_log()
        self.log_model.set_rows(entries)
        self._log_stack.set_empty(not entries)
        self._update_buttons()

    def apply_policy(self, policy: Policy) -> None:
        """A backup folder set and locked by the IT policy cannot be chosen or cleared."""
        self._folder_locked = policy.is_locked("extra_backup_folder")
        note = setting_note(policy, "extra_backup_folder")
        self.folder_note.setText(note)
        self.folder_note.setVisible(bool(note))
        self._update_buttons()

    def values(self) -> dict[str, Any]:
        """The section's settings, saved with the rest of the page."""
        return {"backups_kept": self.kept.value(), "extra_backup_folder": self.extra.text()}

    def clear(self) -> None:
        self._runner.cancel()
        self.backups_model.clear()
        self.log_model.clear()
        self.extra.clear()
        self.status.clear()

    def _update_buttons(self) -> None:
        idle = not self._runner.busy
        for button in self.buttons.values():
            button.setEnabled(idle)
        self.buttons["selected"].setEnabled(idle and self.backups_table.selected_row() is not None)
        for key in ("choose", "none"):
            self.buttons[key].setEnabled(idle and not self._folder_locked)

    def _fail(self, exc: BaseException) -> None:
        self._close_progress()
        self.status.setText(f"{errors.describe(exc)[0]}.")
        errors.show_error(self, exc)

    def _run(self, label: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.status.setText(label)
        self._runner.submit(work, done, self._fail)

    # --- backups ------------------------------------------------------------------------

    def back_up_now(self) -> None:
        vault, kept = self._session.vault, self.kept.value()

        def done(path: Path) -> None:
            self.refresh()
            self.status.setText(f"Backed up to {path.name}.")

        self._run("Backing up…", lambda: vault.backup("manual", keep=kept), done)

    def back_up_to_file(self) -> None:
        dest = ask_save_path(self, "Back up to file", backups.backup_name("manual"), BACKUP_FILTER)
        if dest is None:
            return
        vault, journal = self._session.vault, self._session.journal

        def work() -> backups.BackupHeader:
            return exports.back_up_to(vault, journal, dest).value

        def done(header: backups.BackupHeader) -> None:
            self.refresh()
            self.status.setText(f"Backed up to {dest}.")

        self._run("Backing up…", work, done)

    def restore_selected(self) -> None:
        row = self.backups_table.selected_row()
        if row is not None:
            self.restore(self.backups_model.row_at(row).path)

    def restore_from_file(self) -> None:
        # The journal's own backups are in the table above; this is for one kept elsewhere.
        source = ask_open_path(self, "Restore from backup", BACKUP_FILTER)
        if source is not None:
            self.restore(source)

    def restore(self, source: Path) -> None:
        try:
            header = restoring.read_backup(source)
        except Exception as exc:
            self._fail(exc)
            return
        dialog = RestoreDialog(header, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        passphrase, recovery_key = dialog.secret()
        dialog.passphrase.clear()
        vault, window = self._session.vault, self.window()
        self._progress = QProgressDialog("Checking the backup and restoring…", "", 0, 0, window)
        self._progress.setCancelButton(None)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._progress.show()

        def work() -> Any:
            return restoring.restore_backup(
                vault, source, passphrase=passphrase, recovery_key=recovery_key
            ).value

        def failed(exc: BaseException) -> None:
            self._fail(exc)
            if not vault.is_unlocked:  # it failed after locking: show the lock screen too
                self._session.lock()

        self.status.setText("Restoring…")
        self._runner.submit(work, lambda result: self._restored(result, window), failed)

    def _restored(self, result: Any, window: QWidget) -> None:
        self._close_progress()
        kept = ""
        if result.previous is not None:
            how = "backed up to" if result.previous_is_backup else "kept, as it was, in"
            kept = f"<br><br>The journal it replaced was {how} {result.previous}."
        text = (
            f"Restored {result.records:,} records from the backup made "
            f"{when(result.created_at)}.<br><br>The journal is locked now: unlock it with the "
            f"passphrase that was current when that backup was made.{kept}"
        )
        self._session.lock()  # the window turns to the lock screen; this page goes away
        box = QMessageBox(QMessageBox.Icon.Information, "Journal restored", text, parent=window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAccessibleName("Journal restored")
        window.setProperty("restore_message", box)
        box.open()

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def choose_folder(self) -> None:
        start = Path(self.extra.text()) if self.extra.text() else None
        folder = ask_folder(self, "Extra backup folder", start)
        if folder is not None:
            self.extra.setText(str(folder))
            self.status.setText("Save settings to use this folder.")

    def no_folder(self) -> None:
        self.extra.clear()
        self.status.setText("Save settings to stop copying backups.")

    # --- exports ------------------------------------------------------------------------

    def export_everything(self) -> None:
        from svjournal.reports.personal import SUFFIX

        dialog = PersonalExportDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.secret.text()
        dialog.secret.clear()
        suggested = f"svjournal-everything-{date.today().isoformat()}{SUFFIX}"
        dest = ask_save_path(self, "Export everything", suggested, f"Encrypted export (*{SUFFIX})")
        if dest is None:
            return
        vault, journal = self._session.vault, self._session.journal

        def done(records: int) -> None:
            self.refresh()
            self.status.setText(f"Exported everything ({records:,} records) to {dest}.")

        self._run(
            "Exporting…",
            lambda: exports.export_everything(vault, journal, dest, chosen).value,
            done,
        )

    def export_calendar(self) -> None:
        dialog = CalendarDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        days, overdue = dialog.days.value(), dialog.overdue.isChecked()
        dest = ask_save_path(self, "Export follow-ups", "peer-support-follow-ups.ics", "*.ics")
        if dest is None:
            return
        journal, today = self._session.journal, date.today()
        try:
            count = exports.export_calendar(
                journal, dest, today=today, days=days, include_overdue=overdue
            ).value
        except Exception as exc:
            self._fail(exc)
            return
        self.refresh()
        self.status.setText(f"Exported {count} follow-up(s) to {dest}.")
