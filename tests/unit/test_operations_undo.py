"""Every journal operation returns what it changed, and Undo/Redo put its rows back exactly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from svjournal.core.errors import InvalidState, ValidationError
from svjournal.core.inputs import ContactInput, FollowUpInput
from svjournal.core.journal import Journal
from svjournal.operations import Changes, OpResult, UndoHistory
from svjournal.operations import cases as case_ops
from svjournal.operations import encounters as encounter_ops
from svjournal.operations import follow_ups as follow_up_ops
from svjournal.operations import settings as settings_ops
from tests.unit.test_journal import case_input, encounter_input

NOTE = "Slept badly after the code on Tuesday."


def _prepared(journal: Journal) -> tuple[str, str, str]:
    """A case with contact details, an encounter with a note and a planned follow-up."""
    case = journal.open_case(case_input(), ContactInput(phone="+1 555 0100"))
    encounter = journal.log_encounter(case.id, encounter_input(note=NOTE, stage=2))
    follow_up = journal.schedule_follow_up(case.id, date(2026, 11, 28))
    return case.id, encounter.id, follow_up.id


ACTIONS: dict[str, Callable[[Journal, str, str, str], OpResult[Any]]] = {
    "edit case": lambda j, c, e, f: case_ops.edit_case(
        j, c, case_input(alias="RN-B"), ContactInput(email="a@b.example")
    ),
    "close case, notes deleted": lambda j, c, e, f: case_ops.close_case(
        j, c, outcome="thriving", delete_notes=True
    ),
    "trash case": lambda j, c, e, f: case_ops.trash_case(j, c),
    "log encounter and plan the next": lambda j, c, e, f: encounter_ops.log_encounter(
        j, c, encounter_input(stage=3), next_follow_up=FollowUpInput(date(2026, 12, 1))
    ),
    "mark done": lambda j, c, e, f: encounter_ops.log_encounter(
        j, c, encounter_input(occurred_at=datetime(2026, 11, 25, 9, 0)), completes=f
    ),
    "edit encounter": lambda j, c, e, f: encounter_ops.edit_encounter(
        j, e, encounter_input(stage=4, note=None)
    ),
    "trash encounter": lambda j, c, e, f: encounter_ops.trash_encounter(j, e),
    "schedule": lambda j, c, e, f: follow_up_ops.schedule_follow_up(j, c, date(2026, 12, 2)),
    "reschedule": lambda j, c, e, f: follow_up_ops.reschedule_follow_up(j, f, date(2026, 12, 3)),
    "cancel": lambda j, c, e, f: follow_up_ops.cancel_follow_up(j, f),
    "missed": lambda j, c, e, f: follow_up_ops.mark_follow_up_missed(j, f),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_undo_puts_every_row_back_and_redo_does_it_again(journal: Journal, name: str) -> None:
    case_id, encounter_id, follow_up_id = _prepared(journal)
    before = journal.capture([case_id])
    history = UndoHistory()

    result = ACTIONS[name](journal, case_id, encounter_id, follow_up_id)

    assert result.changes.touches_case(case_id)
    after = journal.capture([case_id])
    assert after != before  # the action did something
    assert result.undo is not None
    history.push(result.undo)
    assert history.undo_label() == result.undo.label

    assert history.undo(journal) == result.changes
    assert journal.capture([case_id]) == before
    assert history.redo_label() == result.undo.label and history.undo_label() is None
    history.redo(journal)
    assert journal.capture([case_id]) == after


def test_undoing_a_close_brings_back_the_notes_contact_and_planned_follow_up(
    journal: Journal,
) -> None:
    case_id, encounter_id, follow_up_id = _prepared(journal)
    result = case_ops.close_case(journal, case_id, delete_notes=True)
    assert journal.get_encounter(encounter_id).note is None
    assert journal.contact(case_id) is None  # purged on close (the default setting)
    assert follow_up_id in result.changes.follow_ups
    assert result.undo is not None
    result.undo.undo(journal)
    case = journal.get_case(case_id)
    assert case.status == "open" and case.closed_on is None
    assert journal.get_encounter(encounter_id).note == NOTE
    contact = journal.contact(case_id)
    assert contact is not None and contact.phone == "+1 555 0100"
    assert journal.follow_up(follow_up_id).status == "planned"
    assert case.next_follow_up_on == date(2026, 11, 28)  # the summaries follow


def test_undoing_a_new_case_removes_it_and_redo_brings_it_back(journal: Journal) -> None:
    result = case_ops.open_case(journal, case_input(), ContactInput(other="pager 42"))
    case_id = result.value.id
    assert result.changes == Changes.of(cases=[case_id])
    assert result.undo is not None
    result.undo.undo(journal)
    assert [row.id for row in journal.list_cases()] == []
    result.undo.redo(journal)
    assert journal.get_case(case_id).alias == "RN-A"
    contact = journal.contact(case_id)
    assert contact is not None and contact.other == "pager 42"


def test_a_record_changed_since_is_never_overwritten(journal: Journal) -> None:
    case_id, _encounter_id, follow_up_id = _prepared(journal)
    history = UndoHistory()
    result = follow_up_ops.reschedule_follow_up(journal, follow_up_id, date(2026, 12, 3))
    assert result.undo is not None
    history.push(result.undo)
    journal.update_case(case_id, case_input(alias="RN-C"))  # elsewhere (the CLI, say)
    with pytest.raises(InvalidState):
        history.undo(journal)
    assert journal.get_case(case_id).alias == "RN-C"
    assert journal.follow_up(follow_up_id).due_on == date(2026, 12, 3)
    assert history.undo_label() is None and history.redo_label() is None


def test_a_new_action_ends_what_could_be_redone(journal: Journal) -> None:
    case_id, _e, follow_up_id = _prepared(journal)
    history = UndoHistory()
    first = follow_up_ops.cancel_follow_up(journal, follow_up_id)
    assert first.undo is not None
    history.push(first.undo)
    history.undo(journal)
    result = follow_up_ops.schedule_follow_up(journal, case_id, date(2026, 12, 4))
    assert result.undo is not None
    history.push(result.undo)
    assert history.redo_label() is None and history.undo_label() == "Schedule follow-up"


def test_settings_change_is_checked_whole_and_undone(journal: Journal) -> None:
    with pytest.raises(ValidationError) as exc:
        settings_ops.change_settings(
            journal, {"idle_lock_minutes": 0, "follow_up_cadence_days": 500}
        )
    assert [p.field for p in exc.value.problems] == ["idle_lock_minutes", "follow_up_cadence_days"]
    assert journal.setting("follow_up_cadence_days") == 7  # nothing was saved
    result = settings_ops.change_settings(
        journal, {"idle_lock_minutes": 10, "follow_up_cadence_days": 7}
    )
    assert result.changes.settings == {"idle_lock_minutes"}  # only what differs
    assert result.undo is not None
    result.undo.undo(journal)
    assert journal.setting("idle_lock_minutes") == 5
    result.undo.redo(journal)
    assert journal.setting("idle_lock_minutes") == 10


def test_mark_done_is_one_transaction(journal: Journal) -> None:
    case_id, _e, follow_up_id = _prepared(journal)
    other = journal.open_case(case_input(alias="RN-Z"))
    with pytest.raises(ValidationError):
        encounter_ops.log_encounter(journal, other.id, encounter_input(), completes=follow_up_id)
    assert journal.encounters(other.id) == []
    assert journal.follow_up(follow_up_id).status == "planned"
    result = encounter_ops.log_encounter(
        journal, case_id, encounter_input(), completes=follow_up_id
    )
    done = journal.follow_up(follow_up_id)
    assert (done.status, done.encounter_id) == ("done", result.value.id)
    assert result.undo is not None and result.undo.label == "Mark follow-up done"
