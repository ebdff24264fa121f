"""Run a callable on the thread pool and get its result back on the GUI thread.

Widgets are never touched off the GUI thread: the worker only computes; the result arrives
through a queued signal. A newer request makes older results stale, and they are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from svjournal.ui import crash_dialog

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)


class _Task(QRunnable):
    def __init__(self, generation: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._generation, self._work, self._relay = generation, work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._deliver("failed", exc)
            return
        self._deliver("done", result)

    def _deliver(self, signal: str, value: object) -> None:
        try:
            getattr(self._relay, signal).emit(self._generation, value)
        except RuntimeError:
            # The relay is gone: the app is quitting and Python deletes Qt objects while this
            # pool thread was still working. Nobody is left to show the result to.
            log.debug("a background result arrived after its receiver was deleted")


class BackgroundRunner(QObject):
    """One stream of requests (e.g. the dashboard): only the newest result is delivered."""

    started = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        # No parent: the relay must outlive this runner while a task may still emit on it
        # (each task holds a reference); created here, it lives on the GUI thread.
        self._relay = _Relay()
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._generation = 0
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> int:
        self._generation += 1
        self._pending = {self._generation: (on_done, on_failed)}  # older ones are now stale
        self.started.emit()
        self._pool.start(_Task(self._generation, work, self._relay))
        return self._generation

    def cancel(self) -> None:
        """Forget every pending request (e.g. on lock): their results will be dropped."""
        self._generation += 1
        self._pending = {}
        self.finished.emit()

    def _done(self, generation: int, result: object) -> None:
        callbacks = self._pending.pop(generation, None)
        if callbacks is None:
            return
        self.finished.emit()
        callbacks[0](result)

    def _failed(self, generation: int, exc: object) -> None:
        callbacks = self._pending.pop(generation, None)
        assert isinstance(exc, BaseException)
        if callbacks is None:
            unexpected = None if crash_dialog.is_expected(exc) else exc
            log.info("a stale background task failed: %s", exc, exc_info=unexpected)
            return
        self.finished.emit()
        callbacks[1](exc)
        # A bug is shown and logged like one escaping a slot, also where the caller only
        # tidied up (reported once: a caller passing it to errors.show_error did it already).
        if not crash_dialog.is_expected(exc):
            crash_dialog.report(exc)
