"""Open, edit, close, reopen, trash and restore a case."""

from __future__ import annotations

from datetime import date

from svjournal.core.i18n import tr
from svjournal.core.inputs import CaseInput, ContactInput
from svjournal.core.journal import Journal
from svjournal.core.records import CaseRecord
from svjournal.operations.changes import Changes
from svjournal.operations.recording import recorded, recorded_new_case
from svjournal.operations.result import OpResult


def _changed(case: CaseRecord) -> Changes:
    return Changes.of(cases=[case.id])


def open_case(
    journal: Journal, data: CaseInput, contact: ContactInput | None = None
) -> OpResult[CaseRecord]:
    """A new case, with its contact details when any are given."""
    return recorded_new_case(
        journal, tr("New case"), lambda: journal.open_case(data, contact), lambda c: c.id
    )


def edit_case(
    journal: Journal, case_id: str, data: CaseInput, contact: ContactInput | None = None
) -> OpResult[CaseRecord]:
    """Change the case; `contact` replaces its contact details (all empty: deleted)."""
    return recorded(
        journal,
        tr("Edit case"),
        lambda: journal.update_case(case_id, data, contact),
        _changed,
        case_ids=[case_id],
    )


def close_case(
    journal: Journal,
    case_id: str,
    *,
    outcome: str | None = None,
    closed_on: date | None = None,
    delete_notes: bool = False,
) -> OpResult[CaseRecord]:
    """Close it: planned follow-ups are canceled, contact details purged when the setting
    says so, notes deleted when asked. Undo brings all of it back (from memory)."""

    def work() -> CaseRecord:
        return journal.close_case(
            case_id, outcome=outcome, closed_on=closed_on, delete_notes=delete_notes
        )

    def changed(case: CaseRecord) -> Changes:
        return Changes.of(cases=[case.id], follow_ups=[f.id for f in journal.follow_ups(case.id)])

    return recorded(journal, tr("Close case"), work, changed, case_ids=[case_id])


def reopen_case(journal: Journal, case_id: str) -> OpResult[CaseRecord]:
    return recorded(
        journal,
        tr("Reopen case"),
        lambda: journal.reopen_case(case_id),
        _changed,
        case_ids=[case_id],
    )


def trash_case(journal: Journal, case_id: str) -> OpResult[None]:
    return recorded(
        journal,
        tr("Move case to trash"),
        lambda: journal.delete_case(case_id),
        lambda _none: Changes.of(cases=[case_id]),
        case_ids=[case_id],
    )


def restore_case(journal: Journal, case_id: str) -> OpResult[None]:
    """Back from the trash."""
    return recorded(
        journal,
        tr("Restore case"),
        lambda: journal.restore_case(case_id),
        lambda _none: Changes.of(cases=[case_id]),
        case_ids=[case_id],
    )


def empty_trash(journal: Journal) -> OpResult[int]:
    """Delete everything in the trash for good: not undoable, by design."""
    return OpResult(journal.empty_trash(), Changes())
