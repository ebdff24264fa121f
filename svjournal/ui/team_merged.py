"""The Team view's merged database, built once on demand (any thread) until the data changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine


class MergedTeamData:
    """The merged database, built once on demand (any thread) until the team data changes."""

    def __init__(self, vault_engine: Callable[[], Engine]) -> None:
        self._vault_engine = vault_engine
        self._state = threading.Lock()  # held briefly, so the GUI thread never waits on a build
        self._build = threading.Lock()  # one build at a time
        self._engine: Engine | None = None
        self._generation = 0

    def engine(self) -> Engine:
        """Called on worker threads (charts, report): the merged engine, built if needed."""
        from svjournal.reports.team import team_engine

        with self._build:
            with self._state:
                if self._engine is not None:
                    return self._engine
                generation = self._generation
            built = team_engine(self._vault_engine())
            with self._state:
                if generation == self._generation:
                    self._engine = built
            # Built from data that changed meanwhile: this caller uses it; the next builds anew.
            return built

    def invalidate(self) -> None:
        """The team data changed (or the journal locks): drop the merged copy."""
        from svjournal.reports.team import dispose_team_engine

        with self._state:
            self._generation += 1
            old, self._engine = self._engine, None
        if old is not None:
            dispose_team_engine(old)  # queries still running keep their own connection
