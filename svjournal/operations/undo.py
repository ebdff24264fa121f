"""Undo and Redo for the session's last actions, built on snapshots of the rows they touched.

Every undoable operation captures the rows it will touch before and after its work; Undo
puts the "before" rows back, Redo the "after" ones, each only if nothing else changed those
rows meanwhile. The history lives in memory (snapshots may hold notes and contact details)
and the app drops it at lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from svjournal.core.journal import Journal
from svjournal.core.snapshots import Snapshot
from svjournal.operations.changes import Changes

HISTORY_LENGTH = 50  # enough for a session; each step holds a few rows


@dataclass(frozen=True)
class UndoStep:
    label: str  # translated when the step is made ("Close case"); the Edit menu says "Undo …"
    before: Snapshot
    after: Snapshot
    changes: Changes

    def undo(self, journal: Journal) -> Changes:
        journal.put_back(self.before, expected=self.after)
        return self.changes

    def redo(self, journal: Journal) -> Changes:
        journal.put_back(self.after, expected=self.before)
        return self.changes


class UndoHistory:
    """The steps done (newest last) and the steps undone (to redo, newest last)."""

    def __init__(self) -> None:
        self._done: list[UndoStep] = []
        self._undone: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        """A new action: it can be undone, and what was undone before can no longer be redone."""
        self._done.append(step)
        del self._done[:-HISTORY_LENGTH]
        self._undone.clear()

    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def undo(self, journal: Journal) -> Changes:
        """Undo the newest step. If its rows changed meanwhile (InvalidState), the step is
        dropped (it can never apply again) and the error is raised for the caller to show."""
        step = self._done.pop()
        try:
            changes = step.undo(journal)
        except Exception:
            self._undone.clear()
            raise
        self._undone.append(step)
        return changes

    def redo(self, journal: Journal) -> Changes:
        step = self._undone.pop()
        try:
            changes = step.redo(journal)
        except Exception:
            self._undone.clear()
            raise
        self._done.append(step)
        return changes

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
