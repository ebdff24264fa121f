"""Each chart's numbers as a table: the same figures, merged and ordered as the chart."""

from __future__ import annotations

from datetime import date

from svjournal.charts.dashboard import chart_specs
from svjournal.charts.style import ChartStyle
from svjournal.charts.tables import chart_tables
from svjournal.core.stats_model import (
    CodeCount,
    Dashboard,
    Kpis,
    MonthlyEncounters,
    MonthStageCount,
    Period,
    ReferralCount,
    StatsFilter,
    WeeklyFollowUps,
)

EMPTY = Kpis(0, 0, 0.0, 0, 0, None, 0, 0, None, 0, None, 0, 0, None)
FILTER = StatsFilter(Period(date(2026, 7, 1), date(2026, 9, 30)))


def test_an_empty_dashboard_gives_empty_tables_with_their_headings() -> None:
    dash = Dashboard(FILTER, EMPTY, EMPTY)
    tables = chart_tables(dash, {})
    specs = chart_specs(dash, ChartStyle.light(), {})
    assert [t.title for t in tables] == [title for _tab, title, _b in specs]
    assert all(not t.rows and t.columns for t in tables)


def test_tables_hold_the_charts_figures() -> None:
    kpis = Kpis(9, 8, 5.0, 4, 3, 20.0, 6, 4, 4 / 6, 1, 0.25, 2, 0, 0.0)
    dash = Dashboard(
        FILTER,
        kpis,
        EMPTY,
        follow_up_weeks=[WeeklyFollowUps(date(2026, 7, 6), 4, 2, 1, 0)],
        contacts_per_case=[(1, 2), (3, 1), (1, 1)],
        open_case_stages=[(2, 3)],
        month_stage=[MonthStageCount("2026-07", 2, 4), MonthStageCount("2026-09", None, 1)],
        outcomes=[("thriving", 1)],
        monthly=[
            MonthlyEncounters("2026-07", 3, 1, 5, 2.5),
            MonthlyEncounters("2026-09", 5, 0, 0, 3),
        ],
        by_role=[CodeCount("physician", 2, 1), CodeCount("nurse", 7, 3)],
        by_tier=[CodeCount("2", 6, 3), CodeCount("3", 2, 1), CodeCount("1", 1, 1)],
        referrals=[ReferralCount("eap", 1, 0, 1)],
    )
    t = chart_tables(dash, {})
    assert t[0].rows == (("Jul 6, 2026", "4", "2", "1", "0"),) and "50% done on time" in t[0].note
    assert t[1].rows == (("1", "3"), ("3", "1")) and t[1].note == "Median 1 contacts per case."
    assert [r[1] for r in t[2].rows] == ["0", "3", "0", "0", "0", "0"]  # every stage
    assert t[3].columns == ("Month", "Stage 2", "No stage", "All encounters")
    assert t[3].rows == (
        ("Jul 2026", "4", "0", "4"),
        ("Aug 2026", "0", "0", "0"),
        ("Sep 2026", "0", "1", "1"),
    )
    assert t[4].rows[-1] == ("Thriving", "1", "100%")
    assert [r[0] for r in t[5].rows] == ["Jul 2026", "Aug 2026", "Sep 2026"]
    assert [r[0][:6] for r in t[6].rows] == ["Tier 1", "Tier 2", "Tier 3"]  # not 2, 3, 1
    assert "25% of active cases" in t[6].note
    assert t[7].rows[0][1:] == ("1", "0", "1", "2")
    assert [r[0] for r in t[8].rows] == ["Nurse", "Physician"]  # largest first, as the bars
