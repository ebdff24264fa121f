"""Every chart of the dashboard, by tab and title, and drawing one to PNG bytes in memory."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from svjournal.core import vocab
from svjournal.core.i18n import N_, tr
from svjournal.core.stats_model import Dashboard

FIGSIZE = (6.2, 3.6)


def chart_specs(
    dash: Dashboard,
    style: Any,
    departments: dict[str, str],
    figsize: tuple[float, float] = FIGSIZE,
) -> list[tuple[str, str, Callable[[], Any]]]:
    """(tab, title, builder) for every chart of the dashboard. The tab is its English name
    (a key; ui/pages/charts.py translates it where shown), the title is translated."""
    from svjournal import charts

    def make(builder: str, *args: Any) -> Callable[[], Any]:
        # By name, resolved when drawn: the chart modules import matplotlib (~50 MB), which
        # the app's own process never needs just to know the tabs (the workers draw).
        return lambda: getattr(charts, builder)(*args, style, figsize=figsize)

    def by(rows: Any, labels: Any, title: str) -> Callable[[], Any]:
        # The canvas's width, but no fixed height: the chart grows with its categories
        # instead of folding them away (drawn at 7.5 in and shrunk, its text was tiny).
        return lambda: charts.breakdown(rows, labels, title, style, width=figsize[0])

    follow, stages, impact = N_("Follow-ups"), N_("Recovery stages"), N_("Team-wide impact")
    monthly = dash.follow_up_grain == "month"
    return [
        (
            follow,
            tr("Follow-ups per month") if monthly else tr("Follow-ups per week"),
            lambda: charts.follow_up_weeks(
                dash.follow_up_weeks, style, figsize=figsize, grain=dash.follow_up_grain
            ),
        ),
        (follow, tr("Contacts per case"), make("contacts_per_case", dash.contacts_per_case)),
        (
            stages,
            tr("Current stage of open cases"),
            make("open_case_stages", dash.open_case_stages),
        ),
        (
            stages,
            tr("Encounters per month by stage"),
            make("encounters_by_month_stage", dash.month_stage),
        ),
        (stages, tr("Stage 6 outcomes"), make("stage_outcomes", dash.outcomes)),
        (impact, tr("Encounters per month"), make("monthly_encounters", dash.monthly)),
        (
            impact,
            tr("Tier mix and escalation"),
            make("tier_mix", dash.by_tier, dash.kpis.escalation_rate),
        ),
        (
            impact,
            tr("Onward referrals by service"),
            lambda: charts.referrals(dash.referrals, style, width=figsize[0]),
        ),
        (impact, tr("By role"), by(dash.by_role, vocab.ROLES, tr("Encounters by role"))),
        (
            impact,
            tr("By department"),
            by(dash.by_department, departments, tr("Encounters by department")),
        ),
        (
            impact,
            tr("By event category"),
            by(
                dash.by_event_category,
                vocab.EVENT_CATEGORIES,
                tr("Encounters by event category"),
            ),
        ),
        (
            impact,
            tr("By high-risk event"),
            by(
                dash.by_high_risk_event,
                vocab.HIGH_RISK_EVENTS,
                tr("Encounters by high-risk event"),
            ),
        ),
    ]


def chart_tabs() -> list[str]:
    """The tab of each chart, by index (specs are cheap: builders run only when called)."""
    from svjournal.charts.style import ChartStyle
    from svjournal.core.stats_model import Kpis, Period, StatsFilter

    empty = Kpis(0, 0, 0.0, 0, 0, None, 0, 0, None, 0, None, 0, 0, None)
    period = Period(date.today(), date.today())
    specs = chart_specs(Dashboard(StatsFilter(period), empty, empty), ChartStyle.light(), {})
    return [tab for tab, _title, _build in specs]


def build_figures(
    dash: Dashboard, dark: bool, departments: dict[str, str], figsize: tuple[float, float]
) -> list[tuple[str, str, Any]]:
    """(tab, title, Figure) for every chart (used to save one as SVG or PNG)."""
    from svjournal.charts.style import ChartStyle

    style = ChartStyle.dark() if dark else ChartStyle.light()
    return [
        (tab, title, build())
        for tab, title, build in chart_specs(dash, style, departments, figsize)
    ]


def render_png(figure: Any, scale: float) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi * scale, facecolor=figure.get_facecolor())
    return buffer.getvalue()
