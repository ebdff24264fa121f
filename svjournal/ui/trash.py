"""The trash: restore deleted cases and encounters, or delete them for good."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core.i18n import tr
from svjournal.core.journal import Journal
from svjournal.operations import cases as case_ops
from svjournal.operations import encounters as encounter_ops
from svjournal.ui.dialogs import confirm
from svjournal.ui.op_runner import OpRunner
from svjournal.ui.pages.common import hint
from svjournal.ui.table_models import short_date

KIND_ROLE = 0x0100 + 10


class TrashDialog(QDialog):
    def __init__(self, journal: Journal, ops: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Trash"))
        self._journal = journal
        self._ops = ops
        self.items = QListWidget()
        self.items.setAccessibleName(tr("Items in the trash"))
        self.restore = QPushButton(tr("Restore"))
        self.restore.clicked.connect(self._restore)
        self.empty = QPushButton(tr("Empty trash…"))
        self.empty.clicked.connect(self._empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.empty, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(tr("Deleted cases and encounters stay here until you empty the trash."))
        )
        layout.addWidget(self.items, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.items.clear()
        trash = self._journal.trash()
        for case in trash.cases:
            # Translators: a case in the trash; {alias} is its pseudonym, {date} the day deleted.
            text = tr("Case {alias} — deleted {date}")
            item = QListWidgetItem(text.format(alias=case.alias, date=short_date(case.deleted_at)))
            item.setData(KIND_ROLE, ("case", case.id))
            self.items.addItem(item)
        for encounter in trash.encounters:
            # Translators: an encounter in the trash; {day} it took place, {date} it was deleted.
            text = tr("Encounter of {day} — deleted {date}")
            item = QListWidgetItem(
                text.format(
                    day=short_date(encounter.occurred_at), date=short_date(encounter.deleted_at)
                )
            )
            item.setData(KIND_ROLE, ("encounter", encounter.id))
            self.items.addItem(item)
        has_items = self.items.count() > 0
        self.restore.setEnabled(has_items)
        self.empty.setEnabled(has_items)

    def _restore(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        kind, record_id = item.data(KIND_ROLE)
        if kind == "case":
            self._ops.run(self, lambda j: case_ops.restore_case(j, record_id))
        else:
            self._ops.run(self, lambda j: encounter_ops.restore_encounter(j, record_id))
        self.refresh()

    def _empty(self) -> None:
        question = tr("Delete everything in the trash for good?")
        if confirm(self, tr("Empty trash"), question, tr("Delete")):
            self._ops.run(self, case_ops.empty_trash)
            self.refresh()

    def done(self, result: int) -> None:
        self.items.clear()  # aliases must not outlive the dialog
        super().done(result)
