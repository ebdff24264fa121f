"""The programme report's content: figures from `stats.dashboard`, suppressed, labelled.

`build_report` is the only way to a `ProgrammeReport`; every count passes through
`TableSet` (tables, with complementary suppression) or `cell_for` (a figure on its own),
so no writer ever sees a small count. Rates are published only when both their numerator
and their denominator are; a median only when the cases behind it are not few.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from svjournal.charts.labels import code_label, parse_month, stage_label
from svjournal.core import vocab
from svjournal.core.stats import dashboard
from svjournal.core.stats_model import CodeCount, Dashboard, Kpis, Period, StatsFilter
from svjournal.reports import grain
from svjournal.reports.model import Cell, CellState, KpiLine, ProgrammeReport, ReportTable
from svjournal.reports.suppression import MIN_THRESHOLD
from svjournal.reports.tables import (
    Block,
    TableSet,
    TableSpec,
    cell_for,
    not_applicable,
    protected,
)
from svjournal.reports.terms import DEFINITIONS, KPI_TERMS

__all__ = ["ReportRequest", "build_report", "report_from_dashboard"]


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    programme_name: str
    threshold: int = 5  # 0 = suppression off
    departments: tuple[str, ...] = ()  # department codes; () = all
    department_labels: Mapping[str, str] = field(default_factory=dict)
    scope: str = "Your journal"
    # Team bundles carry days, not times: waits are then whole days, and shown as days.
    days_only: bool = False

    def __post_init__(self) -> None:
        if self.threshold != 0 and not MIN_THRESHOLD <= self.threshold <= 50:
            raise ValueError(f"the small-count threshold is 0 (off) or {MIN_THRESHOLD} to 50")
        if self.period.end < self.period.start:
            raise ValueError("the period ends before it starts")


def build_report(
    engine: Engine,
    request: ReportRequest,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> ProgrammeReport:
    """The report for `request` over the journal (or the team data) behind `engine`."""
    filt = StatsFilter(request.period, departments=request.departments)
    return report_from_dashboard(dashboard(engine, filt, today=today), request, now=now)


def report_from_dashboard(
    dash: Dashboard, request: ReportRequest, *, now: datetime | None = None
) -> ProgrammeReport:
    t = request.threshold
    tables = TableSet(t)
    specs = _specs(dash, request)
    rendered = tables.render(specs)
    if t and grain.mostly_hidden(specs, rendered):
        # By month the tables by time would be mostly "<5" and "c": show quarters instead
        # (a fresh table set, so nothing the monthly attempt hid carries over).
        tables = TableSet(t)
        rendered = tables.render(_specs(grain.by_quarter(dash), request, quarters=True))
    kpis = _kpi_lines(dash.kpis, dash.previous, t, tables.hidden_shared, request.days_only)
    notices = []
    if t:
        notices.append(
            f"Counts from 1 to {t - 1} are shown as “<{t}”. Cells marked “c” are hidden as "
            "well, so that a small count cannot be worked out from totals or from the other "
            "cells of its row or column. “—” means not applicable or no data. A rate is "
            "shown only when the counts it is made of are shown."
        )
    else:
        notices.append(
            "Small counts are NOT suppressed in this report (threshold 0): share it only "
            "with people entitled to see exact small counts."
        )
    notices.append(
        "Aggregates only: no names, pseudonyms, contact details or notes are included. "
        "This is not a record of quality review or peer review."
    )
    return ProgrammeReport(
        programme_name=request.programme_name,
        scope=request.scope,
        period=request.period,
        previous_period=request.period.previous(),
        generated_at=now or datetime.now().replace(microsecond=0),
        threshold=t,
        departments=tuple(
            request.department_labels.get(code, code) for code in request.departments
        ),
        kpis=tuple(kpis),
        tables=tuple(table for table in rendered if table.rows),
        definitions=DEFINITIONS,
        notices=tuple(notices),
    )


# --- headline figures -----------------------------------------------------------------

# KPI key → the shared key of the same figure in the tables (hidden there ⇒ hidden here).
_SHARED_KPIS = {
    "encounters": "encounters",
    "active_cases": "active_cases",
    "open_cases": "open_cases",
    "follow_ups_due": "follow_ups_due",
    "follow_ups_on_time": "follow_ups_on_time",
}


def _kpi_lines(
    current: Kpis, previous: Kpis, t: int, hidden: set[str], days_only: bool = False
) -> list[KpiLine]:
    def counts(k: Kpis, shared: set[str]) -> dict[str, Cell]:
        cells = {
            name: cell_for(getattr(k, name), t)
            for name in (
                "encounters",
                "people_reached",
                "active_cases",
                "open_cases",
                "follow_ups_due",
                "follow_ups_on_time",
                "escalated_cases",
                "referrals",
                "support_declined",
            )
        }
        for name, key in _SHARED_KPIS.items():
            if key in shared and cells[name].published and getattr(k, name) > 0:
                cells[name] = protected()
        cells["hours_of_support"] = (
            Cell(CellState.PUBLISHED, round(k.hours_of_support, 1), f"{k.hours_of_support:,.1f}")
            if cells["encounters"].published
            else protected()
        )
        cells["follow_up_completion"] = _rate(
            k.follow_up_completion, cells["follow_ups_on_time"], cells["follow_ups_due"]
        )
        cells["escalation_rate"] = _rate(
            k.escalation_rate, cells["escalated_cases"], cells["active_cases"]
        )
        cells["decline_rate"] = _rate(k.decline_rate, cells["support_declined"], cells["referrals"])
        median = k.median_hours_to_first_contact
        if median is None:
            cells["median_hours_to_first_contact"] = not_applicable()
        elif cells["referrals"].published and days_only:
            days = median / 24
            cells["median_hours_to_first_contact"] = Cell(
                CellState.PUBLISHED, round(days, 1), f"{days:,.1f} days"
            )
        elif cells["referrals"].published:
            cells["median_hours_to_first_contact"] = Cell(
                CellState.PUBLISHED, round(median, 1), f"{median:,.1f} h"
            )
        else:
            cells["median_hours_to_first_contact"] = protected()
        return cells

    now_cells = counts(current, hidden)
    # The previous period's figures are not in any table, so only their own size matters.
    before_cells = counts(previous, set())
    before_cells["open_cases"] = not_applicable()  # "open now" has no earlier figure
    lines = []
    for key, label, definition in KPI_TERMS:
        if days_only and key == "median_hours_to_first_contact":
            label = "Median days to first contact"
            definition = (
                "Median whole days from the referral day to the day of the first encounter, "
                "for cases referred in the period (team bundles carry days, not times; "
                "0 = the same day)."
            )
        lines.append(KpiLine(key, label, now_cells[key], before_cells[key], definition))
    return lines


def _rate(value: float | None, numerator: Cell, denominator: Cell) -> Cell:
    if value is None:
        return not_applicable()
    if not (numerator.published and denominator.published):
        return protected()
    return Cell(CellState.PUBLISHED, round(value, 4), f"{value * 100:.0f} %")


# --- tables ---------------------------------------------------------------------------


def _month_label(month: str) -> str:
    """'Aug 2026', or 'Q3 2026' for a quarter's key."""
    if grain.is_quarter(month):
        return grain.quarter_label(month)
    return parse_month(month).strftime("%b %Y")


def _codes_table(
    key: str,
    title: str,
    dimension: str,
    items: Sequence[CodeCount],
    labels: vocab.Vocabulary[str] | vocab.Vocabulary[int] | Mapping[str, str],
    *,
    note: str,
    cases_add_up: bool,
    encounters_add_up: bool = True,
) -> TableSpec:
    """Encounters and cases per code; each column adds up to its total only when every
    encounter / case has exactly one code of the dimension."""
    rows = [(code_label(labels, item.code), item.code) for item in items]
    blocks = [
        Block(
            ["Encounters"],
            [[item.encounters] for item in items],
            column_totals=encounters_add_up,
            shared={("ct", 0): "encounters"} if encounters_add_up else {},
        ),
        Block(
            ["Cases"],
            [[item.cases] for item in items],
            column_totals=cases_add_up,
            shared={("ct", 0): "active_cases"} if cases_add_up else {},
        ),
    ]
    total_label = "Total" if cases_add_up or encounters_add_up else None
    return TableSpec(key, title, dimension, rows, blocks, note=note, total_label=total_label)


def _specs(dash: Dashboard, request: ReportRequest, *, quarters: bool = False) -> list[TableSpec]:
    """Every table of the report; with `quarters`, the tables by time have a row per
    calendar quarter (the dashboard's month keys are then 'YYYY-Qn')."""
    departments = dict(request.department_labels)
    specs: list[TableSpec] = []
    unit, per = ("Quarter", "quarter") if quarters else ("Month", "month")
    by_quarter = f" {grain.QUARTER_NOTE}" if quarters else ""

    months = [m.month for m in dash.monthly]
    specs.append(
        TableSpec(
            "encounters_by_month",
            f"Encounters per {per}",
            unit,
            [(_month_label(m), m) for m in months],
            [
                Block(
                    ["Individual", "Group"],
                    [[m.individual, m.group] for m in dash.monthly],
                    row_total="All encounters",
                    shared={("g",): "encounters"}
                    | {("rt", i): f"month:{m}" for i, m in enumerate(months)},
                ),
                Block(["Group attendees"], [[m.group_attendees] for m in dash.monthly]),
            ],
            derived=[("Hours", _hours_column(dash, 2))],
            note=f"Encounters dated in each {per}; a group encounter counts once, its "
            "attendees separately." + by_quarter,
        )
    )

    stage_codes: list[int | None] = [*vocab.STAGES.codes(), None]
    present = {ms.stage for ms in dash.month_stage}
    stage_codes = [s for s in stage_codes if s in present]
    by_month: dict[str, dict[int | None, int]] = {}
    for ms in dash.month_stage:
        by_month.setdefault(ms.month, {})[ms.stage] = ms.encounters
    stage_months = sorted(by_month)
    specs.append(
        TableSpec(
            "encounters_by_stage",
            f"Encounters by {per} and recovery stage",
            unit,
            [(_month_label(m), m) for m in stage_months],
            [
                Block(
                    [_stage_heading(s) for s in stage_codes],
                    [[by_month[m].get(s, 0) for s in stage_codes] for m in stage_months],
                    row_total="All encounters",
                    shared={("g",): "encounters"}
                    | {("rt", i): f"month:{m}" for i, m in enumerate(stage_months)},
                )
            ],
            note="Each encounter under the stage tagged in it." + by_quarter,
        )
    )

    specs.append(
        TableSpec(
            "follow_ups_by_month",
            f"Follow-ups by {per} due",
            unit,
            [(_month_label(f.month), f.month) for f in dash.follow_up_months],
            [
                Block(
                    ["On time", "Late", "Missed", "Not yet done"],
                    [
                        [f.on_time, f.late, f.missed, f.due - f.on_time - f.late - f.missed]
                        for f in dash.follow_up_months
                    ],
                    row_total="Due",
                    shared={("g",): "follow_ups_due", ("ct", 0): "follow_ups_on_time"},
                )
            ],
            derived=[("Completion", _completion)],
            note=f"Follow-ups due in the period up to the report date, by the {per} due."
            + by_quarter,
        )
    )

    specs.append(
        _codes_table(
            "by_role",
            "By role of the supported person",
            "Role",
            dash.by_role,
            vocab.ROLES,
            note="Active cases and their encounters in the period, by role.",
            cases_add_up=True,
        )
    )
    specs.append(
        _codes_table(
            "by_department",
            "By department",
            "Department",
            dash.by_department,
            departments,
            note="Active cases and their encounters in the period, by department.",
            cases_add_up=True,
        )
    )
    specs.append(
        _codes_table(
            "by_event_category",
            "By kind of event",
            "Event category",
            dash.by_event_category,
            vocab.EVENT_CATEGORIES,
            note="Active cases and their encounters in the period, by the kind of event.",
            cases_add_up=True,
        )
    )
    specs.append(
        _codes_table(
            "by_high_risk_event",
            "High-risk events",
            "High-risk event",
            dash.by_high_risk_event,
            vocab.HIGH_RISK_EVENTS,
            note="A case counts under each high-risk event flagged for it, so the rows do "
            "not add up to a total.",
            cases_add_up=False,
            encounters_add_up=False,
        )
    )
    specs.append(
        _codes_table(
            "by_tier",
            "By tier of support",
            "Tier",
            # Tier 1, 2, 3 as everywhere else, not by size: the tiers are a sequence.
            sorted(dash.by_tier, key=_tier_order),
            vocab.TIERS,
            note="Encounters at each tier; a case may have encounters at several tiers, so "
            "cases do not add up.",
            cases_add_up=False,
        )
    )

    specs.append(
        TableSpec(
            "referrals",
            "Onward referrals by service and response",
            "Service",
            [(code_label(vocab.REFERRAL_TARGETS, r.target), r.target) for r in dash.referrals],
            [
                Block(
                    ["Accepted", "Declined", "Pending"],
                    [[r.accepted, r.declined, r.pending] for r in dash.referrals],
                    row_total="All onward referrals",
                )
            ],
            note="Onward referrals: those a supporter made in encounters of the period, to "
            "the services of the referral network.",
        )
    )

    stages = dash.open_case_stages
    specs.append(
        TableSpec(
            "open_cases_by_stage",
            "Open cases by current stage",
            "Stage",
            [(stage_label(s), "" if s is None else str(s)) for s, _n in stages],
            [Block(["Open cases"], [[n] for _s, n in stages], shared={("ct", 0): "open_cases"})],
            note="Cases open now, by the stage tagged in their latest encounter.",
        )
    )
    specs.append(
        TableSpec(
            "outcomes",
            "Stage 6 outcomes",
            "Outcome",
            [(code_label(vocab.OUTCOMES, o), o) for o, _n in dash.outcomes],
            [Block(["Cases"], [[n] for _o, n in dash.outcomes])],
            note="Active cases whose latest stage 6 encounter recorded an outcome.",
        )
    )
    specs.append(
        TableSpec(
            "contacts_per_case",
            "Contacts per case",
            "Encounters in the period",
            [(str(n), str(n)) for n, _c in dash.contacts_per_case],
            [
                Block(
                    ["Cases"],
                    [[c] for _n, c in dash.contacts_per_case],
                    shared={("ct", 0): "active_cases"},
                )
            ],
            note="How many active cases had one, two, three … encounters in the period.",
        )
    )
    return specs


def _tier_order(item: CodeCount) -> tuple[int, str]:
    codes = [str(code) for code in vocab.TIERS.codes()]
    code = str(item.code)
    return (codes.index(code), code) if code in codes else (len(codes), code)


def _stage_heading(stage: int | None) -> str:
    return "No stage" if stage is None else f"Stage {stage}"


def _hours_column(dash: Dashboard, total_index: int):  # type: ignore[no-untyped-def]
    """Hours of support per month, shown only where the month's encounters are."""

    def hours(row: int | None, cells: list[Cell]) -> Cell:
        total = cells[total_index]
        if not total.published:
            return protected()
        value = sum(m.hours for m in dash.monthly) if row is None else dash.monthly[row].hours
        return Cell(CellState.PUBLISHED, round(value, 1), f"{value:,.1f}")

    return hours


def _completion(_row: int | None, cells: list[Cell]) -> Cell:
    on_time, due = cells[0], cells[4]
    if not (on_time.published and due.published):
        return protected() if due.state is not CellState.NOT_APPLICABLE else not_applicable()
    if not due.value:
        return not_applicable()
    rate = float(on_time.value or 0) / float(due.value)
    return Cell(CellState.PUBLISHED, round(rate, 4), f"{rate * 100:.0f} %")


def tables_by_key(report: ProgrammeReport) -> dict[str, ReportTable]:
    return {table.key: table for table in report.tables}
