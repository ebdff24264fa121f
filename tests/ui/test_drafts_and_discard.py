"""Encounter drafts end when their form is saved or discarded; leaving a changed form asks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import errors
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import ENCOUNTER_DRAFT_KEY, Workspace
from tests.conftest import PASSPHRASE

ALIAS = "DR-4410"


class BoxWatcher:
    """Answers (or just records) every modal message box that opens while it runs."""

    def __init__(self, answer: str | None = None) -> None:
        self.answer = answer
        self.seen: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        self.seen.append(box.windowTitle())
        wanted = [b for b in box.buttons() if b.text().replace("&", "") == self.answer]
        if wanted:
            wanted[0].click()
        else:  # nothing to answer with: close it as Esc would, so the test goes on
            box.reject()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def boxes() -> Iterator[list[BoxWatcher]]:
    made: list[BoxWatcher] = []
    yield made
    for watcher in made:
        watcher.stop()


def _watch(boxes: list[BoxWatcher], answer: str | None = None) -> BoxWatcher:
    for old in boxes:
        old.stop()
    watcher = BoxWatcher(answer)
    boxes.append(watcher)
    return watcher


@pytest.fixture
def session(vault: Vault, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> JournalSession:
    monkeypatch.setattr(errors, "show_error", lambda _parent, exc: pytest.fail(str(exc)))
    s = JournalSession(vault, OSKeyStore())
    s.adopt_unlocked()
    return s


def _window_with_case(qtbot: QtBot, session: JournalSession) -> tuple[MainWindow, str]:
    case = session.journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", date.today())
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window, case.id


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _open_form_with_a_red_flag(window: MainWindow, case_id: str) -> EncounterEditor:
    ws = _workspace(window)
    ws.open_case(case_id)
    ws.log_encounter()
    editor = ws.encounter_editor
    assert isinstance(editor, EncounterEditor)
    editor.form.red_flags.box("suicidal_thoughts").setChecked(True)
    return editor


def _relock(window: MainWindow, session: JournalSession) -> None:
    window.lock()
    QApplication.processEvents()
    session.unlock(PASSPHRASE)
    QApplication.processEvents()


# --- drafts ------------------------------------------------------------------------------


def test_a_cancelled_draft_does_not_come_back(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    _open_form_with_a_red_flag(window, case_id)
    _relock(window, session)
    restored = _workspace(window).encounter_editor
    assert isinstance(restored, EncounterEditor)
    assert restored.form.red_flags.codes() == ["suicidal_thoughts"]

    _watch(boxes, "Discard")
    restored.reject()  # Cancel, then Discard in the question
    qtbot.waitUntil(lambda: not restored.isVisible())
    assert session.journal.load_draft(ENCOUNTER_DRAFT_KEY) is None

    _relock(window, session)
    assert _workspace(window).encounter_editor is None
    assert session.journal.encounters(case_id) == []


def test_a_restored_draft_is_announced_with_keep_and_discard(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    _open_form_with_a_red_flag(window, case_id)
    _relock(window, session)
    restored = _workspace(window).encounter_editor
    assert isinstance(restored, EncounterEditor)
    qtbot.waitUntil(restored.isVisible)
    banner = restored.restored_banner
    assert banner.isVisible()
    assert "Restored the encounter you were writing when the journal locked" in banner.label.text()
    banner.keep.click()
    assert not banner.isVisible() and restored.isVisible()
    assert session.journal.load_draft(ENCOUNTER_DRAFT_KEY) is not None  # kept until saved

    # Locked again and restored again: this time Discard in the banner ends it, no question.
    _relock(window, session)
    again = _workspace(window).encounter_editor
    assert isinstance(again, EncounterEditor)
    watcher = _watch(boxes)
    again.restored_banner.discard.click()
    assert not again.isVisible() and watcher.seen == []
    assert session.journal.load_draft(ENCOUNTER_DRAFT_KEY) is None
    _relock(window, session)
    assert _workspace(window).encounter_editor is None


def test_a_draft_survives_a_restart_until_saved(
    qtbot: QtBot, session: JournalSession, vault: Vault
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    _open_form_with_a_red_flag(window, case_id)
    window.lock()  # the app quits while locked; a new run unlocks the same vault
    window.close()
    second = JournalSession(vault, OSKeyStore())
    other = MainWindow(second)
    qtbot.addWidget(other)
    second.unlock(PASSPHRASE)
    restored = _workspace(other).encounter_editor
    assert isinstance(restored, EncounterEditor)
    assert restored.restored_banner.isVisibleTo(restored)
    restored.save()
    assert second.journal.load_draft(ENCOUNTER_DRAFT_KEY) is None
    [saved] = second.journal.encounters(case_id)
    assert saved.red_flags == ["suicidal_thoughts"]


def test_mark_done_survives_a_lock(qtbot: QtBot, session: JournalSession) -> None:
    window, case_id = _window_with_case(qtbot, session)
    journal = session.journal
    journal.schedule_follow_up(case_id, date.today())
    ws = _workspace(window)
    [row] = journal.due_today()
    ws.follow_up_done(row)
    _relock(window, session)
    restored = _workspace(window).encounter_editor
    assert isinstance(restored, EncounterEditor)
    restored.save()
    [follow_up] = session.journal.follow_ups(case_id)
    assert follow_up.status == "done"


# --- "Discard changes?" ------------------------------------------------------------------


def test_an_unchanged_encounter_form_closes_without_asking(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    ws = _workspace(window)
    ws.open_case(case_id)
    ws.log_encounter()
    editor = ws.encounter_editor
    assert isinstance(editor, EncounterEditor)
    watcher = _watch(boxes)
    editor.reject()
    assert not editor.isVisible() and watcher.seen == []


def test_a_changed_encounter_form_asks_before_discarding(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    editor = _open_form_with_a_red_flag(window, case_id)
    editor.form.note.setPlainText("half a thought")
    qtbot.waitUntil(editor.isVisible)

    keep = _watch(boxes, "Keep editing")
    editor.reject()
    assert keep.seen == ["Discard changes?"]
    assert editor.isVisible() and editor.form.note.toPlainText() == "half a thought"

    discard = _watch(boxes, "Discard")
    editor.buttons.button(editor.buttons.StandardButton.Cancel).click()
    assert discard.seen == ["Discard changes?"]
    assert not editor.isVisible() and editor.result() == QDialog.DialogCode.Rejected
    assert session.journal.encounters(case_id) == []


def test_lock_keeps_a_changed_form_as_a_draft_without_asking(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, case_id = _window_with_case(qtbot, session)
    editor = _open_form_with_a_red_flag(window, case_id)
    watcher = _watch(boxes)
    window.lock()
    QApplication.processEvents()
    assert watcher.seen == [] and not editor.isVisible()
    assert not session.is_unlocked
    session.unlock(PASSPHRASE)
    assert session.journal.load_draft(ENCOUNTER_DRAFT_KEY) is not None


def test_case_form_asks_only_when_changed(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    editor = CaseEditor(session.journal)
    qtbot.addWidget(editor)
    editor.show()
    silent = _watch(boxes)
    editor.reject()
    assert not editor.isVisible() and silent.seen == []

    editor = CaseEditor(session.journal)
    qtbot.addWidget(editor)
    editor.show()
    editor.alias.setText("NR-3")
    keep = _watch(boxes, "Keep editing")
    editor.reject()
    assert keep.seen == ["Discard changes?"] and editor.alias.text() == "NR-3"
    assert editor.isVisible()
    _watch(boxes, "Discard")
    editor.reject()
    assert not editor.isVisible() and session.journal.list_cases() == []


def test_a_case_form_open_at_a_lock_closes_without_asking(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    window, _case_id = _window_with_case(qtbot, session)
    _workspace(window).new_case()
    [editor] = [w for w in window.findChildren(CaseEditor) if w.isVisible()]
    editor.alias.setText("NR-9")
    watcher = _watch(boxes)
    window.lock()
    QApplication.processEvents()
    assert watcher.seen == [] and not editor.isVisible()


@pytest.mark.parametrize("kind", ["follow-up", "close"])
def test_small_dialogs_ask_only_when_changed(
    qtbot: QtBot, boxes: list[BoxWatcher], kind: str
) -> None:
    def make() -> FollowUpDialog | CloseCaseDialog:
        dialog = FollowUpDialog(14) if kind == "follow-up" else CloseCaseDialog(True, None)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    dialog = make()
    silent = _watch(boxes)
    dialog.reject()
    assert not dialog.isVisible() and silent.seen == []

    dialog = make()
    edit = dialog.due if isinstance(dialog, FollowUpDialog) else dialog.closed_on
    edit.setDate(QDate(2020, 1, 2))
    discard = _watch(boxes, "Discard")
    dialog.reject()
    assert discard.seen == ["Discard changes?"] and not dialog.isVisible()


def test_escape_in_the_question_keeps_editing(
    qtbot: QtBot, session: JournalSession, boxes: list[BoxWatcher]
) -> None:
    editor = CaseEditor(session.journal)
    qtbot.addWidget(editor)
    editor.show()
    editor.alias.setText("NR-4")
    seen: list[str] = []

    def press_escape() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle())
            keep = box.escapeButton()
            assert isinstance(keep, QAbstractButton)
            assert keep.text() == "Keep editing"
            keep.click()
        else:
            QTimer.singleShot(10, press_escape)

    QTimer.singleShot(10, press_escape)
    editor.reject()
    assert seen == ["Discard changes?"] and editor.isVisible()
    editor.close_without_asking()  # or closing it at teardown would ask again
