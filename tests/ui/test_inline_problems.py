"""Issue 10: problems show under their fields, all at once, in form order; required fields are
marked; the encounter form plans the next follow-up in the same step."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.core.records import CaseRecord
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.field_problems import REQUIRED_MARK

WHEN = datetime(2026, 11, 25, 14, 30)  # the day before the fixture's clock


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr("svjournal.ui.errors.show_error", lambda _parent, exc: seen.append(exc))
    return seen


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    if isinstance(dialog, CaseEditor):  # the fixture's clock is a week behind the real one
        dialog.referred_on.setDate(QDate(2026, 11, 20))
    return dialog


def _case(journal: Journal, kind: str = "individual") -> CaseRecord:
    data = CaseInput("QX-1", "nurse", "icu", "near_miss", "self", date(2026, 11, 20))
    data.kind = kind
    return journal.open_case(data)


def _top(widget: QLabel, dialog: QDialog) -> int:
    return widget.mapTo(dialog, QPoint(0, 0)).y()


def test_a_blank_case_form_shows_every_problem_under_its_field_in_form_order(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    assert isinstance(editor, CaseEditor)
    editor.save()

    assert shown_errors == []  # no message box: the problems are on the form
    shown = editor.problems.shown()
    fields = [field for field, _text in shown]
    assert fields == ["alias", "role", "department", "referral_source", "event_category"]
    assert dict(shown)["department"] == "Required."
    # Each problem sits right under its field, so they read top to bottom.
    labels = [editor.problems._fields[f].problem for f in fields]
    assert all(label.isVisible() for label in labels)
    tops = [_top(label, editor) for label in labels]
    assert tops == sorted(tops)
    alias_bottom = editor.alias.mapTo(editor, QPoint(0, editor.alias.height())).y()
    assert tops[0] >= alias_bottom
    summary = editor.problems.summary
    assert summary.isVisible() and summary.text().startswith("5 entries need attention")
    assert editor.alias.hasFocus()  # the first problem's field
    assert journal.list_cases() == []

    editor.alias.setText("NR-12")  # fixing a field clears its problem at once
    assert [f for f, _ in editor.problems.shown()] == fields[1:]
    assert summary.text().startswith("4 entries")
    editor.close_without_asking()


def test_case_and_contact_problems_show_together_and_open_the_contact_section(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    assert isinstance(editor, CaseEditor)
    editor.alias.setText("NR-13")
    editor.department.set_code("icu")
    editor.source.set_code("self")
    editor.category.set_code("near_miss")
    editor.contact_section.set_expanded(True)
    editor.email.setText("no address")
    editor.contact_section.set_expanded(False)

    editor.save()

    assert [f for f, _ in editor.problems.shown()] == ["role", "email"]
    assert editor.role.hasFocus()
    assert journal.list_cases() == []
    editor.role.set_code("nurse")
    editor.save()
    # Only the contact is left: its section opens so the person sees where.
    assert [f for f, _ in editor.problems.shown()] == ["email"]
    assert editor.contact_section.is_expanded() and editor.email.hasFocus()
    assert journal.list_cases() == []
    editor.close_without_asking()


def test_required_fields_are_marked_and_the_mark_is_explained(
    journal: Journal, qtbot: QtBot
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    labels = {label.text() for label in editor.findChildren(QLabel)}
    for name in ("&Pseudonym", "&Role", "&Department", "Referral &source", "Event &category"):
        assert name + REQUIRED_MARK in labels
    assert "Phon&e" in labels  # optional fields carry no mark
    assert any("marked * are required" in text for text in labels)
    encounter = _shown(qtbot, EncounterEditor(journal, _case(journal, "group")))
    labels = {label.text() for label in encounter.findChildren(QLabel)}
    for name in ("&Date and time", "&Mode", "D&uration", "&Head count", "&Outcome", "T&ier"):
        assert name + REQUIRED_MARK in labels
    assert "&Stage" in labels and "N&eeds met" in labels


def test_an_encounter_shows_all_its_problems_at_once(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal, kind="group")
    editor = _shown(qtbot, EncounterEditor(journal, case))
    assert isinstance(editor, EncounterEditor)
    f = editor.form
    f.when.setDateTime(QDateTime(WHEN))
    f.stage.set_code(6)  # no outcome, and no head count
    f.note.setPlainText("x" * 1001)
    editor.save()
    assert shown_errors == []
    assert [field for field, _ in editor.problems.shown()] == ["group_size", "outcome", "note"]
    assert f.head_count.hasFocus()
    assert journal.encounters(case.id) == []
    editor.close_without_asking()


def test_the_next_follow_up_is_planned_with_the_encounter(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    journal.set_setting("follow_up_cadence_days", 10)
    case = _case(journal)
    editor = _shown(qtbot, EncounterEditor(journal, case))
    assert isinstance(editor, EncounterEditor)
    nxt = editor.form.next_follow_up
    assert nxt.isVisible() and not nxt.plan.isChecked() and not nxt.due.isEnabled()
    editor.form.when.setDateTime(QDateTime(WHEN))
    # The proposal follows the encounter's day plus the cadence.
    assert nxt.due.date().toPython() == WHEN.date() + timedelta(days=10)
    nxt.plan.setChecked(True)
    assert nxt.due.isEnabled()
    nxt.method.set_code("video")
    editor.save()
    assert shown_errors == [] and editor.saved_encounter is not None
    [planned] = journal.follow_ups(case.id)
    assert (planned.due_on, planned.method) == (date(2026, 12, 5), "video")


def test_a_picked_day_stays_and_a_bad_one_saves_nothing(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal)
    editor = _shown(qtbot, EncounterEditor(journal, case))
    assert isinstance(editor, EncounterEditor)
    f = editor.form
    f.when.setDateTime(QDateTime(WHEN))
    f.next_follow_up.plan.setChecked(True)
    f.next_follow_up.due.setDate(QDate(2026, 11, 22))  # before the encounter
    f.when.setDateTime(QDateTime(WHEN + timedelta(hours=1)))
    assert f.next_follow_up.due.date() == QDate(2026, 11, 22)  # the person's choice stays
    editor.save()
    [(field, text)] = editor.problems.shown()
    assert field == "due_on" and "before the encounter" in text
    assert journal.encounters(case.id) == [] and journal.follow_ups(case.id) == []
    # The draft kept at a lock carries the plan too.
    payload = editor.draft_payload()
    assert payload["next_follow_up"] == {"planned": True, "due_on": "2026-11-22", "method": "phone"}
    again = _shown(qtbot, EncounterEditor(journal, case))
    assert isinstance(again, EncounterEditor)
    again.load_draft(payload)
    assert again.form.next_follow_up.plan.isChecked()
    assert again.form.next_follow_up.due.date() == QDate(2026, 11, 22)
    editor.close_without_asking()
    again.close_without_asking()


def test_editing_an_encounter_offers_no_follow_up(qtbot: QtBot, journal: Journal) -> None:
    from svjournal.core.inputs import EncounterInput

    case = _case(journal)
    encounter = journal.log_encounter(case.id, EncounterInput(WHEN, "phone", 20))
    editor = _shown(qtbot, EncounterEditor(journal, case, encounter))
    assert isinstance(editor, EncounterEditor)
    assert not editor.form.next_follow_up.isVisible()
    assert editor.form.next_follow_up.to_input() is None


def test_problem_rows_are_hidden_until_needed(qtbot: QtBot, journal: Journal) -> None:
    """No empty gap where a problem could go: the rows take no space until shown."""
    editor = _shown(qtbot, CaseEditor(journal))
    assert isinstance(editor, CaseEditor)
    for place in editor.problems._fields.values():
        assert not place.problem.isVisible()
    QApplication.processEvents()
    role_top = editor.role.mapTo(editor, QPoint(0, 0)).y()
    editor.save()
    QApplication.processEvents()
    assert editor.role.mapTo(editor, QPoint(0, 0)).y() > role_top  # the alias problem opened
    editor.close_without_asking()
