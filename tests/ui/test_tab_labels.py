"""An unselected tab shows its label whole: Fusion moved it 2 px down and clipped its top,
so the accent of a capital letter vanished ("Équipe" read "Equipe", "Übersicht" "Ubersicht")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QStyle, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from svjournal.ui.theme import SteadyTabStyle


def _unselected_tab(qtbot: QtBot, label: str, style: QStyle) -> QImage:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.setStyle(style)
    tabs.tabBar().setStyle(style)  # a style set on a widget does not pass to its children
    tabs.addTab(QWidget(), "Selected")
    tabs.addTab(QWidget(), label)
    tabs.show()
    qtbot.waitExposed(tabs)
    bar = tabs.tabBar()
    return bar.grab(bar.tabRect(1)).toImage()


@pytest.mark.parametrize(("accented", "plain"), [("Équipe", "Equipe"), ("Übersicht", "Ubersicht")])
def test_an_unselected_tab_keeps_the_accent_of_a_capital(
    qtbot: QtBot, accented: str, plain: str
) -> None:
    style = SteadyTabStyle(QApplication.style().name())
    assert _unselected_tab(qtbot, accented, style) != _unselected_tab(qtbot, plain, style)


def test_the_app_draws_with_it() -> None:
    from svjournal.ui.app import application

    assert isinstance(application().style(), SteadyTabStyle)
