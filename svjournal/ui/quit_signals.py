"""Ctrl+C (SIGINT) and SIGTERM close the journal as closing its window does.

Python runs a signal handler only between bytecodes, and the Qt event loop runs none while it
waits: the C-level handler writes to a socket (`signal.set_wakeup_fd`) that a QSocketNotifier
watches, so the loop wakes, Python runs the handler, and the handler queues the close.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class QuitOnSignal(QObject):
    """While installed, SIGINT and SIGTERM call `close` (once) from the event loop."""

    def __init__(self, close: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.close = close
        self._closing = False
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {s: signal.signal(s, self._handle) for s in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        # The handler itself has run by now (Python code is running); empty the socket.
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self._closing:
            return  # a second Ctrl+C while the backup on closing runs changes nothing
        self._closing = True
        log.info("%s received: closing the journal", signal.Signals(signum).name)
        QTimer.singleShot(0, self.close)

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
