"""A chart's numbers as a table ("Show as table"): a read-only model over a `ChartTable`
and the view a chart card shows in place of its image."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from svjournal.charts.tables import ChartTable
from svjournal.core.i18n import tr

Index = QModelIndex | QPersistentModelIndex


class ChartTableModel(QAbstractTableModel):
    """Rows of texts; figures right-aligned, the first (label) column left-aligned."""

    def __init__(self, table: ChartTable, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.table.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ChartTableView(QTableView):
    def showEvent(self, event: QShowEvent) -> None:
        # Built hidden (behind the chart): the columns are measured again once the view is
        # polished and shown, or a heading could end up a few pixels short of its text.
        super().showEvent(event)
        self.resizeColumnsToContents()


def chart_table_view(table: ChartTable, parent: QWidget | None = None) -> QTableView:
    view = ChartTableView(parent)
    view.setModel(ChartTableModel(table, view))
    # Translators: the accessible name of a chart shown as a table; {title} is the chart's.
    view.setAccessibleName(tr("{title} as a table").format(title=table.title))
    if table.note:
        view.setAccessibleDescription(table.note)
        view.setToolTip(table.note)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves for the card's buttons, as in every table
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    # Every column as wide as its heading and figures (never "…"); the last takes what is
    # left. A narrow card scrolls sideways instead of cutting a heading.
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    return view
