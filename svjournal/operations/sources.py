"""What the front ends read from an unlocked vault, without holding its database.

The app and the command line get the journal service (`open_journal`) and, for figures, a
data source: this journal's own (`JournalData`) or the merged team data (`TeamData`). A
source answers queries with dataclasses (the dashboard's figures, a programme report, a
case's trajectory); the engine behind it never leaves this layer. Every query may run on a
worker thread, and the database is looked up when the query runs, so a source made while
the vault was unlocked simply refuses (VaultLocked) once it is locked.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from svjournal.core.journal import Journal
    from svjournal.core.policy import Policy
    from svjournal.core.stats_model import Dashboard, StatsFilter, TrajectoryPoint
    from svjournal.core.vault import Vault
    from svjournal.reports.model import ProgrammeReport
    from svjournal.reports.programme import ReportRequest


def open_journal(vault: Vault, policy: Policy | None = None) -> Journal:
    """The journal service over an unlocked vault (the IT policy read now unless given)."""
    from svjournal.core.journal import Journal

    return Journal(vault.engine, policy=policy)


class DataSource(ABC):
    """Where figures come from: the charts and the programme report take one of these."""

    @abstractmethod
    def database(self) -> Engine:
        """The database behind the figures (for this layer and the tests, not the front ends)."""

    def dashboard(self, filt: StatsFilter, *, today: date | None = None) -> Dashboard:
        """Every figure of the Charts view for `filt` (core/stats.py)."""
        from svjournal.core import stats

        return stats.dashboard(self.database(), filt, today=today)

    def report(self, request: ReportRequest, *, today: date | None = None) -> ProgrammeReport:
        """The programme report for `request` (reports/programme.py)."""
        from svjournal.reports.programme import build_report

        return build_report(self.database(), request, today=today)


class JournalData(DataSource):
    """This journal's own records."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def database(self) -> Engine:
        return self._vault.engine  # VaultLocked once locked

    def case_trajectory(self, case_id: str) -> list[TrajectoryPoint]:
        """The live encounters of one case, oldest first (the case view's stage chart)."""
        from svjournal.core import stats

        return stats.case_trajectory(self.database(), case_id)


class TeamData(DataSource):
    """The merged team data: every supporter's imported records as one journal-shaped
    database in memory (reports/team.py), built once on demand, on whichever thread asks
    first, and kept until the team data changes or the journal locks (`invalidate`)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._state = threading.Lock()  # held briefly, so the GUI thread never waits on a build
        self._build = threading.Lock()  # one build at a time
        self._built: Engine | None = None
        self._generation = 0

    def database(self) -> Engine:
        """The merged copy, built if needed (called on worker threads: charts, report)."""
        from svjournal.reports.team import team_engine

        with self._build:
            with self._state:
                if self._built is not None:
                    return self._built
                generation = self._generation
            built = team_engine(self._vault.engine)
            with self._state:
                if generation == self._generation:
                    self._built = built
            # Built from data that changed meanwhile: this caller uses it; the next builds anew.
            return built

    @property
    def is_built(self) -> bool:
        with self._state:
            return self._built is not None

    def invalidate(self) -> None:
        """The team data changed (or the journal locks): drop the merged copy."""
        from svjournal.reports.team import dispose_team_engine

        with self._state:
            self._generation += 1
            old, self._built = self._built, None
        if old is not None:
            dispose_team_engine(old)  # queries still running keep their own connection
