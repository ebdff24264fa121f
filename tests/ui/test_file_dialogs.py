"""File dialogs: one helper for all of them, opening where the last one left off."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

import svjournal.ui
from svjournal.core import demo
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui.main_window import MainWindow
from svjournal.ui.pages.team import TeamPage
from svjournal.ui.session import JournalSession

Calls = list[tuple[str, str]]  # (dialog title, where it opened)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Calls, Path]:
    """QFileDialog's static functions, recorded; saving picks a file in tmp/exports,
    everything else is cancelled."""
    calls: Calls = []
    exports = tmp_path / "exports"
    exports.mkdir()

    def save(_parent: object, title: str, start: str, _filters: str) -> tuple[str, str]:
        calls.append((title, start))
        return str(exports / Path(start).name), ""

    def open_one(_parent: object, title: str, start: str, _filters: str) -> tuple[str, str]:
        calls.append((title, start))
        return "", ""

    def open_many(_parent: object, title: str, start: str, _filters: str) -> tuple[list[str], str]:
        calls.append((title, start))
        return [], ""

    def folder(_parent: object, title: str, start: str) -> str:
        calls.append((title, start))
        return ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_one))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_many))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
    return calls, exports


@pytest.fixture
def session(vault: Vault, qtbot: QtBot) -> JournalSession:
    demo.generate(vault.engine, cases=8, seed=3, anchor=date.today())
    s = JournalSession(vault, OSKeyStore())
    s.adopt_unlocked()
    return s


def test_every_file_dialog_opens_in_the_folder_used_last(
    qtbot: QtBot, session: JournalSession, dialogs: tuple[Calls, Path]
) -> None:
    calls, exports = dialogs
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.workspace is not None
    backups = window.workspace.settings.backups
    backups.buttons["file"].click()  # "Back up to file…": saved into exports/
    qtbot.waitUntil(lambda: any(exports.iterdir()), timeout=20_000)
    calls.clear()

    team = TeamPage(session)
    qtbot.addWidget(team)
    team.ask_files()
    backups.restore_from_file()  # cancelled
    backups.choose_folder()  # the extra backup folder, none set yet
    assert [Path(start) for _title, start in calls] == [exports] * 3, calls


def test_the_recovery_key_s_folder_is_not_remembered(
    qtbot: QtBot, tmp_path: Path, dialogs: tuple[Calls, Path]
) -> None:
    from svjournal.ui import file_dialogs

    _calls, exports = dialogs
    before = file_dialogs.start_folder()
    assert file_dialogs.ask_save_path(None, "Save recovery key", "key.txt", "", remember=False)
    assert file_dialogs.start_folder() == before != exports


def test_no_module_opens_a_file_dialog_of_its_own() -> None:
    ui = Path(svjournal.ui.__file__).parent
    direct = [
        str(path.relative_to(ui))
        for path in ui.rglob("*.py")
        if path.name != "file_dialogs.py" and re.search(r"\bQFileDialog\b", path.read_text())
    ]
    assert direct == []


def test_in_portable_use_the_folder_is_remembered_on_the_stick(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: tuple[Calls, Path],
    _private_window_state: Path,
) -> None:
    from svjournal.core import portable
    from svjournal.ui import file_dialogs

    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / portable.MARKER_NAME).touch()
    monkeypatch.setenv(portable.ENV_PORTABLE_ROOT, str(stick))
    _calls, exports = dialogs
    assert file_dialogs.ask_save_path(None, "Save chart", "chart.png", "")
    assert file_dialogs.start_folder() == exports
    on_computer = [p for p in _private_window_state.rglob("*") if p.is_file()]
    assert on_computer == []  # nothing written in the computer's own settings
    assert str(exports).encode() in (portable.data_folder(stick) / "window.ini").read_bytes()
