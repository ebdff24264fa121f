"""The programme report's tables by time: encounters, encounters by stage, follow-ups.

Each lists every month (quarter, year) of the period, busy or not, with the people behind
each figure (`People`, counted per month, quarter and year by `stats`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from svjournal.charts.labels import parse_month
from svjournal.core import vocab
from svjournal.core.stats_model import Dashboard, People
from svjournal.reports import grain as grains
from svjournal.reports.model import Cell, CellState
from svjournal.reports.suppression import Var
from svjournal.reports.tables import Block, TableSpec, not_applicable, protected

STAGE_CODES: tuple[int | None, ...] = (*vocab.STAGES.codes(), None)


def people_map(
    cells: Sequence[Sequence[int]],
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
    grand: int | None = None,
) -> dict[Var, int]:
    """The people behind a block's figures, by variable (cells, row and column totals)."""
    out: dict[Var, int] = {}
    for i, row in enumerate(cells):
        for j, n in enumerate(row):
            out[("x", i, j)] = n
    for i, n in enumerate(rows or ()):
        out[("rt", i)] = n
    for j, n in enumerate(columns or ()):
        out[("ct", j)] = n
    if grand is not None:
        out[("g",)] = grand
    return out


def time_label(key: str) -> str:
    """'Aug 2026', 'Q3 2026' or '2026' for a month, quarter or year key."""
    if grains.is_quarter(key):
        return grains.quarter_label(key)
    if len(key) == 4:
        return key
    return parse_month(key).strftime("%b %Y")


@dataclass(frozen=True)
class _TimeAxis:
    """The rows every table by time shares: one per month (quarter, year) of the period."""

    keys: list[str]
    per: str  # "month", "quarter" or "year"
    note_tail: str  # what the grain adds to each table's note

    @property
    def unit(self) -> str:
        return self.per.capitalize()

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(time_label(k), k) for k in self.keys]

    def shared_totals(self) -> dict[Var, str]:
        """Row totals that are the same figure in every table by time: the period's."""
        return {("rt", i): f"month:{k}" for i, k in enumerate(self.keys)}


def time_specs(dash: Dashboard, people: People, scope: Any) -> list[TableSpec]:
    """The tables by time at `scope.grain` (`dash` regrouped to it); `scope` is a
    `programme_tables.Scope`."""
    note = grains.GRAIN_NOTES[scope.grain]
    axis = _TimeAxis(
        grains.time_keys(scope.period, scope.grain),
        scope.grain.value,
        f" {note}" if note else "",
    )
    kinds = [people.encounters.get(k, (0, 0, 0)) for k in axis.keys]
    return [
        _encounters(axis, dash, people, kinds),
        _by_stage(axis, dash, people, kinds),
        _follow_ups(axis, dash, people),
    ]


def _encounters(
    axis: _TimeAxis, dash: Dashboard, people: People, kinds: list[tuple[int, int, int]]
) -> TableSpec:
    monthly = {m.month: m for m in dash.monthly}

    def month_values(k: str) -> tuple[int, int, int, float]:
        m = monthly.get(k)
        return (0, 0, 0, 0.0) if m is None else (m.individual, m.group, m.group_attendees, m.hours)

    values = [month_values(k) for k in axis.keys]
    return TableSpec(
        "encounters_by_month",
        f"Encounters per {axis.per}",
        axis.unit,
        axis.rows,
        [
            Block(
                ["Individual", "Group"],
                [[v[0], v[1]] for v in values],
                row_total="All encounters",
                shared={("g",): "encounters"} | axis.shared_totals(),
                people=people_map(
                    [[p[0], p[1]] for p in kinds],
                    rows=[p[2] for p in kinds],
                    columns=people.encounter_kinds[:2],
                    grand=people.encounter_kinds[2],
                ),
            ),
            Block(
                ["Group attendees"],
                [[v[2]] for v in values],
                people=people_map([[p[1]] for p in kinds], columns=[people.encounter_kinds[1]]),
            ),
        ],
        derived=[("Hours", _hours_column([v[3] for v in values], 2))],
        note=f"Encounters dated in each {axis.per}; a group encounter counts once, its "
        "attendees separately." + axis.note_tail,
    )


def _by_stage(
    axis: _TimeAxis, dash: Dashboard, people: People, kinds: list[tuple[int, int, int]]
) -> TableSpec:
    by_key: dict[tuple[str, int | None], int] = {
        (ms.month, ms.stage): ms.encounters for ms in dash.month_stage
    }
    return TableSpec(
        "encounters_by_stage",
        f"Encounters by {axis.per} and recovery stage",
        axis.unit,
        axis.rows,
        [
            Block(
                [_stage_heading(s) for s in STAGE_CODES],
                [[by_key.get((k, s), 0) for s in STAGE_CODES] for k in axis.keys],
                row_total="All encounters",
                shared={("g",): "encounters"} | axis.shared_totals(),
                people=people_map(
                    [[people.stages.get((k, s), 0) for s in STAGE_CODES] for k in axis.keys],
                    rows=[p[2] for p in kinds],
                    columns=[people.stage_totals.get(s, 0) for s in STAGE_CODES],
                    grand=people.encounter_kinds[2],
                ),
            )
        ],
        note="Each encounter under the stage tagged in it." + axis.note_tail,
    )


def _follow_ups(axis: _TimeAxis, dash: Dashboard, people: People) -> TableSpec:
    follow = {f.month: f for f in dash.follow_up_months}

    def fu_values(k: str) -> list[int]:
        f = follow.get(k)
        if f is None:
            return [0, 0, 0, 0]
        return [f.on_time, f.late, f.missed, f.due - f.on_time - f.late - f.missed]

    fu_people = [people.follow_ups.get(k, (0, 0, 0, 0, 0)) for k in axis.keys]
    return TableSpec(
        "follow_ups_by_month",
        f"Follow-ups by {axis.per} due",
        axis.unit,
        axis.rows,
        [
            Block(
                ["On time", "Late", "Missed", "Not yet done"],
                [fu_values(k) for k in axis.keys],
                row_total="Due",
                shared={("g",): "follow_ups_due", ("ct", 0): "follow_ups_on_time"},
                people=people_map(
                    [list(p[1:]) for p in fu_people],
                    rows=[p[0] for p in fu_people],
                    columns=people.follow_up_totals[1:],
                    grand=people.follow_up_totals[0],
                ),
            )
        ],
        derived=[("Completion", _completion)],
        note=f"Follow-ups due in the period up to the report date, by the {axis.per} due."
        + axis.note_tail,
    )


def _stage_heading(stage: int | None) -> str:
    return "No stage" if stage is None else f"Stage {stage}"


def _hours_column(
    hours: Sequence[float], total_index: int
) -> Callable[[int | None, list[Cell]], Cell]:
    """Hours of support per month, shown only where the month's encounters are."""

    def column(row: int | None, cells: list[Cell]) -> Cell:
        if not cells[total_index].published:
            return protected()
        value = sum(hours) if row is None else hours[row]
        return Cell(CellState.PUBLISHED, round(value, 1), f"{value:,.1f}")

    return column


def _completion(_row: int | None, cells: list[Cell]) -> Cell:
    """On time / due, shown only when both are."""
    on_time, due = cells[0], cells[4]
    if not (on_time.published and due.published):
        return protected()
    if not due.value:
        return not_applicable()
    rate = float(on_time.value or 0) / float(due.value)
    return Cell(CellState.PUBLISHED, round(rate, 4), f"{rate * 100:.0f} %")
