"""The programme report's tables by time: encounters, encounters by stage, follow-ups.

Each lists every month (quarter, year) of the period, busy or not, with the people behind
each figure (`People`, counted per month, quarter and year by `stats`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def time_specs(dash: Dashboard, people: People, scope: Any) -> list[TableSpec]:
    """The tables by time at `scope.grain` (`dash` regrouped to it); `scope` is a
    `programme_tables.Scope`."""
    keys = grains.time_keys(scope.period, scope.grain)
    per = scope.grain.value
    unit = per.capitalize()
    note_tail = f" {grains.GRAIN_NOTES[scope.grain]}" if grains.GRAIN_NOTES[scope.grain] else ""
    rows = [(time_label(k), k) for k in keys]
    monthly = {m.month: m for m in dash.monthly}
    zero = (0, 0, 0)
    kinds = [people.encounters.get(k, zero) for k in keys]

    def month_values(k: str) -> tuple[int, int, int, float]:
        m = monthly.get(k)
        return (0, 0, 0, 0.0) if m is None else (m.individual, m.group, m.group_attendees, m.hours)

    values = [month_values(k) for k in keys]
    out = [
        TableSpec(
            "encounters_by_month",
            f"Encounters per {per}",
            unit,
            rows,
            [
                Block(
                    ["Individual", "Group"],
                    [[v[0], v[1]] for v in values],
                    row_total="All encounters",
                    shared={("g",): "encounters"}
                    | {("rt", i): f"month:{k}" for i, k in enumerate(keys)},
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
            note=f"Encounters dated in each {per}; a group encounter counts once, its "
            "attendees separately." + note_tail,
        )
    ]

    by_key: dict[tuple[str, int | None], int] = {
        (ms.month, ms.stage): ms.encounters for ms in dash.month_stage
    }
    out.append(
        TableSpec(
            "encounters_by_stage",
            f"Encounters by {per} and recovery stage",
            unit,
            rows,
            [
                Block(
                    [_stage_heading(s) for s in STAGE_CODES],
                    [[by_key.get((k, s), 0) for s in STAGE_CODES] for k in keys],
                    row_total="All encounters",
                    shared={("g",): "encounters"}
                    | {("rt", i): f"month:{k}" for i, k in enumerate(keys)},
                    people=people_map(
                        [[people.stages.get((k, s), 0) for s in STAGE_CODES] for k in keys],
                        rows=[p[2] for p in kinds],
                        columns=[people.stage_totals.get(s, 0) for s in STAGE_CODES],
                        grand=people.encounter_kinds[2],
                    ),
                )
            ],
            note="Each encounter under the stage tagged in it." + note_tail,
        )
    )

    follow = {f.month: f for f in dash.follow_up_months}

    def fu_values(k: str) -> list[int]:
        f = follow.get(k)
        if f is None:
            return [0, 0, 0, 0]
        return [f.on_time, f.late, f.missed, f.due - f.on_time - f.late - f.missed]

    fu_people = [people.follow_ups.get(k, (0, 0, 0, 0, 0)) for k in keys]
    out.append(
        TableSpec(
            "follow_ups_by_month",
            f"Follow-ups by {per} due",
            unit,
            rows,
            [
                Block(
                    ["On time", "Late", "Missed", "Not yet done"],
                    [fu_values(k) for k in keys],
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
            note=f"Follow-ups due in the period up to the report date, by the {per} due."
            + note_tail,
        )
    )
    return out


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
