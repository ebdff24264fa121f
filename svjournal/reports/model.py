"""The shape of a programme report, after small-count suppression (no logic, no I/O).

Every writer (PDF, XLSX, CSV) and the Reports view's preview render one `ProgrammeReport`;
none of them sees an unsuppressed count, so none of them can leak one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal

from svjournal.core.i18n import N_, tr
from svjournal.core.stats_model import Period

# What a published figure is, so that each writer can keep it machine-readable where it is
# data (an XLSX number cell, a plain CSV number) while `text` is written as the language
# writes it ("1,234.5" / "1.234,5"). "" for a cell that says nothing of its kind (the
# XLSX writer then reads the number back from `text`).
FigureKind = Literal["", "count", "decimal", "percent", "hours", "days"]


class CellState(Enum):
    PUBLISHED = "published"
    SMALL = "small"  # primary suppression: 0 < count < threshold, shown as "<N"
    PROTECTED = "protected"  # complementary suppression: hidden so a small count stays hidden
    NOT_APPLICABLE = "n/a"  # a rate without a denominator, a median without data


CONFIDENTIALITY = N_("Confidential — de-identified aggregate report. Not a medical record.")


class _Translated:
    """A class constant read in the current language (`ProgrammeReport.CONFIDENTIALITY`)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return tr(self.message)


@dataclass(frozen=True)
class Cell:
    """One published figure. `value` is None unless the state is PUBLISHED."""

    state: CellState
    value: int | float | None
    text: str  # what every format shows, in the report's language: "12", "<5", "c", "38%"
    kind: FigureKind = ""  # what `value` is: a count, a fraction shown as a percentage, …

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
    # A stable id per column, the same in every language (CSV metrics, lookups); () for a
    # hand-built table: then made from the headings.
    column_keys: tuple[str, ...] = ()

    def keys(self) -> tuple[str, ...]:
        """The columns' stable ids, unique within the table ('encounters', 'on_time')."""
        if len(self.column_keys) == len(self.columns):
            return self.column_keys
        return unique_slugs(self.columns)


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
    # A stable id per definition, the same in every language (the CSV's metric); () for a
    # hand-built report: then made from the terms.
    definition_keys: tuple[str, ...] = ()

    CONFIDENTIALITY = _Translated(CONFIDENTIALITY)  # in the language spoken when read

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def slug(text: str) -> str:
    """'On time (%)' → 'on_time'; a heading with no letters or digits → 'value'."""
    words = re.findall(r"[0-9a-z]+", text.casefold())
    return "_".join(words) or "value"


def unique_slugs(headings: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for heading in headings:
        base = slug(heading)
        name, n = base, 2
        while name in out:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return tuple(out)
