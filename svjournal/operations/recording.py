"""Run a journal edit between two snapshots, so that it comes back with its undo step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from svjournal.core import snapshots
from svjournal.core.journal import Journal
from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult
from svjournal.operations.undo import UndoStep

T = TypeVar("T")


def recorded(
    journal: Journal,
    label: str,
    work: Callable[[], T],
    changes: Callable[[T], Changes],
    *,
    case_ids: Sequence[str] = (),
    setting_keys: Sequence[str] = (),
) -> OpResult[T]:
    """Do `work` (one journal transaction) and return its value, changes and undo step."""
    before = journal.capture(case_ids, setting_keys)
    value = work()
    changed = changes(value)
    after = journal.capture(case_ids, setting_keys)
    return OpResult(value, changed, UndoStep(label, before, after, changed))


def recorded_new_case(
    journal: Journal, label: str, work: Callable[[], T], case_id_of: Callable[[T], str]
) -> OpResult[T]:
    """Like `recorded` for work that creates a case: undoing it removes the case again."""
    value = work()
    case_id = case_id_of(value)
    changed = Changes.of(cases=[case_id])
    after = journal.capture([case_id])
    return OpResult(value, changed, UndoStep(label, snapshots.absent([case_id]), after, changed))
