"""Reminders that name no one: navigation counts (after every change and at midnight), the
tray icon with its notification and snooze where a tray exists, nothing where none does, and
the one-time question on closing with the tray on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.ui.main_window import KEEP_RUNNING_KEY, MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.tray import DueCounts, Reminders, ReminderTray, count_due, ms_to_next_midnight
from svjournal.ui.workspace import PAGES

ALIAS = "QX-REMIND-7781"
TODAY = date.today()


def _case(session: JournalSession) -> str:
    return session.journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", TODAY - timedelta(days=20))
    ).id


def _window(session: JournalSession, qtbot: QtBot, tray: bool) -> MainWindow:
    window = MainWindow(session, tray_available=lambda: tray)
    qtbot.addWidget(window)
    return window


def _nav(window: MainWindow) -> dict[str, str]:
    ws = window.workspace
    assert ws is not None
    return {name: ws.nav.item(i).text() for i, name in enumerate(PAGES)}


def test_counts_by_day() -> None:
    days = [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
    assert count_due(days, TODAY) == DueCounts(overdue=2, today=1)
    assert count_due(days, TODAY + timedelta(days=1)) == DueCounts(overdue=3, today=1)
    assert ms_to_next_midnight(datetime(2026, 12, 3, 23, 59, 0)) == 61_000


def test_navigation_counts_follow_every_change(session: JournalSession, qtbot: QtBot) -> None:
    case_id = _case(session)
    window = _window(session, qtbot, tray=False)
    assert _nav(window)["Today"] == "Today"
    assert _nav(window)["Follow-ups"] == "Follow-ups"
    j = session.journal
    j.schedule_follow_up(case_id, TODAY - timedelta(days=1))
    j.schedule_follow_up(case_id, TODAY)
    qtbot.waitUntil(lambda: _nav(window)["Follow-ups"] == "Follow-ups\n2 due", timeout=2000)
    assert _nav(window)["Today"] == "Today\n1 overdue"
    ws = window.workspace
    assert ws is not None
    item = ws.nav.item(PAGES.index("Today"))
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Today, 1 overdue"
    [late] = j.overdue()
    j.cancel_follow_up(late.id)
    qtbot.waitUntil(lambda: _nav(window)["Today"] == "Today", timeout=2000)
    assert _nav(window)["Follow-ups"] == "Follow-ups\n1 due"
    assert ALIAS not in "".join(_nav(window).values())


def test_midnight_recounts_and_rearms(qtbot: QtBot) -> None:
    now = [datetime(2026, 12, 3, 23, 59, 30)]
    reminders = Reminders(clock=lambda: now[0])
    reminders.set_days([date(2026, 12, 4), date(2026, 12, 10)])
    assert reminders.counts == DueCounts(overdue=0, today=0)
    assert 30_000 <= reminders._midnight.remainingTime() <= 31_000
    seen: list[DueCounts] = []
    reminders.changed.connect(seen.append)
    now[0] = datetime(2026, 12, 4, 0, 0, 1)
    reminders._midnight.timeout.emit()
    assert seen == [DueCounts(overdue=0, today=1)]
    assert reminders._midnight.isActive()  # armed for the next midnight
    assert reminders._midnight.remainingTime() > 23 * 3600 * 1000


def test_without_a_tray_nothing_shows_and_closing_quits(
    session: JournalSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _case(session)
    session.journal.schedule_follow_up(case_id, TODAY)
    window = _window(session, qtbot, tray=False)
    assert window.tray.icon is None and not window.tray.active
    asked: list[bool] = []
    monkeypatch.setattr(window, "ask_keep_running", lambda: asked.append(True) or True)
    window.close()
    assert asked == []  # no tray: no question, the app closes as before
    assert not session.is_unlocked


def test_tray_notifies_counts_only_and_snoozes(session: JournalSession, qtbot: QtBot) -> None:
    case_id = _case(session)
    session.journal.schedule_follow_up(case_id, TODAY)
    window = _window(session, qtbot, tray=True)
    tray = window.tray
    assert tray.active
    qtbot.waitUntil(lambda: tray.last_message is not None, timeout=2000)
    assert tray.last_message == "1 follow-up due today"
    assert tray.icon is not None and ALIAS not in tray.icon.toolTip()
    tray.last_message = None
    session.journal.schedule_follow_up(case_id, TODAY)  # a second one falls due: said again
    qtbot.waitUntil(lambda: tray.last_message == "2 follow-ups due today", timeout=2000)
    tray.snooze(timedelta(hours=1))
    tray.last_message = None
    session.journal.schedule_follow_up(case_id, TODAY - timedelta(days=1))
    qtbot.wait(50)
    assert tray.last_message is None  # snoozed
    tray._snooze_timer.timeout.emit()  # the hour is over
    assert tray.last_message == "2 follow-ups due today, 1 follow-up overdue"
    # Locked, the tray still counts (and never had a name to show).
    window.lock()
    assert tray.active
    assert "2 follow-ups due today" in tray.icon.toolTip()


def test_the_off_switch_in_settings_hides_the_tray(session: JournalSession, qtbot: QtBot) -> None:
    window = _window(session, qtbot, tray=True)
    assert window.tray.active
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(PAGES.index("Settings"))
    assert ws.settings.tray_reminders.isChecked()
    ws.settings.tray_reminders.setChecked(False)
    ws.settings.save()
    assert session.journal.setting("tray_reminders") is False
    assert not window.tray.active


@pytest.fixture
def fresh_answer() -> Iterator[None]:
    QSettings().remove(KEEP_RUNNING_KEY)
    yield
    QSettings().remove(KEEP_RUNNING_KEY)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)  # hiding to the tray turned it off


def test_closing_with_the_tray_asks_once_and_keeps_running(
    session: JournalSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, fresh_answer: None
) -> None:
    window = _window(session, qtbot, tray=True)
    window.show()
    asked: list[bool] = []
    monkeypatch.setattr(window, "ask_keep_running", lambda: asked.append(True) or True)
    window.close()
    assert asked == [True]
    assert not session.is_unlocked  # locked behind the tray
    assert not window.isVisible() and window.tray.active
    window.bring_forward()
    window.close()
    assert asked == [True]  # remembered: not asked again
    assert QSettings().value(KEEP_RUNNING_KEY) == "yes"


def test_answering_no_closes_as_before(
    session: JournalSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, fresh_answer: None
) -> None:
    window = _window(session, qtbot, tray=True)
    hidden: list[bool] = []
    monkeypatch.setattr(window, "_hide_to_tray", lambda event: hidden.append(True))
    monkeypatch.setattr(window, "ask_keep_running", lambda: False)
    window.close()
    assert hidden == []  # closed (and the app told to quit), not kept in the tray
    assert not session.is_unlocked
    assert QSettings().value(KEEP_RUNNING_KEY) == "no"


def test_tray_is_inert_where_unavailable(qtbot: QtBot) -> None:
    tray = ReminderTray(Reminders(), available=lambda: False)
    tray.set_enabled(True)
    assert tray.icon is None and not tray.active
