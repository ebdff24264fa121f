"""Every chart of the dashboard, by tab and title, and drawing one to PNG bytes in memory."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from svjournal.core import vocab
from svjournal.core.stats_model import Dashboard

FIGSIZE = (6.2, 3.6)


def chart_specs(
    dash: Dashboard,
    style: Any,
    departments: dict[str, str],
    figsize: tuple[float, float] = FIGSIZE,
) -> list[tuple[str, str, Callable[[], Any]]]:
    """(tab, title, builder) for every chart of the dashboard."""
    from svjournal import charts

    def make(builder: str, *args: Any) -> Callable[[], Any]:
        # By name, resolved when drawn: the chart modules import matplotlib (~50 MB), which
        # the app's own process never needs just to know the tabs (the workers draw).
        return lambda: getattr(charts, builder)(*args, style, figsize=figsize)

    def by(rows: Any, labels: Any, what: str) -> Callable[[], Any]:
        # The canvas's width, but no fixed height: the chart grows with its categories
        # instead of folding them away (drawn at 7.5 in and shrunk, its text was tiny).
        return lambda: charts.breakdown(
            rows, labels, f"Encounters by {what}", style, width=figsize[0]
        )

    follow, stages, impact = "Follow-ups", "Recovery stages", "Team-wide impact"
    return [
        (
            follow,
            f"Follow-ups per {dash.follow_up_grain}",
            lambda: charts.follow_up_weeks(
                dash.follow_up_weeks, style, figsize=figsize, grain=dash.follow_up_grain
            ),
        ),
        (follow, "Contacts per case", make("contacts_per_case", dash.contacts_per_case)),
        (
            stages,
            "Current stage of open cases",
            make("open_case_stages", dash.open_case_stages),
        ),
        (
            stages,
            "Encounters per month by stage",
            make("encounters_by_month_stage", dash.month_stage),
        ),
        (stages, "Stage 6 outcomes", make("stage_outcomes", dash.outcomes)),
        (impact, "Encounters per month", make("monthly_encounters", dash.monthly)),
        (
            impact,
            "Tier mix and escalation",
            make("tier_mix", dash.by_tier, dash.kpis.escalation_rate),
        ),
        (
            impact,
            "Onward referrals by service",
            lambda: charts.referrals(dash.referrals, style, width=figsize[0]),
        ),
        (impact, "By role", by(dash.by_role, vocab.ROLES, "role")),
        (impact, "By department", by(dash.by_department, departments, "department")),
        (
            impact,
            "By event category",
            by(dash.by_event_category, vocab.EVENT_CATEGORIES, "event category"),
        ),
        (
            impact,
            "By high-risk event",
            by(dash.by_high_risk_event, vocab.HIGH_RISK_EVENTS, "high-risk event"),
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
