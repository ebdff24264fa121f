"""Months or quarters: the grain of the report's tables by time.

With small-count suppression on, a modest programme's monthly tables can be mostly "<5"
and "c": the figures are there, but no month shows them. The report then shows its tables
by time per calendar quarter instead (the rule, said in the report's definitions too):
when, by month, more than half of the non-zero counts of those tables would be hidden.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from svjournal.core.stats_model import (
    Dashboard,
    MonthlyEncounters,
    MonthlyFollowUps,
    MonthStageCount,
)
from svjournal.reports.model import ReportTable
from svjournal.reports.tables import TableSpec

# The report's tables with a row per month.
TIME_TABLES = ("encounters_by_month", "encounters_by_stage", "follow_ups_by_month")

GRAIN_RULE = (
    "Tables by time show months; when, by month, more than half of their non-zero counts "
    "would be hidden by small-count suppression, they show calendar quarters instead."
)
QUARTER_NOTE = "By quarter: by month, more than half of the non-zero counts would have been hidden."


def quarter_of(month: str) -> str:
    """'2026-08' → '2026-Q3' (a month key of the dashboard, 'YYYY-MM…')."""
    year, mon = month[:4], int(month[5:7])
    return f"{year}-Q{(mon - 1) // 3 + 1}"


def is_quarter(code: str) -> bool:
    return len(code) == 7 and code[:4].isdigit() and code[4:6] == "-Q" and code[6] in "1234"


def quarter_label(quarter: str) -> str:
    """'2026-Q3' → 'Q3 2026'."""
    return f"{quarter[5:]} {quarter[:4]}"


def mostly_hidden(specs: Sequence[TableSpec], tables: Iterable[ReportTable]) -> bool:
    """Whether more than half of the non-zero counts of the tables by time are hidden.

    Counts are the cells of each block and its row totals (the figures a month's row
    shows); the true values come from the specs, what is shown from the rendered tables.
    """
    rendered = {table.key: table for table in tables}
    nonzero = hidden = 0
    for spec in specs:
        table = rendered.get(spec.key)
        if spec.key not in TIME_TABLES or table is None:
            continue
        for i, row in enumerate(table.rows):
            column = 0
            for block in spec.blocks:
                values = list(block.values[i])
                if block.row_total is not None:
                    values.append(sum(values))
                for offset, value in enumerate(values):
                    if value:
                        nonzero += 1
                        hidden += not row.cells[column + offset].published
                column += len(values)
    return hidden * 2 > nonzero


def by_quarter(dash: Dashboard) -> Dashboard:
    """The dashboard with its monthly figures summed per calendar quarter (keys 'YYYY-Qn')."""
    monthly: dict[str, list[float]] = {}
    for m in dash.monthly:
        sums = monthly.setdefault(quarter_of(m.month), [0, 0, 0, 0.0])
        for k, value in enumerate((m.individual, m.group, m.group_attendees, m.hours)):
            sums[k] += value
    stages: dict[tuple[str, int | None], int] = {}
    for ms in dash.month_stage:
        key = (quarter_of(ms.month), ms.stage)
        stages[key] = stages.get(key, 0) + ms.encounters
    follow_ups: dict[str, list[int]] = {}
    for f in dash.follow_up_months:
        counts = follow_ups.setdefault(quarter_of(f.month), [0, 0, 0, 0])
        for k, value in enumerate((f.due, f.on_time, f.late, f.missed)):
            counts[k] += value
    return dataclasses.replace(
        dash,
        monthly=[
            MonthlyEncounters(q, int(v[0]), int(v[1]), int(v[2]), v[3])
            for q, v in sorted(monthly.items())
        ],
        month_stage=[
            MonthStageCount(q, stage, n)
            for (q, stage), n in sorted(stages.items(), key=lambda kv: (kv[0][0], _stage(kv)))
        ],
        follow_up_months=[MonthlyFollowUps(q, *c) for q, c in sorted(follow_ups.items())],
    )


def _stage(item: tuple[tuple[str, int | None], int]) -> int:
    stage = item[0][1]
    return -1 if stage is None else stage
