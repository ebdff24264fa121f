"""UI test fixtures: the window state the app remembers goes to a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings


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

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, GuardedDialog):
            widget.close_without_asking()
    crash_dialog.close_open_dialog()  # a test's unexpected error must not hide the next one's
    return (yield)
