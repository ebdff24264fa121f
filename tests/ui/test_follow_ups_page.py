"""The Follow-ups page opens where there is something to do, counts each tab, and offers its
actions only for a selected, planned follow-up; the case view's encounter actions likewise."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.ui.main_window import MainWindow
from svjournal.ui.pages.follow_ups import FollowUpsPage
from svjournal.ui.session import JournalSession

TODAY = date.today()  # the page reads the real clock


def _case(journal: Journal, alias: str) -> str:
    referred = TODAY - timedelta(days=30)
    return journal.open_case(
        CaseInput(alias, "nurse", "icu", "unexpected_death", "self", referred)
    ).id


def _page(journal: Journal, qtbot: QtBot) -> FollowUpsPage:
    page = FollowUpsPage(journal)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_opens_on_the_follow_up_due_today_when_nothing_is_overdue(
    session: JournalSession, qtbot: QtBot
) -> None:
    j = session.journal
    j.schedule_follow_up(_case(j, "due"), TODAY)
    page = _page(j, qtbot)
    assert page.tabs.currentIndex() == 1
    assert [page.tabs.tabText(i) for i in range(3)] == [
        "Overdue (0)",
        "Today and upcoming (1)",
        "Done, missed, canceled (0)",
    ]


def test_opens_on_overdue_when_something_is_overdue_and_counts_every_tab(
    session: JournalSession, qtbot: QtBot
) -> None:
    j = session.journal
    case = _case(j, "late")
    j.schedule_follow_up(case, TODAY - timedelta(days=3))
    j.schedule_follow_up(case, TODAY - timedelta(days=2))
    j.schedule_follow_up(case, TODAY + timedelta(days=2))
    done = j.schedule_follow_up(case, TODAY - timedelta(days=5))
    j.complete_follow_up(done.id)
    page = _page(j, qtbot)
    assert page.tabs.currentIndex() == 0
    assert page.tabs.tabText(0) == "Overdue (2)"
    assert page.tabs.tabText(1) == "Today and upcoming (1)"
    assert page.tabs.tabText(2) == "Done, missed, canceled (1)"


def test_actions_need_a_selected_planned_follow_up(session: JournalSession, qtbot: QtBot) -> None:
    j = session.journal
    case = _case(j, "late")
    j.schedule_follow_up(case, TODAY - timedelta(days=1))
    done = j.schedule_follow_up(case, TODAY - timedelta(days=5))
    j.complete_follow_up(done.id)
    page = _page(j, qtbot)
    buttons = page.buttons.values()
    assert not any(b.isEnabled() for b in buttons)  # nothing selected
    page.tables["overdue"].selectRow(0)
    assert all(b.isEnabled() for b in buttons)
    page.tabs.setCurrentIndex(2)
    assert not any(b.isEnabled() for b in buttons)
    page.tables["settled"].selectRow(0)  # a done follow-up cannot be done again
    assert not any(b.isEnabled() for b in buttons)
    page.tabs.setCurrentIndex(0)
    assert all(b.isEnabled() for b in buttons)
    page.refresh()  # the lists are read again: the selection is gone
    assert not any(b.isEnabled() for b in buttons)


def test_encounter_actions_need_a_selected_encounter(session: JournalSession, qtbot: QtBot) -> None:
    j = session.journal
    empty, logged = _case(j, "empty"), _case(j, "logged")
    j.log_encounter(
        logged, EncounterInput(datetime.now() - timedelta(days=1), "phone", 20, stage=2)
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    ws = window.workspace
    assert ws is not None
    view = ws.case_view
    actions = (view.edit_encounter_button, view.delete_encounter_button)
    ws.open_case(empty)
    assert not any(b.isEnabled() for b in actions)
    ws.open_case(logged)
    assert not any(b.isEnabled() for b in actions)  # none selected yet
    view.encounter_table.selectRow(0)
    assert all(b.isEnabled() for b in actions)
    ws.open_case(empty)
    assert not any(b.isEnabled() for b in actions)
    qtbot.waitUntil(lambda: not ws._trajectory_runner.busy, timeout=20000)
