"""Whether anything was written to an unlocked vault since a given moment.

Every write of the app goes through the vault's one engine (one process per vault), so
watching its statements is enough to know whether a backup on closing would hold anything
new, and when a burst of writes has been committed (what the app refreshes its counts on).
The callback runs on whichever thread committed, inside the commit: it must only hand over
(e.g. emit a queued signal), never read the journal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from svjournal.core.vault import Vault

_WRITES = ("INSERT", "UPDATE", "DELETE")


class WriteWatch:
    """`changed`: a write since `watch` (or since the caller last set it False)."""

    def __init__(self, on_commit: Callable[[], None] | None = None) -> None:
        self.changed = False
        self._wrote = False  # a write since the last commit
        self._on_commit = on_commit

    def watch(self, vault: Vault) -> None:
        """Start watching the unlocked vault's database (again after each unlock: every
        unlock makes a new engine); `changed` starts False."""
        from sqlalchemy import event

        engine = vault.engine
        self.changed = False
        self._wrote = False
        if not event.contains(engine, "before_cursor_execute", self._note_write):
            event.listen(engine, "before_cursor_execute", self._note_write)
        if not event.contains(engine, "commit", self._note_commit):
            event.listen(engine, "commit", self._note_commit)

    def _note_write(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in _WRITES:
            self.changed = True
            self._wrote = True

    def _note_commit(self, _conn: Any) -> None:
        if self._wrote:
            self._wrote = False
            if self._on_commit is not None:
                self._on_commit()
