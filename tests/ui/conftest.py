"""UI test fixtures shared by every UI test: an unlocked `session`, window state kept in a
temporary folder, forms closed without questions at a test's end, Qt's offscreen platform."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Before PySide6 loads anywhere: UI tests never need a display (tools/real_window.py is for that).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui.session import JournalSession


@pytest.fixture(autouse=True)
def _private_window_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """QSettings writes under a fresh folder, never the developer's ~/.config."""
    folder = tmp_path_factory.mktemp("qsettings")
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Forms still open at a test's end close without the "Discard changes?" question.
    pytest-qt closes every widget a test gave it (in its own teardown hook, which this wraps);
    a changed form would then ask in a modal box that nobody answers, and the run would hang."""
    from PySide6.QtWidgets import QApplication

    from svjournal.ui import crash_dialog
    from svjournal.ui.discard_guard import GuardedDialog
    from svjournal.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, GuardedDialog):
            widget.close_without_asking()
        elif isinstance(widget, MainWindow):
            # Closed as Quit closes it: with the tray on, closing would ask (once, in a modal
            # box) whether to keep running in the tray, and nobody is there to answer.
            widget._quitting = True
    crash_dialog.close_open_dialog()  # a test's unexpected error must not hide the next one's
    return (yield)


@pytest.fixture
def session(vault: Vault, qtbot: QtBot) -> JournalSession:
    """The test vault's journal, unlocked as the app holds it (files may override it)."""
    s = JournalSession(vault, OSKeyStore())
    s.adopt_unlocked()
    return s
