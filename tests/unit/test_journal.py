"""The journal service end to end on a real (encrypted) vault, with the fixed clock FIXED_NOW."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from svjournal.core.errors import InvalidState, RecordNotFound, ValidationError
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput, ReferralInput
from svjournal.core.journal import CaseFilter, Journal
from svjournal.core.models import Case, ContactDetail, Encounter, FollowUp
from svjournal.core.vault import Vault
from tests.conftest import FIXED_NOW, PASSPHRASE

TODAY = FIXED_NOW.date()  # 2026-11-26
EVENT_ON = date(2026, 11, 18)
REFERRED_ON = date(2026, 11, 20)


def case_input(**changes: Any) -> CaseInput:
    values: dict[str, Any] = {
        "alias": "RN-A",
        "role": "nurse",
        "department": "icu",
        "event_category": "unexpected_death",
        "referral_source": "self",
        "referred_on": REFERRED_ON,
        "event_date": EVENT_ON,
    }
    values.update(changes)
    return CaseInput(**values)


def encounter_input(**changes: Any) -> EncounterInput:
    values: dict[str, Any] = {
        "occurred_at": datetime(2026, 11, 21, 10, 0),
        "mode": "phone",
        "duration_minutes": 30,
    }
    values.update(changes)
    return EncounterInput(**values)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0)


def count(vault: Vault, model: Any, **where: Any) -> int:
    """Rows in the database, deleted or not, read straight through the vault's engine."""
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with Session(vault.engine) as s:
        return int(s.execute(query).scalar_one())


def assert_field(exc: pytest.ExceptionInfo[ValidationError], field: str) -> None:
    assert exc.value.field == field, f"expected field {field!r}, got {exc.value.field!r}"


# --- cases --------------------------------------------------------------------------------


def test_open_case_stores_checked_values(journal: Journal) -> None:
    opened = journal.open_case(
        case_input(high_risk_events=["first_death", "reminds_of_family"], kind="individual")
    )
    case = journal.get_case(opened.id)
    assert case.alias == "RN-A"
    assert case.role == "nurse"
    assert case.department == "icu"
    assert case.event_category == "unexpected_death"
    assert case.referral_source == "self"
    assert case.referred_on == REFERRED_ON
    assert case.event_date == EVENT_ON
    assert case.kind == "individual"
    assert case.status == "open"
    assert case.closed_on is None
    assert case.current_stage is None
    assert case.outcome is None
    assert case.deleted_at is None
    # Multi-valued codes are kept in vocabulary order, whatever order they came in.
    assert case.high_risk_events == ["reminds_of_family", "first_death"]


def test_cases_survive_locking_and_unlocking_the_vault(vault: Vault, journal: Journal) -> None:
    case = journal.open_case(case_input(alias="Persisted"))
    encounter = journal.log_encounter(case.id, encounter_input(stage=3))
    vault.lock()
    with pytest.raises(Exception):  # noqa: B017 - any error: the engine is gone
        journal.get_case(case.id)
    vault.unlock(PASSPHRASE)
    again = Journal(vault.engine, clock=lambda: FIXED_NOW)
    assert again.get_case(case.id).alias == "Persisted"
    assert again.get_case(case.id).current_stage == 3
    assert [e.id for e in again.encounters(case.id)] == [encounter.id]


def test_get_case_of_unknown_id_is_record_not_found(journal: Journal) -> None:
    with pytest.raises(RecordNotFound):
        journal.get_case("no-such-id")


def test_update_case_changes_fields_and_stamps_updated_at(journal: Journal) -> None:
    case = journal.open_case(case_input())
    updated = journal.update_case(
        case.id, case_input(alias="MD-B", role="physician", department="emergency")
    )
    assert updated.updated_at == FIXED_NOW
    stored = journal.get_case(case.id)
    assert (stored.alias, stored.role, stored.department) == ("MD-B", "physician", "emergency")


def test_update_case_refuses_kind_change_once_encounters_exist(journal: Journal) -> None:
    case = journal.open_case(case_input())
    journal.update_case(case.id, case_input(kind="group"))  # no encounters yet: allowed
    journal.update_case(case.id, case_input(kind="individual"))
    journal.log_encounter(case.id, encounter_input())
    with pytest.raises(ValidationError) as exc:
        journal.update_case(case.id, case_input(kind="group"))
    assert_field(exc, "kind")
    assert journal.get_case(case.id).kind == "individual"


def test_update_case_refuses_dates_after_the_first_encounter(journal: Journal) -> None:
    case = journal.open_case(case_input())
    journal.log_encounter(case.id, encounter_input(occurred_at=at(21)))
    with pytest.raises(ValidationError) as exc:
        journal.update_case(case.id, case_input(referred_on=date(2026, 11, 22), event_date=None))
    assert_field(exc, "referred_on")
    with pytest.raises(ValidationError) as exc:
        journal.update_case(
            case.id, case_input(event_date=date(2026, 11, 22), referred_on=date(2026, 11, 22))
        )
    assert_field(exc, "event_date")
    assert journal.get_case(case.id).referred_on == REFERRED_ON


def test_close_and_reopen_case(journal: Journal) -> None:
    case = journal.open_case(case_input())
    closed = journal.close_case(case.id, outcome="thriving")
    assert (closed.status, closed.closed_on, closed.outcome) == ("closed", TODAY, "thriving")
    stored = journal.get_case(case.id)
    assert (stored.status, stored.closed_on, stored.outcome) == ("closed", TODAY, "thriving")

    with pytest.raises(InvalidState):
        journal.close_case(case.id)
    with pytest.raises(InvalidState):
        journal.log_encounter(case.id, encounter_input())
    with pytest.raises(InvalidState):
        journal.schedule_follow_up(case.id, date(2026, 12, 1))

    reopened = journal.reopen_case(case.id)
    assert (reopened.status, reopened.closed_on) == ("open", None)
    assert journal.get_case(case.id).status == "open"
    with pytest.raises(InvalidState):
        journal.reopen_case(case.id)
    journal.log_encounter(case.id, encounter_input())  # open again: encounters allowed


def test_close_case_checks_its_inputs(journal: Journal) -> None:
    case = journal.open_case(case_input())
    for kwargs in (
        {"closed_on": REFERRED_ON - timedelta(days=1)},
        {"closed_on": TODAY + timedelta(days=1)},
        {"closed_on": "2026-11-26"},
    ):
        with pytest.raises(ValidationError) as exc:
            journal.close_case(case.id, **kwargs)
        assert_field(exc, "closed_on")
    with pytest.raises(ValidationError) as exc:
        journal.close_case(case.id, outcome="flourishing")
    assert_field(exc, "outcome")
    assert journal.get_case(case.id).status == "open"
    assert journal.close_case(case.id, closed_on=REFERRED_ON).closed_on == REFERRED_ON


# --- encounters ---------------------------------------------------------------------------


def test_log_encounter_stores_every_field(journal: Journal) -> None:
    case = journal.open_case(case_input())
    logged = journal.log_encounter(
        case.id,
        encounter_input(
            occurred_at=datetime(2026, 11, 21, 9, 30, 15, 123456),
            mode="in_person",
            duration_minutes=45,
            tier=3,
            stage=2,
            stress_zone="injured",
            triggered=True,
            interventions=["coping_strategies", "reflective_listening"],
            referrals=[ReferralInput("eap", "accepted"), ReferralInput("chaplain")],
            red_flags=["substance_use"],
            support_declined=False,
            needs_met="partly",
            note="Met at the unit.",
        ),
    )
    [stored] = journal.encounters(case.id)
    assert stored.id == logged.id
    assert stored.case_id == case.id
    assert stored.occurred_at == datetime(2026, 11, 21, 9, 30, 15)  # microseconds dropped
    assert stored.mode == "in_person"
    assert stored.duration_minutes == 45
    assert stored.tier == 3
    assert stored.stage == 2
    assert stored.outcome is None
    assert stored.group_size is None
    assert stored.stress_zone == "injured"
    assert stored.triggered is True
    assert stored.interventions == ["reflective_listening", "coping_strategies"]
    assert stored.referrals == [
        {"target": "eap", "response": "accepted"},
        {"target": "chaplain", "response": "pending"},
    ]
    assert stored.red_flags == ["substance_use"]
    assert stored.support_declined is False
    assert stored.needs_met == "partly"
    assert stored.note == "Met at the unit."
    assert journal.get_encounter(logged.id).note == "Met at the unit."
    assert journal.get_case(case.id).updated_at == FIXED_NOW


def test_edit_encounter(journal: Journal) -> None:
    case = journal.open_case(case_input())
    encounter = journal.log_encounter(case.id, encounter_input(stage=1, note="first"))
    edited = journal.edit_encounter(
        encounter.id,
        encounter_input(occurred_at=at(22), mode="video", duration_minutes=60, stage=3),
    )
    assert edited.updated_at == FIXED_NOW
    stored = journal.get_encounter(encounter.id)
    assert (stored.occurred_at, stored.mode, stored.duration_minutes) == (at(22), "video", 60)
    assert stored.stage == 3
    assert stored.note is None
    assert journal.get_case(case.id).current_stage == 3
    with pytest.raises(ValidationError) as exc:
        journal.edit_encounter(encounter.id, encounter_input(duration_minutes=0))
    assert_field(exc, "duration_minutes")
    assert journal.get_encounter(encounter.id).duration_minutes == 60
    with pytest.raises(RecordNotFound):
        journal.edit_encounter("no-such-id", encounter_input())


def test_encounter_up_to_a_day_ahead_is_accepted(journal: Journal) -> None:
    case = journal.open_case(case_input())
    ahead = FIXED_NOW + timedelta(days=1)
    journal.log_encounter(case.id, encounter_input(occurred_at=ahead))
    assert [e.occurred_at for e in journal.encounters(case.id)] == [ahead]
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(case.id, encounter_input(occurred_at=ahead + timedelta(minutes=1)))
    assert_field(exc, "occurred_at")


def test_group_encounters_need_a_head_count_of_two_or_more(journal: Journal) -> None:
    team = journal.open_case(case_input(alias="ICU night team", kind="group", role="mixed"))
    for size in (None, 1, 0, -3, 501, "5"):
        with pytest.raises(ValidationError) as exc:
            journal.log_encounter(team.id, encounter_input(group_size=size))
        assert_field(exc, "group_size")
    assert journal.encounters(team.id) == []
    journal.log_encounter(team.id, encounter_input(group_size=2))
    journal.log_encounter(team.id, encounter_input(group_size=12, occurred_at=at(22)))
    assert [e.group_size for e in journal.encounters(team.id)] == [2, 12]


def test_individual_encounter_refuses_a_group_size(journal: Journal) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(case.id, encounter_input(group_size=3))
    assert_field(exc, "group_size")
    assert journal.encounters(case.id) == []


def test_encounters_are_listed_oldest_first(journal: Journal) -> None:
    case = journal.open_case(case_input())
    late = journal.log_encounter(case.id, encounter_input(occurred_at=at(25)))
    early = journal.log_encounter(case.id, encounter_input(occurred_at=at(21)))
    middle = journal.log_encounter(case.id, encounter_input(occurred_at=at(23)))
    assert [e.id for e in journal.encounters(case.id)] == [early.id, middle.id, late.id]


# --- stages -------------------------------------------------------------------------------


def test_stage_six_needs_an_outcome(journal: Journal) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(case.id, encounter_input(stage=6))
    assert_field(exc, "outcome")
    encounter = journal.log_encounter(case.id, encounter_input(stage=5))
    with pytest.raises(ValidationError) as exc:
        journal.tag_stage(encounter.id, 6)
    assert_field(exc, "outcome")
    with pytest.raises(ValidationError) as exc:
        journal.tag_stage(encounter.id, 6, "flourishing")
    assert_field(exc, "outcome")
    assert journal.get_encounter(encounter.id).stage == 5


def test_outcome_only_with_stage_six(journal: Journal) -> None:
    case = journal.open_case(case_input())
    for stage in (None, 1, 5):
        with pytest.raises(ValidationError) as exc:
            journal.log_encounter(case.id, encounter_input(stage=stage, outcome="surviving"))
        assert_field(exc, "outcome")
    encounter = journal.log_encounter(case.id, encounter_input(stage=2))
    with pytest.raises(ValidationError) as exc:
        journal.tag_stage(encounter.id, 3, "thriving")
    assert_field(exc, "outcome")
    assert journal.get_encounter(encounter.id).stage == 2


def test_stage_six_with_outcome_sets_case_stage_and_outcome(journal: Journal) -> None:
    case = journal.open_case(case_input())
    encounter = journal.log_encounter(case.id, encounter_input(stage=4))
    tagged = journal.tag_stage(encounter.id, 6, "surviving")
    assert (tagged.stage, tagged.outcome) == (6, "surviving")
    stored = journal.get_case(case.id)
    assert (stored.current_stage, stored.outcome) == (6, "surviving")
    # Stages can go backwards: a trigger sends the person back to intrusive reflections.
    journal.log_encounter(case.id, encounter_input(occurred_at=at(24), stage=2, triggered=True))
    stored = journal.get_case(case.id)
    assert (stored.current_stage, stored.outcome) == (2, None)


def test_current_stage_follows_the_latest_encounter(journal: Journal) -> None:
    case = journal.open_case(case_input())
    journal.log_encounter(case.id, encounter_input(occurred_at=at(21), stage=4))
    assert journal.get_case(case.id).current_stage == 4
    latest = journal.log_encounter(case.id, encounter_input(occurred_at=at(23), stage=2))
    assert journal.get_case(case.id).current_stage == 2  # backwards: 4 then later 2
    # Logged last but happened earlier: the stage stays that of the latest by occurred_at.
    backfill = journal.log_encounter(case.id, encounter_input(occurred_at=at(22), stage=5))
    assert journal.get_case(case.id).current_stage == 2
    assert [e.stage for e in journal.encounters(case.id)] == [4, 5, 2]

    journal.delete_encounter(latest.id)
    assert journal.get_case(case.id).current_stage == 5
    journal.restore_encounter(latest.id)
    assert journal.get_case(case.id).current_stage == 2

    # Moving the backfilled encounter to the latest time makes it the current stage.
    journal.edit_encounter(backfill.id, encounter_input(occurred_at=at(24), stage=5))
    assert journal.get_case(case.id).current_stage == 5
    journal.tag_stage(backfill.id, 1)
    assert journal.get_case(case.id).current_stage == 1
    journal.delete_encounter(backfill.id)
    assert journal.get_case(case.id).current_stage == 2


def test_deleting_the_only_staged_encounter_clears_the_stage(journal: Journal) -> None:
    case = journal.open_case(case_input())
    only = journal.log_encounter(case.id, encounter_input(stage=6, outcome="thriving"))
    assert journal.get_case(case.id).outcome == "thriving"
    journal.delete_encounter(only.id)
    stored = journal.get_case(case.id)
    assert (stored.current_stage, stored.outcome) == (None, None)


# --- follow-ups ---------------------------------------------------------------------------


def test_schedule_follow_up(journal: Journal) -> None:
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, date(2026, 12, 3), "video")
    [stored] = journal.follow_ups(case.id)
    assert stored.id == follow_up.id
    assert (stored.due_on, stored.method, stored.status) == (date(2026, 12, 3), "video", "planned")
    assert stored.done_at is None and stored.encounter_id is None
    assert journal.schedule_follow_up(case.id, date(2026, 12, 1)).method == "phone"


def test_schedule_follow_up_checks_its_inputs(journal: Journal) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError) as exc:
        journal.schedule_follow_up(case.id, REFERRED_ON - timedelta(days=1))
    assert_field(exc, "due_on")
    with pytest.raises(ValidationError) as exc:
        journal.schedule_follow_up(case.id, datetime(2026, 12, 1, 9, 0))
    assert_field(exc, "due_on")
    with pytest.raises(ValidationError) as exc:
        journal.schedule_follow_up(case.id, date(2026, 12, 1), "carrier_pigeon")
    assert_field(exc, "method")
    with pytest.raises(RecordNotFound):
        journal.schedule_follow_up("no-such-id", date(2026, 12, 1))
    assert journal.follow_ups(case.id) == []


def test_complete_follow_up_without_an_encounter(journal: Journal) -> None:
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, TODAY)
    done = journal.complete_follow_up(follow_up.id)
    assert (done.status, done.done_at, done.encounter_id) == ("done", FIXED_NOW, None)
    [stored] = journal.follow_ups(case.id)
    assert (stored.status, stored.done_at, stored.encounter_id) == ("done", FIXED_NOW, None)
    with pytest.raises(InvalidState):
        journal.complete_follow_up(follow_up.id)


def test_complete_follow_up_with_its_encounter(journal: Journal) -> None:
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, TODAY)
    encounter = journal.log_encounter(case.id, encounter_input(occurred_at=FIXED_NOW))
    when = FIXED_NOW - timedelta(hours=1)
    journal.complete_follow_up(follow_up.id, done_at=when, encounter_id=encounter.id)
    [stored] = journal.follow_ups(case.id)
    assert (stored.status, stored.done_at, stored.encounter_id) == ("done", when, encounter.id)


def test_complete_follow_up_refuses_an_encounter_of_another_case(journal: Journal) -> None:
    case = journal.open_case(case_input(alias="A"))
    other = journal.open_case(case_input(alias="B"))
    follow_up = journal.schedule_follow_up(case.id, TODAY)
    foreign = journal.log_encounter(other.id, encounter_input())
    with pytest.raises(ValidationError) as exc:
        journal.complete_follow_up(follow_up.id, encounter_id=foreign.id)
    assert_field(exc, "encounter_id")
    with pytest.raises(RecordNotFound):
        journal.complete_follow_up(follow_up.id, encounter_id="no-such-id")
    with pytest.raises(ValidationError) as exc:
        journal.complete_follow_up(follow_up.id, done_at=FIXED_NOW + timedelta(days=2))
    assert_field(exc, "done_at")
    assert [f.status for f in journal.follow_ups(case.id)] == ["planned"]


def test_reschedule_cancel_and_miss_follow_ups(journal: Journal) -> None:
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, date(2026, 11, 27))

    moved = journal.reschedule_follow_up(follow_up.id, date(2026, 11, 30))
    assert (moved.due_on, moved.status) == (date(2026, 11, 30), "planned")

    missed = journal.mark_follow_up_missed(follow_up.id)
    assert missed.status == "missed"
    with pytest.raises(InvalidState):
        journal.mark_follow_up_missed(follow_up.id)
    with pytest.raises(InvalidState):
        journal.complete_follow_up(follow_up.id)

    # A missed follow-up can be planned again.
    again = journal.reschedule_follow_up(follow_up.id, date(2026, 12, 2))
    assert (again.due_on, again.status) == (date(2026, 12, 2), "planned")

    cancelled = journal.cancel_follow_up(follow_up.id)
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidState):
        journal.cancel_follow_up(follow_up.id)
    with pytest.raises(InvalidState):
        journal.reschedule_follow_up(follow_up.id, date(2026, 12, 5))
    assert [(f.status, f.due_on) for f in journal.follow_ups(case.id)] == [
        ("cancelled", date(2026, 12, 2))
    ]

    done = journal.schedule_follow_up(case.id, TODAY)
    journal.complete_follow_up(done.id)
    for settle in (journal.cancel_follow_up, journal.mark_follow_up_missed):
        with pytest.raises(InvalidState):
            settle(done.id)
    with pytest.raises(InvalidState):
        journal.reschedule_follow_up(done.id, date(2026, 12, 5))


def test_reschedule_refuses_a_day_before_the_referral(journal: Journal) -> None:
    # schedule_follow_up refuses this date; rescheduling must not let it in by the back door.
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, date(2026, 11, 30))
    with pytest.raises(ValidationError) as exc:
        journal.reschedule_follow_up(follow_up.id, REFERRED_ON - timedelta(days=10))
    assert_field(exc, "due_on")
    assert journal.follow_ups(case.id)[0].due_on == date(2026, 11, 30)


def test_reschedule_refuses_a_follow_up_of_a_closed_case(journal: Journal) -> None:
    # A closed case has no planned follow-ups (closing cancels them, scheduling is refused);
    # putting a missed one back to "planned" would list a closed case as due or overdue.
    case = journal.open_case(case_input())
    follow_up = journal.schedule_follow_up(case.id, date(2026, 11, 24))
    journal.mark_follow_up_missed(follow_up.id)
    journal.close_case(case.id)
    with pytest.raises(InvalidState):
        journal.reschedule_follow_up(follow_up.id, TODAY)
    assert journal.due_today() == []
    assert [f.status for f in journal.follow_ups(case.id)] == ["missed"]


def test_due_today_and_overdue_use_the_clock(journal: Journal) -> None:
    anna = journal.open_case(case_input(alias="Anna"))
    bert = journal.open_case(case_input(alias="Bert"))
    gone = journal.open_case(case_input(alias="Gone"))
    due_bert = journal.schedule_follow_up(bert.id, TODAY)
    due_anna = journal.schedule_follow_up(anna.id, TODAY, "in_person")
    late_anna = journal.schedule_follow_up(anna.id, date(2026, 11, 24))
    later_late = journal.schedule_follow_up(bert.id, date(2026, 11, 25))
    journal.schedule_follow_up(anna.id, date(2026, 11, 27))  # upcoming: in neither list
    done = journal.schedule_follow_up(bert.id, date(2026, 11, 23))
    journal.complete_follow_up(done.id)
    cancelled = journal.schedule_follow_up(bert.id, TODAY)
    journal.cancel_follow_up(cancelled.id)
    missed = journal.schedule_follow_up(anna.id, date(2026, 11, 22))
    journal.mark_follow_up_missed(missed.id)
    journal.schedule_follow_up(gone.id, TODAY)
    journal.schedule_follow_up(gone.id, date(2026, 11, 21))
    journal.delete_case(gone.id)

    today = journal.due_today()
    assert [(r.id, r.alias) for r in today] == [(due_anna.id, "Anna"), (due_bert.id, "Bert")]
    assert today[0].case_id == anna.id
    assert (today[0].due_on, today[0].method, today[0].status) == (TODAY, "in_person", "planned")

    overdue = journal.overdue()
    assert [(r.id, r.due_on) for r in overdue] == [
        (late_anna.id, date(2026, 11, 24)),
        (later_late.id, date(2026, 11, 25)),
    ]
    # Another day can be asked for explicitly.
    assert [r.due_on for r in journal.due_today(date(2026, 11, 27))] == [date(2026, 11, 27)]


def test_close_case_cancels_planned_follow_ups_and_purges_contacts(
    vault: Vault, journal: Journal
) -> None:
    assert journal.setting("purge_contacts_on_close") is True
    case = journal.open_case(case_input())
    journal.set_contact(case.id, ContactInput(phone="+1 555 0100", email="a@example.org"))
    assert journal.contact(case.id) is not None
    planned = journal.schedule_follow_up(case.id, date(2026, 12, 1))
    done = journal.schedule_follow_up(case.id, TODAY)
    journal.complete_follow_up(done.id)

    journal.close_case(case.id)
    statuses = {f.id: f.status for f in journal.follow_ups(case.id)}
    assert statuses == {planned.id: "cancelled", done.id: "done"}
    assert journal.contact(case.id) is None
    assert count(vault, ContactDetail, case_id=case.id) == 0
    assert journal.upcoming() == []


def test_close_case_keeps_contacts_when_purge_is_off(vault: Vault, journal: Journal) -> None:
    journal.set_setting("purge_contacts_on_close", False)
    case = journal.open_case(case_input())
    journal.set_contact(case.id, ContactInput(phone="+1 555 0100"))
    journal.close_case(case.id)
    contact = journal.contact(case.id)
    assert contact is not None and contact.phone == "+1 555 0100"
    assert count(vault, ContactDetail, case_id=case.id) == 1


# --- the case list ------------------------------------------------------------------------


def test_list_cases_text_filter_is_a_case_insensitive_substring(journal: Journal) -> None:
    for alias in ("Alpha-RN", "beta", "ALPHABET", "Gamma"):
        journal.open_case(case_input(alias=alias))
    aliases = [r.alias for r in journal.list_cases()]
    assert sorted(aliases) == sorted(["Alpha-RN", "beta", "ALPHABET", "Gamma"])
    assert sorted(r.alias for r in journal.list_cases(CaseFilter(text="alpha"))) == [
        "ALPHABET",
        "Alpha-RN",
    ]
    assert [r.alias for r in journal.list_cases(CaseFilter(text="ETA"))] == ["beta"]
    assert [r.alias for r in journal.list_cases(CaseFilter(text="mm"))] == ["Gamma"]
    assert journal.list_cases(CaseFilter(text="delta")) == []


def test_list_cases_text_filter_takes_wildcards_literally(journal: Journal) -> None:
    for alias in ("50%off", "50 off", "a_b", "axb", "back\\slash", "backslash"):
        journal.open_case(case_input(alias=alias))

    def found(text: str) -> list[str]:
        return sorted(r.alias for r in journal.list_cases(CaseFilter(text=text)))

    assert found("%") == ["50%off"]
    assert found("50%") == ["50%off"]
    assert found("_") == ["a_b"]
    assert found("a_b") == ["a_b"]
    assert found("\\") == ["back\\slash"]


def test_list_cases_filters_by_status_stage_role_department_and_kind(journal: Journal) -> None:
    nurse = journal.open_case(case_input(alias="nurse-icu"))
    doctor = journal.open_case(
        case_input(alias="doctor-ed", role="physician", department="emergency")
    )
    team = journal.open_case(
        case_input(alias="team-icu", role="mixed", department="icu", kind="group")
    )
    journal.log_encounter(nurse.id, encounter_input(stage=3))
    journal.log_encounter(team.id, encounter_input(stage=3, group_size=6))
    journal.log_encounter(doctor.id, encounter_input(stage=5))
    journal.close_case(doctor.id)

    def aliases(**kwargs: Any) -> list[str]:
        return [r.alias for r in journal.list_cases(CaseFilter(**kwargs))]

    assert aliases() == ["doctor-ed", "nurse-icu", "team-icu"]  # ordered by alias
    assert aliases(status="open") == ["nurse-icu", "team-icu"]
    assert aliases(status="closed") == ["doctor-ed"]
    assert aliases(stage=3) == ["nurse-icu", "team-icu"]
    assert aliases(stage=5) == ["doctor-ed"]
    assert aliases(stage=1) == []
    assert aliases(role="physician") == ["doctor-ed"]
    assert aliases(department="icu") == ["nurse-icu", "team-icu"]
    assert aliases(kind="group") == ["team-icu"]
    assert aliases(kind="individual") == ["doctor-ed", "nurse-icu"]
    assert aliases(status="open", kind="individual", text="NURSE") == ["nurse-icu"]
    row = journal.list_cases(CaseFilter(role="physician"))[0]
    assert (row.id, row.status, row.current_stage, row.department) == (
        doctor.id,
        "closed",
        5,
        "emergency",
    )


def test_list_cases_last_contact_and_next_follow_up(journal: Journal) -> None:
    case = journal.open_case(case_input(alias="with-activity"))
    quiet = journal.open_case(case_input(alias="without-activity"))
    journal.log_encounter(case.id, encounter_input(occurred_at=at(21, 9)))
    latest = journal.log_encounter(case.id, encounter_input(occurred_at=at(24, 15)))
    journal.log_encounter(case.id, encounter_input(occurred_at=at(22, 11)))
    journal.schedule_follow_up(case.id, date(2026, 12, 10))
    soonest = journal.schedule_follow_up(case.id, date(2026, 12, 1))
    done = journal.schedule_follow_up(case.id, date(2026, 11, 27))
    journal.complete_follow_up(done.id)

    rows = {r.id: r for r in journal.list_cases()}
    assert rows[case.id].last_contact == at(24, 15)
    assert isinstance(rows[case.id].last_contact, datetime)
    assert rows[case.id].next_follow_up == date(2026, 12, 1)
    assert type(rows[case.id].next_follow_up) is date
    assert (rows[quiet.id].last_contact, rows[quiet.id].next_follow_up) == (None, None)

    journal.delete_encounter(latest.id)
    journal.cancel_follow_up(soonest.id)
    row = next(r for r in journal.list_cases() if r.id == case.id)
    assert (row.last_contact, row.next_follow_up) == (at(22, 11), date(2026, 12, 10))


# --- trash --------------------------------------------------------------------------------


def test_soft_delete_and_restore_a_case(journal: Journal) -> None:
    case = journal.open_case(case_input(alias="to-delete"))
    keep = journal.open_case(case_input(alias="to-keep"))
    encounter = journal.log_encounter(case.id, encounter_input())
    journal.schedule_follow_up(case.id, TODAY)

    journal.delete_case(case.id)
    assert [r.id for r in journal.list_cases()] == [keep.id]
    with pytest.raises(RecordNotFound):
        journal.get_case(case.id)
    with pytest.raises(RecordNotFound):
        journal.get_encounter(encounter.id)
    with pytest.raises(RecordNotFound):
        journal.log_encounter(case.id, encounter_input())
    assert [c.id for c in journal.trash().cases] == [case.id]
    assert journal.due_today() == []

    journal.restore_case(case.id)
    assert sorted(r.id for r in journal.list_cases()) == sorted([case.id, keep.id])
    assert journal.get_case(case.id).alias == "to-delete"
    assert [e.id for e in journal.encounters(case.id)] == [encounter.id]
    assert [r.case_id for r in journal.due_today()] == [case.id]
    assert journal.trash().cases == []


def test_purge_case_removes_it_and_everything_it_holds(vault: Vault, journal: Journal) -> None:
    case = journal.open_case(case_input(alias="purge-me"))
    keep = journal.open_case(case_input(alias="keep-me"))
    encounter = journal.log_encounter(case.id, encounter_input())
    journal.log_encounter(case.id, encounter_input(occurred_at=at(22)))
    linked = journal.schedule_follow_up(case.id, TODAY)
    journal.complete_follow_up(linked.id, encounter_id=encounter.id)
    journal.schedule_follow_up(case.id, date(2026, 12, 3))
    journal.set_contact(case.id, ContactInput(email="p@example.org"))
    journal.log_encounter(keep.id, encounter_input())
    journal.schedule_follow_up(keep.id, TODAY)

    with pytest.raises(InvalidState):
        journal.purge_case(case.id)  # not in the trash
    assert count(vault, Case, id=case.id) == 1

    journal.delete_case(case.id)
    journal.purge_case(case.id)
    assert count(vault, Case, id=case.id) == 0
    assert count(vault, Encounter, case_id=case.id) == 0
    assert count(vault, FollowUp, case_id=case.id) == 0
    assert count(vault, ContactDetail, case_id=case.id) == 0
    assert journal.trash().cases == []
    with pytest.raises(RecordNotFound):
        journal.restore_case(case.id)
    with pytest.raises(RecordNotFound):
        journal.purge_case(case.id)
    # The other case is untouched.
    assert count(vault, Case) == 1
    assert count(vault, Encounter, case_id=keep.id) == 1
    assert count(vault, FollowUp, case_id=keep.id) == 1


def test_deleted_encounters_go_to_the_trash_and_empty_trash_purges(
    vault: Vault, journal: Journal
) -> None:
    case = journal.open_case(case_input(alias="live"))
    kept = journal.log_encounter(case.id, encounter_input(occurred_at=at(21)))
    binned = journal.log_encounter(case.id, encounter_input(occurred_at=at(22)))
    doomed = journal.open_case(case_input(alias="doomed"))
    journal.log_encounter(doomed.id, encounter_input())
    journal.schedule_follow_up(doomed.id, TODAY)

    journal.delete_encounter(binned.id)
    journal.delete_case(doomed.id)
    assert [e.id for e in journal.encounters(case.id)] == [kept.id]
    trash = journal.trash()
    assert [c.id for c in trash.cases] == [doomed.id]
    assert [e.id for e in trash.encounters] == [binned.id]
    with pytest.raises(InvalidState):
        journal.purge_encounter(kept.id)

    assert journal.empty_trash() == 2
    assert journal.trash().cases == [] and journal.trash().encounters == []
    assert count(vault, Encounter, id=binned.id) == 0
    assert count(vault, Case, id=doomed.id) == 0
    assert count(vault, Encounter, case_id=doomed.id) == 0
    assert count(vault, FollowUp, case_id=doomed.id) == 0
    assert count(vault, Encounter, id=kept.id) == 1
    assert journal.empty_trash() == 0


# --- drafts, settings, export log ---------------------------------------------------------


def test_drafts_save_load_overwrite_discard(journal: Journal) -> None:
    assert journal.load_draft("encounter:new") is None
    journal.save_draft("encounter:new", "encounter", {"mode": "phone", "minutes": 20})
    draft = journal.load_draft("encounter:new")
    assert draft is not None
    assert (draft.kind, draft.payload, draft.updated_at) == (
        "encounter",
        {"mode": "phone", "minutes": 20},
        FIXED_NOW,
    )
    journal.save_draft("encounter:new", "encounter", {"mode": "video", "note": "Zoë ✓"})
    draft = journal.load_draft("encounter:new")
    assert draft is not None and draft.payload == {"mode": "video", "note": "Zoë ✓"}
    journal.save_draft("case:new", "case", {})
    assert sorted(d.key for d in journal.drafts()) == ["case:new", "encounter:new"]

    journal.discard_draft("encounter:new")
    assert journal.load_draft("encounter:new") is None
    assert [d.key for d in journal.drafts()] == ["case:new"]
    journal.discard_draft("encounter:new")  # discarding twice is harmless
    with pytest.raises(ValidationError):
        journal.save_draft("", "case", {})


def test_settings_defaults_set_and_persist(vault: Vault, journal: Journal) -> None:
    assert journal.setting("idle_lock_minutes") == 5
    assert journal.setting("small_count_threshold") == 5
    assert journal.setting("purge_contacts_on_close") is True
    assert journal.setting("programme_name") == "Peer support program"
    assert "icu" in journal.department_codes()
    journal.set_setting("idle_lock_minutes", 15)
    journal.set_setting("idle_lock_minutes", 20)  # overwrite an existing row
    journal.set_setting("programme_name", "forYOU · Zoë")
    journal.set_setting("small_count_threshold", 0)
    other = Journal(vault.engine, clock=lambda: FIXED_NOW)
    assert other.setting("idle_lock_minutes") == 20
    assert other.setting("programme_name") == "forYOU · Zoë"
    assert other.setting("small_count_threshold") == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("idle_lock_minutes", 0),
        ("idle_lock_minutes", 121),
        ("idle_lock_minutes", "5"),
        ("idle_lock_minutes", True),
        ("purge_contacts_on_close", "no"),
        ("purge_contacts_on_close", 0),
        ("programme_name", ""),
        ("programme_name", "x" * 81),
        ("departments", []),
        ("departments", [{"code": "Bad Code", "label": "Bad"}]),
        ("departments", [{"code": "icu", "label": "A"}, {"code": "icu", "label": "B"}]),
        ("escalation_contacts", "988"),
    ],
)
def test_invalid_setting_value_is_refused(journal: Journal, key: str, value: Any) -> None:
    before = journal.setting(key)
    with pytest.raises(ValidationError) as exc:
        journal.set_setting(key, value)
    assert_field(exc, key)
    assert journal.setting(key) == before


def test_unknown_setting_is_refused(journal: Journal) -> None:
    with pytest.raises(ValidationError) as exc:
        journal.setting("colour_scheme")
    assert_field(exc, "setting")
    with pytest.raises(ValidationError) as exc:
        journal.set_setting("colour_scheme", "dark")
    assert_field(exc, "setting")


def test_removed_department_keeps_old_cases_but_refuses_new_ones(journal: Journal) -> None:
    old = journal.open_case(case_input(alias="old", department="emergency"))
    journal.set_setting(
        "departments",
        [{"code": "icu", "label": "ICU"}, {"code": "hospice", "label": "Hospice"}],
    )
    assert journal.department_codes() == ["icu", "hospice"]

    with pytest.raises(ValidationError) as exc:
        journal.open_case(case_input(alias="new", department="emergency"))
    assert_field(exc, "department")
    assert [r.alias for r in journal.list_cases()] == ["old"]

    updated = journal.update_case(old.id, case_input(alias="old-renamed", department="emergency"))
    assert (updated.alias, updated.department) == ("old-renamed", "emergency")
    assert journal.open_case(case_input(alias="new", department="hospice")).department == "hospice"
    with pytest.raises(ValidationError) as exc:
        journal.update_case(old.id, case_input(department="surgery"))
    assert_field(exc, "department")

    journal.update_case(old.id, case_input(alias="moved", department="hospice"))
    with pytest.raises(ValidationError) as exc:  # once moved away, the retired one is gone
        journal.update_case(old.id, case_input(alias="moved", department="emergency"))
    assert_field(exc, "department")


def test_export_log(journal: Journal) -> None:
    assert journal.export_log() == []
    journal.record_export("pdf_report", "/tmp/report.pdf", "2026 Q4")
    journal.record_export("csv", "/tmp/figures.csv")
    entries = journal.export_log()
    assert sorted((e.kind, e.destination, e.detail) for e in entries) == [
        ("csv", "/tmp/figures.csv", ""),
        ("pdf_report", "/tmp/report.pdf", "2026 Q4"),
    ]
    assert all(e.at == FIXED_NOW for e in entries)


# --- validation at the edge ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": "surgeon"}, "role"),
        ({"role": None}, "role"),
        ({"kind": "team"}, "kind"),
        ({"department": "nowhere"}, "department"),
        ({"event_category": "bad_day"}, "event_category"),
        ({"referral_source": "rumour"}, "referral_source"),
        ({"high_risk_events": ["bad_luck"]}, "high_risk_events"),
        ({"high_risk_events": "first_death"}, "high_risk_events"),
        ({"alias": ""}, "alias"),
        ({"alias": "   "}, "alias"),
        ({"alias": "x" * 41}, "alias"),
        ({"alias": "a\x00b"}, "alias"),
        ({"alias": "a\x1b[31mb"}, "alias"),
        ({"alias": "two\nlines"}, "alias"),
        ({"alias": "lone\ud800"}, "alias"),
        ({"alias": 5}, "alias"),
        ({"alias": None}, "alias"),
        ({"event_date": date(2026, 11, 21)}, "referred_on"),  # referred before the event
        ({"referred_on": date(1949, 12, 31), "event_date": None}, "referred_on"),
        ({"event_date": date(1949, 12, 31)}, "event_date"),
        ({"referred_on": date(2026, 11, 28)}, "referred_on"),  # beyond tomorrow
        ({"referred_on": datetime(2026, 11, 20, 9, 0)}, "referred_on"),
        ({"referred_on": "2026-11-20"}, "referred_on"),
        ({"event_date": "2026-11-18"}, "event_date"),
    ],
)
def test_open_case_validation(journal: Journal, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        journal.open_case(case_input(**changes))
    assert_field(exc, field)
    assert journal.list_cases() == []


def test_alias_limits_are_inclusive(journal: Journal) -> None:
    case = journal.open_case(case_input(alias="x" * 40, referred_on=TODAY + timedelta(days=1)))
    assert journal.get_case(case.id).alias == "x" * 40
    old = journal.open_case(case_input(alias="old", referred_on=date(1950, 1, 1), event_date=None))
    assert journal.get_case(old.id).referred_on == date(1950, 1, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mode": "fax"}, "mode"),
        ({"mode": None}, "mode"),
        ({"tier": 4}, "tier"),
        ({"tier": 0}, "tier"),
        ({"tier": "2"}, "tier"),
        ({"stage": 7}, "stage"),
        ({"stage": 0}, "stage"),
        ({"stage": True}, "stage"),
        ({"stage": "3"}, "stage"),
        ({"stage": 6}, "outcome"),
        ({"stage": 6, "outcome": "flourishing"}, "outcome"),
        ({"stage": 4, "outcome": "thriving"}, "outcome"),
        ({"interventions": ["hugging"]}, "interventions"),
        ({"red_flags": ["bad_vibes"]}, "red_flags"),
        ({"referrals": [ReferralInput("astrologer")]}, "referrals"),
        ({"referrals": [ReferralInput("eap", "maybe")]}, "referrals"),
        ({"referrals": [ReferralInput("eap"), ReferralInput("eap", "declined")]}, "referrals"),
        ({"referrals": ["eap"]}, "referrals"),
        ({"stress_zone": "purple"}, "stress_zone"),
        ({"needs_met": "maybe"}, "needs_met"),
        ({"triggered": "yes"}, "triggered"),
        ({"support_declined": 1}, "support_declined"),
        ({"occurred_at": datetime(2026, 11, 17, 23, 59)}, "occurred_at"),  # before the event
        ({"occurred_at": datetime(2026, 11, 19, 12, 0)}, "occurred_at"),  # before the referral
        ({"occurred_at": FIXED_NOW + timedelta(days=1, seconds=1)}, "occurred_at"),
        ({"occurred_at": FIXED_NOW + timedelta(days=30)}, "occurred_at"),
        ({"occurred_at": date(2026, 11, 21)}, "occurred_at"),
        ({"occurred_at": datetime(2026, 11, 21, 10, tzinfo=UTC)}, "occurred_at"),
        ({"occurred_at": "2026-11-21 10:00"}, "occurred_at"),
        ({"occurred_at": datetime(1949, 12, 31, 10, 0)}, "occurred_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -15}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"duration_minutes": "30"}, "duration_minutes"),
        ({"duration_minutes": 30.0}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"group_size": 4}, "group_size"),
        ({"note": "x" * 1001}, "note"),
        ({"note": "bell\x07"}, "note"),
        ({"note": "carriage\rreturn"}, "note"),
        ({"note": "nul\x00"}, "note"),
        ({"note": 42}, "note"),
    ],
)
def test_log_encounter_validation(journal: Journal, changes: dict[str, Any], field: str) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(case.id, encounter_input(**changes))
    assert_field(exc, field)
    assert journal.encounters(case.id) == []
    assert journal.get_case(case.id).current_stage is None


def test_encounter_date_messages_name_the_event_and_the_referral(journal: Journal) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError, match="Before the event"):
        journal.log_encounter(case.id, encounter_input(occurred_at=datetime(2026, 11, 17, 9)))
    with pytest.raises(ValidationError, match="Before the referral"):
        journal.log_encounter(case.id, encounter_input(occurred_at=datetime(2026, 11, 19, 9)))
    # On the referral day itself an encounter is fine.
    journal.log_encounter(case.id, encounter_input(occurred_at=datetime(2026, 11, 20, 0, 0)))
    assert len(journal.encounters(case.id)) == 1


def test_encounter_input_must_be_an_encounter_input(journal: Journal) -> None:
    case = journal.open_case(case_input())
    with pytest.raises(ValidationError) as exc:
        journal.log_encounter(case.id, {"occurred_at": at(21)})  # type: ignore[arg-type]
    assert_field(exc, "encounter")


def test_encounter_limits_are_inclusive(journal: Journal) -> None:
    case = journal.open_case(case_input())
    journal.log_encounter(case.id, encounter_input(duration_minutes=720))
    journal.log_encounter(case.id, encounter_input(duration_minutes=1, occurred_at=at(22)))
    note = "y" * 1000
    journal.log_encounter(case.id, encounter_input(note=note, occurred_at=at(23)))
    stored = journal.encounters(case.id)
    assert [e.duration_minutes for e in stored] == [720, 1, 30]
    assert stored[-1].note == note


def test_note_may_hold_newlines_and_tabs(journal: Journal) -> None:
    case = journal.open_case(case_input())
    note = "Line one\n\tindented line two\nline three\n"
    encounter = journal.log_encounter(case.id, encounter_input(note=note))
    assert journal.get_encounter(encounter.id).note == note


def test_blank_note_is_stored_as_none(journal: Journal) -> None:
    case = journal.open_case(case_input())
    encounter = journal.log_encounter(case.id, encounter_input(note="   "))
    assert journal.get_encounter(encounter.id).note is None


# --- Unicode ------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(alias=TEXT, note=TEXT)
def test_unicode_round_trip(journal: Journal, alias: str, note: str) -> None:
    case = journal.open_case(case_input(alias=alias))
    encounter = journal.log_encounter(case.id, encounter_input(note=note))
    assert journal.get_case(case.id).alias == alias
    assert [(e.id, e.note) for e in journal.encounters(case.id)] == [(encounter.id, note)]
    # The alias is found by searching for itself (wildcards and backslashes are literal).
    assert case.id in [r.id for r in journal.list_cases(CaseFilter(text=alias))]


NFD_ALIAS = unicodedata.normalize("NFD", "Zoë Müller-Núñez")
UNICODE_SAMPLES = {
    "arabic": "مريم ع. — ممرضة",
    "hebrew_rtl_marks": "\u200fדוד כ.\u200f (אח)\u200f",
    "chinese": "王小明 · 护士",
    "devanagari_combining": "प्रिया क्षत्रिय",
    "emoji_zwj_skin_tones": "👩🏽\u200d⚕️ 🧑🏿\u200d🤝\u200d🧑🏻 👨\u200d👩\u200d👧",
    "nfd_accents": NFD_ALIAS,
}


@pytest.mark.parametrize("sample", list(UNICODE_SAMPLES.values()), ids=list(UNICODE_SAMPLES))
def test_unicode_samples_round_trip_unchanged(vault: Vault, journal: Journal, sample: str) -> None:
    assert len(sample) <= 40
    note = f"{sample}\n{sample}"
    case = journal.open_case(case_input(alias=sample))
    journal.log_encounter(case.id, encounter_input(note=note))
    vault.lock()
    vault.unlock(PASSPHRASE)
    reopened = Journal(vault.engine, clock=lambda: FIXED_NOW)
    alias = reopened.get_case(case.id).alias
    assert alias == sample
    assert [e.note for e in reopened.encounters(case.id)] == [note]
    assert [r.alias for r in reopened.list_cases(CaseFilter(text=sample))] == [sample]


def test_nfd_text_is_not_normalised(journal: Journal) -> None:
    nfc = unicodedata.normalize("NFC", NFD_ALIAS)
    assert nfc != NFD_ALIAS
    case = journal.open_case(case_input(alias=NFD_ALIAS))
    encounter = journal.log_encounter(case.id, encounter_input(note=NFD_ALIAS))
    alias = journal.get_case(case.id).alias
    assert alias == NFD_ALIAS and alias != nfc
    assert len(alias) == len(NFD_ALIAS)
    assert journal.get_encounter(encounter.id).note == NFD_ALIAS
    assert any(unicodedata.combining(ch) for ch in alias)


def test_rtl_marks_are_kept(journal: Journal) -> None:
    alias = UNICODE_SAMPLES["hebrew_rtl_marks"]
    case = journal.open_case(case_input(alias=alias))
    assert journal.get_case(case.id).alias.count("\u200f") == 3


def test_case_filter_text_matches_mixed_scripts(journal: Journal) -> None:
    # Mixed scripts still match as plain substrings.
    journal.open_case(case_input(alias="RN Zoë 王"))
    assert [r.alias for r in journal.list_cases(CaseFilter(text="rn zoë"))] == ["RN Zoë 王"]
    assert [r.alias for r in journal.list_cases(CaseFilter(text="王"))] == ["RN Zoë 王"]


def test_ascii_punctuation_alias_round_trips(journal: Journal) -> None:
    alias = "Ab " + string.punctuation  # quotes, %, _, \\ and friends: 35 characters
    case = journal.open_case(case_input(alias=alias))
    assert journal.get_case(case.id).alias == alias
    assert [r.alias for r in journal.list_cases(CaseFilter(text=alias))] == [alias]


def test_case_input_is_plain_data(journal: Journal) -> None:
    # The same input can open two cases; ids differ, the input is not mutated.
    data = case_input(high_risk_events=("exposure", "first_death"))
    first = journal.open_case(data)
    second = journal.open_case(replace(data, alias="RN-B"))
    assert first.id != second.id
    assert data.high_risk_events == ("exposure", "first_death")
    assert sorted(r.alias for r in journal.list_cases()) == ["RN-A", "RN-B"]


@pytest.mark.parametrize("value", [1, 2, -1, 51])
def test_small_count_threshold_is_off_or_at_least_three(journal: Journal, value: int) -> None:
    with pytest.raises(ValidationError):
        journal.set_setting("small_count_threshold", value)
    journal.set_setting("small_count_threshold", 3)
    journal.set_setting("small_count_threshold", 0)
    assert journal.setting("small_count_threshold") == 0
