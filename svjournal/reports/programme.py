"""The programme report's content: figures from `stats.dashboard`, suppressed, labelled.

`build_report` is the only way to a `ProgrammeReport`; every count passes through
`TableSet` (tables, with complementary suppression) or `cell_for` (a figure on its own),
so no writer ever sees a small count. The rule (shared docs/REPORTS.md, and the report's
own definitions): a reader learns nothing about any group of fewer than t people —

- every table lists its whole vocabulary and every month of the period (`programme_tables`);
- a figure made of fewer than t people (cases, not encounters) shows "<t", zero included;
  further cells ("c") hide what totals would give back (`suppression`);
- when fewer than t people are in the report at all (after the period and the department
  filter), every table is withheld and every key figure hidden, with the reason said;
- tables by time coarsen to quarters, then years, or are left out (`grain`);
- rates, medians and hours are published only for groups of at least t people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.stats import dashboard
from svjournal.core.stats_model import Dashboard, Period, StatsFilter
from svjournal.reports import grain as grains
from svjournal.reports.grain import Grain
from svjournal.reports.model import ProgrammeReport, ReportTable
from svjournal.reports.programme_kpis import kpi_lines
from svjournal.reports.programme_tables import Scope, department_rows, specs
from svjournal.reports.suppression import MIN_THRESHOLD
from svjournal.reports.tables import TableSet
from svjournal.reports.terms import definition_keys, definitions

__all__ = ["ReportRequest", "build_report", "report_from_dashboard", "tables_by_key"]

YOUR_JOURNAL = N_("Your journal")


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    programme_name: str
    threshold: int = 5  # 0 = suppression off
    departments: tuple[str, ...] = ()  # department codes; () = all
    department_labels: Mapping[str, str] = field(default_factory=dict)
    # Whose figures, as the report says it: YOUR_JOURNAL (said in the report's language),
    # or a caller's own words; `team_size` (the team's supporters) says "Team: 3 supporters"
    # in the report's language instead.
    scope: str = YOUR_JOURNAL
    # Team bundles carry days, not times: waits are then whole days, and shown as days.
    days_only: bool = False
    team_size: int | None = None

    def __post_init__(self) -> None:
        if self.threshold != 0 and not MIN_THRESHOLD <= self.threshold <= 50:
            raise ValueError(
                tr("the small-count threshold is 0 (off) or {low} to 50").format(low=MIN_THRESHOLD)
            )
        if self.period.end < self.period.start:
            raise ValueError(tr("the period ends before it starts"))


def scope_text(request: ReportRequest) -> str:
    """Whose figures the report holds, in the current language."""
    if request.team_size is not None:
        n = request.team_size
        return ntr("Team: {n} supporter", "Team: {n} supporters", n).format(n=n)
    return tr(YOUR_JOURNAL) if request.scope == YOUR_JOURNAL else request.scope


def build_report(
    engine: Engine,
    request: ReportRequest,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> ProgrammeReport:
    """The report for `request` over the journal (or the team data) behind `engine`."""
    filt = StatsFilter(request.period, departments=request.departments)
    dash = dashboard(engine, filt, today=today, with_people=True)
    return report_from_dashboard(dash, request, now=now)


def withheld_reason(t: int) -> str:
    # Translators: {t} is the small-count threshold, a number of people (5 or more).
    return tr(
        "Fewer than {t} people are in this report (its period and departments): every "
        "table is withheld and every key figure hidden, so that nothing about any of them "
        "can be learned."
    ).format(t=t)


def render_tables(
    dash: Dashboard, request: ReportRequest
) -> tuple[list[ReportTable], TableSet, Grain | None]:
    """The suppressed tables at the coarsest grain needed (None: tables by time left out)."""
    t = request.threshold
    departments = department_rows(request.department_labels, request.departments)
    chosen: Grain | None = Grain.MONTH
    for level in Grain:
        tables = TableSet(t)
        scope = Scope(request.period, departments, level)
        rendered = tables.render(specs(grains.regroup(dash, level), scope))
        if not t or not grains.mostly_hidden(rendered):
            chosen = level
            break
    else:
        # Even by year mostly hidden: leave the tables by time out, and suppress the rest
        # afresh (nothing the time tables hid carries over).
        chosen = None
        tables = TableSet(t)
        scope = Scope(request.period, departments, Grain.YEAR)
        every = specs(grains.regroup(dash, Grain.YEAR), scope)
        rendered = tables.render([s for s in every if s.key not in grains.TIME_TABLES])
    return rendered, tables, chosen


def report_from_dashboard(
    dash: Dashboard, request: ReportRequest, *, now: datetime | None = None
) -> ProgrammeReport:
    t = request.threshold
    people = dash.people
    population = people.population if people is not None else 0
    previous_population = people.previous_population if people is not None else 0
    withhold = bool(t) and population < t
    notices = []
    if withhold:
        rendered: list[ReportTable] = []
        hidden: set[str] = set()
        notices.append(withheld_reason(t))
    else:
        rendered, tables, chosen = render_tables(dash, request)
        hidden = tables.hidden_shared
        if chosen is None:
            notices.append(tr(grains.WITHHELD_NOTE))
    kpis = kpi_lines(
        dash.kpis,
        dash.previous,
        t,
        hidden,
        people=people,
        days_only=request.days_only,
        withhold_current=withhold,
        withhold_previous=bool(t) and previous_population < t,
    )
    if t:
        notices.append(
            # Translators: {t} is the small-count threshold (5 or more); keep “<{t}”, “c”
            # and “—”, the report's symbols.
            tr(
                "“<{t}” marks a figure made of fewer than {t} people — perhaps none. Cells "
                "marked “c” are hidden as well, so that such a figure cannot be worked out "
                "from totals or from the other cells of its row or column. “—” means not "
                "applicable or no data. A rate, a median or hours are shown only when at "
                "least {t} people make them."
            ).format(t=t)
        )
    else:
        notices.append(
            tr(
                "Small counts are NOT suppressed in this report (threshold 0): share it only "
                "with people entitled to see exact small counts."
            )
        )
    notices.append(
        tr(
            "Aggregates only: no names, pseudonyms, contact details or notes are included. "
            "This is not a record of quality review or peer review."
        )
    )
    return ProgrammeReport(
        programme_name=request.programme_name,
        scope=scope_text(request),
        period=request.period,
        previous_period=request.period.previous(),
        generated_at=now or datetime.now().replace(microsecond=0),
        threshold=t,
        departments=tuple(
            request.department_labels.get(code, code) for code in request.departments
        ),
        kpis=tuple(kpis),
        tables=tuple(rendered),
        definitions=definitions(),
        notices=tuple(notices),
        definition_keys=definition_keys(),
    )


def tables_by_key(report: ProgrammeReport) -> dict[str, ReportTable]:
    return {table.key: table for table in report.tables}
