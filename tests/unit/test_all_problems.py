"""Every problem of an input comes back at once, in the order its form shows the fields."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from svjournal.core.errors import InvalidInput, ValidationError
from svjournal.core.inputs import ContactInput, FollowUpInput
from svjournal.core.journal import Journal
from svjournal.core.models import Encounter, FollowUp
from svjournal.core.vault import Vault
from tests.unit.test_journal import REFERRED_ON, case_input, count, encounter_input


def fields(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.field for problem in exc.value.problems]


def test_a_new_case_with_nothing_chosen_names_every_missing_field_in_form_order(
    journal: Journal,
) -> None:
    empty = case_input(
        alias="", role=None, department=None, referral_source=None, event_category=None
    )
    with pytest.raises(InvalidInput) as exc:
        journal.open_case(empty)
    # The form's order: pseudonym, role, department, referral source, event category.
    assert fields(exc) == ["alias", "role", "department", "referral_source", "event_category"]
    # Still a ValidationError naming the first one, for callers that show one problem.
    assert exc.value.field == "alias"
    assert "department: Required." in str(exc.value)
    assert exc.value.problems[0].message == "Required."  # nothing typed: "required"


def test_a_single_problem_stays_a_plain_validation_error(journal: Journal) -> None:
    with pytest.raises(ValidationError) as exc:
        journal.open_case(case_input(role=None))
    assert not isinstance(exc.value, InvalidInput)
    assert fields(exc) == ["role"]


def test_the_event_after_the_referral_is_checked_only_once_both_dates_are_good(
    journal: Journal,
) -> None:
    with pytest.raises(ValidationError) as exc:
        journal.open_case(case_input(event_date=date(2026, 11, 22), referred_on=REFERRED_ON))
    assert fields(exc) == ["referred_on"]
    with pytest.raises(InvalidInput) as both:
        journal.open_case(case_input(alias="", event_date=date(1900, 1, 1)))
    assert fields(both) == ["alias", "event_date"]


def test_an_encounter_reports_all_its_problems_in_form_order(journal: Journal) -> None:
    case = journal.open_case(case_input())
    bad = encounter_input(
        mode="carrier pigeon", duration_minutes=0, stage=6, tier=9, note="x" * 1001
    )
    with pytest.raises(InvalidInput) as exc:
        journal.log_encounter(case.id, bad)
    assert fields(exc) == ["mode", "duration_minutes", "outcome", "tier", "note"]


def test_contact_details_report_each_bad_field() -> None:
    with pytest.raises(InvalidInput) as exc:
        ContactInput(phone="1" * 41, email="not an address").checked()
    assert fields(exc) == ["phone", "email"]


def test_logging_an_encounter_can_plan_the_next_follow_up_in_the_same_step(
    journal: Journal, vault: Vault
) -> None:
    case = journal.open_case(case_input())
    plan = FollowUpInput(due_on=date(2026, 11, 28), method="video")
    encounter = journal.log_encounter(case.id, encounter_input(), next_follow_up=plan)
    planned = journal.follow_ups(case.id)
    assert [(f.due_on, f.method, f.status) for f in planned] == [
        (date(2026, 11, 28), "video", "planned")
    ]
    assert journal.get_case(case.id).next_follow_up_on == date(2026, 11, 28)
    assert journal.get_encounter(encounter.id).case_id == case.id


def test_a_bad_follow_up_saves_neither_and_is_reported_with_the_encounters_problems(
    journal: Journal, vault: Vault
) -> None:
    case = journal.open_case(case_input())
    before_encounter = FollowUpInput(due_on=date(2026, 11, 20))
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(
            case.id,
            encounter_input(occurred_at=datetime(2026, 11, 21, 10, 0)),
            next_follow_up=before_encounter,
        )
    assert fields(exc) == ["due_on"]
    assert "before the encounter" in exc.value.message
    with pytest.raises(InvalidInput) as both:
        journal.log_encounter(
            case.id,
            encounter_input(mode=None),
            next_follow_up=FollowUpInput(due_on=date(2026, 11, 1), method="fax"),
        )
    assert fields(both) == ["mode", "method", "due_on"]
    assert count(vault, Encounter, case_id=case.id) == 0
    assert count(vault, FollowUp, case_id=case.id) == 0


def test_invalid_input_needs_two_problems() -> None:
    with pytest.raises(ValueError):
        InvalidInput([ValidationError("alias", "Required.")])
