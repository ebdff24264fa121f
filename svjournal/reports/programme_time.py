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
from svjournal.core.i18n import N_, tr
from svjournal.core.locale_format import format_month
from svjournal.core.stats_model import Dashboard, People
from svjournal.reports import grain as grains
from svjournal.reports.grain import Grain
from svjournal.reports.model import Cell, CellState
from svjournal.reports.suppression import Var
from svjournal.reports.tables import (
    Block,
    TableSpec,
    decimal_text,
    not_applicable,
    percent_text,
    protected,
)

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
    return format_month(parse_month(key))


# Whole sentences per grain (a month, a quarter or a year), never a word glued in.
_UNIT = {Grain.MONTH: N_("Month"), Grain.QUARTER: N_("Quarter"), Grain.YEAR: N_("Year")}
_ENCOUNTERS_TITLE = {
    Grain.MONTH: N_("Encounters per month"),
    Grain.QUARTER: N_("Encounters per quarter"),
    Grain.YEAR: N_("Encounters per year"),
}
_ENCOUNTERS_NOTE = {
    Grain.MONTH: N_(
        "Encounters dated in each month; a group encounter counts once, its attendees separately."
    ),
    Grain.QUARTER: N_(
        "Encounters dated in each quarter; a group encounter counts once, its attendees separately."
    ),
    Grain.YEAR: N_(
        "Encounters dated in each year; a group encounter counts once, its attendees separately."
    ),
}
_STAGE_TITLE = {
    Grain.MONTH: N_("Encounters by month and recovery stage"),
    Grain.QUARTER: N_("Encounters by quarter and recovery stage"),
    Grain.YEAR: N_("Encounters by year and recovery stage"),
}
_FOLLOW_UP_TITLE = {
    Grain.MONTH: N_("Follow-ups by month due"),
    Grain.QUARTER: N_("Follow-ups by quarter due"),
    Grain.YEAR: N_("Follow-ups by year due"),
}
_FOLLOW_UP_NOTE = {
    Grain.MONTH: N_("Follow-ups due in the period up to the report date, by the month due."),
    Grain.QUARTER: N_("Follow-ups due in the period up to the report date, by the quarter due."),
    Grain.YEAR: N_("Follow-ups due in the period up to the report date, by the year due."),
}
ALL_ENCOUNTERS = N_("All encounters")


@dataclass(frozen=True)
class _TimeAxis:
    """The rows every table by time shares: one per month (quarter, year) of the period."""

    keys: list[str]
    grain: Grain
    note_tail: str  # what the grain adds to each table's note

    @property
    def unit(self) -> str:
        return tr(_UNIT[self.grain])

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
        scope.grain,
        f" {tr(note)}" if note else "",
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
        tr(_ENCOUNTERS_TITLE[axis.grain]),
        axis.unit,
        axis.rows,
        [
            Block(
                [tr("Individual"), tr("Group")],
                [[v[0], v[1]] for v in values],
                row_total=tr(ALL_ENCOUNTERS),
                shared={("g",): "encounters"} | axis.shared_totals(),
                people=people_map(
                    [[p[0], p[1]] for p in kinds],
                    rows=[p[2] for p in kinds],
                    columns=people.encounter_kinds[:2],
                    grand=people.encounter_kinds[2],
                ),
                keys=["individual", "group"],
                row_total_key="all_encounters",
            ),
            Block(
                [tr("Group attendees")],
                [[v[2]] for v in values],
                people=people_map([[p[1]] for p in kinds], columns=[people.encounter_kinds[1]]),
                keys=["group_attendees"],
            ),
        ],
        derived=[(tr("Hours"), _hours_column([v[3] for v in values], 2))],
        derived_keys=["hours"],
        note=tr(_ENCOUNTERS_NOTE[axis.grain]) + axis.note_tail,
    )


def _by_stage(
    axis: _TimeAxis, dash: Dashboard, people: People, kinds: list[tuple[int, int, int]]
) -> TableSpec:
    by_key: dict[tuple[str, int | None], int] = {
        (ms.month, ms.stage): ms.encounters for ms in dash.month_stage
    }
    return TableSpec(
        "encounters_by_stage",
        tr(_STAGE_TITLE[axis.grain]),
        axis.unit,
        axis.rows,
        [
            Block(
                [_stage_heading(s) for s in STAGE_CODES],
                [[by_key.get((k, s), 0) for s in STAGE_CODES] for k in axis.keys],
                row_total=tr(ALL_ENCOUNTERS),
                shared={("g",): "encounters"} | axis.shared_totals(),
                people=people_map(
                    [[people.stages.get((k, s), 0) for s in STAGE_CODES] for k in axis.keys],
                    rows=[p[2] for p in kinds],
                    columns=[people.stage_totals.get(s, 0) for s in STAGE_CODES],
                    grand=people.encounter_kinds[2],
                ),
                keys=["no_stage" if s is None else f"stage_{s}" for s in STAGE_CODES],
                row_total_key="all_encounters",
            )
        ],
        note=tr("Each encounter under the stage tagged in it.") + axis.note_tail,
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
        tr(_FOLLOW_UP_TITLE[axis.grain]),
        axis.unit,
        axis.rows,
        [
            Block(
                [tr("On time"), tr("Late"), tr("Missed"), tr("Not yet done")],
                [fu_values(k) for k in axis.keys],
                # Translators: a column heading: the follow-ups due (on time + late + …).
                row_total=tr("Due"),
                shared={("g",): "follow_ups_due", ("ct", 0): "follow_ups_on_time"},
                people=people_map(
                    [list(p[1:]) for p in fu_people],
                    rows=[p[0] for p in fu_people],
                    columns=people.follow_up_totals[1:],
                    grand=people.follow_up_totals[0],
                ),
                keys=["on_time", "late", "missed", "not_yet_done"],
                row_total_key="due",
            )
        ],
        derived=[(tr("Completion"), _completion)],
        derived_keys=["completion"],
        note=tr(_FOLLOW_UP_NOTE[axis.grain]) + axis.note_tail,
    )


def _stage_heading(stage: int | None) -> str:
    if stage is None:
        return tr("No stage")
    # Translators: a column heading, one of the six recovery stages: "Stage 3".
    return tr("Stage {n}").format(n=stage)


def _hours_column(
    hours: Sequence[float], total_index: int
) -> Callable[[int | None, list[Cell]], Cell]:
    """Hours of support per month, shown only where the month's encounters are."""

    def column(row: int | None, cells: list[Cell]) -> Cell:
        if not cells[total_index].published:
            return protected()
        value = sum(hours) if row is None else hours[row]
        return Cell(CellState.PUBLISHED, round(value, 1), decimal_text(value), "decimal")

    return column


def _completion(_row: int | None, cells: list[Cell]) -> Cell:
    """On time / due, shown only when both are."""
    on_time, due = cells[0], cells[4]
    if not (on_time.published and due.published):
        return protected()
    if not due.value:
        return not_applicable()
    rate = float(on_time.value or 0) / float(due.value)
    return Cell(CellState.PUBLISHED, round(rate, 4), percent_text(rate), "percent")
