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
from svjournal.core.i18n import ntr, ptr, tr
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
    count_text,
    listing_columns,
    log_columns,
    plural_suffix,
    when,
)
from svjournal.ui.file_dialogs import ask_folder, ask_open_path, ask_save_path
from svjournal.ui.pages.common import EmptyOr, RowTable, hint
from svjournal.ui.policy_notes import setting_note
from svjournal.ui.session import JournalSession
from svjournal.ui.table_models import RowTableModel


class BackupsSection(QWidget):
    """Two group boxes for the Settings page: Backups, and Exports with the export log."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = BackgroundRunner(self)
        self._progress: QProgressDialog | None = None
        self.backups_model: RowTableModel[backups.BackupListing] = RowTableModel(listing_columns())
        self.backups_table = RowTable(self.backups_model, tr("Backups"), stretch=4)
        self.backups_table.activated_row.connect(lambda _row: self.restore_selected())
        self.log_model: RowTableModel[ExportLogRecord] = RowTableModel(log_columns())
        self.log_table = RowTable(self.log_model, tr("Export log"), stretch=3)
        for table in (self.backups_table, self.log_table):
            table.setMinimumHeight(table.fontMetrics().lineSpacing() * 8)
        self.kept = QSpinBox()
        self.kept.setRange(1, 100)
        # Translators: the unit after a number in a spin box, with its leading space.
        plural_suffix(self.kept, lambda n: ntr(" backup", " backups", n))
        self.kept.setAccessibleName(tr("Backups kept"))
        self.extra = QLineEdit()
        self.extra.setReadOnly(True)
        # Translators: no extra backup folder is chosen.
        self.extra.setPlaceholderText(tr("None"))
        self.extra.setAccessibleName(tr("Extra backup folder"))
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
        box = QGroupBox(tr("Backups"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            hint(
                tr(
                    "Encrypted, verified copies of the whole journal, taken when you lock or "
                    "close the app (if anything changed), before every upgrade and restore, and "
                    "whenever you ask. Each opens with the passphrase or recovery key current "
                    "when it was made."
                )
            )
        )
        layout.addWidget(EmptyOr(self.backups_table, tr("No backups yet.")))
        layout.addLayout(
            self._row(
                ("now", tr("Back up now"), self.back_up_now),
                ("file", tr("Back up to file…"), self.back_up_to_file),
                ("selected", tr("Restore selected…"), self.restore_selected),
                ("restore", tr("Restore from file…"), self.restore_from_file),
            )
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(tr("&Keep the newest:"), self.kept)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.extra, 1)
        folder_row.addLayout(
            self._row(
                ("choose", tr("Choose…"), self.choose_folder),
                ("none", ptr("verb", "Clear"), self.no_folder),
            )
        )
        folder_label = QLabel(tr("Also &copy to:"))
        folder_label.setBuddy(self.extra)
        form.addRow(folder_label, folder_row)
        form.addRow(hint(tr("A USB or network drive: backups on closing are copied there too.")))
        self.folder_note = hint("")
        self.folder_note.setWordWrap(False)
        self.folder_note.hide()
        form.addRow(self.folder_note)
        self._folder_locked = False
        layout.addLayout(form)
        return box

    def _exports_box(self) -> QGroupBox:
        exports = QGroupBox(tr("Exports"))
        exports_layout = QVBoxLayout(exports)
        exports_layout.addLayout(
            self._row(
                ("everything", tr("Export everything (encrypted)…"), self.export_everything),
                ("calendar", tr("Export follow-ups to calendar…"), self.export_calendar),
            )
        )
        exports_layout.addWidget(hint(tr("Every file that left the journal:")))
        self._log_stack = EmptyOr(self.log_table, tr("Nothing has been exported yet."))
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
        # Translators: an error's title, as the status line under the backups says it.
        self.status.setText(tr("{title}.").format(title=errors.describe(exc)[0]))
        errors.show_error(self, exc)

    def _run(self, label: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.status.setText(label)
        self._runner.submit(work, done, self._fail)

    # --- backups ------------------------------------------------------------------------

    def back_up_now(self) -> None:
        vault, kept = self._session.vault, self.kept.value()

        def done(path: Path) -> None:
            self.refresh()
            self.status.setText(tr("Backed up to {path}.").format(path=path.name))

        self._run(tr("Backing up…"), lambda: exports.back_up_now(vault, keep=kept).value, done)

    def back_up_to_file(self) -> None:
        name = backups.backup_name("manual")
        dest = ask_save_path(self, tr("Back up to file"), name, tr(BACKUP_FILTER))
        if dest is None:
            return
        vault, journal = self._session.vault, self._session.journal

        def work() -> backups.BackupHeader:
            return exports.back_up_to(vault, journal, dest).value

        def done(header: backups.BackupHeader) -> None:
            self.refresh()
            self.status.setText(tr("Backed up to {path}.").format(path=dest))

        self._run(tr("Backing up…"), work, done)

    def restore_selected(self) -> None:
        row = self.backups_table.selected_row()
        if row is not None:
            self.restore(self.backups_model.row_at(row).path)

    def restore_from_file(self) -> None:
        # The journal's own backups are in the table above; this is for one kept elsewhere.
        source = ask_open_path(self, tr("Restore from backup"), tr(BACKUP_FILTER))
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
        self._progress = QProgressDialog(tr("Checking the backup and restoring…"), "", 0, 0, window)
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

        self.status.setText(tr("Restoring…"))
        self._runner.submit(work, lambda result: self._restored(result, window), failed)

    def _restored(self, result: Any, window: QWidget) -> None:
        self._close_progress()
        n = result.records
        # Translators: {n} records; {when} is the date and time the backup was made.
        text = ntr(
            "Restored {n} record from the backup made {when}.",
            "Restored {n} records from the backup made {when}.",
            n,
        ).format(n=count_text(n), when=when(result.created_at))
        text += "<br><br>" + tr(
            "The journal is locked now: unlock it with the passphrase that was current when "
            "that backup was made."
        )
        if result.previous is not None:
            replaced = (
                tr("The journal it replaced was backed up to {path}.")
                if result.previous_is_backup
                else tr("The journal it replaced was kept, as it was, in {path}.")
            )
            text += "<br><br>" + replaced.format(path=result.previous)
        self._session.lock()  # the window turns to the lock screen; this page goes away
        title = tr("Journal restored")
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAccessibleName(title)
        window.setProperty("restore_message", box)
        box.open()

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def choose_folder(self) -> None:
        start = Path(self.extra.text()) if self.extra.text() else None
        folder = ask_folder(self, tr("Extra backup folder"), start)
        if folder is not None:
            self.extra.setText(str(folder))
            self.status.setText(tr("Save settings to use this folder."))

    def no_folder(self) -> None:
        self.extra.clear()
        self.status.setText(tr("Save settings to stop copying backups."))

    # --- exports ------------------------------------------------------------------------

    def export_everything(self) -> None:
        from svjournal.reports.personal import SUFFIX

        dialog = PersonalExportDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.secret.text()
        dialog.secret.clear()
        suggested = f"svjournal-everything-{date.today().isoformat()}{SUFFIX}"
        # Translators: a file-dialog filter; {pattern} is the file pattern, e.g. *.svjexport.
        kind = tr("Encrypted export ({pattern})").format(pattern=f"*{SUFFIX}")
        dest = ask_save_path(self, tr("Export everything"), suggested, kind)
        if dest is None:
            return
        vault, journal = self._session.vault, self._session.journal

        def done(records: int) -> None:
            self.refresh()
            text = ntr(
                "Exported everything ({n} record) to {path}.",
                "Exported everything ({n} records) to {path}.",
                records,
            )
            self.status.setText(text.format(n=count_text(records), path=dest))

        self._run(
            tr("Exporting…"),
            lambda: exports.export_everything(vault, journal, dest, chosen).value,
            done,
        )

    def export_calendar(self) -> None:
        dialog = CalendarDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        days, overdue = dialog.days.value(), dialog.overdue.isChecked()
        dest = ask_save_path(self, tr("Export follow-ups"), "peer-support-follow-ups.ics", "*.ics")
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
        text = ntr("Exported {n} follow-up to {path}.", "Exported {n} follow-ups to {path}.", count)
        self.status.setText(text.format(n=count_text(count), path=dest))
