"""The whole journey a supporter makes, through the real widgets, on a real encrypted vault.

first run → new case → encounter at stage 2 → follow-up → mark done at stage 5 → idle lock
with a form open → draft kept (encrypted) → unlock → everything there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from svjournal.core.secrets import OSKeyStore
from svjournal.ui import errors
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.dialogs import FollowUpDialog
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.wizard import FirstRunWizard
from svjournal.ui.workspace import ENCOUNTER_DRAFT_KEY, PAGES
from tests.conftest import FAST_KDF, PASSPHRASE

ALIAS = "KW-JOURNEY-41"
DRAFT_NOTE = "typed before the lock, kept in the draft"


@pytest.fixture(autouse=True)
def _no_modal_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append(exc))
    return shown


def _only(widget_type: type, parent) -> object:  # type: ignore[no-untyped-def]
    found = [w for w in parent.findChildren(widget_type) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _create_vault_with_wizard(qtbot: QtBot, path: Path) -> JournalSession:
    wizard = FirstRunWizard(path, OSKeyStore(), kdf=FAST_KDF)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.passphrase_page.passphrase.setText(PASSPHRASE)
    wizard.passphrase_page.repeat.setText(PASSPHRASE)
    wizard.passphrase_page.meter.flush()
    wizard.next()  # creates the vault and shows the recovery key
    assert wizard.currentPage() is wizard.key_page
    assert not wizard.key_page.remember_check.isEnabled()  # no keyring in tests
    wizard.key_page.stored_check.setChecked(True)
    wizard.accept()
    assert wizard.vault is not None and wizard.vault.is_unlocked
    session = JournalSession(wizard.vault, OSKeyStore())
    session.adopt_unlocked()
    return session


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    found = [w.text() for w in widget.findChildren(QLineEdit)]
    found += [w.toPlainText() for w in widget.findChildren(QPlainTextEdit)]
    found += [w.text() for w in widget.findChildren(QLabel)]
    return found


def test_first_run_to_lock_and_back(qtbot: QtBot, tmp_path: Path, _no_modal_errors) -> None:  # type: ignore[no-untyped-def]
    session = _create_vault_with_wizard(qtbot, tmp_path / "vault")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    workspace = window.workspace
    assert workspace is not None

    # A new case, through the case form.
    workspace.new_case()
    case_editor = _only(CaseEditor, window)
    assert isinstance(case_editor, CaseEditor)
    case_editor.alias.setText(ALIAS)
    case_editor.role.set_code("nurse")
    case_editor.department.set_code("icu")
    case_editor.source.set_code("colleague")
    case_editor.category.set_code("unexpected_death")
    referred = date.today() - timedelta(days=3)
    case_editor.referred_on.setDate(QDate(referred.year, referred.month, referred.day))
    case_editor.save()
    assert _no_modal_errors == []
    qtbot.waitUntil(lambda: workspace.case_view.case is not None)
    case = workspace.case_view.case
    assert case.alias == ALIAS

    # First encounter at stage 2.
    workspace.log_encounter()
    editor = workspace.encounter_editor
    assert isinstance(editor, EncounterEditor)
    first_time = datetime.now().replace(second=0, microsecond=0) - timedelta(days=2)
    editor.load_draft(
        {"occurred_at": first_time.isoformat(), "mode": "phone", "duration_minutes": 35, "stage": 2}
    )
    editor.save()
    assert _no_modal_errors == []
    assert workspace.case_view.case.current_stage == 2

    # A follow-up, then marked done from the Follow-ups page at stage 5.
    workspace.schedule_follow_up()
    dialog = _only(FollowUpDialog, window)
    assert isinstance(dialog, FollowUpDialog)
    due = date.today()
    dialog.due.setDate(QDate(due.year, due.month, due.day))
    dialog.accept()
    workspace.nav.setCurrentRow(PAGES.index("Follow-ups"))
    follow_ups = workspace.follow_ups
    assert [r.alias for r in follow_ups.models["upcoming"]._rows] == [ALIAS]
    workspace.follow_up_done(follow_ups.models["upcoming"].row_at(0))
    editor = workspace.encounter_editor
    assert isinstance(editor, EncounterEditor)
    # An hour ago: the encounter typed next (at "now", to the minute) must be the latest
    # even when both are saved within the same second, as on a fast machine.
    an_hour_ago = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    editor.load_draft({"stage": 5, "duration_minutes": 20, "occurred_at": an_hour_ago.isoformat()})
    editor.save()
    assert _no_modal_errors == []
    journal = session.journal
    stages = [e.stage for e in journal.encounters(case.id)]
    assert stages == [2, 5]
    [follow_up] = journal.follow_ups(case.id)
    assert follow_up.status == "done"
    assert follow_up.encounter_id == journal.encounters(case.id)[-1].id

    # A third encounter is being typed when the idle timer locks the journal.
    workspace.log_encounter()
    editor = workspace.encounter_editor
    assert isinstance(editor, EncounterEditor)
    editor.load_draft({"stage": 3, "triggered": True, "note": DRAFT_NOTE})
    window.idle.set_limit_seconds(0.2)
    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=5000)
    QApplication.processEvents()
    assert window.workspace is None
    for top in QApplication.topLevelWidgets():
        texts = _texts(top)
        assert not any(ALIAS in t or DRAFT_NOTE in t for t in texts), top
    with pytest.raises(Exception):  # noqa: B017 - the engine is gone, any use must fail
        session.vault.engine  # noqa: B018

    # Unlock through the lock screen: the draft comes back, the records are all there.
    window.idle.set_minutes(5)
    window.unlock_view.field.setText(PASSPHRASE)
    window.unlock_view.attempt_unlock()
    qtbot.waitUntil(lambda: session.is_unlocked, timeout=5000)
    restored = window.workspace.encounter_editor  # type: ignore[union-attr]
    assert isinstance(restored, EncounterEditor)
    payload = restored.draft_payload()
    assert payload["note"] == DRAFT_NOTE
    assert payload["stage"] == 3 and payload["triggered"] is True
    restored.save()
    assert _no_modal_errors == []
    journal = session.journal
    assert journal.load_draft(ENCOUNTER_DRAFT_KEY) is None
    assert [e.stage for e in journal.encounters(case.id)] == [2, 5, 3]
    assert [r.alias for r in journal.list_cases()] == [ALIAS]
    assert journal.get_case(case.id).current_stage == 3


def test_wrong_passphrase_then_right_one(qtbot: QtBot, tmp_path: Path) -> None:
    session = _create_vault_with_wizard(qtbot, tmp_path / "vault")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.lock()
    view = window.unlock_view
    view.field.setText("not the passphrase at all")
    view.attempt_unlock()
    assert "does not open" in view.status.text()
    assert view.field.text() == ""
    assert not session.is_unlocked
    view.field.setText(PASSPHRASE)
    view.attempt_unlock()
    assert session.is_unlocked
