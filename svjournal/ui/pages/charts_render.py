"""What the Charts page computes and draws off the GUI thread: the dashboard's figures for a
filter, and the charts of one tab at a time (drawn by the chart processes), each PNG decoded
on the worker that fetched it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from svjournal.charts.dashboard import FIGSIZE
from svjournal.core.i18n import tr
from svjournal.core.stats_model import Dashboard, StatsFilter
from svjournal.ui.session import JournalSession

if TYPE_CHECKING:
    from svjournal.operations.sources import DataSource


@dataclass
class RenderedChart:
    index: int  # position in charts.dashboard.chart_specs, to rebuild the figure for saving
    tab: str
    title: str
    png: bytes
    # Decoded on the worker thread that fetched the PNG (QImage, unlike QPixmap, may be made
    # off the GUI thread): decoding four charts there took ~30 ms of every tab's placing.
    image: QImage | None = None


@dataclass
class RenderedDashboard:
    """The figures of one request and the charts drawn so far (a tab at a time)."""

    dashboard: Dashboard
    charts: list[RenderedChart]
    dark: bool
    departments: dict[str, str]
    figsize: tuple[float, float]
    scale: float

    def tabs_drawn(self) -> set[str]:
        return {chart.tab for chart in self.charts}


def draw_tab(rendered: RenderedDashboard, tab: str) -> list[RenderedChart]:
    """Runs on a worker thread: the charts of one tab, drawn in parallel by the process pool."""
    from concurrent.futures.process import BrokenProcessPool

    from svjournal.charts.dashboard import build_figures, chart_tabs, render_png
    from svjournal.charts.pool import shared_pool, shutdown_shared_pool

    r = rendered
    # The charts may name their tab in the user's language: the page's key is the English.
    indices = [i for i, chart_tab in enumerate(chart_tabs()) if chart_tab in (tab, tr(tab))]
    try:
        drawn = shared_pool().render(
            r.dashboard, r.dark, r.departments, r.figsize, r.scale, indices
        )
    except (BrokenProcessPool, OSError):
        # A worker died (or processes cannot start here): start afresh next time, and draw
        # this time in this thread — slower, but the charts still appear.
        shutdown_shared_pool()
        figures = build_figures(r.dashboard, r.dark, r.departments, r.figsize)
        drawn = [
            (figures[i][0], figures[i][1], render_png(figures[i][2], r.scale)) for i in indices
        ]
    # Each chart keeps the page's name of its tab (`tab`), whatever words the charts use.
    return [
        RenderedChart(i, tab, title, png, decoded(png))
        for i, (_tab, title, png) in zip(indices, drawn, strict=True)
    ]


def decoded(png: bytes) -> QImage:
    image = QImage()
    image.loadFromData(png, "PNG")
    return image


def by_month(dash: Dashboard) -> Dashboard:
    """The dashboard with its follow-ups per month in place of per week (months-only data)."""

    from svjournal.core.stats_model import WeeklyFollowUps

    months = [
        WeeklyFollowUps(date.fromisoformat(m.month + "-01"), m.due, m.on_time, m.late, m.missed)
        for m in dash.follow_up_months
    ]
    return replace(dash, follow_up_weeks=months, follow_up_grain="month")


def compute(
    session: JournalSession,
    filt: StatsFilter,
    dark: bool,
    scale: float,
    figsize: tuple[float, float] = FIGSIZE,
    tab: str = "Follow-ups",
    source: DataSource | None = None,
    months_only: bool = False,
) -> RenderedDashboard:
    """Runs on a worker thread: the SQL aggregates, then the charts of the tab on screen.

    The other tabs are drawn when they are opened: on two cores, drawing all twelve charts
    would take about a second more before anything could be shown. `source` gives the
    figures (queried here, off the GUI thread); by default the journal's own.
    """
    dash = (source if source is not None else session.data).dashboard(filt)
    if months_only:
        dash = by_month(dash)
    departments = {d["code"]: d["label"] for d in session.journal.setting("departments")}
    rendered = RenderedDashboard(dash, [], dark, departments, figsize, scale)
    rendered.charts = draw_tab(rendered, tab)
    return rendered
