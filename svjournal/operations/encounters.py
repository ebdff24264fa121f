"""Log, edit, trash and restore an encounter (and Mark done, which logs one)."""

from __future__ import annotations

from svjournal.core.i18n import tr
from svjournal.core.inputs import EncounterInput, FollowUpInput
from svjournal.core.journal import Journal
from svjournal.core.records import EncounterRecord
from svjournal.operations.changes import Changes
from svjournal.operations.recording import recorded
from svjournal.operations.result import OpResult


def log_encounter(
    journal: Journal,
    case_id: str,
    data: EncounterInput,
    *,
    next_follow_up: FollowUpInput | None = None,
    completes: str | None = None,
) -> OpResult[EncounterRecord]:
    """Log it; with `next_follow_up` also plan the next contact, with `completes` mark that
    planned follow-up done by this encounter (Mark done) — all in one transaction."""

    def work() -> EncounterRecord:
        return journal.log_encounter(
            case_id, data, next_follow_up=next_follow_up, completes=completes
        )

    def changed(encounter: EncounterRecord) -> Changes:
        follow_ups = [f.id for f in journal.follow_ups(case_id)] if next_follow_up else []
        return Changes.of(
            cases=[case_id],
            encounters=[encounter.id],
            follow_ups=[*follow_ups, *([completes] if completes else [])],
        )

    label = tr("Mark follow-up done") if completes else tr("Log encounter")
    return recorded(journal, label, work, changed, case_ids=[case_id])


def edit_encounter(
    journal: Journal, encounter_id: str, data: EncounterInput
) -> OpResult[EncounterRecord]:
    case_id = journal.get_encounter(encounter_id).case_id
    return recorded(
        journal,
        tr("Edit encounter"),
        lambda: journal.edit_encounter(encounter_id, data),
        lambda e: Changes.of(cases=[case_id], encounters=[e.id]),
        case_ids=[case_id],
    )


def trash_encounter(journal: Journal, encounter_id: str) -> OpResult[None]:
    case_id = journal.get_encounter(encounter_id).case_id
    return recorded(
        journal,
        tr("Move encounter to trash"),
        lambda: journal.delete_encounter(encounter_id),
        lambda _none: Changes.of(cases=[case_id], encounters=[encounter_id]),
        case_ids=[case_id],
    )


def restore_encounter(journal: Journal, encounter_id: str) -> OpResult[None]:
    """Back from the trash."""
    case_id = journal.case_of_record("encounter", encounter_id)
    return recorded(
        journal,
        tr("Restore encounter"),
        lambda: journal.restore_encounter(encounter_id),
        lambda _none: Changes.of(cases=[case_id], encounters=[encounter_id]),
        case_ids=[case_id],
    )
