"""Charts: KPIs with their change, and the follow-up, stage and team-wide impact charts.

Aggregation and drawing both run on the thread pool (matplotlib's Figure API with the Agg
canvas is safe off the GUI thread); the GUI thread only places finished images, so it never
blocks on a large journal.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from svjournal.charts.tables import chart_tables
from svjournal.core import vocab
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.i18n import N_, tr
from svjournal.core.stats_model import StatsFilter
from svjournal.ui import errors, period_picker
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.file_dialogs import ask_save_path
from svjournal.ui.formatting import date_format, format_signed, format_span
from svjournal.ui.pages.chart_card import ChartCard
from svjournal.ui.pages.charts_render import RenderedChart, RenderedDashboard, compute, draw_tab
from svjournal.ui.pages.common import busy_bar, heading, hint
from svjournal.ui.pages.kpi_strip import KPI_CARDS, KpiCard, KpiStrip, days_text, no_earlier
from svjournal.ui.session import JournalSession
from svjournal.ui.theme import is_dark

__all__ = ["ChartCard", "ChartsPage"]

# The tabs, by the names the charts give them (charts/dashboard.py): the page's keys, shown
# translated.
TABS = (N_("Follow-ups"), N_("Recovery stages"), N_("Team-wide impact"))

if TYPE_CHECKING:
    from svjournal.operations.sources import DataSource


class ChartsPage(QWidget):
    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        source: DataSource | None = None,
        title: str | None = None,
        days_only: bool = False,
        months_only: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        """`source` (queried on a worker thread) gives other figures to chart, e.g. the
        merged team data; `title` heads the page ("Charts" when None, none when "");
        `days_only` says its dates carry no time of day, so waits are shown in days;
        `months_only` that they carry months, not days (team bundles), so follow-ups are
        charted by month, not by week."""
        super().__init__(parent)
        title = tr("Charts") if title is None else title
        self.session = session
        self.source = source
        self.days_only = days_only
        self.months_only = months_only
        self._today = today
        self.runner = BackgroundRunner(self)  # aggregates + the open tab's charts
        self.tab_runner = BackgroundRunner(self)  # another tab's charts, when it is opened
        self.rendered: RenderedDashboard | None = None
        self.as_table: set[int] = set()  # charts the user chose to see as tables
        self.preset = QComboBox()
        self.preset.setAccessibleName(tr("Period"))
        period_picker.fill(self.preset, today())  # last quarter, as the team bundles
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, tr("From")), (self.end, tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self.refresh)
        period_picker.sync(self.preset, self.start, self.end, today())
        self.department = QComboBox()
        self.department.setAccessibleName(tr("Department"))
        self.role = QComboBox()
        self.role.setAccessibleName(tr("Role"))
        # Wide enough for "All departments" whatever the longest name: the filter row must
        # fit the Team page at 1024 px without cutting the choice shown.
        for combo, shown in ((self.department, _all_departments()), (self.role, _all_roles())):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(len(shown) + 1)
        self.busy = busy_bar(tr("Calculating"), (self.runner, self.tab_runner), self._idle_check)
        self.status = hint("")

        controls = QHBoxLayout()
        for widget in (self.preset, self.start, self.end, self.department, self.role):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.busy)
        self.kpis: list[KpiCard] = [KpiCard(title) for title, _v, _c in KPI_CARDS]
        self.kpi_strip = KpiStrip(self.kpis)
        self.tabs = QTabWidget()
        self.grids: dict[str, QGridLayout] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        for name in TABS:
            holder = QWidget()
            grid = QGridLayout(holder)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            # Charts shrink to the width there is: never sideways scrolling.
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(holder)
            self.tabs.addTab(scroll, tr(name))
            self.grids[name] = grid
            self.scrolls[name] = scroll
        # After the window is resized, the open tab is drawn again for its new size.
        self.resize_timer = QTimer(self)
        self.resize_timer.setSingleShot(True)
        self.resize_timer.setInterval(300)
        self.resize_timer.timeout.connect(self._redraw_for_size)
        layout = QVBoxLayout(self)
        if title:
            layout.addWidget(heading(title))
        layout.addLayout(controls)
        layout.addWidget(self.kpi_strip)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.department.currentIndexChanged.connect(self.refresh)
        self.role.currentIndexChanged.connect(self.refresh)

    def _idle_check(self) -> None:
        if not (self.runner.busy or self.tab_runner.busy):
            self.busy.hide()

    def current_filter(self) -> StatsFilter:
        period = period_picker.sync(self.preset, self.start, self.end, self._today())
        return StatsFilter(period, self.department.currentData(), self.role.currentData())

    def refresh(self) -> None:
        if not self.department.count():
            self._fill_filters()
        filt = self.current_filter()
        if filt.period.end < filt.period.start:
            self.status.setText(tr("The period ends before it starts."))
            return
        dark = is_dark(self.palette())
        scale = self.devicePixelRatioF()
        session, source, months_only = self.session, self.source, self.months_only
        self.status.setText(format_span(filt.period))
        figsize = self._figsize()
        tab = self.current_tab()
        self.tab_runner.cancel()
        self.runner.submit(
            lambda: compute(session, filt, dark, scale, figsize, tab, source, months_only),
            self._show,
            self._failed,
        )

    def current_tab(self) -> str:
        """The open tab's key (its English name, as the charts know it)."""
        return TABS[max(0, self.tabs.currentIndex())]

    def _tab_changed(self) -> None:
        """Draw a tab's charts the first time it is opened for the current figures."""
        rendered = self.rendered
        tab = self.current_tab()
        if rendered is None or self.runner.busy or tab in rendered.tabs_drawn():
            return
        self.tab_runner.submit(lambda: draw_tab(rendered, tab), self._add_charts, self._failed)

    def _figsize(self) -> tuple[float, float]:
        """Two charts side by side in the space there is, a row as tall as the tab allows
        (within sensible proportions); figures are 100 dpi."""
        scroll = self.scrolls[self.current_tab()]
        viewport = scroll.viewport().size() if scroll.isVisible() else self.tabs.size()
        grid = self.grids[self.current_tab()]
        margins = grid.contentsMargins()
        card = 24  # a card's frame and margins around its image
        width = viewport.width() - margins.left() - margins.right() - grid.horizontalSpacing()
        column = width // 2 - card - scroll.verticalScrollBar().sizeHint().width() // 2
        save_row = self.fontMetrics().height() * 2 + 12  # the save button below the chart
        room = viewport.height() - margins.top() - margins.bottom() - card - save_row
        height = min(max(room, column * 0.45), column * 0.9)  # one row fills the tab
        # Never under 4.2 × 2.8 in, the smallest size the charts are checked to draw cleanly
        # at (tests/unit/test_chart_layout.py): a narrower cell shows them scaled down.
        column, height = max(420, column), max(280, height)
        return round(column / 100, 2), round(height / 100, 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.rendered is not None:
            self.resize_timer.start()

    def _redraw_for_size(self) -> None:
        """Charts were drawn for another size: draw the open tab again (others when opened)."""
        rendered = self.rendered
        if rendered is None or self.runner.busy or not self.isVisible():
            return
        new = self._figsize()
        old = rendered.figsize
        if abs(new[0] - old[0]) < 0.1 * old[0] and abs(new[1] - old[1]) < 0.1 * old[1]:
            return
        self.rendered = replace(rendered, charts=[], figsize=new)
        self._tab_changed()

    def clear(self) -> None:
        self.runner.cancel()
        self.tab_runner.cancel()
        self.rendered = None
        for grid in self.grids.values():
            _empty_grid(grid)

    def _fill_filters(self) -> None:
        self.department.blockSignals(True)
        self.role.blockSignals(True)
        self.department.addItem(_all_departments(), None)
        for dept in self.session.journal.setting("departments"):
            self.department.addItem(dept["label"], dept["code"])
        self.role.addItem(_all_roles(), None)
        for term in vocab.ROLES:
            self.role.addItem(term.label, term.code)
        self.department.blockSignals(False)
        self.role.blockSignals(False)

    def _preset_changed(self) -> None:
        self.refresh()  # puts the preset's dates in the fields

    def _show(self, rendered: RenderedDashboard) -> None:
        self.rendered = rendered
        dash = rendered.dashboard
        for card, (_title, value, change) in zip(self.kpis, KPI_CARDS, strict=True):
            card.value.setText(value(dash.kpis))
            card.change.setText(change(dash.kpis, dash.previous))
        if self.days_only:  # whole days: "24 h" would suggest a precision the data lacks
            card = self.kpis[2]
            now, before = (k.median_hours_to_first_contact for k in (dash.kpis, dash.previous))
            card.title.setText(tr("Median days to first contact"))
            card.value.setText("—" if now is None else days_text(now / 24))
            card.change.setText(
                no_earlier()
                if now is None or before is None
                # Translators: a change in days, with one decimal, against the period before.
                else tr("{change} days vs previous period").format(
                    change=format_signed((now - before) / 24, 1)
                )
            )
        for grid in self.grids.values():
            _empty_grid(grid)
        self._place(rendered.charts)
        period = dash.filter.period
        span, previous = format_span(period), format_span(period.previous())
        if dash.empty:
            # Translators: the period shown, the one before it, and that nothing was recorded.
            text = tr("{period} · compared with {previous} · nothing recorded in this period")
        else:
            # Translators: the period shown and the one before it, e.g. "1 Jul – 30 Sep 2026 ·
            # compared with 1 Apr – 30 Jun 2026".
            text = tr("{period} · compared with {previous}")
        self.status.setText(text.format(period=span, previous=previous))
        self._tab_changed()  # the user may have switched tabs while the figures were computed

    def _add_charts(self, charts: list[RenderedChart]) -> None:
        if self.rendered is None:
            return
        self.rendered.charts.extend(charts)
        self._place(charts)

    def _place(self, charts: list[RenderedChart]) -> None:
        scale = self.devicePixelRatioF()
        assert self.rendered is not None
        # The numbers of each chart, from the same figures (cheap: no drawing).
        tables = chart_tables(self.rendered.dashboard, self.rendered.departments)
        by_tab: dict[str, list[RenderedChart]] = {}
        for chart in charts:
            by_tab.setdefault(chart.tab, []).append(chart)
        for tab, tab_charts in by_tab.items():
            grid = self.grids[tab]
            _empty_grid(grid)
            for n, chart in enumerate(tab_charts):
                card = ChartCard(chart, scale, self.save_chart, tables[chart.index], self.as_table)
                grid.addWidget(card, n // 2, n % 2)
            for row in range(grid.rowCount()):
                grid.setRowStretch(row, 0)
            grid.setRowStretch((len(tab_charts) + 1) // 2, 1)  # spare room below, not between

    def _failed(self, exc: BaseException) -> None:
        if self.session.is_unlocked:
            errors.show_error(self, exc)

    def save_chart(self, chart: RenderedChart, path: str | None = None) -> Path | None:
        if path is None:
            name = chart.title.lower().replace(" ", "-") + ".png"
            kinds = ";;".join((tr("PNG image (*.png)"), tr("SVG image (*.svg)")))
            chosen = ask_save_path(self, tr("Save chart"), name, kinds)
            if chosen is None:
                return None
            path = str(chosen)
        target = Path(path)
        fmt = "svg" if target.suffix.lower() == ".svg" else "png"
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".png")
        from svjournal.charts.dashboard import build_figures

        assert self.rendered is not None
        r = self.rendered
        figure = build_figures(r.dashboard, r.dark, r.departments, r.figsize)[chart.index][2]
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, facecolor=figure.get_facecolor())
        atomic_write_bytes(target, buffer.getvalue())  # owner-only, never half-written
        self.session.journal.record_export("chart", target.name, detail=chart.title)
        return target


def _all_departments() -> str:
    return tr("All departments")


def _all_roles() -> str:
    return tr("All roles")


def _empty_grid(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        if item is not None and (widget := item.widget()) is not None:
            widget.deleteLater()
