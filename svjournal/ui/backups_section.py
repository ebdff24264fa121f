"""Settings › Backups and exports: the backups list, backing up and restoring, the extra
backup folder, the personal and calendar exports, and the export log (the dialogs it opens:
ui/backup_dialogs.py). Restoring and exporting are operations (svjournal/operations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
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
from svjournal.ui.backup_dialogs import (
    BACKUP_FILTER,
    CalendarDialog,
    PersonalExportDialog,
    RestoreDialog,
    export_kind_label,
    human_size,
    reason_label,
    when,
)
from svjournal.ui.file_dialogs import ask_folder, ask_open_path, ask_save_path
from svjournal.ui.pages.common import EmptyOr, RowTable, hint
from svjournal.ui.policy_notes import setting_note
from svjournal.ui.session import JournalSession
from svjournal.ui.table_models import Column, RowTableModel, short_date


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
        box = self._backups_box()
        exports = self._exports_box()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(box)
        outer.addWidget(exports)
        outer.addWidget(self.status)
        self.backups_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._runner.started.connect(self._update_buttons)
        self._runner.finished.connect(self._update_buttons)

    def _backups_box(self) -> QGroupBox:
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
        return box

    def _exports_box(self) -> QGroupBox:
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
        return exports

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

        self._run("Backing up…", lambda: exports.back_up_now(vault, keep=kept).value, done)

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
