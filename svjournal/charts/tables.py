"""Every dashboard chart's numbers as a table ("Show as table"), for screen readers and for
anyone who prefers figures to bars.

Built from the same dashboard fields, merged and ordered the same way as the chart that
draws them (`charts.dashboard.chart_specs`, index for index), so the table and the chart
never tell two stories. No matplotlib and no Qt here: the UI puts these rows in a model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from svjournal.charts.labels import (
    LabelSource,
    code_label,
    histogram_median,
    month_range,
    parse_month,
    percent,
    stage_label,
)
from svjournal.core import vocab
from svjournal.core.stats_model import CodeCount, Dashboard


@dataclass(frozen=True)
class ChartTable:
    """A chart's figures: column headings, one row of texts per bar (or point), a note."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def _month(month: str) -> str:
    return parse_month(month).strftime("%b %Y")


def follow_up_weeks(dash: Dashboard) -> ChartTable:
    weeks = sorted(dash.follow_up_weeks, key=lambda w: w.week_start)
    monthly = dash.follow_up_grain == "month"
    rows = tuple(
        (
            f"{w.week_start:%b %Y}" if monthly else f"{w.week_start.day} {w.week_start:%b %Y}",
            str(w.due),
            str(w.on_time),
            str(w.late),
            str(w.missed),
        )
        for w in weeks
    )
    due, on_time = sum(w.due for w in weeks), sum(w.on_time for w in weeks)
    note = f"{percent(on_time / due)} done on time ({on_time} of {due})." if due else ""
    return ChartTable(
        "Follow-ups per month" if monthly else "Follow-ups per week",
        (
            "Month" if monthly else "Week starting",
            "Due",
            "Done on time",
            "Done late",
            "Missed or overdue",
        ),
        rows,
        note,
    )


def contacts_per_case(dash: Dashboard) -> ChartTable:
    counts: dict[int, int] = {}
    for contacts, cases in dash.contacts_per_case:
        counts[contacts] = counts.get(contacts, 0) + cases
    median = histogram_median(counts.items())
    return ChartTable(
        "Contacts per case",
        ("Contacts with the supported person", "Cases"),
        tuple((str(n), str(counts[n])) for n in sorted(counts)),
        "" if median is None else f"Median {median:g} contacts per case.",
    )


def open_case_stages(dash: Dashboard) -> ChartTable:
    per_stage: dict[int | None, int] = {}
    for stage, n in dash.open_case_stages:
        per_stage[stage] = per_stage.get(stage, 0) + n
    if not sum(per_stage.values()):
        return ChartTable("Current stage of open cases", ("Stage", "Open cases"), ())
    # As the chart: every stage, even at zero; "No stage yet" only when it applies.
    stages: list[int | None] = list(vocab.STAGES.codes())
    stages += sorted(s for s in per_stage if s is not None and s not in stages)
    if per_stage.get(None):
        stages.append(None)
    return ChartTable(
        "Current stage of open cases",
        ("Stage", "Open cases"),
        tuple((stage_label(s), str(per_stage.get(s, 0))) for s in stages),
    )


def month_stage(dash: Dashboard) -> ChartTable:
    months = month_range(r.month[:7] for r in dash.month_stage)
    grid: dict[tuple[str, int | None], int] = {}
    for r in dash.month_stage:
        key = (r.month[:7], r.stage)
        grid[key] = grid.get(key, 0) + r.encounters
    present = {stage for _m, stage in grid if grid[(_m, stage)]}
    stages: list[int | None] = [s for s in vocab.STAGES.codes() if s in present]
    stages += sorted(s for s in present if s is not None and s not in stages)
    if None in present:
        stages.append(None)
    headings = [f"Stage {s}" if s is not None else "No stage" for s in stages]
    rows = []
    for month in months:
        counts = [grid.get((month, s), 0) for s in stages]
        rows.append((_month(month), *(str(c) for c in counts), str(sum(counts))))
    if not any(int(row[-1]) for row in rows):
        rows = []
    return ChartTable(
        "Encounters per month by stage", ("Month", *headings, "All encounters"), tuple(rows)
    )


def stage_outcomes(dash: Dashboard) -> ChartTable:
    per: dict[str, int] = {}
    for code, n in dash.outcomes:
        per[code] = per.get(code, 0) + n
    total = sum(per.values())
    codes = [*vocab.OUTCOMES.codes(), *sorted(set(per) - set(vocab.OUTCOMES.codes()))]
    rows = tuple(
        (code_label(vocab.OUTCOMES, c), str(per.get(c, 0)), percent(per.get(c, 0) / total))
        for c in codes
        if total
    )
    return ChartTable("Stage 6 outcomes", ("Outcome", "Cases", "Share"), rows)


def monthly(dash: Dashboard) -> ChartTable:
    by_month: dict[str, list[float]] = {}
    for r in dash.monthly:
        sums = by_month.setdefault(r.month[:7], [0, 0, 0, 0.0])
        for k, value in enumerate((r.individual, r.group, r.group_attendees, r.hours)):
            sums[k] += value
    rows = []
    for month in month_range(by_month):
        ind, grp, att, hours = by_month.get(month, [0, 0, 0, 0.0])
        rows.append((_month(month), f"{ind:.0f}", f"{grp:.0f}", f"{att:.0f}", f"{hours:.1f}"))
    if not any(v for values in by_month.values() for v in values):
        rows = []
    return ChartTable(
        "Encounters per month",
        ("Month", "Individual", "Group", "Group attendees", "Hours of support"),
        tuple(rows),
    )


def tier_mix(dash: Dashboard) -> ChartTable:
    per: dict[str, list[int]] = {}
    for r in dash.by_tier:
        counts = per.setdefault(str(r.code), [0, 0])
        counts[0] += r.encounters
        counts[1] += r.cases
    codes = [str(c) for c in vocab.TIERS.codes()]  # 1, 2, 3: the chart's order
    codes += sorted(set(per) - set(codes))
    rate = dash.kpis.escalation_rate
    note = (
        ""
        if rate is None
        else f"{percent(rate)} of active cases escalated to Tier 3 (≈10 % expected, Lane 2018)."
    )
    rows = tuple(
        (code_label(vocab.TIERS, c), str(per.get(c, [0, 0])[0]), str(per.get(c, [0, 0])[1]))
        for c in codes
    )
    empty = not any(e for e, _c in per.values()) and rate is None
    return ChartTable(
        "Tier mix and escalation", ("Tier", "Encounters", "Cases"), () if empty else rows, note
    )


def referrals(dash: Dashboard) -> ChartTable:
    merged: dict[str, list[int]] = {}
    for r in dash.referrals:
        counts = merged.setdefault(r.target, [0, 0, 0])
        for k, value in enumerate((r.accepted, r.declined, r.pending)):
            counts[k] += value
    labels = vocab.REFERRAL_TARGETS
    ordered = sorted(merged.items(), key=lambda kv: (-sum(kv[1]), code_label(labels, kv[0])))
    rows = tuple(
        (code_label(labels, t), *(str(v) for v in counts), str(sum(counts)))
        for t, counts in ordered
        if sum(counts)
    )
    return ChartTable(
        "Onward referrals by service",
        ("Service", "Accepted", "Declined", "Not yet known", "All onward referrals"),
        rows,
    )


def breakdown(
    title: str, dimension: str
) -> Callable[[Sequence[CodeCount], LabelSource], ChartTable]:
    def table(items: Sequence[CodeCount], labels: LabelSource) -> ChartTable:
        merged: dict[str, list[int]] = {}
        for r in items:
            counts = merged.setdefault(r.code, [0, 0])
            counts[0] += r.encounters
            counts[1] += r.cases
        ordered = sorted(merged.items(), key=lambda kv: (-kv[1][0], code_label(labels, kv[0])))
        rows = tuple((code_label(labels, c), str(e), str(n)) for c, (e, n) in ordered)
        if not any(e for _c, (e, _n) in ordered):
            rows = ()
        return ChartTable(title, (dimension, "Encounters", "Cases"), rows)

    return table


def chart_tables(dash: Dashboard, departments: dict[str, str]) -> list[ChartTable]:
    """The table of every chart of `chart_specs`, in the same order."""
    return [
        follow_up_weeks(dash),
        contacts_per_case(dash),
        open_case_stages(dash),
        month_stage(dash),
        stage_outcomes(dash),
        monthly(dash),
        tier_mix(dash),
        referrals(dash),
        breakdown("By role", "Role")(dash.by_role, vocab.ROLES),
        breakdown("By department", "Department")(dash.by_department, departments),
        breakdown("By event category", "Event category")(
            dash.by_event_category, vocab.EVENT_CATEGORIES
        ),
        breakdown("By high-risk event", "High-risk event")(
            dash.by_high_risk_event, vocab.HIGH_RISK_EVENTS
        ),
    ]
