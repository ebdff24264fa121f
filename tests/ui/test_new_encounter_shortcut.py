"""Ctrl+N logs an encounter for the case selected in a list (Cases, Today), not only from the
case view; with nothing selected it still leads to the case list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import PAGES, Workspace


def _case(journal: Journal, alias: str) -> str:
    referred = date.today() - timedelta(days=20)
    return journal.open_case(
        CaseInput(alias, "nurse", "icu", "unexpected_death", "self", referred)
    ).id


def _drawn(qtbot: QtBot, win: MainWindow) -> None:
    """Let the case's trajectory finish drawing before the vault closes under it."""
    if win.workspace is not None:
        runner = win.workspace._trajectory_runner
        qtbot.waitUntil(lambda: not runner.busy, timeout=20000)


@pytest.fixture
def window(session: JournalSession, qtbot: QtBot) -> Iterator[MainWindow]:
    j = session.journal
    _case(j, "alpha")
    bravo = _case(j, "bravo")
    j.log_encounter(bravo, EncounterInput(datetime.now() - timedelta(days=1), "phone", 20))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    _drawn(qtbot, win)


def _ctrl_n(qtbot: QtBot, ws: Workspace) -> None:
    focus = ws.stack.currentWidget()
    qtbot.keyClick(focus, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_n_in_the_case_list_logs_an_encounter_for_the_selected_case(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(PAGES.index("Cases"))
    ws.cases.table.selectRow(1)  # by pseudonym: bravo
    _ctrl_n(qtbot, ws)
    editor = ws.encounter_editor
    assert editor is not None
    assert editor.case.alias == "bravo"
    assert ws.stack.currentWidget() is ws.case_view
    editor.reject()


def test_ctrl_n_on_today_logs_an_encounter_for_the_selected_row(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(PAGES.index("Today"))
    today = ws.today
    [waiting] = [t for t in today._tables if t.model() is today.waiting_model]
    [recent] = [t for t in today._tables if t.model() is today.recent_model]
    recent.selectRow(0)  # bravo's encounter
    waiting.selectRow(0)  # alpha, never contacted: the newest selection wins
    assert recent.selected_row() is None
    _ctrl_n(qtbot, ws)
    assert ws.encounter_editor is not None
    assert ws.encounter_editor.case.alias == "alpha"
    ws.encounter_editor.reject()


def test_ctrl_n_with_nothing_selected_still_leads_to_the_case_list(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(PAGES.index("Cases"))
    ws.cases.table.clearSelection()
    _ctrl_n(qtbot, ws)
    assert ws.encounter_editor is None
    assert ws.stack.currentWidget() is ws.cases
    assert "Ctrl+N" in ws.cases.count.text()
