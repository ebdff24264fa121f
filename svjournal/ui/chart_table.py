"""A chart's numbers as a table ("Show as table"): a read-only model over a `ChartTable`
and the view a chart card shows in place of its image."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from svjournal.charts.tables import ChartTable

Index = QModelIndex | QPersistentModelIndex


class ChartTableModel(QAbstractTableModel):
    """Rows of texts; figures right-aligned, the first (label) column left-aligned."""

    def __init__(self, table: ChartTable, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else max(1, len(self.table.rows))

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
        if not self.table.rows:  # one row that says so, rather than an empty grid
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return "Nothing in this period"
            return None
        text = self.table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def chart_table_view(table: ChartTable, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(ChartTableModel(table, view))
    view.setAccessibleName(f"{table.title} as a table")
    if table.note:
        view.setAccessibleDescription(table.note)
        view.setToolTip(table.note)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(table.columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return view
