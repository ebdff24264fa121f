"""The Charts view: figures from the real aggregates, KPIs with their change, saving a chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from svjournal.core import demo, periods, stats
from svjournal.core.secrets import OSKeyStore
from svjournal.core.stats_model import StatsFilter
from svjournal.core.vault import Vault
from svjournal.ui.pages.charts import ChartsPage
from svjournal.ui.session import JournalSession


@pytest.fixture
def page(vault: Vault, qtbot: QtBot) -> ChartsPage:
    demo.generate(vault.engine, cases=120, seed=11, anchor=date.today())
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    charts = ChartsPage(session)
    qtbot.addWidget(charts)
    charts.resize(1200, 800)
    charts.show()
    return charts


def _wait(qtbot: QtBot, page: ChartsPage) -> None:
    qtbot.waitUntil(lambda: page.rendered is not None and not page.runner.busy, timeout=60_000)


def test_kpis_and_charts_come_from_the_aggregates(page: ChartsPage, qtbot: QtBot) -> None:
    page.refresh()
    _wait(qtbot, page)
    assert page.rendered is not None
    # The default is the previous calendar quarter (as Reports and team bundles mean it).
    expected = stats.dashboard(
        page.session.vault.engine, StatsFilter(periods.LAST_QUARTER.period(date.today()))
    )
    assert page.kpis[0].value.text() == str(expected.kpis.encounters)
    assert page.kpis[1].value.text() == str(expected.kpis.people_reached)
    assert page.kpis[5].value.text() == str(expected.kpis.open_cases)
    delta = expected.kpis.encounters - expected.previous.encounters
    assert page.kpis[0].change.text() == f"{delta:+d} vs previous period"
    # The open tab is drawn with the figures; the others when they are first opened.
    assert page.rendered.tabs_drawn() == {"Follow-ups"}
    for index in (1, 2):
        page.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not page.tab_runner.busy, timeout=60_000)
    assert page.rendered.tabs_drawn() == {"Follow-ups", "Recovery stages", "Team-wide impact"}
    assert len(page.rendered.charts) == 12
    assert all(chart.png.startswith(b"\x89PNG") for chart in page.rendered.charts)
    assert sum(grid.count() for grid in page.grids.values()) == len(page.rendered.charts)


def test_filters_change_the_figures(page: ChartsPage, qtbot: QtBot) -> None:
    page.refresh()
    _wait(qtbot, page)
    everyone = page.rendered.dashboard.kpis.encounters  # type: ignore[union-attr]
    page.rendered = None
    page.role.setCurrentIndex(page.role.findData("nurse"))
    _wait(qtbot, page)
    nurses = page.rendered.dashboard  # type: ignore[union-attr]
    assert nurses.filter.role == "nurse"
    assert 0 < nurses.kpis.encounters < everyone


def test_custom_period_and_empty_period(page: ChartsPage, qtbot: QtBot) -> None:
    page.preset.setCurrentIndex(page.preset.count() - 1)  # Custom…
    assert page.start.isEnabled()
    page.rendered = None
    page.start.setDate(page.start.date().addYears(-20))
    page.end.setDate(page.start.date().addDays(30))
    _wait(qtbot, page)
    assert page.rendered is not None and page.rendered.dashboard.empty
    assert "nothing recorded" in page.status.text()


def test_save_chart_as_png_and_svg(page: ChartsPage, qtbot: QtBot, tmp_path: Path) -> None:
    page.refresh()
    _wait(qtbot, page)
    chart = page.rendered.charts[0]  # type: ignore[union-attr]
    png = page.save_chart(chart, str(tmp_path / "weeks.png"))
    svg = page.save_chart(chart, str(tmp_path / "weeks.svg"))
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")
    assert svg is not None and b"<svg" in svg.read_bytes()[:400]
    assert (png.stat().st_mode & 0o077) == 0
    kinds = [(e.kind, e.destination) for e in page.session.journal.export_log()]
    assert ("chart", "weeks.svg") in kinds and ("chart", "weeks.png") in kinds


def test_period_names_mean_one_thing_and_the_greyed_dates_show_it(
    vault: Vault, qtbot: QtBot
) -> None:
    from svjournal.ui.report_panel import ReportPanel, ReportSource

    today = date(2026, 11, 26)
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    charts = ChartsPage(session, today=lambda: today)
    reports = ReportPanel(session, ReportSource("Your journal", session.data), today=lambda: today)
    for widget in (charts, reports):
        qtbot.addWidget(widget)
    assert charts.preset.currentText() == "Last quarter"
    assert (charts.start.date().toPython(), charts.end.date().toPython()) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    labels = [charts.preset.itemText(i) for i in range(charts.preset.count())]
    assert labels == [reports.preset.itemText(i) for i in range(reports.preset.count())]
    for label in labels[:-1]:
        charts.preset.setCurrentText(label)
        reports.preset.setCurrentText(label)
        expected = next(p for p in periods.PRESETS if p.label == label).period(today)
        assert charts.current_filter().period == expected
        assert reports.request().period == expected
        for page in (charts, reports):  # greyed, and showing the preset's own dates
            assert not page.start.isEnabled()
            assert (page.start.date().toPython(), page.end.date().toPython()) == (
                expected.start,
                expected.end,
            )
        assert charts.preset.toolTip().startswith(f"{label}: ")
    charts.preset.setCurrentText("Last quarter")
    assert charts.preset.toolTip() == (
        "Last quarter: the previous calendar quarter, Jul 1\u2009–\u2009Sep 30, 2026. "
        "Compared with the quarter before, Apr 1\u2009–\u2009Jun 30, 2026."
    )
    charts.preset.setCurrentText("Custom dates…")
    assert charts.start.isEnabled() and charts.end.isEnabled()


def test_every_chart_shows_its_numbers_as_a_table(page: ChartsPage, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QTableView, QTableWidget

    from svjournal.charts.dashboard import chart_specs
    from svjournal.charts.style import ChartStyle
    from svjournal.charts.tables import chart_tables
    from svjournal.ui.pages.charts import ChartCard

    page.refresh()
    _wait(qtbot, page)
    for index in (1, 2):
        page.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not page.tab_runner.busy, timeout=60_000)
    assert page.rendered is not None
    dash = page.rendered.dashboard
    tables = chart_tables(dash, page.rendered.departments)
    specs = chart_specs(dash, ChartStyle.light(), page.rendered.departments)
    assert [t.title for t in tables] == [title for _tab, title, _build in specs]
    cards = page.findChildren(ChartCard)
    assert len(cards) == 12 and not page.findChildren(QTableWidget)
    for card in cards:
        button = card.table_button
        assert isinstance(button, QPushButton) and button.text() == "Show as table"
        assert button.accessibleName() == f"Show as table: {card.chart.title}"
        button.click()
        assert card.view.currentIndex() == 1 and button.text() == "Show as chart"
        view = card.table
        assert isinstance(view, QTableView)
        assert view.accessibleName() == f"{card.chart.title} as a table"
        model = view.model()
        table = tables[card.chart.index]
        headers = [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(table.columns))
        ]
        assert headers == list(table.columns)
        shown = [
            tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())
        ]
        assert shown == list(table.rows)
    # The numbers are the chart's: the encounters per month add up to the KPI.
    monthly = tables[5]
    assert sum(int(r[1]) + int(r[2]) for r in monthly.rows) == dash.kpis.encounters
    follow_ups = tables[0]
    assert sum(int(r[1]) for r in follow_ups.rows) == dash.kpis.follow_ups_due
    # Shown as tables in a narrow window, no heading or figure is cut.
    from tests.ui import layout_checks

    page.resize(1000, 640)
    layout_checks.settle()
    for index in range(3):
        page.tabs.setCurrentIndex(index)
        layout_checks.settle()
        assert layout_checks.table_problems(page) == [], page.tabs.tabText(index)
        for card in page.findChildren(ChartCard):
            if not card.isVisible():
                continue
            metrics, model = card.table.fontMetrics(), card.table.model()
            for r in range(model.rowCount()):
                label = str(model.index(r, 0).data())
                assert card.table.columnWidth(0) >= metrics.horizontalAdvance(label), label
    # The choice survives a redraw (e.g. after a resize).
    chosen = {card.chart.index for card in cards}
    assert page.as_table == chosen
    page._place(page.rendered.charts)
    assert all(c.view.currentIndex() == 1 for c in page.findChildren(ChartCard) if c.isVisible())


def test_the_gui_thread_only_places_charts(page: ChartsPage, qtbot: QtBot) -> None:
    """What placing a tab costs the GUI thread: the PNGs arrive decoded by the worker, and a
    chart's table view is built only when it is asked for (the longest GUI stall while
    charts were computed was ~100 ms, most of it decoding and building hidden tables)."""
    import threading

    from PySide6.QtWidgets import QTableView

    from svjournal.ui.pages import charts_render
    from svjournal.ui.pages.charts import ChartCard

    decoded_on: list[bool] = []
    real = charts_render.decoded

    def spy(png: bytes) -> object:
        decoded_on.append(threading.current_thread() is threading.main_thread())
        return real(png)

    charts_render.decoded = spy  # type: ignore[assignment]
    try:
        page.refresh()
        _wait(qtbot, page)
    finally:
        charts_render.decoded = real
    assert page.rendered is not None
    assert decoded_on and not any(decoded_on)
    # Placed, each chart keeps its pixmap only (the decoded image would double its pixels).
    assert all(c.image is None for c in page.rendered.charts)
    cards = page.findChildren(ChartCard)
    assert len(cards) == len(page.rendered.charts) > 0 and not page.findChildren(QTableView)
    assert all(not card.image.pixmap().isNull() for card in cards)
    first = cards[0]
    assert first.table is None and first.table_button is not None
    first.table_button.click()
    assert isinstance(first.table, QTableView) and len(page.findChildren(QTableView)) == 1
    assert first.view.currentWidget().isAncestorOf(first.table)
