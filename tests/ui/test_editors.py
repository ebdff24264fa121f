"""The case and encounter editors driven through their widgets, against a real vault."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from svjournal.core.errors import SvJournalError
from svjournal.core.inputs import CaseInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.records import CaseRecord
from svjournal.ui.case_editor import CaseEditor
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.phi_highlighter import IdentifierHighlighter

ALIAS = "QX-7731"
WHEN = datetime(2026, 11, 25, 14, 30)  # the day before the fixture's clock
LEAKY_NOTE = "call Mr. Smith at 555-123-4567"
SAFE_NOTE = "Felt shaken after the event, slept badly."


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Record what the editors would show instead of opening a modal message box."""
    seen: list[BaseException] = []
    monkeypatch.setattr("svjournal.ui.errors.show_error", lambda _parent, exc: seen.append(exc))
    return seen


def _case(journal: Journal, kind: str = "individual") -> CaseRecord:
    role = "mixed" if kind == "group" else "nurse"
    data = CaseInput(ALIAS, role, "icu", "unexpected_death", "manager", date(2026, 11, 20))
    data.kind, data.event_date = kind, date(2026, 11, 19)
    return journal.open_case(data)


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _press_ctrl_s(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.keyClick(
        dialog.focusWidget() or dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )


def _encounter_editor(
    qtbot: QtBot, journal: Journal, case: CaseRecord, **kwargs: Any
) -> EncounterEditor:
    editor = EncounterEditor(journal, case, **kwargs)
    _shown(qtbot, editor)
    editor.form.when.setDateTime(QDateTime(WHEN))
    editor.mark_clean()  # as if it had opened at WHEN: leaving unchanged asks nothing
    return editor


# --- case editor -------------------------------------------------------------------------


def test_case_editor_opens_a_case_with_contact(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    assert ALIAS not in editor.windowTitle()
    editor.alias.setText(ALIAS)
    editor.role.setCurrentIndex(editor.role.findText("Pharmacist"))
    editor.department.setCurrentIndex(editor.department.findText("Intensive care"))
    editor.source.setCurrentIndex(editor.source.findText("Colleague"))
    editor.referred_on.setDate(QDate(2026, 11, 21))
    editor.category.setCurrentIndex(editor.category.findText("Near miss"))
    editor.event_known.setChecked(True)
    editor.event_date.setDate(QDate(2026, 11, 18))
    editor.high_risk.box("first_death").setChecked(True)
    editor.high_risk.box("child_involved").setChecked(True)
    editor.contact_section.toggle.click()
    editor.phone.setText("+1 555 0100")

    _press_ctrl_s(qtbot, editor)

    assert shown_errors == []
    assert editor.result() == QDialog.DialogCode.Accepted
    stored = journal.get_case(editor.saved_case.id)
    assert (stored.alias, stored.kind, stored.role) == (ALIAS, "individual", "pharmacist")
    assert (stored.department, stored.event_category) == ("icu", "near_miss")
    assert (stored.referral_source, stored.referred_on) == ("colleague", date(2026, 11, 21))
    assert stored.event_date == date(2026, 11, 18)
    assert stored.high_risk_events == ["child_involved", "first_death"]
    assert journal.contact(stored.id).phone == "+1 555 0100"


def test_case_editor_error_keeps_the_dialog_and_what_was_typed(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    editor.alias.setText(ALIAS)
    editor.department.set_code("icu")
    editor.source.set_code("self")
    editor.category.set_code("undisclosed")
    editor.referred_on.setDate(QDate(2026, 11, 20))  # the role is left unchosen

    _press_ctrl_s(qtbot, editor)

    # Shown under the field (issue 10), not in a message box.
    assert shown_errors == []
    assert [field for field, _text in editor.problems.shown()] == ["role"]
    assert editor.isVisible() and editor.saved_case is None
    assert editor.alias.text() == ALIAS and editor.category.code() == "undisclosed"
    assert journal.list_cases() == []

    editor.role.set_code("physician")
    editor.email.setText("not-an-email")  # contact errors come before the case is written
    editor.save()
    assert [f for f, _ in editor.problems.shown()] == ["email"] and journal.list_cases() == []
    editor.email.clear()
    editor.save()
    assert shown_errors == [] and editor.result() == QDialog.DialogCode.Accepted
    assert [row.alias for row in journal.list_cases()] == [ALIAS]


def test_case_editor_edits_and_clears_the_contact(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    from svjournal.core.inputs import ContactInput

    case = _case(journal)
    journal.set_contact(case.id, ContactInput(email="a@example.org"))
    editor = _shown(qtbot, CaseEditor(journal, case))
    assert editor.windowTitle() == "Edit case" and ALIAS not in editor.windowTitle()
    assert editor.alias.text() == ALIAS and editor.event_known.isChecked()
    assert editor.contact_section.is_expanded() and editor.email.text() == "a@example.org"
    editor.email.clear()
    editor.role.set_code("midwife")
    editor.save()
    assert shown_errors == []
    assert journal.get_case(case.id).role == "midwife"
    assert journal.contact(case.id) is None


def test_case_editor_warns_about_identifiers_and_clears_on_lock(
    qtbot: QtBot, journal: Journal
) -> None:
    editor = _shown(qtbot, CaseEditor(journal))
    editor.alias.setText("NR-12")
    assert not editor.alias_warning.isVisible()
    editor.alias.setText("Mrs. Jones")
    assert editor.alias_warning.isVisible()
    assert "name" in editor.alias_warning.text() and "Jones" not in editor.alias_warning.text()
    editor.phone.setText("555 0100")
    editor.clear_sensitive()
    assert editor.alias.text() == "" and editor.phone.text() == ""
    assert not editor.alias_warning.isVisible()


# --- encounter editor --------------------------------------------------------------------


def test_log_encounter_at_stage_2_with_interventions_and_a_referral(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal)
    editor = _encounter_editor(qtbot, journal, case)
    f = editor.form
    assert ALIAS not in editor.windowTitle()
    assert not f.head_count.isVisibleTo(editor)  # individual case: no head count
    f.mode.setCurrentIndex(f.mode.findText("Phone"))
    f.duration.setValue(45)
    f.stage.setCurrentIndex(f.stage.findText("2 · Intrusive reflections"))
    assert "What did I miss?" in f.stage_help.text()
    assert not f.outcome.isEnabled()  # shown, greyed: only stage 6 has an outcome
    f.zone.setCurrentIndex(f.zone.findText("Reacting (yellow)"))
    f.triggered.setChecked(True)
    f.interventions.box("reflective_listening").setChecked(True)
    f.interventions.box("normalising").setChecked(True)
    box, response = f.referrals.row("eap")
    box.setChecked(True)
    response.setCurrentIndex(response.findText("Accepted"))
    f.needs.setCurrentIndex(f.needs.findText("Partly"))
    f.note.setPlainText(SAFE_NOTE)

    _press_ctrl_s(qtbot, editor)

    assert shown_errors == []
    assert editor.result() == QDialog.DialogCode.Accepted
    [stored] = journal.encounters(case.id)
    assert stored.id == editor.saved_encounter.id
    assert (stored.occurred_at, stored.mode, stored.duration_minutes) == (WHEN, "phone", 45)
    assert (stored.stage, stored.outcome, stored.tier) == (2, None, 2)
    assert (stored.stress_zone, stored.triggered, stored.needs_met) == ("reacting", True, "partly")
    assert stored.interventions == ["reflective_listening", "normalising"]
    assert stored.referrals == [{"target": "eap", "response": "accepted"}]
    assert stored.red_flags == [] and stored.group_size is None
    assert stored.note == SAFE_NOTE
    assert journal.get_case(case.id).current_stage == 2


def test_stage_6_without_outcome_is_refused_and_everything_stays(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal)
    editor = _encounter_editor(qtbot, journal, case)
    f = editor.form
    f.stage.set_code(6)
    assert f.outcome.isEnabled()
    f.interventions.box("coping_strategies").setChecked(True)
    f.note.setPlainText(SAFE_NOTE)

    _press_ctrl_s(qtbot, editor)

    assert shown_errors == []  # under the field (issue 10), not in a message box
    [(field, text)] = editor.problems.shown()
    assert field == "outcome" and "needs an outcome" in text
    assert f.outcome.hasFocus()
    assert editor.isVisible() and editor.saved_encounter is None
    assert f.stage.code() == 6 and f.note.toPlainText() == SAFE_NOTE
    assert f.interventions.codes() == ["coping_strategies"]
    assert f.when.dateTime().toPython() == WHEN
    assert journal.encounters(case.id) == []

    f.outcome.set_code("thriving")
    assert editor.problems.shown() == []  # changing the field clears its problem
    _press_ctrl_s(qtbot, editor)
    assert shown_errors == []
    assert journal.get_encounter(editor.saved_encounter.id).outcome == "thriving"


def test_red_flag_shows_contacts_and_proposes_tier_3(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    contacts = [
        {"name": "Staff psychology on call", "phone": "x4567", "note": "Ask for the duty lead."},
        {"name": "Crisis line", "phone": "988", "note": ""},
    ]
    journal.set_setting("escalation_contacts", contacts)
    case = _case(journal)
    editor = _encounter_editor(qtbot, journal, case)
    f = editor.form
    assert not f.escalation.isVisible() and f.tier.code() == 2

    f.red_flags.box("suicidal_thoughts").setChecked(True)

    assert f.escalation.isVisible()
    shown = f.escalation.contacts_label.text()
    assert all(c["name"] in shown and c["phone"] in shown for c in contacts)
    assert "Ask for the duty lead." in shown
    assert f.tier.code() == 3
    assert f.escalation.referral_button.isVisible()  # suggests a Tier 3 referral
    f.escalation.referral_button.click()
    assert f.referrals.first_tier3_box().hasFocus()
    f.referrals.row("psychologist")[0].setChecked(True)
    assert not f.escalation.referral_button.isVisible()

    # The person's own choice of tier stands, even when another flag is ticked.
    f.tier.set_code(2)
    f.red_flags.box("substance_use").setChecked(True)
    assert f.tier.code() == 2

    editor.save()
    assert shown_errors == []
    stored = journal.get_encounter(editor.saved_encounter.id)
    assert stored.red_flags == ["suicidal_thoughts", "substance_use"] and stored.tier == 2


def test_unticking_the_red_flags_restores_the_tier(qtbot: QtBot, journal: Journal) -> None:
    editor = _encounter_editor(qtbot, journal, _case(journal))
    f = editor.form
    f.tier.set_code(1)
    f.red_flags.box("impairment").setChecked(True)
    assert f.tier.code() == 3
    f.red_flags.box("impairment").setChecked(False)
    assert f.tier.code() == 1 and not f.escalation.isVisible()


@pytest.mark.parametrize(
    ("note", "warned"), [(LEAKY_NOTE, True), (SAFE_NOTE, False)], ids=["identifier", "clean"]
)
def test_identifier_warning(qtbot: QtBot, journal: Journal, note: str, warned: bool) -> None:
    editor = _encounter_editor(qtbot, journal, _case(journal))
    f = editor.form
    with qtbot.waitSignal(f.note.textChanged):
        f.note.setPlainText(note)
    assert f.phi_warning.isVisible() is warned
    assert bool(f.highlighter.hits()) is warned
    if warned:
        text = f.phi_warning.text()
        assert "phone number" in text and "name" in text and "patient identifiers" in text
        assert "555" not in text and "Smith" not in text  # the warning never repeats the text
        ranges = f.note.document().firstBlock().layout().formats()
        underlined = [note[r.start : r.start + r.length] for r in ranges]
        assert "555-123-4567" in underlined
    f.note.clear()
    assert not f.phi_warning.isVisible()


def test_highlighter_places_underlines_after_astral_characters(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    highlighter = IdentifierHighlighter(edit)
    seen: list[list[Any]] = []
    highlighter.hitsChanged.connect(seen.append)
    edit.setPlainText("🙂🙂 ok\nthen ring 555-123-4567")
    assert [h.kind for h in seen[-1]] == ["phone"]
    block = edit.document().lastBlock()
    [fmt] = block.layout().formats()
    assert block.text()[fmt.start : fmt.start + fmt.length] == "555-123-4567"
    edit.setPlainText("nothing here")
    assert seen[-1] == [] and highlighter.hits() == []


def test_draft_round_trip_restores_every_field(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal, kind="group")
    first = _encounter_editor(qtbot, journal, case)
    f = first.form
    f.mode.set_code("video")
    f.duration.setValue(90)
    f.head_count.setValue(7)
    f.stage.set_code(6)
    f.outcome.set_code("surviving")
    f.zone.set_code("injured")
    f.triggered.setChecked(True)
    f.red_flags.box("zone_worsening").setChecked(True)
    f.tier.set_code(1)  # changed back by hand after the Tier 3 proposal
    f.interventions.set_codes(["assessment", "practical_help"])
    f.referrals.set_referrals([ReferralInput("chaplain", "declined"), ReferralInput("other")])
    f.declined.setChecked(True)
    f.needs.set_code("no")
    f.note.setPlainText("Team debrief 🙂\nsecond line")
    payload = json.loads(json.dumps(first.draft_payload()))  # as stored: JSON
    assert payload["occurred_at"] == WHEN.isoformat()

    second = EncounterEditor(journal, case)
    qtbot.addWidget(second)
    second.load_draft(payload)

    assert second.draft_payload() == payload
    g = second.form
    assert g.when.dateTime().toPython() == WHEN and g.head_count.value() == 7
    assert g.tier.code() == 1 and g.outcome.code() == "surviving"
    assert g.referrals.payload() == [
        {"target": "chaplain", "response": "declined"},
        {"target": "other", "response": "pending"},
    ]
    assert g.note.toPlainText() == "Team debrief 🙂\nsecond line"
    second.save()
    assert shown_errors == []
    assert journal.get_encounter(second.saved_encounter.id).group_size == 7


def test_prefill_and_editing_share_the_draft_shape(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal)
    logged = journal.log_encounter(
        case.id,
        EncounterInput(WHEN, "phone", 20, stage=3, red_flags=["impairment"], tier=3, note="ok"),
    )
    editor = EncounterEditor(journal, case, logged, prefill={"duration_minutes": 25})
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "Edit encounter" and editor.encounter is logged
    f = editor.form
    assert (f.stage.code(), f.tier.code(), f.duration.value()) == (3, 3, 25)
    assert f.escalation.isVisibleTo(editor) and f.note.toPlainText() == "ok"
    editor.save()
    assert shown_errors == []
    assert journal.get_encounter(logged.id).duration_minutes == 25
    assert len(journal.encounters(case.id)) == 1
    # A follow-up marked done prefills a new encounter with a datetime, not ISO text.
    later = EncounterEditor(journal, case, prefill={"mode": "video", "occurred_at": WHEN})
    qtbot.addWidget(later)
    assert (later.to_input().occurred_at, later.to_input().mode) == (WHEN, "video")


def test_note_counter_and_clear_sensitive(qtbot: QtBot, journal: Journal) -> None:
    editor = _encounter_editor(qtbot, journal, _case(journal))
    f = editor.form
    f.note.setPlainText("x" * 1003)
    assert f.counter.text().startswith("1003 / 1000") and "3 too many" in f.counter.text()
    f.note.setPlainText(LEAKY_NOTE)
    assert f.counter.text() == f"{len(LEAKY_NOTE)} / 1000"
    editor.clear_sensitive()
    assert f.note.toPlainText() == "" and not f.phi_warning.isVisible()
    assert ALIAS not in f.case_label.text()
    qtbot.keyClick(f.note, Qt.Key.Key_Escape)  # Esc cancels: nothing saved
    assert not editor.isVisible() and editor.result() == QDialog.DialogCode.Rejected
    assert journal.encounters(editor.case.id) == []


def test_group_case_requires_a_head_count(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal, kind="group")
    editor = _encounter_editor(qtbot, journal, case)
    f = editor.form
    assert f.head_count.isVisible()
    _press_ctrl_s(qtbot, editor)
    assert shown_errors == []
    assert [field for field, _text in editor.problems.shown()] == ["group_size"]
    assert editor.isVisible() and f.head_count.hasFocus()
    f.head_count.setValue(6)
    _press_ctrl_s(qtbot, editor)
    assert shown_errors == []
    assert journal.get_encounter(editor.saved_encounter.id).group_size == 6


def test_service_errors_other_than_validation_are_shown(
    qtbot: QtBot, journal: Journal, shown_errors: list[BaseException]
) -> None:
    case = _case(journal)
    journal.close_case(case.id)
    editor = _encounter_editor(qtbot, journal, case)
    editor.save()
    assert len(shown_errors) == 1 and isinstance(shown_errors[0], SvJournalError)
    assert editor.isVisible()


def _inputs(dialog: QDialog) -> list[QWidget]:
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QPlainTextEdit)
    return [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, kinds)
        # the line edits inside spin boxes and combos are parts, not inputs of their own
        and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox))
    ]


def test_every_input_has_an_accessible_name(qtbot: QtBot, journal: Journal) -> None:
    case = _case(journal, kind="group")
    for dialog in (CaseEditor(journal, case), EncounterEditor(journal, case)):
        qtbot.addWidget(dialog)
        unnamed = [
            f"{type(w).__name__}:{getattr(w, 'text', lambda: '')()}"
            for w in _inputs(dialog)
            if not w.accessibleName()
        ]
        assert unnamed == []
