"""The Charts view: figures from the real aggregates, KPIs with their change, saving a chart."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from svjournal.core import demo, stats
from svjournal.core.secrets import OSKeyStore
from svjournal.core.stats_model import Period, StatsFilter
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
    end = date.today()
    expected = stats.dashboard(
        page.session.vault.engine, StatsFilter(Period(end - timedelta(days=90), end))
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
