"""One entry per thing a user does, shared by the CLI and the app (neither goes below it).

Each operation validates its input, does its work in one transaction, writes its export-log
line where it writes a file, and returns an `OpResult`: the value, the `Changes` it made
(which cases, encounters, follow-ups, settings) and, for journal edits, an `UndoStep` that
puts the rows back as they were. The app runs operations through one helper
(svjournal/ui/op_runner.py) that turns errors into words once, keeps the undo history and
tells every page what changed, so that no caller re-opens its page by hand.

The model is Anki's `CollectionOp` / `OpChanges` (qt/aqt/operations).
"""

from svjournal.operations.changes import Changes
from svjournal.operations.result import OpResult
from svjournal.operations.undo import UndoHistory, UndoStep

__all__ = ["Changes", "OpResult", "UndoHistory", "UndoStep"]
