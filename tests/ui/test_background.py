"""The background runner: results on the GUI thread, stale ones dropped, failures delivered."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from svjournal.ui import crash_dialog
from svjournal.ui.background import BackgroundRunner


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = BackgroundRunner()
    seen: list[tuple[int, bool]] = []
    gui = QThread.currentThread()

    def work() -> int:
        assert threading.current_thread() is not threading.main_thread()
        return 42

    runner.submit(work, lambda r: seen.append((r, QThread.currentThread() is gui)), print)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(42, True)]
    assert not runner.busy


def test_only_the_newest_request_is_delivered(qtbot: QtBot) -> None:
    runner = BackgroundRunner()
    gate = threading.Event()
    delivered: list[str] = []
    runner.submit(lambda: gate.wait(5) and "old", delivered.append, print)
    runner.submit(lambda: "new", delivered.append, print)
    qtbot.waitUntil(lambda: delivered == ["new"], timeout=5000)
    gate.set()
    qtbot.wait(200)
    assert delivered == ["new"]


def test_failure_is_delivered_not_lost(qtbot: QtBot) -> None:
    runner = BackgroundRunner()
    failures: list[BaseException] = []

    def boom() -> None:
        raise ValueError("no")

    runner.submit(boom, lambda r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ValueError)
    # Unexpected (a bug, not a typed error): also logged and shown, as in a slot.
    assert crash_dialog.open_dialog() is not None
    crash_dialog.close_open_dialog()


def test_runner_deleted_while_a_task_runs(qtbot: QtBot) -> None:
    runner = BackgroundRunner()
    gate = threading.Event()
    finished = threading.Event()

    def slow() -> str:
        gate.wait(5)
        finished.set()
        return "late"

    runner.submit(slow, lambda r: None, print)
    runner.deleteLater()
    QApplication.processEvents()
    del runner
    gate.set()
    assert finished.wait(5)
    qtbot.wait(200)  # the late result has nowhere to go, and nothing raises


def test_a_task_finishing_after_its_relay_is_gone_is_quiet(qtbot: QtBot, capfd: object) -> None:
    """At quit the interpreter deletes Qt objects while a pool thread may still be drawing:
    the late result has nowhere to go, and no traceback is printed."""
    import shiboken6

    runner = BackgroundRunner()
    gate = threading.Event()
    delivered = threading.Event()

    def slow() -> str:
        gate.wait(5)
        return "late"

    runner.submit(slow, lambda r: None, print)
    relay = runner._relay
    relay.destroyed.connect(lambda: delivered.set())
    shiboken6.delete(relay)
    gate.set()
    assert runner._pool.waitForDone(5000)
    qtbot.wait(50)
    err = capfd.readouterr().err  # type: ignore[attr-defined]
    assert "Signal source has been deleted" not in err and "Traceback" not in err, err
