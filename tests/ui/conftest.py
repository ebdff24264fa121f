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
