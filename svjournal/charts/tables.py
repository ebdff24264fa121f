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
    decimal,
    histogram_median,
    month_and_year,
    month_range,
    number,
    parse_month,
    percent,
    stage_label,
)
from svjournal.core import vocab
from svjournal.core.i18n import N_, tr
from svjournal.core.locale_format import format_date
from svjournal.core.stats_model import CodeCount, Dashboard


@dataclass(frozen=True)
class ChartTable:
    """A chart's figures: column headings, one row of texts per bar (or point), a note."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def _month(month: str) -> str:
    return month_and_year(parse_month(month))


def follow_up_weeks(dash: Dashboard) -> ChartTable:
    weeks = sorted(dash.follow_up_weeks, key=lambda w: w.week_start)
    monthly = dash.follow_up_grain == "month"
    rows = tuple(
        (
            month_and_year(w.week_start) if monthly else format_date(w.week_start, "medium"),
            number(w.due),
            number(w.on_time),
            number(w.late),
            number(w.missed),
        )
        for w in weeks
    )
    due, on_time = sum(w.due for w in weeks), sum(w.on_time for w in weeks)
    note = (
        # Translators: "50% done on time (2 of 4)."; {share} is a percentage.
        tr("{share} done on time ({on_time} of {due}).").format(
            share=percent(on_time / due), on_time=number(on_time), due=number(due)
        )
        if due
        else ""
    )
    return ChartTable(
        tr("Follow-ups per month") if monthly else tr("Follow-ups per week"),
        (
            tr("Month") if monthly else tr("Week starting"),
            # Translators: a column heading: the follow-ups due in the month (or week).
            tr("Due"),
            tr("Done on time"),
            tr("Done late"),
            tr("Missed or overdue"),
        ),
        rows,
        note,
    )


def contacts_per_case(dash: Dashboard) -> ChartTable:
    counts: dict[int, int] = {}
    for contacts, cases in dash.contacts_per_case:
        counts[contacts] = counts.get(contacts, 0) + cases
    median = histogram_median(counts.items())
    note = ""
    if median is not None:
        # Translators: {median} is a number, maybe with a decimal ("1.5").
        note = tr("Median {median} contacts per case.").format(median=number(median))
    return ChartTable(
        tr("Contacts per case"),
        (tr("Contacts with the supported person"), tr("Cases")),
        tuple((number(n), number(counts[n])) for n in sorted(counts)),
        note,
    )


def open_case_stages(dash: Dashboard) -> ChartTable:
    per_stage: dict[int | None, int] = {}
    for stage, n in dash.open_case_stages:
        per_stage[stage] = per_stage.get(stage, 0) + n
    if not sum(per_stage.values()):
        return ChartTable(tr("Current stage of open cases"), (tr("Stage"), tr("Open cases")), ())
    # As the chart: every stage, even at zero; "No stage yet" only when it applies.
    stages: list[int | None] = list(vocab.STAGES.codes())
    stages += sorted(s for s in per_stage if s is not None and s not in stages)
    if per_stage.get(None):
        stages.append(None)
    return ChartTable(
        tr("Current stage of open cases"),
        (tr("Stage"), tr("Open cases")),
        tuple((stage_label(s), number(per_stage.get(s, 0))) for s in stages),
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
    headings = [stage_heading(s) for s in stages]
    rows = []
    busy = False
    for month in months:
        counts = [grid.get((month, s), 0) for s in stages]
        busy = busy or bool(sum(counts))
        rows.append((_month(month), *(number(c) for c in counts), number(sum(counts))))
    if not busy:
        rows = []
    return ChartTable(
        tr("Encounters per month by stage"),
        (tr("Month"), *headings, tr("All encounters")),
        tuple(rows),
    )


def stage_heading(stage: int | None) -> str:
    if stage is None:
        return tr("No stage")
    # Translators: a column heading, one of the six recovery stages: "Stage 3".
    return tr("Stage {n}").format(n=stage)


def stage_outcomes(dash: Dashboard) -> ChartTable:
    per: dict[str, int] = {}
    for code, n in dash.outcomes:
        per[code] = per.get(code, 0) + n
    total = sum(per.values())
    codes = [*vocab.OUTCOMES.codes(), *sorted(set(per) - set(vocab.OUTCOMES.codes()))]
    rows = tuple(
        (code_label(vocab.OUTCOMES, c), number(per.get(c, 0)), percent(per.get(c, 0) / total))
        for c in codes
        if total
    )
    # Translators: a column heading: each outcome's share of the cases, a percentage.
    share = tr("Share")
    return ChartTable(tr("Stage 6 outcomes"), (tr("Outcome"), tr("Cases"), share), rows)


def monthly(dash: Dashboard) -> ChartTable:
    by_month: dict[str, list[float]] = {}
    for r in dash.monthly:
        sums = by_month.setdefault(r.month[:7], [0, 0, 0, 0.0])
        for k, value in enumerate((r.individual, r.group, r.group_attendees, r.hours)):
            sums[k] += value
    rows = []
    for month in month_range(by_month):
        ind, grp, att, hours = by_month.get(month, [0, 0, 0, 0.0])
        rows.append(
            (
                _month(month),
                number(round(ind)),
                number(round(grp)),
                number(round(att)),
                decimal(hours),
            )
        )
    if not any(v for values in by_month.values() for v in values):
        rows = []
    return ChartTable(
        tr("Encounters per month"),
        (tr("Month"), tr("Individual"), tr("Group"), tr("Group attendees"), tr("Hours of support")),
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
        # Translators: {share} and {expected} are percentages ("12%", "10%").
        else tr(
            "{share} of active cases escalated to Tier 3 (≈{expected} expected, Lane 2018)."
        ).format(share=percent(rate), expected=percent(0.10))
    )
    rows = tuple(
        (
            code_label(vocab.TIERS, c),
            number(per.get(c, [0, 0])[0]),
            number(per.get(c, [0, 0])[1]),
        )
        for c in codes
    )
    empty = not any(e for e, _c in per.values()) and rate is None
    return ChartTable(
        tr("Tier mix and escalation"),
        (tr("Tier"), tr("Encounters"), tr("Cases")),
        () if empty else rows,
        note,
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
        (code_label(labels, t), *(number(v) for v in counts), number(sum(counts)))
        for t, counts in ordered
        if sum(counts)
    )
    return ChartTable(
        tr("Onward referrals by service"),
        (
            tr("Service"),
            tr("Accepted"),
            tr("Declined"),
            tr("Not yet known"),
            tr("All onward referrals"),
        ),
        rows,
    )


def breakdown(
    title: str, dimension: str
) -> Callable[[Sequence[CodeCount], LabelSource], ChartTable]:
    """`title` and `dimension` are messages (N_), translated when the table is made."""

    def table(items: Sequence[CodeCount], labels: LabelSource) -> ChartTable:
        merged: dict[str, list[int]] = {}
        for r in items:
            counts = merged.setdefault(r.code, [0, 0])
            counts[0] += r.encounters
            counts[1] += r.cases
        ordered = sorted(merged.items(), key=lambda kv: (-kv[1][0], code_label(labels, kv[0])))
        rows = tuple((code_label(labels, c), number(e), number(n)) for c, (e, n) in ordered)
        if not any(e for _c, (e, _n) in ordered):
            rows = ()
        return ChartTable(tr(title), (tr(dimension), tr("Encounters"), tr("Cases")), rows)

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
        breakdown(N_("By role"), N_("Role"))(dash.by_role, vocab.ROLES),
        breakdown(N_("By department"), N_("Department"))(dash.by_department, departments),
        breakdown(N_("By event category"), N_("Event category"))(
            dash.by_event_category, vocab.EVENT_CATEGORIES
        ),
        breakdown(N_("By high-risk event"), N_("High-risk event"))(
            dash.by_high_risk_event, vocab.HIGH_RISK_EVENTS
        ),
    ]
