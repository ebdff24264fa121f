"""Issue 14: Edit › Undo (Ctrl+Z) and Redo for the session's actions; dropped at lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import workspace_actions
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import Workspace
from tests.conftest import PASSPHRASE

REFERRED = date.today() - timedelta(days=10)


@pytest.fixture
def window(vault: Vault, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(workspace_actions, "confirm", lambda *a: True)
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    j = session.journal
    case = j.open_case(CaseInput("UN-1", "nurse", "icu", "near_miss", "self", REFERRED))
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(days=2)
    j.log_encounter(case.id, EncounterInput(when, "phone", 20, stage=2, note="first talk"))
    j.schedule_follow_up(case.id, date.today(), "video")
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    ws = w.workspace
    assert ws is not None
    ws.open_case(case.id)
    return w


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _dialog(kind: type[QDialog]) -> QDialog:
    [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return dialog


def _undo(window: MainWindow) -> None:
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()


def _redo(window: MainWindow) -> None:
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()


def _check_round_trip(
    window: MainWindow, label: str, done: Callable[[], object], undone: Callable[[], object]
) -> None:
    """After the action: `done()` holds and the menu names it; Undo: `undone()`; Redo again."""
    assert window.undo_action.text() == f"&Undo {label}"
    assert done()
    _undo(window)
    assert undone()
    assert window.redo_action.text() == f"&Redo {label}"
    _redo(window)
    assert done()


def test_close_and_reopen_can_be_undone(window: MainWindow) -> None:
    ws = _ws(window)
    case_id = ws.case_view.case.id
    j = ws.session.journal
    ws.close_case()
    dialog = _dialog(CloseCaseDialog)
    dialog.accept()
    assert ws.case_view.case.status == "closed"  # the case view refreshed from the changes
    _check_round_trip(
        window,
        "Close case",
        lambda: j.get_case(case_id).status == "closed" and ws.case_view.case.status == "closed",
        lambda: (
            j.get_case(case_id).status == "open"
            and ws.case_view.case.status == "open"
            and [f.status for f in j.follow_ups(case_id)] == ["planned"]
        ),
    )
    ws.reopen_case()
    _check_round_trip(
        window,
        "Reopen case",
        lambda: j.get_case(case_id).status == "open",
        lambda: j.get_case(case_id).status == "closed",
    )


def test_editing_a_case_and_trashing_an_encounter_can_be_undone(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _ws(window)
    j = ws.session.journal
    case_id = ws.case_view.case.id
    ws.edit_case()
    editor = _dialog(CaseEditor)
    assert isinstance(editor, CaseEditor)
    editor.alias.setText("UN-2")
    editor.save()
    _check_round_trip(
        window,
        "Edit case",
        lambda: j.get_case(case_id).alias == "UN-2" and ws.case_view.case.alias == "UN-2",
        lambda: j.get_case(case_id).alias == "UN-1" and ws.case_view.case.alias == "UN-1",
    )
    [encounter] = j.encounters(case_id)
    ws.delete_encounter(encounter.id)
    _check_round_trip(
        window,
        "Move encounter to trash",
        lambda: j.encounters(case_id) == [],
        lambda: (
            [e.id for e in j.encounters(case_id)] == [encounter.id]
            and j.encounters(case_id)[0].note == "first talk"
        ),
    )


def test_mark_done_and_reschedule_can_be_undone(window: MainWindow) -> None:
    ws = _ws(window)
    j = ws.session.journal
    case_id = ws.case_view.case.id
    [row] = j.due_today()
    ws.follow_up_done(row)
    editor = ws.encounter_editor
    assert isinstance(editor, EncounterEditor)
    editor.save()
    _check_round_trip(
        window,
        "Mark follow-up done",
        lambda: j.follow_up(row.id).status == "done" and len(j.encounters(case_id)) == 2,
        lambda: j.follow_up(row.id).status == "planned" and len(j.encounters(case_id)) == 1,
    )
    _undo(window)  # back to planned, to reschedule it
    ws.follow_up_reschedule(row)
    dialog = _dialog(FollowUpDialog)
    assert isinstance(dialog, FollowUpDialog)
    dialog.due.setDate(QDate(date.today() + timedelta(days=5)))
    dialog.accept()
    _check_round_trip(
        window,
        "Reschedule follow-up",
        lambda: j.follow_up(row.id).due_on == date.today() + timedelta(days=5),
        lambda: j.follow_up(row.id).due_on == date.today(),
    )


def test_ctrl_z_undoes_and_a_text_field_keeps_its_own_ctrl_z(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _ws(window)
    j = ws.session.journal
    case_id = ws.case_view.case.id
    ws.close_case()  # one action to undo
    _dialog(CloseCaseDialog).accept()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ws.go_to("Cases")
    find = ws.cases.find
    find.setFocus()
    qtbot.keyClicks(find, "ab")
    qtbot.keyClick(find, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert find.text() != "ab"  # the field undid its typing
    assert j.get_case(case_id).status == "closed"  # and the journal was left alone
    find.clear()
    ws.nav.setFocus()
    qtbot.keyClick(ws.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert j.get_case(case_id).status == "open"


def test_locking_drops_the_history(window: MainWindow, qtbot: QtBot) -> None:
    ws = _ws(window)
    ws.close_case()
    _dialog(CloseCaseDialog).accept()
    assert window.undo_action.isEnabled()
    window.lock()
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "&Undo"
    window.session.unlock(PASSPHRASE)
    assert window.workspace is not None
    assert not window.undo_action.isEnabled()
    assert window.workspace.ops.history.undo_label() is None


def test_a_settings_change_can_be_undone(window: MainWindow) -> None:
    ws = _ws(window)
    j = ws.session.journal
    ws.go_to("Settings")
    ws.settings.idle.setValue(30)
    ws.settings.save()
    _check_round_trip(
        window,
        "Change settings",
        lambda: j.setting("idle_lock_minutes") == 30 and window.idle._limit_s == 30 * 60,
        lambda: (
            j.setting("idle_lock_minutes") == 5
            and window.idle._limit_s == 5 * 60
            and ws.settings.idle.value() == 5
        ),
    )
