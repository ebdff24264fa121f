"""Auto-lock: after idle time, on OS suspend/screen lock, and after a wall-clock jump.

An idle QTimer does not tick through a suspend, so every check also compares wall-clock
time with the last user input.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(
        self,
        minutes: float,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._limit_s = minutes * 60
        self._last_input = clock()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            app.applicationStateChanged.connect(self._state_changed)  # type: ignore[attr-defined]

    def set_minutes(self, minutes: float) -> None:
        self._limit_s = minutes * 60

    def set_limit_seconds(self, seconds: float) -> None:
        """For tests: a short timeout."""
        self._limit_s = seconds
        self._timer.setInterval(max(50, int(seconds * 250)))

    def start(self) -> None:
        self._last_input = self._clock()
        self._armed = True
        self._timer.start()

    def stop(self) -> None:
        self._armed = False
        self._timer.stop()

    def check(self) -> None:
        if self._armed and self._clock() - self._last_input >= self._limit_s:
            self.stop()
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            # A suspend can end with a mouse move: check the gap before counting the input.
            self.check()
            self._last_input = self._clock()
        return False

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        # Qt reports suspend / screen lock on some platforms as the app going inactive or
        # suspended; on becoming active again, the wall-clock check catches a long gap.
        if state == Qt.ApplicationState.ApplicationSuspended:
            if self._armed:
                self.stop()
                self.idle.emit()
        elif state == Qt.ApplicationState.ApplicationActive:
            self.check()
