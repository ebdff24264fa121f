"""After a lock: no widget holds journal text, no key is left, no database connection is open.

The lock comes at the worst moment: a case open with its chart being drawn, the dashboard
computing, an encounter half typed, a search typed into the case list. Then every widget
the application still has (hidden ones and dialogs too) is read, every live key holder and
SQLCipher connection in the process is looked at, and so are the process's open files.
"""

from __future__ import annotations

import gc
import os
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from PySide6.QtCore import QEvent, QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from svjournal.core.db import KeyHolder
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui import errors
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from tests.conftest import PASSPHRASE

ALIAS = "LOCKTEST-Wombat-3391"
NOTE = "NOTE-LOCKTEST spoke about the code blue 7781"
TYPED = "TYPED-LOCKTEST half a sentence 5523"
PHONE = "0161 496 0999"
SECRETS = (ALIAS, NOTE, TYPED, PHONE, "LOCKTEST")


def widget_texts(widget: QWidget, *, undo: bool = False) -> list[str]:
    """Every piece of text a widget shows or keeps: contents, items, tips, names, models;
    with `undo`, also what Ctrl+Z would bring back (which changes the widget)."""
    found = [
        widget.windowTitle(),
        widget.toolTip(),
        widget.statusTip(),
        widget.whatsThis(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ]
    if isinstance(widget, QLineEdit):
        found += [widget.text(), widget.placeholderText()]
        if undo and widget.isUndoAvailable():
            widget.undo()
            found.append(widget.text())
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        found.append(widget.toPlainText())
        if undo and widget.document().isUndoAvailable():
            widget.undo()
            found.append(widget.toPlainText())
    if isinstance(widget, (QLabel, QAbstractButton)):
        found.append(widget.text())
    if isinstance(widget, QComboBox):
        found += [widget.itemText(i) for i in range(widget.count())] + [widget.currentText()]
    if isinstance(widget, QTabWidget):
        found += [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        found += model_texts(widget.model())
    return [text for text in found if text]


def model_texts(model, parent: QModelIndex | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    root = parent or QModelIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # list models keep columnCount private in PySide6
        columns = 1
    texts = []
    for row in range(model.rowCount(root)):
        for column in range(columns):
            index = model.index(row, column, root)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value is not None:
                    texts.append(str(value))
    return texts


def open_database_files(folder: Path) -> list[str]:
    """The files under `folder` this process holds open (Linux: /proc/self/fd)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed while we looked (the listing's own descriptor)
        if target.startswith(str(folder)) and not target.endswith(".svjournal.lock"):
            found.append(target)
    return found


def live_connections() -> list[object]:
    """SQLCipher connections still open anywhere in this process.

    Connections are not tracked by the garbage collector themselves, so they are found
    through whatever tracked object refers to them (a pool record, a session, a closure).
    """
    found: dict[int, sqlcipher3.Connection] = {}
    for holder in gc.get_objects():
        for obj in gc.get_referents(holder):
            if isinstance(obj, sqlcipher3.Connection):
                found[id(obj)] = obj
    open_ones = []
    for conn in found.values():
        try:
            _ = conn.total_changes  # raises on a closed connection
        except sqlcipher3.ProgrammingError:
            continue
        open_ones.append(conn)
    return open_ones


@pytest.fixture
def session(vault: Vault, qtbot: QtBot) -> JournalSession:
    s = JournalSession(vault, OSKeyStore())
    s.adopt_unlocked()
    return s


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_a_lock_mid_work_leaves_no_text_no_key_and_no_open_connection(
    session: JournalSession,
    vault_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append(exc))
    journal = session.journal
    case = journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", date(2026, 11, 1))
    )
    journal.set_contact(case.id, ContactInput(phone=PHONE))
    journal.log_encounter(
        case.id, EncounterInput(datetime(2026, 11, 2, 10), "phone", 20, stage=2, note=NOTE)
    )
    journal.schedule_follow_up(case.id, date(2026, 11, 20))

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    workspace = window.workspace
    assert workspace is not None
    workspace.show_page(1)
    qtbot.keyClicks(workspace.cases.find, ALIAS[:8])
    workspace.open_case(case.id)  # the trajectory chart is drawn in the background
    workspace.log_encounter()
    qtbot.keyClicks(workspace.encounter_editor.form.note, TYPED)
    workspace.charts.refresh()  # the dashboard computes in the background
    every_text = [t for w in QApplication.allWidgets() for t in widget_texts(w)]
    assert any(ALIAS in t for t in every_text) and any(TYPED in t for t in every_text)
    # The checks below can see what they look for: while unlocked, all three are there.
    assert [h for h in gc.get_objects() if isinstance(h, KeyHolder) and any(h.bytes())]
    assert live_connections() and open_database_files(vault_path)

    window.lock()
    assert not session.is_unlocked
    # Let the background work finish and the destroyed widgets really go.
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=60_000)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()

    leaks = {
        f"{type(w).__name__} {w.objectName()!r}: {text[:60]!r}"
        for w in QApplication.allWidgets()
        for text in widget_texts(w, undo=True)
        if any(secret in text for secret in SECRETS)
    }
    assert leaks == set()
    assert [h for h in gc.get_objects() if isinstance(h, KeyHolder) and any(h.bytes())] == []
    assert live_connections() == []
    assert open_database_files(vault_path) == []
    assert shown == []

    # The lock screen works, and the typed encounter waits in its encrypted draft.
    session.unlock(PASSPHRASE)
    assert window.workspace is not None and window.workspace.encounter_editor is not None
    assert TYPED in window.workspace.encounter_editor.form.note.toPlainText()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_a_query_running_on_a_worker_thread_during_the_lock_leaves_no_connection_open(
    vault: Vault, vault_path: Path
) -> None:
    # What the dashboard's worker thread does when the idle lock fires mid-query: its
    # connection is checked out while the engine is disposed, and checked in afterwards.
    engine = vault.engine
    holding, release = threading.Event(), threading.Event()

    def long_query() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM cases")).all()
            holding.set()
            release.wait(30)

    worker = threading.Thread(target=long_query)
    worker.start()
    assert holding.wait(30)
    vault.lock()
    release.set()
    worker.join(30)
    assert open_database_files(vault_path) == []
    assert live_connections() == []
    vault.unlock(PASSPHRASE)  # and the next unlock works as ever
    with vault.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
