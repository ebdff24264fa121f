"""Cases: the table of every case with a find box and filters, sortable by any column."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.journal import CaseFilter, Journal
from svjournal.ui import red_flags
from svjournal.ui.flow_layout import FlowRow
from svjournal.ui.pages.common import EmptyOr, RowTable, heading
from svjournal.ui.table_models import CaseFilterProxy, CaseTableModel, stage_label

NO_MATCH = N_("No cases match. Clear the filters to see every case.")
NO_CASES_YET = N_(
    "No cases yet. When someone is referred to you, open their case with “New case…” "
    "(Ctrl+Shift+N) and give it a pseudonym."
)


def _combo(name: str, anything: str, items: list[tuple[str, object]]) -> QComboBox:
    """A filter named `name`; its first item, `anything` ("Any status"), filters nothing."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    # Not as wide as the longest entry: the filter row must fit the smallest window.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    # Its "Any ..." item whole, in any language (it is what the filter shows most of the time).
    combo.setMinimumContentsLength(max(12, len(anything) + 1))
    combo.addItem(anything, None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


class CasesPage(QWidget):
    open_case = Signal(str)
    new_case = Signal()
    # The search field. It hides QWidget.find (a static look-up by window id that nothing here
    # calls); the name is the page's API (the workspace's Ctrl+F, the tests).
    find: QLineEdit  # type: ignore[assignment]

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        departments = {d["code"]: d["label"] for d in journal.setting("departments")}
        self.model = CaseTableModel(departments)
        self.proxy = CaseFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.find = QLineEdit()
        self.find.setPlaceholderText(tr("Find a pseudonym…"))
        self.find.setAccessibleName(tr("Find a pseudonym"))
        self.find.setClearButtonEnabled(True)
        # Room for the whole placeholder (and the clear button): empty, it must not read "Fi…".
        self.find.setMinimumWidth(
            self.find.fontMetrics().horizontalAdvance(self.find.placeholderText() + "MMMM")
        )
        self.status = _combo(
            tr("Status"), tr("Any status"), [(t.label, t.code) for t in vocab.CASE_STATUSES]
        )
        self.status.setCurrentIndex(1)  # open cases first: what a supporter works on
        self.stage = _combo(
            tr("Stage"), tr("Any stage"), [(stage_label(t.code), t.code) for t in vocab.STAGES]
        )
        self.role = _combo(tr("Role"), tr("Any role"), [(t.label, t.code) for t in vocab.ROLES])
        self.department = _combo(
            tr("Department"),
            tr("Any department"),
            [(label, code) for code, label in departments.items()],
        )
        self.red_flag = QCheckBox(red_flags.red_flag())
        self.red_flag.setAccessibleName(tr("Only cases with a red flag"))
        self.red_flag.setToolTip(tr("Only cases where an encounter recorded a red flag"))
        new_button = QPushButton(tr("New case…"))
        new_button.setToolTip(tr("New case (Ctrl+Shift+N)"))
        new_button.clicked.connect(self.new_case)
        descriptive = (
            CaseTableModel.COL_ROLE,
            CaseTableModel.COL_DEPARTMENT,
            CaseTableModel.COL_EVENT,
            CaseTableModel.COL_STAGE,  # its number comes first: still readable when cut
        )
        # At the smallest window the descriptive columns need their headings' width: the
        # last contact, then the status (the filter above says it too), give way first.
        self.table = RowTable(
            self.proxy,
            tr("Cases"),
            stretch=descriptive,
            optional=(CaseTableModel.COL_LAST, CaseTableModel.COL_STATUS),
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseTableModel.COL_ALIAS, Qt.SortOrder.AscendingOrder)
        self.table.activated_row.connect(self._activated)
        self.count = QLabel()
        self.body = EmptyOr(self.table, tr(NO_MATCH))

        # Wraps onto a second line where the words are long or the window narrow.
        filters = FlowRow()
        filters.addWidget(self.find)
        for combo in (self.status, self.stage, self.role, self.department):
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply)
        self.red_flag.toggled.connect(self._apply)
        self.find.textChanged.connect(self._apply)
        top = QHBoxLayout()
        top.addWidget(heading(tr("Cases")), 1)
        # Beside the heading: the filter row has no room left at the smallest window width.
        top.addWidget(self.red_flag)
        top.addSpacing(12)
        top.addWidget(new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filters)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count)
        # Reading order: the row beside the heading, then the filters, then the list.
        order = [self.red_flag, new_button, self.find, self.status, self.stage, self.role]
        order += [self.department, self.table]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    def refresh(self) -> None:
        self.model.set_rows(self._journal.list_cases())
        self._apply()

    def clear(self) -> None:
        self.model.clear()
        self.find.clear()

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            text=self.find.text(),
            status=self.status.currentData(),
            stage=self.stage.currentData(),
            role=self.role.currentData(),
            department=self.department.currentData(),
            red_flag=self.red_flag.isChecked(),
        )

    def _apply(self) -> None:
        self.proxy.set_filter(self.current_filter())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        # Translators: under the case list: how many of the cases the filters show.
        count = ntr("{shown} of {total} case", "{shown} of {total} cases", total)
        self.count.setText(
            count.format(shown=QLocale().toString(shown), total=QLocale().toString(total))
        )
        # With no case at all, filters are not the reason: say how to start instead.
        self.body.set_message(tr(NO_MATCH) if total else tr(NO_CASES_YET))
        self.body.set_empty(shown == 0)

    def selected_case_id(self) -> str | None:
        """The case of the selected row (what Ctrl+N logs an encounter for), if any."""
        row = self.table.selected_row()
        if row is None:
            return None
        source = self.proxy.mapToSource(self.proxy.index(row, 0))
        return self.model.row_at(source.row()).id

    def _activated(self, proxy_row: int) -> None:
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        self.open_case.emit(self.model.row_at(source.row()).id)
