"""What a keyboard user met in a real window (a fresh walkthrough): Tab stuck inside tables,
a date box whose arrows moved the year, no Ctrl+Y, a Qt warning from the passphrase pair."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from svjournal.ui.pages.common import RowTable


class _Rows(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 3

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 3

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return f"{index.row()},{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None


def test_tab_is_not_spent_moving_between_cells(qtbot: QtBot) -> None:
    """Tab must leave a table for the buttons after it (Qt's default moved the current cell,
    wrapping row after row, so Mark done and Edit could not be reached by keyboard)."""
    from svjournal.charts.tables import ChartTable
    from svjournal.ui.chart_table import chart_table_view

    table = RowTable(_Rows(), "Rows")
    chart = chart_table_view(ChartTable("Per week", ("Week", "Due"), (("1", "2"),), ""))
    for view in (table, chart):
        qtbot.addWidget(view)
        view.show()
        view.setCurrentIndex(view.model().index(0, 0))
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 0)
        assert not view.tabKeyNavigation()


def test_date_boxes_step_by_day_however_focus_arrives(qtbot: QtBot) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    from svjournal.ui.dialogs import FollowUpDialog

    dialog = FollowUpDialog(0, None, title="Reschedule follow-up", due=date(2026, 12, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.focusWidget() is dialog.due  # the one field to decide, not OK
    for _ in range(3):
        qtbot.keyClick(dialog.due, Qt.Key.Key_Up)
    assert dialog.due_on() == date(2026, 12, 7)
    # Back into it with Shift+Tab: Qt selects the last part, the year, unless told otherwise.
    entering = QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.BacktabFocusReason)
    QApplication.sendEvent(dialog.due, entering)
    qtbot.keyClick(dialog.due, Qt.Key.Key_Up)
    assert dialog.due_on() == date(2026, 12, 8)


def test_redo_answers_ctrl_y_as_well(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QMainWindow

    from svjournal.ui.edit_menu import UndoMenu

    owner = QMainWindow()
    qtbot.addWidget(owner)
    menu = UndoMenu(owner.menuBar(), owner, lambda _step: None)
    keys = [k.toString() for k in menu.redo.shortcuts()]
    assert "Ctrl+Y" in keys
    assert QKeySequence(QKeySequence.StandardKey.Redo).toString() in keys


def test_the_passphrase_pair_orders_tab_without_a_qt_warning(
    qtbot: QtBot, qtlog: pytest.LogCaptureFixture
) -> None:
    from PySide6.QtWidgets import QDialog, QFormLayout

    from svjournal.ui.new_passphrase import NewPassphrase

    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout()  # filled before it is set on its dialog, as the dialogs do
    pair = NewPassphrase("new passphrase", dialog)
    pair.add_rows(form, "New passphrase:", "Repeat:")
    dialog.setLayout(form)
    dialog.show()
    qtbot.wait(20)
    assert not [r for r in qtlog.records if "setTabOrder" in r.message]
    after = pair.first.toggle.nextInFocusChain()
    while not after.focusPolicy() & Qt.FocusPolicy.TabFocus:
        after = after.nextInFocusChain()
    assert after is pair.repeat.edit
