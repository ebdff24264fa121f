"""Unexpected errors: logged, and "Something went wrong" with a "Copy details" button whose
details hold the place in the code, never the error's words or anything from the journal."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from svjournal.core import logsetup, vocab
from svjournal.core.errors import VaultLocked
from svjournal.core.vault import Vault
from svjournal.ui import crash_dialog, errors
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.crash_dialog import CrashDialog

CANARY = "Canary-Quince Lantern-4417"

# pytest-qt would take the exception out of the slot itself and fail the test; here our
# own hook must see it, as it does in the app.
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture(autouse=True)
def hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash_dialog.install(lambda exc: errors.show_error(None, exc))
    yield
    crash_dialog.close_open_dialog()


@pytest.fixture
def log_file() -> Path:
    path = logsetup.configure("app")  # into the test's own folder (tests/conftest.py)
    assert path is not None
    return path


def look_up_canary() -> None:
    """svjournal code failing with the user's text in the message (KeyError repeats it)."""
    vocab.OUTCOMES.get(CANARY)


def in_a_slot(qtbot: QtBot, work: Callable[[], None]) -> CrashDialog:
    QTimer.singleShot(0, work)  # run by the event loop, as a click's slot would be
    qtbot.waitUntil(lambda: crash_dialog.open_dialog() is not None, timeout=5000)
    dialog = crash_dialog.open_dialog()
    assert dialog is not None
    return dialog


def test_an_error_in_a_slot_shows_the_dialog_and_copy_details_hold_no_journal_text(
    qtbot: QtBot, log_file: Path
) -> None:
    dialog = in_a_slot(qtbot, look_up_canary)
    assert dialog.isVisible() and dialog.windowTitle() == "Something went wrong"
    details = dialog.details
    assert CANARY not in details
    assert details.startswith("svjournal ")
    for expected in ("Platform:", "Python ", "Qt ", "PySide6 ", "error: KeyError"):
        assert expected in details
    assert "svjournal/core/vocab_terms.py:" in details and " in get" in details
    assert "tests/ui" not in details  # frames outside svjournal are only counted

    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details
    assert dialog.copy_button.text() == "Copied"

    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected KeyError" in logged and "svjournal/core/vocab_terms.py:" in logged
    assert CANARY not in logged


def test_an_error_in_a_thread_shows_the_dialog_on_the_gui_thread(qtbot: QtBot) -> None:
    worker = threading.Thread(target=look_up_canary)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: crash_dialog.open_dialog() is not None, timeout=5000)
    dialog = crash_dialog.open_dialog()
    assert dialog is not None and "error: KeyError" in dialog.details
    assert CANARY not in dialog.details


def test_a_typed_error_escaping_a_slot_is_put_into_words_not_the_crash_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, exc: shown.append(exc))

    def locked() -> None:
        raise VaultLocked()

    QTimer.singleShot(0, locked)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert isinstance(shown[0], VaultLocked)
    assert crash_dialog.open_dialog() is None


def test_a_second_error_while_the_dialog_is_open_is_only_logged(
    qtbot: QtBot, log_file: Path
) -> None:
    first = in_a_slot(qtbot, look_up_canary)

    def other() -> None:
        raise ZeroDivisionError(CANARY)

    QTimer.singleShot(0, other)
    qtbot.waitUntil(lambda: "unexpected ZeroDivisionError" in log_file.read_text(), timeout=5000)
    assert crash_dialog.open_dialog() is first
    assert CANARY not in log_file.read_text(encoding="utf-8")


def test_a_dialog_that_fails_itself_does_not_recurse(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []

    def broken(*_args: object, **_kwargs: object) -> None:
        built.append(1)
        raise RuntimeError(CANARY)

    monkeypatch.setattr(CrashDialog, "__init__", broken)
    try:
        look_up_canary()
    except KeyError as exc:
        crash_dialog.report(exc)  # must not raise
    assert built == [1] and crash_dialog.open_dialog() is None
    logged = log_file.read_text(encoding="utf-8")
    assert "the error dialog failed: RuntimeError" in logged and CANARY not in logged


def test_each_error_is_reported_once(qtbot: QtBot) -> None:
    try:
        look_up_canary()
    except KeyError as exc:
        crash_dialog.report(exc)
        first = crash_dialog.open_dialog()
        assert first is not None
        first.done(0)
        qtbot.waitUntil(lambda: crash_dialog.open_dialog() is None)
        errors.show_error(None, exc)  # e.g. the caller of a background task, afterwards
    assert crash_dialog.open_dialog() is None


def test_a_background_failure_that_the_caller_only_tidies_up_still_shows_the_dialog(
    qtbot: QtBot,
) -> None:
    runner = BackgroundRunner()
    tidied: list[BaseException] = []
    runner.submit(look_up_canary, lambda _result: None, tidied.append)
    qtbot.waitUntil(lambda: crash_dialog.open_dialog() is not None, timeout=5000)
    assert isinstance(tidied[0], KeyError)
    dialog = crash_dialog.open_dialog()
    assert dialog is not None and "svjournal/core/vocab_terms.py:" in dialog.details


def test_a_background_failure_shown_by_the_caller_gives_one_dialog(qtbot: QtBot) -> None:
    runner = BackgroundRunner()
    dialogs: list[CrashDialog | None] = []

    def failed(exc: BaseException) -> None:
        errors.show_error(None, exc)
        dialogs.append(crash_dialog.open_dialog())

    runner.submit(look_up_canary, lambda _result: None, failed)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=5000)
    qtbot.wait(50)
    assert dialogs[0] is not None and crash_dialog.open_dialog() is dialogs[0]


def test_a_file_error_is_put_into_words() -> None:
    title, message = errors.describe(PermissionError(13, "Permission denied", "/x/report.pdf"))
    assert title == "File problem" and message == "Permission denied (/x/report.pdf)."
    assert crash_dialog.is_expected(PermissionError())


def test_an_error_before_the_event_loop_runs_is_shown_before_the_app_ends(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_file: Path
) -> None:
    from svjournal.ui import app

    shown: list[str] = []

    def start_up_fails(*_args: object) -> int:
        look_up_canary()
        return 0

    def modal(dialog: CrashDialog) -> int:
        shown.append(dialog.details)
        return 0

    monkeypatch.setattr(app, "_run", start_up_fails)
    monkeypatch.setattr(CrashDialog, "exec", modal)
    assert app.run_app(tmp_path / "vault") == 1
    assert len(shown) == 1 and "error: KeyError" in shown[0] and CANARY not in shown[0]
    assert "unexpected KeyError" in log_file.read_text(encoding="utf-8")


def test_a_dialog_gone_with_its_window_does_not_stop_the_next_one(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    try:
        look_up_canary()
    except KeyError as exc:
        crash_dialog.report(exc, window)
    assert crash_dialog.open_dialog() is not None
    window.deleteLater()  # e.g. the page it was shown over went at lock
    qtbot.waitUntil(lambda: crash_dialog.open_dialog() is None, timeout=5000)
    in_a_slot(qtbot, look_up_canary)


def test_a_task_still_running_when_the_journal_locks_is_not_a_crash(
    qtbot: QtBot, vault: Vault
) -> None:
    """It fails for want of the key: that is the lock, said in words by the caller."""
    engine = vault.engine
    vault.lock()
    runner = BackgroundRunner()
    failures: list[BaseException] = []

    def query() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM cases"))

    runner.submit(query, lambda _result: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], VaultLocked)
    qtbot.wait(50)
    assert crash_dialog.open_dialog() is None
