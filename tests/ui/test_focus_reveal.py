"""An Alt+letter that moves the focus far down a scrolled form scrolls the field into view
(seen in the real window: the encounter form and Settings left it below the edge)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from svjournal.ui import focus_reveal


def _tall_form(qtbot: QtBot) -> tuple[QScrollArea, QLineEdit]:
    inner = QWidget()
    form = QFormLayout(inner)
    for n in range(40):
        form.addRow(f"Field {n}", QLineEdit())
    last = QLineEdit()
    label = QLabel("&Zone:")
    label.setBuddy(last)
    form.addRow(label, last)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, last


def _in_view(area: QScrollArea, field: QWidget) -> bool:
    top = field.mapTo(area.viewport(), QPoint(0, 0)).y()
    return top >= 0 and top + field.height() <= area.viewport().height()


def test_a_field_reached_by_its_shortcut_scrolls_into_view(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    focus_reveal.install(app)
    area, field = _tall_form(qtbot)
    assert not _in_view(area, field)
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)  # what the label's buddy does
    qtbot.waitUntil(lambda: _in_view(area, field))


def test_the_app_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from svjournal.ui.app import application

    installed: list[QApplication] = []
    monkeypatch.setattr(focus_reveal, "install", installed.append)
    app = application()
    assert installed == [app]
