"""The case's facts stay readable: when the case is shown again (after an encounter is
saved, a follow-up planned) — the rows were removed and built anew, and for a moment (in the
real window, until the next change) every fact was squeezed to a few pixels — and when the
About box narrows (a stage chip beside the title after a save, a smaller window): a wrapped
fact kept the height of the wider layout and lost its last line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from svjournal.core import i18n
from svjournal.core.inputs import CaseInput
from svjournal.ui import language
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import Workspace
from tests.ui import layout_checks as checks


def _case_shown(session: JournalSession, qtbot: QtBot, size: QSize) -> tuple[MainWindow, str]:
    """A window at `size` showing a case whose facts are long (wrapped over lines)."""
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(size)
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
    _workspace(window).open_case(case.id)
    checks.settle(10)
    return window, case.id


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


@pytest.fixture
def speaking() -> Iterator[None]:
    yield
    language.apply(i18n.SOURCE)


@pytest.mark.usefixtures("speaking")
def test_the_case_facts_stay_whole_when_the_case_is_shown_again(
    session: JournalSession, qtbot: QtBot
) -> None:
    language.apply("fr")  # long facts, wrapped over two lines at 1024 px
    window, case_id = _case_shown(session, qtbot, QSize(1024, 640))
    case_view = _workspace(window).case_view
    assert checks.label_problems(case_view) == []
    for _ in range(3):  # as saving an encounter, then a follow-up, refreshes it
        _workspace(window).open_case(case_id)
        checks.settle(1)
        assert checks.label_problems(case_view) == []


@pytest.mark.usefixtures("speaking")
def test_the_case_facts_stay_whole_at_every_window_width(
    session: JournalSession, qtbot: QtBot
) -> None:
    language.apply("de")
    window, _case_id = _case_shown(session, qtbot, QSize(1366, 700))
    case_view = _workspace(window).case_view
    narrowest = window.minimumSizeHint().width()
    for width in [*range(1366, narrowest - 1, -40), *range(narrowest, 1367, 40)]:
        window.resize(QSize(width, 700))
        qtbot.wait(20)
        checks.settle(4)
        problems = checks.label_problems(case_view)
        assert problems == [], (width, problems)
