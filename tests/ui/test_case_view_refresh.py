"""Showing a case again (after an encounter is saved, a follow-up planned) keeps its facts
readable throughout: the rows were removed and built anew, and for a moment (in the real
window, until the next change) every fact was squeezed to a few pixels."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from svjournal.core import i18n
from svjournal.core.inputs import CaseInput
from svjournal.ui import language
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from tests.ui import layout_checks as checks


def test_the_case_facts_stay_whole_when_the_case_is_shown_again(
    session: JournalSession, qtbot: QtBot
) -> None:
    language.apply("fr")  # long facts, wrapped over two lines at 1024 px
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.resize(QSize(1024, 640))
        window.show()
        qtbot.waitExposed(window)
        case = session.journal.open_case(
            CaseInput(
                "Robin",
                "advanced_practice",
                "surgery",
                "near_miss",
                "risk_management",
                date(2026, 11, 10),
                event_date=date(2026, 11, 6),
                high_risk_events=("unexpected_death", "long_relationship_death"),
            )
        )
        workspace = window.workspace
        assert workspace is not None
        workspace.open_case(case.id)
        checks.settle(10)
        assert checks.label_problems(workspace.case_view) == []
        for _ in range(3):  # as saving an encounter, then a follow-up, refreshes it
            workspace.open_case(case.id)
            checks.settle(1)
            assert checks.label_problems(workspace.case_view) == []
    finally:
        language.apply(i18n.SOURCE)


def test_the_case_facts_stay_whole_at_every_window_width(
    session: JournalSession, qtbot: QtBot
) -> None:
    """Narrower, a fact wraps onto one more line; its row kept the height of the wider
    layout and lost its last line (seen in the real window after a stage was set: the stage
    chip beside the title narrowed the About box)."""
    language.apply("de")
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.resize(QSize(1366, 700))
        window.show()
        qtbot.waitExposed(window)
        case = session.journal.open_case(
            CaseInput(
                "Robin",
                "advanced_practice",
                "surgery",
                "near_miss",
                "risk_management",
                date(2026, 11, 10),
                event_date=date(2026, 11, 6),
                high_risk_events=("unexpected_death", "long_relationship_death"),
            )
        )
        workspace = window.workspace
        assert workspace is not None
        workspace.open_case(case.id)
        checks.settle(10)
        narrowest = window.minimumSizeHint().width()
        for width in [*range(1366, narrowest - 1, -40), *range(narrowest, 1367, 40)]:
            window.resize(QSize(width, 700))
            qtbot.wait(20)
            checks.settle(4)
            problems = checks.label_problems(workspace.case_view)
            assert problems == [], (width, problems)
    finally:
        language.apply(i18n.SOURCE)
