"""What every operation returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from svjournal.operations.changes import Changes
from svjournal.operations.undo import UndoStep

T_co = TypeVar("T_co", covariant=True)  # an OpResult[CaseRecord] is an OpResult[object]


@dataclass(frozen=True)
class OpResult(Generic[T_co]):
    """An operation's value, what it changed, and the step that undoes it (None: cannot)."""

    value: T_co
    changes: Changes
    undo: UndoStep | None = None
