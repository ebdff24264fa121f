"""What the window remembers: its geometry and last page between runs (a page NAME only,
in plaintext QSettings), and, in memory only, the page and case it was on when it locked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.core.vault import Vault
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import PAGES, Workspace
from tests.conftest import PASSPHRASE

ALIAS = "ZQ-STATE-7731"


def _window(qtbot: QtBot, session: JournalSession) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _page(window: MainWindow) -> str:
    workspace = _workspace(window)
    return PAGES[workspace.nav.currentRow()]


def _case(session: JournalSession) -> str:
    case = session.journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", date(2026, 11, 1))
    )
    return case.id


def test_size_and_last_page_are_remembered_between_runs(
    qtbot: QtBot, session: JournalSession, vault: Vault
) -> None:
    window = _window(qtbot, session)
    default = window.size()
    window.resize(QSize(default.width(), default.height() - 55))
    wanted = window.size()
    assert wanted.height() == default.height() - 55
    _workspace(window).nav.setCurrentRow(PAGES.index("Reference"))
    window.close()

    session.unlock(PASSPHRASE)  # the next run, as far as the window can tell
    again = _window(qtbot, session)
    # The height: the width may be clamped to the small offscreen screen (800 px).
    assert again.height() == wanted.height() != default.height()
    assert _page(again) == "Reference"


def test_nothing_about_the_journal_is_written_in_plaintext(
    qtbot: QtBot, session: JournalSession, _private_window_state: Path
) -> None:
    case_id = _case(session)
    window = _window(qtbot, session)
    _workspace(window).open_case(case_id)
    window.close()
    written = b"".join(p.read_bytes() for p in _private_window_state.rglob("*") if p.is_file())
    assert written, "the window state was not saved"
    assert case_id.encode() not in written and ALIAS.encode() not in written
    session.unlock(PASSPHRASE)
    again = _window(qtbot, session)
    assert _page(again) == "Cases"  # the case view's page, not the case
    assert _workspace(again).stack.currentWidget() is _workspace(again).cases


def test_a_stored_page_that_is_not_a_page_is_ignored(qtbot: QtBot, session: JournalSession) -> None:
    from PySide6.QtCore import QSettings

    from svjournal.ui import window_state

    QSettings(*window_state.SETTINGS_NAME).setValue(window_state.PAGE_KEY, "Nowhere")
    window = _window(qtbot, session)
    assert _page(window) == "Today"


def test_unlocking_goes_back_to_the_open_case(qtbot: QtBot, session: JournalSession) -> None:
    case_id = _case(session)
    window = _window(qtbot, session)
    _workspace(window).open_case(case_id)
    window.lock()
    session.unlock(PASSPHRASE)
    workspace = _workspace(window)
    assert workspace.stack.currentWidget() is workspace.case_view
    assert workspace.case_view.case is not None and workspace.case_view.case.id == case_id
    assert _page(window) == "Cases"


def test_unlocking_goes_back_to_the_same_page(qtbot: QtBot, session: JournalSession) -> None:
    window = _window(qtbot, session)
    _workspace(window).nav.setCurrentRow(PAGES.index("Follow-ups"))
    window.lock()
    session.unlock(PASSPHRASE)
    workspace = _workspace(window)
    assert _page(window) == "Follow-ups"
    assert workspace.stack.currentWidget() is workspace.follow_ups


def test_a_case_gone_while_locked_falls_back_to_cases(
    qtbot: QtBot, session: JournalSession
) -> None:
    case_id = _case(session)
    window = _window(qtbot, session)
    _workspace(window).open_case(case_id)
    window.lock()
    session.unlock(PASSPHRASE)
    session.journal.delete_case(case_id)
    window.lock()
    session.unlock(PASSPHRASE)
    workspace = _workspace(window)
    assert workspace.stack.currentWidget() is workspace.cases
