"""The shape of a programme report, after small-count suppression (no logic, no I/O).

Every writer (PDF, XLSX, CSV) and the Reports view's preview render one `ProgrammeReport`;
none of them sees an unsuppressed count, so none of them can leak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from svjournal.core.stats_model import Period


class CellState(Enum):
    PUBLISHED = "published"
    SMALL = "small"  # primary suppression: 0 < count < threshold, shown as "<N"
    PROTECTED = "protected"  # complementary suppression: hidden so a small count stays hidden
    NOT_APPLICABLE = "n/a"  # a rate without a denominator, a median without data


@dataclass(frozen=True)
class Cell:
    """One published figure. `value` is None unless the state is PUBLISHED."""

    state: CellState
    value: int | float | None
    text: str  # what every format shows: "12", "<5", "c", "—", "38 %", "26.5 h"

    @property
    def published(self) -> bool:
        return self.state is CellState.PUBLISHED


@dataclass(frozen=True)
class ReportRow:
    label: str  # human label of the category ("Nurse", "Stage 3 — Restoring personal integrity")
    code: str  # the stable code ("nurse", "3"); "" for a total row
    cells: tuple[Cell, ...]  # one per column of the table


@dataclass(frozen=True)
class ReportTable:
    key: str  # stable id: "by_role", "referrals", … (sheet names, CSV metric prefix)
    title: str
    dimension: str  # heading of the label column ("Role", "Month", …)
    columns: tuple[str, ...]  # headings of the figure columns
    rows: tuple[ReportRow, ...]
    total: ReportRow | None = None  # the published total line, if the table has one
    note: str = ""  # what the table counts, in a sentence


@dataclass(frozen=True)
class KpiLine:
    key: str  # "encounters", "people_reached", …
    label: str
    current: Cell
    previous: Cell
    definition: str


@dataclass(frozen=True)
class ProgrammeReport:
    programme_name: str
    scope: str  # "Your journal" or "Team: 3 supporters"
    period: Period
    previous_period: Period
    generated_at: datetime
    threshold: int  # 0 = suppression off
    departments: tuple[str, ...]  # labels of the departments included; () = all
    kpis: tuple[KpiLine, ...]
    tables: tuple[ReportTable, ...]
    definitions: tuple[tuple[str, str], ...]  # (term, definition), in reading order
    notices: tuple[str, ...] = field(default=())  # e.g. the suppression note

    CONFIDENTIALITY = "Confidential — de-identified aggregate report. Not a medical record."

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)
