"""The smallest supported screen is 1024×640; a window manager's frame leaves the window
about 1016 px of it. No page may ask for more (a walkthrough saw the Team page widen the
window to 1019 px, past the screen's edge)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from svjournal.ui import screen_fit
from svjournal.ui.main_window import MainWindow
from svjournal.ui.workspace import PAGES
from tests.ui import layout_checks as checks
from tests.ui.test_layout import Journal, _wait, _wait_charts, demo_journal  # noqa: F401

FRAMED = QSize(1016, 600)  # 1024×640 less a window manager's borders and title bar


@pytest.fixture
def window(demo_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:  # noqa: F811
    monkeypatch.setattr(screen_fit, "available_size", lambda widget=None: FRAMED)
    main = MainWindow(demo_journal.session)
    main.resize(FRAMED)
    main.show()
    yield main
    main.hide()
    main.deleteLater()
    checks.settle()


def test_no_page_asks_for_more_than_a_framed_1024_screen(window: MainWindow, qtbot: QtBot) -> None:
    workspace = window.workspace
    assert workspace is not None
    wider: list[str] = []
    for name in PAGES:
        workspace.nav.setCurrentRow(PAGES.index(name))
        if name == "Charts":
            _wait_charts(qtbot, workspace.charts)
        elif name == "Team":
            _wait_charts(qtbot, workspace.team.charts)
        elif name == "Reports":
            _wait(qtbot, workspace.reports.runner)
        checks.settle()
        hint = window.minimumSizeHint()
        if hint.width() > FRAMED.width() or window.width() > FRAMED.width():
            wider.append(f"{name}: minimum {hint.width()} px, window {window.width()} px")
    assert wider == []
