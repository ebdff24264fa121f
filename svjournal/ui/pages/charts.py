"""Charts: KPIs with their change, and the follow-up, stage and team-wide impact charts.

Aggregation and drawing both run on the thread pool (matplotlib's Figure API with the Agg
canvas is safe off the GUI thread); the GUI thread only places finished images, so it never
blocks on a large journal.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from svjournal.charts.dashboard import FIGSIZE
from svjournal.charts.tables import ChartTable, chart_tables
from svjournal.core import vocab
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.stats_model import Dashboard, Kpis, StatsFilter
from svjournal.ui import errors, period_picker
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.chart_table import chart_table_view
from svjournal.ui.file_dialogs import ask_save_path
from svjournal.ui.formatting import date_format, format_span
from svjournal.ui.pages.common import heading, hint
from svjournal.ui.scaled_image import ScaledImage
from svjournal.ui.session import JournalSession
from svjournal.ui.theme import is_dark

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
    indices = [i for i, chart_tab in enumerate(chart_tabs()) if chart_tab == tab]
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
    return [
        RenderedChart(i, t, title, png, _decoded(png))
        for i, (t, title, png) in zip(indices, drawn, strict=True)
    ]


def _decoded(png: bytes) -> QImage:
    image = QImage()
    image.loadFromData(png, "PNG")
    return image


def by_month(dash: Dashboard) -> Dashboard:
    """The dashboard with its follow-ups per month in place of per week (months-only data)."""
    from dataclasses import replace

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


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} h" if value < 72 else f"{value / 24:.1f} days"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def _change(
    now: float | None, before: float | None, *, rate: bool = False, hours: bool = False
) -> str:
    if now is None or before is None:
        return "no earlier figure"
    delta = now - before
    if rate:
        return f"{delta * 100:+.0f} pts vs previous period"
    if hours:
        return f"{delta:+.0f} h vs previous period"
    return f"{delta:+.0f} vs previous period"


def _kpi(
    title: str, field: str, show: Callable[[Any], str], **change: bool
) -> tuple[str, Callable[[Kpis], str], Callable[[Kpis, Kpis], str]]:
    return (
        title,
        lambda k: show(getattr(k, field)),
        lambda k, p: _change(getattr(k, field), getattr(p, field), **change),
    )


KPI_CARDS: list[tuple[str, Callable[[Kpis], str], Callable[[Kpis, Kpis], str]]] = [
    _kpi("Encounters", "encounters", str),
    _kpi("People reached", "people_reached", str),
    _kpi("Median time to first contact", "median_hours_to_first_contact", _hours, hours=True),
    _kpi("Follow-ups kept on time", "follow_up_completion", _rate, rate=True),
    _kpi("Escalation rate (Tier 3)", "escalation_rate", _rate, rate=True),
    ("Open cases", lambda k: str(k.open_cases), lambda k, p: "now, whatever the period"),
]


class KpiCard(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = hint(title)
        self.value = heading("—")
        self.change = hint("")
        layout = QVBoxLayout(self)
        # Compact: the strip sits above the charts, and every pixel it takes they lose.
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for label in (self.title, self.value, self.change):
            layout.addWidget(label)
        self.setAccessibleName(title)


class KpiStrip(QWidget):
    """The KPI cards in as many columns as fit, in rows below each other when they do not."""

    def __init__(self, cards: list[KpiCard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # A card needs room for its value and a short title line; below that, wrap the row.
        self.card_width = self.fontMetrics().averageCharWidth() * 20
        self.columns = 0
        self._needed = 0  # the height the cards need at the current width
        self._place(len(cards))

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for n, card in enumerate(self.cards):
            self.grid.addWidget(card, n // columns, n % columns)
        for column in range(len(self.cards)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def minimumSizeHint(self) -> QSize:
        # As tall as the wrapped titles need at this width: layouts above (a splitter) do
        # not ask for the height for a width, and would squeeze the cards' text.
        hint = super().minimumSizeHint()
        return QSize(self.card_width, max(hint.height(), self._needed))

    def resizeEvent(self, event: QResizeEvent) -> None:
        spacing = self.grid.horizontalSpacing()
        fit = (event.size().width() + spacing) // (self.card_width + spacing)
        self._place(max(1, min(len(self.cards), fit)))
        needed = self.grid.totalHeightForWidth(event.size().width())
        if needed != self._needed:
            self._needed = needed
            self.updateGeometry()
        super().resizeEvent(event)


class ChartCard(QFrame):
    def __init__(
        self,
        chart: RenderedChart,
        scale: float,
        on_save: Callable[[RenderedChart], None],
        table: ChartTable | None = None,
        as_table: set[int] | None = None,
    ) -> None:
        """`table` holds the chart's numbers ("Show as table"); `as_table` is the page's set
        of charts shown as tables, so the choice survives a redraw."""
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = chart
        # Scales with its cell until the page redraws it at the new size (see ChartsPage).
        image = ScaledImage(minimum_width=160)
        pixmap = QPixmap.fromImage(chart.image) if chart.image is not None else _pixmap(chart.png)
        pixmap.setDevicePixelRatio(scale)
        image.setPixmap(pixmap)
        image.setAccessibleName(chart.title)
        self.image = image
        save = QPushButton("Save as PNG or SVG…")
        save.setAccessibleName(f"Save chart: {chart.title}")
        save.clicked.connect(lambda: on_save(chart))
        self.view = QStackedWidget()
        self.view.addWidget(image)
        self.table_button: QPushButton | None = None
        # The table view is built the first time it is asked for: building one for every
        # card took ~9 ms each on the GUI thread, for views most people never open.
        self._table_data = table
        self.table: QTableView | None = None
        row = QHBoxLayout()
        row.addStretch(1)
        if table is not None:
            button = QPushButton("Show as table")
            button.setCheckable(True)
            button.setAccessibleName(f"Show as table: {chart.title}")
            self.table_button = button
            button.toggled.connect(lambda on: self._show_table(on, as_table))
            button.setChecked(as_table is not None and chart.index in as_table)
            row.addWidget(button)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(row)

    def _table_view(self) -> QTableView:
        if self.table is None:
            table = self._table_data
            assert table is not None
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            self.table = chart_table_view(table)
            inner.addWidget(self.table, 1)
            if table.note or not table.rows:
                inner.addWidget(hint(table.note or "Nothing to show in this period."))
            self.view.addWidget(holder)
        return self.table

    def _show_table(self, on: bool, shown: set[int] | None) -> None:
        if on:
            self._table_view()
        self.view.setCurrentIndex(1 if on else 0)
        assert self.table_button is not None
        self.table_button.setText("Show as chart" if on else "Show as table")
        if shown is not None:
            (shown.add if on else shown.discard)(self.chart.index)


class ChartsPage(QWidget):
    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        *,
        source: DataSource | None = None,
        title: str = "Charts",
        days_only: bool = False,
        months_only: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        """`source` (queried on a worker thread) gives other figures to chart, e.g. the
        merged team data; `title` heads the page; `days_only` says its dates carry no time
        of day, so waits are shown in whole days; `months_only` that they carry months, not
        days (team bundles), so follow-ups are charted by month, not by week."""
        super().__init__(parent)
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
        self.preset.setAccessibleName("Period")
        period_picker.fill(self.preset, today())  # last quarter, as the team bundles
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self.refresh)
        period_picker.sync(self.preset, self.start, self.end, today())
        self.department = QComboBox()
        self.department.setAccessibleName("Department")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        # Wide enough for "All departments" whatever the longest name: the filter row must
        # fit the Team page at 1024 px without cutting the choice shown.
        for combo, shown in ((self.department, "All departments"), (self.role, "All roles")):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(len(shown) + 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumHeight(self.fontMetrics().height())
        self.busy.setAccessibleName("Calculating")
        self.busy.hide()
        for runner in (self.runner, self.tab_runner):
            runner.started.connect(self.busy.show)
            runner.finished.connect(self._idle_check)
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
        for name in ("Follow-ups", "Recovery stages", "Team-wide impact"):
            holder = QWidget()
            grid = QGridLayout(holder)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            # Charts shrink to the width there is: never sideways scrolling.
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(holder)
            self.tabs.addTab(scroll, name)
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
            self.status.setText("The period ends before it starts.")
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
        return self.tabs.tabText(self.tabs.currentIndex())

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
        self.department.addItem("All departments", None)
        for dept in self.session.journal.setting("departments"):
            self.department.addItem(dept["label"], dept["code"])
        self.role.addItem("All roles", None)
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
            card.title.setText("Median days to first contact")
            card.value.setText("—" if now is None else f"{now / 24:.1f} days")
            card.change.setText(
                "no earlier figure"
                if now is None or before is None
                else f"{(now - before) / 24:+.1f} days vs previous period"
            )
        for grid in self.grids.values():
            _empty_grid(grid)
        self._place(rendered.charts)
        period = dash.filter.period
        self.status.setText(
            f"{format_span(period)} · compared with {format_span(period.previous())}"
            + (" · nothing recorded in this period" if dash.empty else "")
        )
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
            chosen = ask_save_path(self, "Save chart", name, "PNG image (*.png);;SVG image (*.svg)")
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


def _pixmap(png: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(png, "PNG")
    return pixmap


def _empty_grid(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        if item is not None and item.widget() is not None:
            item.widget().deleteLater()
