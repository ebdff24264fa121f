"""One locale-aware date format in every page, table and date field (ui/formatting.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel
from pytestqt.qtbot import QtBot

import svjournal.ui
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.ui.formatting import (
    date_format,
    datetime_format,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_signed,
    format_stamp,
)

UI = Path(svjournal.ui.__file__).parent
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
GB = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)


@pytest.fixture
def locale() -> Iterator[Callable[[QLocale], None]]:
    before = QLocale()
    yield QLocale.setDefault
    QLocale.setDefault(before)


def test_the_format_follows_the_locale_with_the_month_named_and_no_weekday() -> None:
    day = date(2026, 12, 3)
    assert format_date(day, GB) == "3 Dec 2026"
    assert format_date(day, US) == "Dec 3, 2026"
    assert format_date(day, DE) == "3. Dez. 2026"
    for loc in (GB, US, DE, QLocale.c(), QLocale("ja_JP"), QLocale("ar_EG")):
        fmt = date_format(loc)
        assert "yyyy" in fmt and "ddd" not in fmt and "MMMM" not in fmt, (loc.name(), fmt)


def test_times_follow_the_locale_too() -> None:
    moment = datetime(2026, 12, 3, 14, 5)
    assert format_datetime(moment, GB) == "3 Dec 2026, 14:05"
    assert format_datetime(moment, US).startswith("Dec 3, 2026, 2:05")
    assert format_stamp("2026-12-03T14:05:59", GB) == "3 Dec 2026, 14:05"
    assert format_datetime(None) == "—" and format_date(None) == "—"


# Stored, not shown: drafts, file names, the recovery sheet written to a file or paper.
_STORED = (
    "encounter_editor.py",  # the draft's occurred_at
    "backups_section.py",  # a suggested file name
    "report_panel.py",  # a suggested file name
    "recovery_key_page.py",  # the recovery sheet's "Created:" line
    "formatting.py",
)


def test_numbers_percentages_and_changes_follow_the_locale() -> None:
    assert format_number(1234567, locale=US) == "1,234,567"
    assert format_number(1234567, locale=DE) == "1.234.567"
    assert format_number(3.5, 1, locale=DE) == "3,5"
    assert format_percent(0.25, locale=US) == "25%"  # US English: no space before the sign
    assert format_percent(0.125, 1, locale=DE).startswith("12,5")
    assert format_signed(3, locale=US) == "+3" and format_signed(-1.5, 1, locale=DE) == "-1,5"
    assert format_signed(0, locale=US) == "+0" and format_signed(-0.2, locale=US) == "+0"


def test_no_page_formats_a_date_on_its_own() -> None:
    # Issue 10: "Thu 3 Dec 2026" in the forms, "2026-12-03" in the tables.
    pattern = re.compile(
        r"strftime|\.isoformat\(\)|:%[dYbmH]|setDisplayFormat\(\"|\.toString\(\"[dMy]"
    )
    found = [
        f"{path.relative_to(UI)}:{n}: {line.strip()}"
        for path in UI.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line) and path.name not in _STORED
    ]
    assert found == []
    for name in _STORED[:-1]:  # the allowed places format only stored values
        for line in (UI / name).read_text().splitlines():
            if 'setDisplayFormat("' in line or ":%d" in line:
                pytest.fail(f"{name}: {line.strip()}")


def test_date_fields_use_the_display_format(
    qtbot: QtBot, journal: Journal, locale: Callable[[QLocale], None]
) -> None:
    from svjournal.ui.case_editor import CaseEditor
    from svjournal.ui.dialogs import FollowUpDialog
    from svjournal.ui.encounter_editor import EncounterEditor

    locale(US)
    case = journal.open_case(
        CaseInput("QX-1", "nurse", "icu", "near_miss", "self", date(2026, 11, 20))
    )
    editors = [CaseEditor(journal), EncounterEditor(journal, case), FollowUpDialog(7)]
    for editor in editors:
        qtbot.addWidget(editor)
        for edit in editor.findChildren(QDateEdit):
            assert edit.displayFormat() == date_format(), type(editor).__name__
        for edit in editor.findChildren(QDateTimeEdit):
            if not isinstance(edit, QDateEdit):
                assert edit.displayFormat() == datetime_format()


def test_the_case_view_and_today_show_dates_in_the_locale_format(
    qtbot: QtBot, journal: Journal, locale: Callable[[QLocale], None]
) -> None:
    from svjournal.ui.pages.case_view import CaseView
    from svjournal.ui.pages.today import TodayPage

    locale(US)
    data = CaseInput("QX-1", "nurse", "icu", "near_miss", "self", date(2026, 11, 20))
    data.event_date = date(2026, 11, 19)
    case = journal.open_case(data)
    journal.log_encounter(case.id, EncounterInput(datetime(2026, 11, 21, 14, 30), "phone", 20))
    journal.schedule_follow_up(case.id, date(2026, 11, 28))
    case = journal.get_case(case.id)
    view = CaseView()
    qtbot.addWidget(view)
    view.show_case(case, journal.encounters(case.id), journal.follow_ups(case.id), "ICU")
    texts = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "Nov 19, 2026" in texts and "Nov 20, 2026" in texts
    assert "2026-11" not in texts
    cells = [
        str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole))
        for model in (view.encounters, view.follow_ups)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert any(c.startswith("Nov 21, 2026, 2:30") for c in cells), cells
    assert "Nov 28, 2026" in cells
    assert not [c for c in cells if re.search(r"\d{4}-\d{2}-\d{2}", c)]

    today = TodayPage(journal)
    qtbot.addWidget(today)
    today.refresh()
    shown = [
        str(model.index(r, 0).data(Qt.ItemDataRole.DisplayRole))
        for model in (today.waiting_model, today.recent_model)
        for r in range(model.rowCount())
    ]
    assert shown and not [c for c in shown if re.search(r"\d{4}-\d{2}-\d{2}", c)]
