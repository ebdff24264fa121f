"""FlowRow: a row of buttons wraps onto further lines when narrow, and asks for their height."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from svjournal.ui.flow_layout import FlowRow
from tests.ui import layout_checks as checks


def _window(qtbot: QtBot, width: int) -> tuple[QWidget, FlowRow, list[QPushButton]]:
    window = QWidget()
    qtbot.addWidget(window)
    row = FlowRow()
    buttons = [QPushButton(f"Action number {n} with words") for n in range(6)]
    for button in buttons:
        row.addWidget(button)
    layout = QVBoxLayout(window)
    layout.addWidget(row)
    layout.addStretch(1)
    window.resize(width, 400)
    window.show()
    checks.settle()
    return window, row, buttons


def test_wide_enough_it_is_one_line(qtbot: QtBot) -> None:
    _unused, row, buttons = _window(qtbot, 2000)
    assert len({b.y() for b in buttons}) == 1
    assert row.height() == buttons[0].height()


def test_narrow_it_wraps_in_order_without_overlap_and_grows_to_fit(qtbot: QtBot) -> None:
    window, row, buttons = _window(qtbot, 420)
    lines = sorted({b.y() for b in buttons})
    assert len(lines) >= 3
    assert [b.y() for b in buttons] == sorted(b.y() for b in buttons)  # order kept
    for button in buttons:
        assert button.geometry().right() < row.width()
        assert button.geometry().bottom() < row.height()  # the row is as tall as its lines
    for i, a in enumerate(buttons):
        for b in buttons[i + 1 :]:
            assert not a.geometry().intersects(b.geometry())
    # It never forces the window wider than its widest button.
    assert window.minimumSizeHint().width() <= max(b.sizeHint().width() for b in buttons) + 40
