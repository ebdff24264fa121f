"""What every operation returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from svjournal.operations.changes import Changes
from svjournal.operations.undo import UndoStep

T = TypeVar("T")


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """An operation's value, what it changed, and the step that undoes it (None: cannot)."""

    value: T
    changes: Changes
    undo: UndoStep | None = None
