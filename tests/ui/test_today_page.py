"""Today in an empty journal: a first step, not claims about referrals that do not exist."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from svjournal.core import demo
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from svjournal.ui.pages.today import FIRST_STEP, TodayPage


def _shown_texts(page: TodayPage) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel) if label.isVisible()]


def test_an_empty_journal_shows_how_to_begin(journal: Journal, qtbot: QtBot) -> None:
    page = TodayPage(journal)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    texts = _shown_texts(page)
    assert FIRST_STEP in texts
    assert not any("referral" in text and "contacted" in text for text in texts)
    started: list[bool] = []
    page.new_case.connect(lambda: started.append(True))
    [button] = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    button.click()
    assert started == [True]


def test_a_journal_with_cases_shows_the_lists(vault: Vault, qtbot: QtBot) -> None:
    demo.generate(vault.engine, cases=5, seed=3, anchor=date.today())
    page = TodayPage(Journal(vault.engine))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    texts = _shown_texts(page)
    assert FIRST_STEP not in texts
    assert "Recent encounters" in [box.title() for box in page.findChildren(QGroupBox)]
    assert page.recent_model.rowCount() > 0


def test_a_narrow_list_drops_its_least_needed_column_instead_of_cutting(
    vault: Vault, qtbot: QtBot
) -> None:
    demo.generate(vault.engine, cases=30, seed=7, anchor=date.today())
    page = TodayPage(Journal(vault.engine))
    qtbot.addWidget(page)
    page.resize(900, 600)  # narrower than the smallest window's page
    page.show()
    page.refresh()
    qtbot.wait(50)
    recent = next(t for t in page._tables if t.model() is page.recent_model)
    header = recent.horizontalHeader()
    stage, mode = 3, 4
    assert page.recent_model.rowCount() > 0
    assert recent.isColumnHidden(mode)
    assert header.sectionSize(stage) >= header.sectionSizeHint(stage)
    assert not recent.horizontalScrollBar().isVisible()
    page.resize(1800, 900)
    qtbot.wait(50)
    assert not recent.isColumnHidden(mode)
