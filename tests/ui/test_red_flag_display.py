"""A red flag stays in sight after saving: Cases (marker and filter), the case header and its
timeline, Today's "Needs attention" and recent encounters, and the follow-up lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from svjournal.ui.table_models import CaseTableModel, FollowUpTableModel

# The app reads the real clock: every date is relative to now.
NOW = datetime.now().replace(second=0, microsecond=0)
MARKER = "⚑ Red flag"
SYMBOL = "⚑"  # list columns show the symbol; its accessible text says "⚑ Red flag"
SPOKEN = Qt.ItemDataRole.AccessibleTextRole


def _spoken(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, column).data(SPOKEN) for r in range(model.rowCount())]


def _case(journal: Journal, alias: str) -> str:
    referred = (NOW - timedelta(days=30)).date()
    return journal.open_case(
        CaseInput(alias, "nurse", "icu", "unexpected_death", "self", referred)
    ).id


def _encounter(journal: Journal, case_id: str, days_ago: int, **changes: object) -> None:
    journal.log_encounter(
        case_id, EncounterInput(NOW - timedelta(days=days_ago), "phone", 30, **changes)
    )


def _drawn(qtbot: QtBot, win: MainWindow) -> None:
    """Let the case's trajectory finish drawing before the vault closes under it."""
    if win.workspace is not None:
        runner = win.workspace._trajectory_runner
        qtbot.waitUntil(lambda: not runner.busy, timeout=20000)


@pytest.fixture
def window(session: JournalSession, qtbot: QtBot) -> Iterator[MainWindow]:
    j = session.journal
    flagged = _case(j, "flagged")
    _encounter(j, flagged, 3, stage=2, red_flags=["suicidal_thoughts"])
    j.schedule_follow_up(flagged, (NOW - timedelta(days=1)).date())
    referred = _case(j, "referred")
    _encounter(
        j,
        referred,
        2,
        red_flags=["substance_use", "impairment"],
        referrals=[ReferralInput("eap", "accepted")],
    )
    _encounter(j, _case(j, "plain"), 1, stage=3)
    win = MainWindow(session)
    qtbot.addWidget(win)
    yield win
    _drawn(qtbot, win)


def _column(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_cases_mark_and_filter_red_flags(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(1)
    page = ws.cases
    # The marker leads the pseudonym (sorting still by the pseudonym alone).
    aliases = _column(page.proxy, CaseTableModel.COL_ALIAS)
    assert aliases == [f"{SYMBOL} flagged", "plain", f"{SYMBOL} referred"]
    assert _spoken(page.proxy, CaseTableModel.COL_ALIAS) == [
        f"flagged, {MARKER}",
        "plain",
        f"referred, {MARKER}",
    ]
    tip = page.proxy.index(2, CaseTableModel.COL_ALIAS).data(Qt.ItemDataRole.ToolTipRole)
    assert "Tier 3 referral: made and accepted" in tip
    page.red_flag.setChecked(True)
    assert page.model.row_at(0).alias == "flagged"
    assert [
        page.model.row_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).alias
        for r in range(page.proxy.rowCount())
    ] == ["flagged", "referred"]
    assert page.count.text() == "2 of 3 cases"
    assert page.red_flag.accessibleName()
    page.red_flag.setChecked(False)
    assert page.proxy.rowCount() == 3


def _chips(view) -> list[QLabel]:  # type: ignore[no-untyped-def]
    holder = view.chip_holder
    return [holder.itemAt(i).widget() for i in range(holder.count())]


def _details(view) -> dict[str, str]:  # type: ignore[no-untyped-def]
    form = view.details
    role = form.ItemRole
    return {
        form.itemAt(r, role.LabelRole).widget().text(): form.itemAt(r, role.FieldRole)
        .widget()
        .text()
        for r in range(form.rowCount())
    }


def test_case_header_and_timeline_show_the_flag_and_the_tier3_referral(
    window: MainWindow, session: JournalSession
) -> None:
    ws = window.workspace
    assert ws is not None
    by_alias = {r.alias: r.id for r in session.journal.list_cases()}
    ws.open_case(by_alias["flagged"])
    view = ws.case_view
    assert [c.text() for c in _chips(view)] == ["Stage 2 · Intrusive reflections", MARKER]
    assert "Tier 3 referral: none made" in _chips(view)[1].accessibleName()
    details = _details(view)
    assert details["Red flags:"].startswith(MARKER + ", last recorded ")
    assert details["Tier 3 referral:"] == "None made"
    [flag_column] = [
        c
        for c in range(view.encounters.columnCount())
        if view.encounters.headerData(c, Qt.Orientation.Horizontal) == "Red flag"
    ]
    assert _column(view.encounters, flag_column) == [MARKER]
    tip = view.encounters.index(0, flag_column).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Thoughts of suicide"

    ws.open_case(by_alias["referred"])
    assert _chips(view)[-1].text() == MARKER + " · Tier 3 accepted"
    assert _details(view)["Tier 3 referral:"] == "Made and accepted"
    assert _column(view.encounters, flag_column) == ["⚑ 2 red flags"]

    ws.open_case(by_alias["plain"])
    assert [c.text() for c in _chips(view)] == ["Stage 3 · Restoring personal integrity"]
    assert _details(view)["Red flags:"] == "none recorded"
    assert _column(view.encounters, flag_column) == [""]


def test_today_lists_red_flags_waiting_for_tier3_under_needs_attention(
    window: MainWindow,
) -> None:
    ws = window.workspace
    assert ws is not None
    today = ws.today
    # "referred" has an accepted Tier 3 referral: it needs no attention.
    assert [r.alias for r in today.attention_model._rows] == ["flagged"]
    assert _column(today.attention_model, 2) == ["None made"]
    assert _column(today.attention_model, 0)[0].startswith("⚑ ")
    recent = {
        today.recent_model.index(r, 1).data(): today.recent_model.index(r, 2).data()
        for r in range(today.recent_model.rowCount())
    }
    assert recent == {"plain": "", "referred": SYMBOL, "flagged": SYMBOL}
    assert "⚑ 2 red flags" in _spoken(today.recent_model, 2)
    assert _column(today.overdue_model, FollowUpTableModel.COL_FLAG) == [SYMBOL]
    assert _spoken(today.overdue_model, FollowUpTableModel.COL_FLAG) == [MARKER]


def test_follow_up_lists_mark_the_case_red_flag(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    ws.nav.setCurrentRow(2)
    model = ws.follow_ups.models["overdue"]
    assert _column(model, FollowUpTableModel.COL_ALIAS) == ["flagged"]
    assert _column(model, FollowUpTableModel.COL_FLAG) == [SYMBOL]
    assert _spoken(model, FollowUpTableModel.COL_FLAG) == [MARKER]


def test_closing_a_case_with_a_red_flag_and_no_tier3_says_so_first(
    window: MainWindow, session: JournalSession, qtbot: QtBot
) -> None:
    """A fresh walkthrough closed a case that had "Thoughts of suicide" and no Tier 3
    referral without a word; the close dialog now says so before anything is cancelled."""
    from svjournal.ui.dialogs import CloseCaseDialog

    ws = window.workspace
    assert ws is not None
    by_alias = {r.alias: r.id for r in session.journal.list_cases()}
    shown: dict[str, str] = {}
    for alias in ("flagged", "referred", "plain"):
        ws.open_case(by_alias[alias])
        ws.close_case()
        [dialog] = [d for d in window.findChildren(CloseCaseDialog) if d.isVisible()]
        shown[alias] = dialog.red_flag_warning.text() if dialog.red_flag_warning else ""
        dialog.reject()
        dialog.deleteLater()
        qtbot.wait(1)
    assert shown["flagged"].startswith("⚑ A red flag was recorded on ")
    assert "no Tier 3 referral has been accepted" in shown["flagged"]
    assert shown["referred"] == "" and shown["plain"] == ""  # accepted, or never flagged
    assert session.journal.get_case(by_alias["flagged"]).status == "open"
