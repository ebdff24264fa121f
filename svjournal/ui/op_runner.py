"""The one helper the app runs operations through (see svjournal/operations).

It shows the busy cursor, turns a typed error into words once (a form may take validation
problems itself, to show them under its fields), keeps the session's undo history and
announces what changed, so that every page refreshes from `changed` rather than each caller
reopening its page by hand.

Journal edits take milliseconds, so they run on the GUI thread: the form that asked stays
open until its edit is saved or refused, and no second edit can start in between. Work that
takes seconds (reports, backups, bundles) runs through ui/background.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from svjournal.core.errors import SvJournalError, ValidationError
from svjournal.core.journal import Journal
from svjournal.operations import Changes, OpResult, UndoHistory
from svjournal.ui import errors

T = TypeVar("T")


class OpRunner(QObject):
    changed = Signal(object)  # Changes
    history_changed = Signal()

    def __init__(self, journal: Callable[[], Journal], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self.history = UndoHistory()

    def run(
        self,
        parent: QWidget,
        op: Callable[[Journal], OpResult[T]],
        *,
        on_invalid: Callable[[ValidationError], None] | None = None,
    ) -> OpResult[T] | None:
        """Run `op` on the journal; None when it was refused (and the refusal was shown)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = op(self._journal())
        except ValidationError as exc:
            if on_invalid is None:
                errors.show_error(parent, exc)
            else:
                on_invalid(exc)
            return None
        except SvJournalError as exc:
            errors.show_error(parent, exc)
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.record(result)
        return result

    def record(self, result: OpResult[object]) -> None:
        """An operation run elsewhere (a form's Save): keep its undo step, say what changed."""
        if result.undo is not None:
            self.history.push(result.undo)
            self.history_changed.emit()
        if result.changes:
            self.changed.emit(result.changes)

    def undo(self, parent: QWidget) -> None:
        self._step(parent, self.history.undo)

    def redo(self, parent: QWidget) -> None:
        self._step(parent, self.history.redo)

    def _step(self, parent: QWidget, step: Callable[[Journal], Changes]) -> None:
        try:
            changes = step(self._journal())
        except SvJournalError as exc:
            errors.show_error(parent, exc)
            changes = Changes.of(everything=True)  # what is shown may no longer be so
        finally:
            self.history_changed.emit()
        self.changed.emit(changes)

    def clear(self) -> None:
        """Forget the history (at lock: its snapshots may hold notes and contact details)."""
        self.history.clear()
        self.history_changed.emit()
