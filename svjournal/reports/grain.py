"""Months, quarters or years: the grain of the report's tables by time.

A table by time lists every month of the period, busy or not (a list of only the busy ones
would tell when someone was supported). With small-count suppression on, a modest
programme's months can be mostly "<5" and "c": the report then shows calendar quarters,
then years, and when even years would be mostly hidden it leaves the tables by time out
(the rule, said in the report's definitions too). "Mostly hidden": more than half of the
rows would hide their number of encounters (fewer than t people in them) — what the reader
sees, never the hidden values, so the choice of grain itself reveals nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum

from svjournal.core.i18n import N_
from svjournal.core.stats_model import (
    Dashboard,
    MonthlyEncounters,
    MonthlyFollowUps,
    MonthStageCount,
    Period,
)
from svjournal.reports.model import CellState, ReportTable


class Grain(Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# The report's tables with a row per month (quarter, year).
TIME_TABLES = ("encounters_by_month", "encounters_by_stage", "follow_ups_by_month")
# The cells the rule looks at: each row's encounters in the table of encounters (the
# column's stable key, the same in every language).
RULE_TABLE, RULE_COLUMN = "encounters_by_month", "all_encounters"

# Messages (N_): translated where the report shows them.
GRAIN_RULE = N_(
    "Tables by time list every month of the period. When more than half of the months "
    "would hide their number of encounters (made of fewer than the threshold of people), "
    "they show calendar quarters instead; then calendar years; and when even most years "
    "would hide it, the tables by time are left out."
)
GRAIN_NOTES = {
    Grain.MONTH: "",
    Grain.QUARTER: N_("By quarter: by month, most months would have hidden their encounters."),
    Grain.YEAR: N_(
        "By year: by month or by quarter, most rows would have hidden their encounters."
    ),
}
WITHHELD_NOTE = N_(
    "The tables by time are left out: even by year, most rows would hide their number of "
    "encounters (fewer people than the small-count threshold)."
)


def quarter_of(month: str) -> str:
    """'2026-08' → '2026-Q3' (a month key of the dashboard, 'YYYY-MM…')."""
    year, mon = month[:4], int(month[5:7])
    return f"{year}-Q{(mon - 1) // 3 + 1}"


def year_of(month: str) -> str:
    return month[:4]


def key_of(grain: Grain) -> Callable[[str], str]:
    if grain is Grain.QUARTER:
        return quarter_of
    if grain is Grain.YEAR:
        return year_of
    return lambda month: month[:7]


def is_quarter(code: str) -> bool:
    return len(code) == 7 and code[:4].isdigit() and code[4:6] == "-Q" and code[6] in "1234"


def quarter_label(quarter: str) -> str:
    """'2026-Q3' → 'Q3 2026' (in English; as the language writes a quarter, from CLDR)."""
    from babel.dates import format_skeleton

    from svjournal.core import locale_format

    first = date(int(quarter[:4]), (int(quarter[6]) - 1) * 3 + 1, 1)
    return format_skeleton("yQQQ", first, locale=locale_format.locale())


def time_keys(period: Period, grain: Grain) -> list[str]:
    """Every month (quarter, year) the period touches, in order: the rows of a time table."""
    keys: list[str] = []
    day = date(period.start.year, period.start.month, 1)
    while day <= period.end:
        key = key_of(grain)(day.isoformat()[:7])
        if key not in keys:
            keys.append(key)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return keys


def mostly_hidden(tables: Iterable[ReportTable]) -> bool:
    """Whether more than half of the rows of the table of encounters by time hide their
    number of encounters."""
    for table in tables:
        if table.key != RULE_TABLE or not table.rows:
            continue
        j = table.keys().index(RULE_COLUMN)
        hidden = sum(
            row.cells[j].state in (CellState.SMALL, CellState.PROTECTED) for row in table.rows
        )
        return hidden * 2 > len(table.rows)
    return False


def regroup(dash: Dashboard, grain: Grain) -> Dashboard:
    """The dashboard with its monthly figures summed per quarter or year."""
    if grain is Grain.MONTH:
        return dash
    key = key_of(grain)
    monthly: dict[str, list[float]] = {}
    for m in dash.monthly:
        sums = monthly.setdefault(key(m.month), [0, 0, 0, 0.0])
        for k, value in enumerate((m.individual, m.group, m.group_attendees, m.hours)):
            sums[k] += value
    stages: dict[tuple[str, int | None], int] = {}
    for ms in dash.month_stage:
        stages[(key(ms.month), ms.stage)] = stages.get((key(ms.month), ms.stage), 0) + ms.encounters
    follow_ups: dict[str, list[int]] = {}
    for f in dash.follow_up_months:
        counts = follow_ups.setdefault(key(f.month), [0, 0, 0, 0])
        for k, value in enumerate((f.due, f.on_time, f.late, f.missed)):
            counts[k] += value
    return dataclasses.replace(
        dash,
        monthly=[
            MonthlyEncounters(q, int(v[0]), int(v[1]), int(v[2]), v[3])
            for q, v in sorted(monthly.items())
        ],
        month_stage=[MonthStageCount(q, stage, n) for (q, stage), n in stages.items()],
        follow_up_months=[MonthlyFollowUps(q, *c) for q, c in sorted(follow_ups.items())],
    )


def by_quarter(dash: Dashboard) -> Dashboard:
    """The dashboard with its monthly figures summed per calendar quarter (keys 'YYYY-Qn')."""
    return regroup(dash, Grain.QUARTER)
