"""The Reports view: preview of the suppressed figures, export, export log, bad choices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from svjournal.core import demo
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.operations.sources import JournalData
from svjournal.reports.model import CellState
from svjournal.ui.pages.reports import ReportsPage
from svjournal.ui.report_dialog import ReportDialog
from svjournal.ui.session import JournalSession

TODAY = date(2026, 11, 26)


@pytest.fixture
def page(vault: Vault, qtbot: QtBot) -> ReportsPage:
    demo.generate(vault.engine, cases=60, seed=5, anchor=TODAY)
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    reports = ReportsPage(session, today=lambda: TODAY)
    qtbot.addWidget(reports)
    reports.resize(1200, 800)
    reports.show()
    return reports


def _ready(qtbot: QtBot, page: ReportsPage) -> None:
    qtbot.waitUntil(lambda: page.report is not None and not page.runner.busy, timeout=30_000)


def test_preview_shows_the_suppressed_figures(page: ReportsPage, qtbot: QtBot) -> None:
    page.refresh()
    _ready(qtbot, page)
    assert page.report is not None
    html = page.preview.toPlainText()
    assert "Confidential — de-identified aggregate report" in html
    encounters = next(k for k in page.report.kpis if k.key == "encounters").current
    assert encounters.text in html
    smalls = [
        c for t in page.report.tables for r in t.rows for c in r.cells if c.state is CellState.SMALL
    ]
    assert smalls and "<5" in html
    assert page.report.period.start == date(2026, 1, 1)  # "This year so far"


def test_threshold_zero_shows_every_count(page: ReportsPage, qtbot: QtBot) -> None:
    page.threshold.setValue(0)
    _ready(qtbot, page)
    assert page.report is not None and page.report.threshold == 0
    assert "<5" not in page.preview.toPlainText()


def test_thresholds_one_and_two_are_stepped_over(page: ReportsPage) -> None:
    page.threshold.setValue(0)
    page.threshold.setValue(1)  # stepping up from off
    assert page.threshold.value() == 3
    page.threshold.setValue(2)  # stepping down from 3
    assert page.threshold.value() == 0


def test_export_writes_the_previewed_report_and_logs_it(
    page: ReportsPage, qtbot: QtBot, tmp_path: Path
) -> None:
    page.refresh()
    _ready(qtbot, page)
    dest = tmp_path / "leaders.pdf"
    page.export_to(dest)
    qtbot.waitUntil(lambda: page.show_folder.isVisible(), timeout=30_000)
    assert dest.stat().st_mode & 0o777 == 0o600
    text = "\n".join(p.extract_text() for p in PdfReader(dest).pages)
    assert page.session.journal.setting("programme_name") in text
    log = page.session.journal.export_log()
    assert [e.kind for e in log if e.destination == str(dest)] == ["report-pdf"]
    assert str(dest) in page.status.text()


def test_departments_and_dates_are_checked(page: ReportsPage, qtbot: QtBot) -> None:
    page.all_departments.setChecked(False)
    assert not page.export_button.isEnabled()
    assert "Tick at least one department" in page.status.text()
    page.departments.item(0).setCheckState(Qt.CheckState.Checked)
    _ready(qtbot, page)
    assert page.export_button.isEnabled()
    code = page.departments.item(0).data(Qt.ItemDataRole.UserRole)
    assert page.report is not None
    assert {r.code for r in page.report.table("by_department").rows} == {code}
    # Intensive care alone holds fewer than 5 people this year: the preview withholds every
    # table and says why (issue 12 part 4).
    page.departments.item(0).setCheckState(Qt.CheckState.Unchecked)
    page.departments.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(
        lambda: (
            page.report is not None
            and page.report.departments == ("Intensive care",)
            and not page.runner.busy
        ),
        timeout=30_000,
    )
    assert page.report is not None and page.report.tables == ()
    assert "Fewer than 5 people are in this report" in page.preview.toPlainText()
    page.preset.setCurrentIndex(page.preset.count() - 1)  # custom dates
    page.end.setDate(page.start.date().addDays(-1))
    assert "ends before it starts" in page.status.text()
    assert not page.export_button.isEnabled()


def test_report_dialog_runs_over_another_source(vault: Vault, qtbot: QtBot) -> None:
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    dialog = ReportDialog(
        None, source=JournalData(vault), scope_label="Team: 3 supporters", session=session
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.panel.report is not None, timeout=30_000)
    assert dialog.panel.report is not None
    assert dialog.panel.report.scope == "Team: 3 supporters"
    dialog.reject()
    assert dialog.panel.report is None


def test_the_report_speaks_its_own_language_the_window_stays_in_its(
    page: ReportsPage, qtbot: QtBot, tmp_path: Path
) -> None:
    from svjournal.core import i18n

    page.refresh()
    _ready(qtbot, page)
    english = page.report
    assert english is not None
    page.language.addItem("pseudo", i18n.PSEUDO)  # no catalogue ships in the tests' tree
    page.language.setCurrentIndex(page.language.count() - 1)
    qtbot.waitUntil(lambda: page.report is not english and not page.runner.busy, timeout=30_000)
    report = page.report
    assert report is not None
    shown = page.preview.toPlainText()
    assert "[Çöñƒîđéñţîåļ" in shown and "Confidential" not in shown
    # The same figures, other words.
    assert [k.current.value for k in report.kpis] == [k.current.value for k in english.kpis]
    page.format.setCurrentIndex(page.format.findData("csv"))
    dest = tmp_path / "leaders.csv"
    page.export_to(dest)
    qtbot.waitUntil(lambda: page.show_folder.isVisible(), timeout=30_000)
    written = dest.read_text(encoding="utf-8-sig")
    assert "Ţ" in written or "é" in written  # accented words: the report's language
    assert i18n.current() == i18n.SOURCE
    assert not page.status.text().startswith("[")  # the window's own words stay English
