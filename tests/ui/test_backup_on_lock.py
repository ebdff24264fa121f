"""Locking takes the backup that closing would have: the key is gone once the journal is
locked, so a journal that locked itself (idle) or was locked by hand and then quit, or shut
down with the workstation, kept its latest encounters in no backup at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from svjournal.core.backup import list_backups
from svjournal.core.backup_format import read_header
from svjournal.core.inputs import CaseInput
from svjournal.ui.backup_dialogs import reason_label
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from tests.conftest import PASSPHRASE


def _backups(session: JournalSession) -> list[Path]:
    return list(list_backups(session.vault.path / "backups"))


def test_locking_after_a_change_backs_up_and_quitting_locked_loses_nothing(
    session: JournalSession, qtbot: QtBot
) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    session.journal.open_case(CaseInput("Robin", "nurse", "icu", "near_miss", "self", date.today()))
    assert _backups(session) == []

    window.lock()

    assert not session.is_unlocked
    [made] = _backups(session)  # the change is in a backup before the key goes
    assert read_header(made).reason == "lock"
    assert reason_label("lock") == "On locking"  # as the backups list says it
    window.close()  # quitting while locked: nothing more to back up, nothing lost
    assert len(_backups(session)) == 1


def test_locking_with_nothing_new_makes_no_backup(session: JournalSession, qtbot: QtBot) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    session.journal.open_case(CaseInput("Robin", "nurse", "icu", "near_miss", "self", date.today()))
    window.lock()
    assert len(_backups(session)) == 1
    session.unlock(PASSPHRASE)
    assert session.is_unlocked and window.workspace is not None
    window.lock()  # looked around, changed nothing: older backups are not rotated away
    assert len(_backups(session)) == 1
