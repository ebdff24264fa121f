"""Reminders that name no one: follow-up counts for the navigation and the system tray.

`Reminders` keeps only the due days of planned follow-ups (no names, no case ids), so the
counts stay right across midnight even while the journal is locked; it recounts at the next
local midnight and whenever the workspace hands it fresh days (after every change).
`ReminderTray` shows them where the platform has a system tray: an icon, a notification when
follow-ups become due ("2 follow-ups due today"), Snooze, and nothing at all without a tray.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

from svjournal.core.i18n import ntr, tr

SNOOZE_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class DueCounts:
    overdue: int = 0
    today: int = 0

    @property
    def due(self) -> int:
        """What is waiting to be done now: overdue and due today."""
        return self.overdue + self.today


def count_due(days: Sequence[date], today: date) -> DueCounts:
    return DueCounts(
        overdue=sum(1 for d in days if d < today), today=sum(1 for d in days if d == today)
    )


def reminder_text(counts: DueCounts) -> str:
    """The notification's words: counts only, never a pseudonym."""
    locale = QLocale()
    parts = []
    if counts.today:
        today = ntr("{n} follow-up due today", "{n} follow-ups due today", counts.today)
        parts.append(today.format(n=locale.toString(counts.today)))
    if counts.overdue:
        overdue = ntr("{n} follow-up overdue", "{n} follow-ups overdue", counts.overdue)
        parts.append(overdue.format(n=locale.toString(counts.overdue)))
    return ", ".join(parts) or tr("No follow-ups due")


def ms_to_next_midnight(now: datetime) -> int:
    midnight = datetime.combine(now.date() + timedelta(days=1), time())
    # A second past midnight: a timer firing a hair early would count the old day again.
    return int((midnight - now).total_seconds() * 1000) + 1000


class Reminders(QObject):
    """The due days and their counts; `changed` carries DueCounts after every recount."""

    changed = Signal(object)
    day_started = Signal()  # the local date moved on (midnight, or waking from sleep)

    def __init__(
        self, clock: Callable[[], datetime] = datetime.now, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._days: list[date] = []
        self._today = clock().date()
        self.counts = DueCounts()
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        # A coarse timer may fire up to 5 % late: an hour past midnight on a long interval.
        self._midnight.setTimerType(Qt.TimerType.PreciseTimer)
        self._midnight.timeout.connect(self._at_midnight)
        self._arm()

    def set_days(self, days: Sequence[date]) -> None:
        self._days = sorted(days)
        self.recount()

    def recount(self) -> None:
        self.counts = count_due(self._days, self._clock().date())
        self.changed.emit(self.counts)

    def _arm(self) -> None:
        self._midnight.start(ms_to_next_midnight(self._clock()))

    def _at_midnight(self) -> None:
        today = self._clock().date()
        self._arm()
        if today != self._today:
            self._today = today
            self.recount()
            self.day_started.emit()


class ReminderTray(QObject):
    """The tray icon and its notifications; inert where `available()` says there is no tray.

    `available` is injectable: the offscreen platform has no tray, and tests drive both paths.
    """

    open_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        reminders: Reminders,
        available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reminders = reminders
        self._clock = clock
        self.available = bool(available())
        self.enabled = False
        self.snoozed_until: datetime | None = None
        self._notified: tuple[date, DueCounts] | None = None  # what was last announced
        self.icon: QSystemTrayIcon | None = None
        self.last_message: str | None = None
        self._snooze_timer = QTimer(self)
        self._snooze_timer.setSingleShot(True)
        self._snooze_timer.timeout.connect(self._snooze_over)
        reminders.changed.connect(self._update)
        reminders.day_started.connect(self._new_day)

    @property
    def active(self) -> bool:
        """Shown: a tray exists and reminders are switched on."""
        return self.icon is not None and self.icon.isVisible()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not (enabled and self.available):
            if self.icon is not None:
                self.icon.hide()
            return
        if self.icon is None:
            self.icon = self._make_icon()
        self.icon.show()
        self._update(self._reminders.counts)

    def retranslate(self) -> None:
        """The icon's menu and tooltip again, in the language now spoken."""
        if self.icon is None:
            return
        self.icon.hide()
        self.icon.deleteLater()
        self.icon = None
        self.set_enabled(self.enabled)

    def snooze(self, length: timedelta | None) -> None:
        """No notification for `length` (None: until tomorrow); the icon stays."""
        now = self._clock()
        until = (
            now + length
            if length is not None
            else datetime.combine(now.date(), time()) + timedelta(days=1)
        )
        self.snoozed_until = until
        self._snooze_timer.start(max(0, int((until - now).total_seconds() * 1000)))

    def _make_icon(self) -> QSystemTrayIcon:
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else None
        icon = (
            style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            if style is not None
            else QIcon()
        )
        tray = QSystemTrayIcon(icon, self)
        menu = QMenu()
        for text, slot in (
            (tr("Open the journal"), self.open_requested.emit),
            (tr("Snooze for 1 hour"), lambda: self.snooze(SNOOZE_HOUR)),
            (tr("Snooze until tomorrow"), lambda: self.snooze(None)),
            (tr("Quit"), self.quit_requested.emit),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        self._menu = menu  # the tray does not own its menu
        tray.setContextMenu(menu)
        tray.activated.connect(
            lambda reason: (
                self.open_requested.emit()
                if reason == QSystemTrayIcon.ActivationReason.Trigger
                else None
            )
        )
        return tray

    def _update(self, counts: DueCounts) -> None:
        if self.icon is None:
            return
        # Translators: the tray icon's tooltip; {reminders} is e.g. "2 follow-ups due today".
        tip = tr("Peer support journal — {reminders}")
        self.icon.setToolTip(tip.format(reminders=reminder_text(counts)))
        self._maybe_notify(counts)

    def _new_day(self) -> None:
        if self.snoozed_until is not None and self.snoozed_until <= self._clock():
            self.snoozed_until = None
        self._maybe_notify(self._reminders.counts)

    def _snooze_over(self) -> None:
        self.snoozed_until = None
        self._notified = None  # still due after the snooze: say it again
        self._maybe_notify(self._reminders.counts)

    def _maybe_notify(self, counts: DueCounts) -> None:
        """Announce when follow-ups become due: once a day, again when more fall due."""
        if not self.active or counts.due == 0:
            return
        now = self._clock()
        if self.snoozed_until is not None and now < self.snoozed_until:
            return
        today = now.date()
        if self._notified is not None:
            day, told = self._notified
            if day == today and counts.today <= told.today and counts.overdue <= told.overdue:
                return
        self._notified = (today, counts)
        self.last_message = reminder_text(counts)
        assert self.icon is not None
        self.icon.showMessage(
            tr("Follow-ups"), self.last_message, QSystemTrayIcon.MessageIcon.Information, 10_000
        )
